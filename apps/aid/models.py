"""Foreign non-governmental aid (viện trợ phi chính phủ nước ngoài): aid items with their sectors,
locations, budgets and transactions, the exchange-rate table the VND and USD equivalents are
computed from, and the approval workflow whose steps are data (``WorkflowStep``), so a new decree
(Nghị định 313/2025/NĐ-CP replaced 80/2020/NĐ-CP in December 2025) changes rows, not code.

Money is ``Decimal`` everywhere; the equivalents are stored (``*_usd``, ``*_vnd``) so statistics
are plain ``SUM`` queries over indexed columns, recomputed by the services whenever an amount,
a currency, a date or a rate changes.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.models import ChangeLoggedModel
from apps.core.querysets import VIEW

MONEY = {"max_digits": 20, "decimal_places": 2}
EQUIVALENT = {"max_digits": 22, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(100)]}


def currency_ok(value: str) -> None:
    if not (isinstance(value, str) and len(value) == 3 and value.isalpha() and value.isupper()):
        raise ValidationError(_("A currency is three capital letters (ISO 4217), e.g. USD, EUR, VND."))


class AidStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPRAISED = "appraised", _("Appraised")
    APPROVED = "approved", _("Approved")
    IMPLEMENTING = "implementing", _("Implementing")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


#: statuses in which the item has been approved (disbursements allowed, counted by statistics)
APPROVED_STATUSES = (AidStatus.APPROVED, AidStatus.IMPLEMENTING, AidStatus.COMPLETED)

STATUS_COLOURS = {
    AidStatus.DRAFT: "secondary",
    AidStatus.SUBMITTED: "info",
    AidStatus.APPRAISED: "primary",
    AidStatus.APPROVED: "success",
    AidStatus.IMPLEMENTING: "success",
    AidStatus.COMPLETED: "dark",
    AidStatus.REJECTED: "danger",
    AidStatus.REVOKED: "danger",
}


def _reference_scope(queryset, scope, action):
    """Reference data (rates, workflow steps): every signed-in user reads it; coordinators and
    administrators keep it."""
    if action == VIEW:
        return queryset
    return queryset if (scope.is_superuser or scope.subtree_paths("change")) else queryset.none()


class ExchangeRate(ChangeLoggedModel):
    """How many đồng one unit of ``currency`` was worth on ``date``, and who says so (the State
    Bank, Vietcombank, the Ministry of Finance's accounting rate …). The rate applied to an amount
    is the latest one on or before its date."""

    currency = models.CharField(_("currency"), max_length=3, validators=[currency_ok])
    date = models.DateField(_("date"))
    rate_vnd = models.DecimalField(
        _("VND per unit"), max_digits=20, decimal_places=6, validators=[MinValueValidator(0)]
    )
    source = models.CharField(_("source"), max_length=200, help_text=_("e.g. Vietcombank, State Bank of Vietnam"))

    search_fields = ("currency", "source")
    scope_field = None

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "date"],
                name="aid_rate_once_per_day",
                violation_error_message=_("This currency already has a rate on this day."),
            ),
            models.CheckConstraint(
                condition=Q(rate_vnd__gt=0),
                name="aid_rate_positive",
                violation_error_message=_("A rate must be greater than zero."),
            ),
        ]

    def __str__(self):
        from apps.aid.money import format_decimal

        # 27.450 VND as people write it, not "27450.000000" (the column keeps six decimals)
        rate = ""
        if self.rate_vnd is not None:
            places = max(-Decimal(self.rate_vnd).normalize().as_tuple().exponent, 0)
            rate = format_decimal(self.rate_vnd, places)
        return "{} {} = {} VND".format(self.currency, self.date.strftime("%d/%m/%Y") if self.date else "", rate)

    def get_absolute_url(self):
        return reverse("aid:exchangerate_detail", args=[self.pk])

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        return _reference_scope(queryset, scope, action)

    def owner_unit_id(self):
        return None


class WorkflowStep(ChangeLoggedModel):
    """One step of the approval workflow, kept as data: from which statuses it may be taken, the
    status it leads to, and what it needs (a decision document, a reason, appraisal opinions).
    The legal basis is recorded with each step so a change of decree is visible in the data."""

    action = models.SlugField(_("action code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    from_statuses = models.JSONField(_("from statuses"), default=list)
    to_status = models.CharField(
        _("to status"),
        max_length=20,
        choices=AidStatus.choices,
        blank=True,
        help_text=_("Empty: the step records something without changing the status."),
    )
    requires_document = models.BooleanField(_("requires a decision document"), default=False)
    requires_reason = models.BooleanField(_("requires a reason"), default=False)
    requires_opinion = models.BooleanField(_("records an appraisal opinion"), default=False)
    required_opinions = models.JSONField(
        _("opinions required before this step"),
        default=list,
        blank=True,
        help_text=_('Agencies whose opinion must be on record, e.g. ["finance", "police"].'),
    )
    coordinators_only = models.BooleanField(
        _("coordinators only"),
        default=False,
        help_text=_("Only a coordinator or administrator over the recipient unit may take this step."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in force"), default=True)

    search_fields = ("action", "name", "legal_basis")
    scope_field = None

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        return _reference_scope(queryset, scope, action)

    def owner_unit_id(self):
        return None


class AidItem(ChangeLoggedModel):
    """A foreign non-governmental aid item (khoản viện trợ): a programme, a project, non-project
    aid (cash, goods, experts and volunteers, conferences and training) or emergency relief, kept by
    its recipient unit (chủ khoản viện trợ)."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        PROJECT = "project", _("Project")
        NON_PROJECT = "non_project", _("Non-project aid")
        EMERGENCY = "emergency", _("Emergency relief")

    class Form(models.TextChoices):
        CASH = "cash", _("Cash")
        GOODS = "goods", _("Goods")
        EXPERTS = "experts", _("Experts and volunteers")
        TRAINING = "training", _("Conferences and training")
        MIXED = "mixed", _("Mixed")

    code = models.CharField(_("code"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    form = models.CharField(
        _("form of aid"), max_length=20, choices=Form.choices, blank=True, help_text=_("For non-project aid.")
    )
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    donor = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("donor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aid_items",
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("recipient unit (aid owner)"),
        on_delete=models.PROTECT,
        related_name="aid_items",
    )
    managing_agency = models.CharField(
        _("managing agency"), max_length=300, blank=True, help_text=_("Cơ quan chủ quản, e.g. Ủy ban nhân dân tỉnh.")
    )
    implementing_partners = models.ManyToManyField(
        "partners.Partner", verbose_name=_("implementing partners"), blank=True, related_name="aid_implemented"
    )
    # No index of its own: eight values, and SQLite would prefer it to the date and unit indexes.
    status = models.CharField(
        _("status"), max_length=20, choices=AidStatus.choices, default=AidStatus.DRAFT, editable=False
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    iati_identifier = models.CharField(_("IATI identifier"), max_length=200, blank=True, db_index=True)
    iati_hash = models.CharField(max_length=64, blank=True, editable=False)
    # money
    committed_amount = models.DecimalField(_("committed value"), **MONEY, default=0, validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, default="USD", validators=[currency_ok])
    rate_date = models.DateField(
        _("exchange rate date"), null=True, blank=True, help_text=_("Empty: the approval date, else the planned start.")
    )
    rate_vnd = models.DecimalField(
        _("rate applied (VND per unit)"), max_digits=20, decimal_places=6, null=True, blank=True, editable=False
    )
    committed_usd = models.DecimalField(_("committed (USD)"), **EQUIVALENT, null=True, blank=True, editable=False)
    committed_vnd = models.DecimalField(_("committed (VND)"), **EQUIVALENT, null=True, blank=True, editable=False)
    counterpart_amount = models.DecimalField(
        _("counterpart funds"), **MONEY, default=0, validators=[MinValueValidator(0)]
    )
    counterpart_currency = models.CharField(
        _("counterpart currency"), max_length=3, default="VND", validators=[currency_ok]
    )
    # approval
    approval_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("approval decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_aid_items",
    )
    approving_authority = models.CharField(_("approving authority"), max_length=300, blank=True)
    approved_on = models.DateField(_("approval date"), null=True, blank=True, db_index=True)
    closing_reason = models.TextField(_("reason for rejection or revocation"), blank=True)

    search_fields = ("code", "title_vi", "title_en", "iati_identifier", "managing_agency")
    scope_field = "unit"
    changelog_exclude = ("search_text", "last_updated", "iati_hash")

    class Meta:
        verbose_name = _("aid item")
        verbose_name_plural = _("aid items")
        ordering = ["-approved_on", "-id"]
        indexes = [
            models.Index(fields=["-approved_on", "-id"], name="aid_item_date_idx"),
            models.Index(fields=["unit", "approved_on"], name="aid_item_unit_date_idx"),
            models.Index(fields=["approved_on", "unit", "kind"], name="aid_item_stats_idx"),
            models.Index(fields=["donor", "approved_on"], name="aid_item_donor_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="aid_item_planned_order",
                violation_error_message=_("The planned end must not be before the planned start."),
            ),
        ]

    def __str__(self):
        return "{} — {}".format(self.code, self.title)

    @property
    def title(self) -> str:
        if (get_language() or "vi").startswith("en") and self.title_en:
            return self.title_en
        return self.title_vi or self.title_en

    def get_absolute_url(self):
        return reverse("aid:aiditem_detail", args=[self.pk])

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(self.status, "secondary")

    @property
    def is_approved(self) -> bool:
        return self.status in APPROVED_STATUSES

    def changelog_extra(self) -> dict:
        # Sectors and locations are plain child rows: their summary goes into the item's snapshot.
        if self.pk is None:
            return {}
        return {
            "sector_shares": "; ".join("{} {}%".format(s.code, s.percentage) for s in self.sectors.all()),
            "location_shares": "; ".join("{} {}%".format(loc.name, loc.percentage) for loc in self.locations.all()),
        }

    def clean(self):
        super().clean()
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            raise ValidationError({"actual_end": _("The actual end must not be before the actual start.")})


class AidSector(models.Model):
    """A sector of an aid item: an OECD-DAC purpose code (vocabulary 1, five digits; 2, three
    digits) or a code of the local list (99), with its share; the shares of one item add up to 100."""

    VOCABULARIES = (("1", "OECD-DAC 5"), ("2", "OECD-DAC 3"), ("99", _("Local list")))

    aid_item = models.ForeignKey(AidItem, on_delete=models.CASCADE, related_name="sectors")
    vocabulary = models.CharField(_("vocabulary"), max_length=3, choices=VOCABULARIES, default="1")
    code = models.CharField(_("sector code"), max_length=20, db_index=True)
    name = models.CharField(_("sector"), max_length=200, blank=True)
    percentage = models.DecimalField(_("percentage"), **PERCENT)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["aid_item", "-percentage", "code"]

    def __str__(self):
        return "{} {} ({}%)".format(self.code, self.name, self.percentage)


class AidLocation(models.Model):
    """Where an aid item takes place: a province (and optionally a ward or commune) of Vietnam as
    organised from 1 July 2025 (codes of the ``vietnam-provinces`` library), with its share."""

    aid_item = models.ForeignKey(AidItem, on_delete=models.CASCADE, related_name="locations")
    province_code = models.PositiveIntegerField(_("province code"), db_index=True)
    ward_code = models.PositiveIntegerField(_("ward code"), null=True, blank=True)
    name = models.CharField(_("place"), max_length=300)
    percentage = models.DecimalField(_("percentage"), **PERCENT)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["aid_item", "-percentage", "name"]

    def __str__(self):
        return "{} ({}%)".format(self.name, self.percentage)


class Budget(models.Model):
    """A planned budget period of an aid item (mostly from IATI)."""

    aid_item = models.ForeignKey(AidItem, on_delete=models.CASCADE, related_name="budgets")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_ok])
    value_date = models.DateField(_("value date"))
    amount_usd = models.DecimalField(_("USD"), **EQUIVALENT, null=True, blank=True)
    amount_vnd = models.DecimalField(_("VND"), **EQUIVALENT, null=True, blank=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["aid_item", "period_start"]

    def __str__(self):
        return "{} – {}: {} {}".format(self.period_start, self.period_end, self.amount, self.currency)


class Transaction(ChangeLoggedModel):
    """Money moving on an aid item: a commitment, a disbursement or an expenditure, with its date,
    amount, currency and value date (the date its exchange rate is taken on)."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Commitment")
        DISBURSEMENT = "disbursement", _("Disbursement")
        EXPENDITURE = "expenditure", _("Expenditure")

    aid_item = models.ForeignKey(
        AidItem, verbose_name=_("aid item"), on_delete=models.CASCADE, related_name="transactions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    # Negative for a correction: a de-obligation reduces a commitment, a refund a disbursement
    # (IATI publishers report both so, and the sums stay right).
    amount = models.DecimalField(
        _("amount"), **MONEY, help_text=_("Negative for a correction: a reduced commitment or a refund.")
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD", validators=[currency_ok])
    value_date = models.DateField(_("value date"), null=True, blank=True, help_text=_("Empty: the date."))
    rate_vnd = models.DecimalField(
        _("rate applied (VND per unit)"), max_digits=20, decimal_places=6, null=True, blank=True, editable=False
    )
    amount_usd = models.DecimalField(_("USD"), **EQUIVALENT, null=True, blank=True, editable=False)
    amount_vnd = models.DecimalField(_("VND"), **EQUIVALENT, null=True, blank=True, editable=False)
    description = models.CharField(_("description"), max_length=500, blank=True)
    # Read from an IATI file: a re-import of a changed activity replaces these, never the
    # transactions an officer entered by hand.
    from_iati = models.BooleanField(_("from an IATI file"), default=False, db_default=False, editable=False)

    search_fields = ("description",)
    scope_field = "aid_item__unit"

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["aid_item", "kind", "date"], name="aid_tx_item_kind_idx")]

    def __str__(self):
        return "{} {} {} ({})".format(
            self.get_kind_display(), self.amount, self.currency, self.date.strftime("%d/%m/%Y") if self.date else ""
        )

    def get_absolute_url(self):
        return reverse("aid:transaction_detail", args=[self.pk])

    def owner_unit_id(self):
        return self.aid_item.unit_id if self.aid_item_id else None


class ApprovalEvent(ChangeLoggedModel):
    """One step taken on an aid item: who, when, which step, from and to which status, and what
    came with it — an appraisal opinion with the agency giving it, a decision document, a reason.
    Append-only: the audit trail of the approval."""

    class Agency(models.TextChoices):
        FINANCE = "finance", _("Finance")
        POLICE = "police", _("Police")
        FOREIGN_AFFAIRS = "foreign_affairs", _("Foreign affairs")
        UNION = "union", _("Union of Friendship Organizations")
        OTHER = "other", _("Other")

    aid_item = models.ForeignKey(AidItem, verbose_name=_("aid item"), on_delete=models.CASCADE, related_name="events")
    step = models.ForeignKey(WorkflowStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=AidStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=AidStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    on = models.DateField(_("date"), help_text=_("The date of the step (of the decision, of the opinion)."))
    agency = models.CharField(_("agency"), max_length=20, choices=Agency.choices, blank=True)
    favourable = models.BooleanField(_("favourable"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_field = "aid_item__unit"

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["aid_item", "at", "id"]

    def __str__(self):
        return "{}: {}".format(
            self.aid_item.code if self.aid_item_id else "?", self.step.name if self.step_id else self.action
        )

    def get_absolute_url(self):
        return reverse("aid:aiditem_detail", args=[self.aid_item_id]) + "?tab=workflow"

    def owner_unit_id(self):
        return self.aid_item.unit_id if self.aid_item_id else None


class IatiFile(models.Model):
    """A file the IATI import has read in full: its fingerprint, the options, and what it left in
    the database (each activity's identifier and content hash, compressed), so that importing the
    very same bytes again with the same options is answered without parsing the file — after
    checking that every aid item still carries the content it had then."""

    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    country = models.CharField(max_length=2, blank=True)
    strict = models.BooleanField(default=False)
    imported_at = models.DateTimeField()
    activities = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    notes = models.JSONField(default=list, blank=True)
    pairs = models.BinaryField(default=b"")

    class Meta:
        verbose_name = _("imported IATI file")
        verbose_name_plural = _("imported IATI files")

    def __str__(self):
        return "{} ({} bytes)".format(self.sha256[:12], self.size)
