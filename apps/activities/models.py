"""Agreements (thỏa thuận, biên bản ghi nhớ, biên bản hợp tác, thỏa thuận kết nghĩa) the province
signs with its partners and the commitments they contain; activities (hoạt động đối ngoại) —
delegations in and out, receptions, exchanges, commemorations, conferences, volunteering, charity,
training — that implement them; and the members of each delegation.

An agreement's status is never typed: it is derived from its dates (``Agreement.status`` in
Python, ``agreement_status_q`` in SQL — they agree), except that an agreement ended before its
time carries the day it was terminated.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import ChangeLoggedModel


class Pillar(models.TextChoices):
    """The three pillars of external relations (GLOSSARY): đối ngoại Đảng, ngoại giao Nhà nước,
    đối ngoại nhân dân."""

    PARTY = "party", _("Party external relations")
    STATE = "state", _("State diplomacy")
    PEOPLE = "people", _("People-to-people diplomacy")


class AgreementStatus(models.TextChoices):
    NOT_YET = "not_yet_in_force", _("Not yet in force")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


AGREEMENT_STATUS_COLOURS = {
    AgreementStatus.NOT_YET: "info",
    AgreementStatus.IN_FORCE: "success",
    AgreementStatus.EXPIRED: "secondary",
    AgreementStatus.TERMINATED: "danger",
}


def derive_agreement_status(*, valid_to, terminated_on, today: date, valid_from=None) -> str:
    """Terminated once its termination day has come; expired after its last valid day; not yet in
    force before its first valid day (signed now, effective from a later date); otherwise in force
    (an agreement without an end date stays in force until terminated)."""
    if terminated_on is not None and terminated_on <= today:
        return AgreementStatus.TERMINATED
    if valid_to is not None and valid_to < today:
        return AgreementStatus.EXPIRED
    if valid_from is not None and valid_from > today:
        return AgreementStatus.NOT_YET
    return AgreementStatus.IN_FORCE


def agreement_status_q(status: str, today: date | None = None, prefix: str = "") -> Q:
    """The same rule as ``derive_agreement_status``, as a filter."""
    today = today or timezone.localdate()
    terminated = Q(**{prefix + "terminated_on__lte": today})
    expired = ~terminated & Q(**{prefix + "valid_to__lt": today})
    if status == AgreementStatus.TERMINATED:
        return terminated
    if status == AgreementStatus.EXPIRED:
        return expired
    not_expired = Q(**{prefix + "valid_to__isnull": True}) | Q(**{prefix + "valid_to__gte": today})
    if status == AgreementStatus.NOT_YET:
        return ~terminated & not_expired & Q(**{prefix + "valid_from__gt": today})
    started = Q(**{prefix + "valid_from__isnull": True}) | Q(**{prefix + "valid_from__lte": today})
    return ~terminated & not_expired & started


#: Years a date of an agreement or activity may fall in: a typo such as 31/12/9999 otherwise
#: reaches the calendar feed (one day later does not exist) and every yearly total.
PLAUSIBLE_YEARS = (1900, 2100)
#: most participants on one side of an activity (the API's limit too)
MAX_PARTICIPANTS = 10_000_000


def implausible_dates(obj, names) -> dict:
    """Errors for the date fields of ``obj`` outside ``PLAUSIBLE_YEARS``, each naming its field."""
    low, high = PLAUSIBLE_YEARS
    errors = {}
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, date) and not low <= value.year <= high:
            errors[name] = _("“{field}” is {day}: the year must be between {low} and {high}.").format(
                field=obj._meta.get_field(name).verbose_name, day=value.strftime("%d/%m/%Y"), low=low, high=high
            )
    return errors


def has_words(text) -> bool:
    """Whether a title says anything: "   " or "---" does not (a list would show an empty link)."""
    return any(char.isalnum() for char in text or "")


class Agreement(ChangeLoggedModel):
    """An agreement signed by one of our units (the owner of the record) with foreign partners:
    an international agreement in the name of the provincial People's Committee (Law on
    International Agreements 2020), a memorandum of understanding, cooperation minutes or a
    twinning agreement. The signed file is an attachment; the commitments it contains are
    ``Commitment`` rows; the activities that implement it link to it."""

    class Kind(models.TextChoices):
        INTERNATIONAL = "international", _("International agreement (Law on International Agreements 2020)")
        MEMORANDUM = "memorandum", _("Memorandum of understanding")
        MINUTES = "minutes", _("Cooperation minutes")
        TWINNING = "twinning", _("Twinning agreement")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(
        _("number"), max_length=100, blank=True, help_text=_("The number on the signed text, if any.")
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("signing unit"),
        on_delete=models.PROTECT,
        related_name="agreements",
        help_text=_("Our unit that signed it and keeps the record."),
    )
    other_units = models.ManyToManyField(
        "accounts.Unit",
        verbose_name=_("other units (parties)"),
        blank=True,
        related_name="party_agreements",
        help_text=_("Other units of ours that are parties to it; they may read the record."),
    )
    partners = models.ManyToManyField(
        "partners.Partner", verbose_name=_("partners"), blank=True, related_name="agreements"
    )
    signed_on = models.DateField(_("signing date"), null=True, blank=True, db_index=True)
    signed_place = models.CharField(_("signing place"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid until"), null=True, blank=True, db_index=True, help_text=_("Empty when it has no end date.")
    )
    fields_of_cooperation = models.TextField(
        _("fields of cooperation"), blank=True, help_text=_("e.g. giáo dục, y tế, nông nghiệp")
    )
    summary = models.TextField(_("summary"), blank=True)
    pillar = models.CharField(_("pillar"), max_length=10, choices=Pillar.choices, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(_("reason for termination"), max_length=500, blank=True)

    search_fields = ("title", "number", "signed_place", "fields_of_cooperation", "summary")
    scope_field = "unit"
    scope_shared_field = "other_units"

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "-id"]
        indexes = [
            models.Index(fields=["-signed_on", "-id"], name="agreement_signed_idx"),
            models.Index(fields=["unit", "-signed_on"], name="agreement_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="agreement_valid_to_after_from",
                violation_error_message=_("The end of validity must not be before its start."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:agreement_detail", args=[self.pk])

    def status_on(self, today: date | None = None) -> str:
        return derive_agreement_status(
            valid_to=self.valid_to,
            terminated_on=self.terminated_on,
            today=today or timezone.localdate(),
            valid_from=self.valid_from,
        )

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return str(AgreementStatus(self.status).label)

    @property
    def status_colour(self) -> str:
        return AGREEMENT_STATUS_COLOURS[self.status]

    def clean(self):
        super().clean()
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end of validity must not be before its start.")
        if self.signed_on and self.valid_to and self.valid_to < self.signed_on:
            errors["valid_to"] = _("The end of validity must not be before the signing date.")
        if self.terminated_on and self.signed_on and self.terminated_on < self.signed_on:
            errors["terminated_on"] = _("An agreement cannot be terminated before it was signed.")
        if self.termination_reason and not self.terminated_on:
            errors["terminated_on"] = _("Give the day it was terminated.")
        if self.title and not has_words(self.title):
            errors["title"] = _("The title must contain letters or digits, not only spaces or punctuation.")
        errors.update(implausible_dates(self, ("signed_on", "valid_from", "valid_to", "terminated_on")))
        if errors:
            raise ValidationError(errors)


class Commitment(ChangeLoggedModel):
    """One commitment an agreement contains (e.g. "trao đổi đoàn hằng năm"), which activities
    implement."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.TextField(_("commitment"))
    responsible_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreement_commitments",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    search_fields = ("text",)
    scope_field = "agreement__unit"

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["agreement", "position", "id"]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def get_absolute_url(self):
        return "{}#commitment-{}".format(reverse("activities:agreement_detail", args=[self.agreement_id]), self.pk)

    def owner_unit_id(self):
        return self.agreement.unit_id if self.agreement_id else None


class Activity(ChangeLoggedModel):
    """An external activity (hoạt động đối ngoại) organised by one of our units: a delegation
    going abroad or received here, a reception, an exchange, a commemoration, a conference,
    volunteering, charity, training. Delegations carry their members, purpose, itinerary and the
    document approving them; an outgoing delegation is not marked as travelled without it
    (``services.activity_save``)."""

    class Kind(models.TextChoices):
        INCOMING_DELEGATION = "incoming_delegation", _("Incoming delegation")
        OUTGOING_DELEGATION = "outgoing_delegation", _("Outgoing delegation")
        RECEPTION = "reception", _("Reception")
        CULTURAL_EXCHANGE = "cultural_exchange", _("Cultural exchange")
        SPORTS_EXCHANGE = "sports_exchange", _("Sports exchange")
        COMMEMORATION = "commemoration", _("Commemoration")
        CONFERENCE = "conference", _("Conference or seminar")
        VOLUNTEERING = "volunteering", _("Volunteering")
        CHARITY = "charity", _("Charity")
        TRAINING = "training", _("Training")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Held / travelled")
        CANCELLED = "cancelled", _("Cancelled")

    class BudgetSource(models.TextChoices):
        STATE = "state", _("State budget")
        UNIT = "unit", _("Unit's own funds")
        PARTNER = "partner", _("Partner's funds")
        SPONSORSHIP = "sponsorship", _("Sponsorship (xã hội hóa)")
        MIXED = "mixed", _("Several sources")
        OTHER = "other", _("Other")

    DELEGATION_KINDS = (Kind.INCOMING_DELEGATION, Kind.OUTGOING_DELEGATION)

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Place: a Vietnamese administrative unit after the 2025 reform (codes of vietnam-provinces),
    # or a locality abroad; ``place_name`` keeps the readable name for lists and search.
    vn_province_code = models.PositiveSmallIntegerField(_("province (Vietnam)"), null=True, blank=True)
    vn_ward_code = models.PositiveIntegerField(_("commune or ward (Vietnam)"), null=True, blank=True)
    foreign_locality = models.CharField(_("locality abroad"), max_length=300, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True, help_text=_("Building or address."))
    place_name = models.CharField(_("place"), max_length=400, blank=True, editable=False)
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=_("The unit that organises it and keeps the record."),
    )
    participating_units = models.ManyToManyField(
        "accounts.Unit",
        verbose_name=_("participating units"),
        blank=True,
        related_name="participated_activities",
        help_text=_("They may read the record."),
    )
    partners = models.ManyToManyField(
        "partners.Partner", verbose_name=_("partners"), blank=True, related_name="activities"
    )
    countries = models.ManyToManyField(
        "partners.Country", verbose_name=_("countries"), blank=True, related_name="activities"
    )
    vn_participants = models.PositiveIntegerField(_("Vietnamese participants"), null=True, blank=True)
    foreign_participants = models.PositiveIntegerField(_("foreign participants"), null=True, blank=True)
    budget = models.DecimalField(_("budget (VND)"), max_digits=18, decimal_places=0, null=True, blank=True)
    budget_source = models.CharField(_("source of funds"), max_length=12, choices=BudgetSource.choices, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    pillar = models.CharField(_("pillar"), max_length=10, choices=Pillar.choices, default=Pillar.PEOPLE)
    tasks = models.ManyToManyField("tasks.Task", verbose_name=_("tasks"), blank=True, related_name="activities")
    agreements = models.ManyToManyField(Agreement, verbose_name=_("agreements"), blank=True, related_name="activities")
    commitments = models.ManyToManyField(
        Commitment, verbose_name=_("commitments"), blank=True, related_name="activities"
    )
    # Delegations
    purpose = models.TextField(_("purpose"), blank=True)
    itinerary = models.TextField(_("itinerary"), blank=True)
    approval_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("approval document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_activities",
        help_text=_("The decision or letter that approves the delegation."),
    )

    search_fields = ("title", "description", "place_name", "venue", "foreign_locality", "purpose", "outcome")
    scope_field = "unit"
    scope_shared_field = "participating_units"

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["-start_date", "-id"], name="activity_start_idx"),
            models.Index(fields=["unit", "-start_date"], name="activity_unit_idx"),
            models.Index(fields=["kind", "-start_date"], name="activity_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="activity_end_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="activity_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:activity_detail", args=[self.pk])

    @property
    def is_delegation(self) -> bool:
        return self.kind in self.DELEGATION_KINDS

    @property
    def status_colour(self) -> str:
        return {"planned": "primary", "done": "success", "cancelled": "secondary"}.get(self.status, "light")

    @property
    def participants(self) -> int | None:
        if self.vn_participants is None and self.foreign_participants is None:
            return None
        return (self.vn_participants or 0) + (self.foreign_participants or 0)

    def build_place_name(self) -> str:
        from apps.activities.places import place_label

        return place_label(self.vn_province_code, self.vn_ward_code, self.foreign_locality)

    def save(self, *args, **kwargs):
        self.place_name = self.build_place_name()[:400]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"place_name"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        self.place_name = self.build_place_name()[:400]
        return super().build_search_text()

    def clean(self):
        super().clean()
        from apps.activities.places import check_place

        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date must not be before the start date.")
        errors.update(check_place(self.vn_province_code, self.vn_ward_code, self.foreign_locality))
        if self.title and not has_words(self.title):
            errors["title"] = _("The title must contain letters or digits, not only spaces or punctuation.")
        errors.update(implausible_dates(self, ("start_date", "end_date")))
        for name in ("vn_participants", "foreign_participants"):
            value = getattr(self, name)
            if value is not None and value > MAX_PARTICIPANTS:
                errors[name] = _("“{field}” is {value}: it must be at most {limit}.").format(
                    field=self._meta.get_field(name).verbose_name, value=value, limit="10.000.000"
                )
        if errors:
            raise ValidationError(errors)


def held_q(today: date | None = None, prefix: str = "") -> Q:
    """Activities that count as done work — under an agreement (its page's years, the idle list)
    and for a partner: not cancelled and begun by today. A planned activity in the future is not
    work done yet; a past one still marked planned is counted, as nobody may have updated its
    status after it took place (an activity dated in the future cannot be marked held)."""
    today = today or timezone.localdate()
    return ~Q(**{prefix + "status": Activity.Status.CANCELLED}) & Q(**{prefix + "start_date__lte": today})


class DelegationMember(ChangeLoggedModel):
    """A member of a delegation: name, position, organisation."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    is_head = models.BooleanField(_("head of delegation"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    search_fields = ("name", "position", "organisation")
    scope_field = "activity__unit"

    class Meta:
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        ordering = ["activity", "-is_head", "order", "id"]

    def __str__(self):
        return "{} ({})".format(self.name, self.position) if self.position else self.name

    def get_absolute_url(self):
        return "{}#member-{}".format(reverse("activities:activity_detail", args=[self.activity_id]), self.pk)

    def owner_unit_id(self):
        return self.activity.unit_id if self.activity_id else None

    def clean(self):
        super().clean()
        if self.activity_id and not self.activity.is_delegation:
            raise ValidationError(_("Only a delegation (incoming or outgoing) has members."))
