"""Member organisations of the Union (tổ chức thành viên: bilateral and multilateral friendship
associations, clubs) with their members over the years, leaders and terms, congresses; and the
awards (thi đua, khen thưởng) given to units and people.

A member organisation *is* a unit of the tree (``Unit(kind=association)``): its officers, tasks
and activities hang on that unit; this app adds what only an association has.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import ChangeLoggedModel


class MemberOrganisation(ChangeLoggedModel):
    class Kind(models.TextChoices):
        BILATERAL = "bilateral", _("Bilateral friendship association")
        MULTILATERAL = "multilateral", _("Multilateral friendship association")
        CLUB = "club", _("Club")
        OTHER = "other", _("Other")

    unit = models.OneToOneField(
        "accounts.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="member_organisation",
        help_text=_("The association as a unit of the tree (its people, tasks and activities hang on it)."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.BILATERAL)
    countries = models.ManyToManyField(
        "partners.Country", verbose_name=_("counterpart countries"), blank=True, related_name="member_organisations"
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    search_fields = ("description",)
    scope_field = "unit"

    class Meta:
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        ordering = ["unit__path"]

    def __str__(self):
        return self.unit.name if self.unit_id else "?"

    def build_search_text(self) -> str:
        from apps.core.text import fold_join

        unit = self.unit if self.unit_id else None
        return fold_join(self.description, unit.name if unit else "", unit.short_name if unit else "")

    def get_absolute_url(self):
        return reverse("members:memberorganisation_detail", args=[self.pk])


class MembershipCount(ChangeLoggedModel):
    """How many members the organisation had at the end of a year."""

    organisation = models.ForeignKey(
        MemberOrganisation,
        verbose_name=_("member organisation"),
        on_delete=models.CASCADE,
        related_name="member_counts",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    members = models.PositiveIntegerField(_("members"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_field = "organisation__unit"

    class Meta:
        verbose_name = _("membership count")
        verbose_name_plural = _("membership counts")
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="membership_count_once_a_year",
                violation_error_message=_("This year's count is already recorded; change it instead."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1945) & Q(year__lte=2100),
                name="membership_count_year_range",
                violation_error_message=_("Give a year between 1945 and 2100."),
            ),
        ]

    def __str__(self):
        return "{} — {}: {}".format(self.organisation, self.year, self.members)

    def get_absolute_url(self):
        return self.organisation.get_absolute_url()

    def owner_unit_id(self):
        return self.organisation.unit_id


class Congress(ChangeLoggedModel):
    """A congress (Đại hội đại biểu … lần thứ IV, nhiệm kỳ 2021 – 2026) and what it decided."""

    organisation = models.ForeignKey(
        MemberOrganisation, verbose_name=_("member organisation"), on_delete=models.CASCADE, related_name="congresses"
    )
    number = models.PositiveSmallIntegerField(_("number (lần thứ)"))
    held_on = models.DateField(_("held on"))
    term_start = models.PositiveSmallIntegerField(_("term from (year)"))
    term_end = models.PositiveSmallIntegerField(_("term to (year)"))
    delegates = models.PositiveIntegerField(_("delegates"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    scope_field = "organisation__unit"

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        ordering = ["organisation", "-held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"],
                name="congress_number_once",
                violation_error_message=_("This congress is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(term_end__gte=F("term_start")),
                name="congress_term_order",
                violation_error_message=_("The term must not end before it starts."),
            ),
        ]

    def __str__(self):
        return "Đại hội lần thứ {}, nhiệm kỳ {} – {}".format(roman(self.number), self.term_start, self.term_end)

    def get_absolute_url(self):
        return self.organisation.get_absolute_url()

    def owner_unit_id(self):
        return self.organisation.unit_id

    def clean(self):
        super().clean()
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("The term must not end before it starts.")})


class Leader(ChangeLoggedModel):
    """A person in the organisation's leadership for a term (chủ tịch, phó chủ tịch, tổng thư ký)."""

    organisation = models.ForeignKey(
        MemberOrganisation, verbose_name=_("member organisation"), on_delete=models.CASCADE, related_name="leaders"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    term_start = models.PositiveSmallIntegerField(_("term from (year)"))
    term_end = models.PositiveSmallIntegerField(_("term to (year)"), null=True, blank=True)

    search_fields = ("name", "position", "workplace")
    scope_field = "organisation__unit"

    class Meta:
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")
        ordering = ["organisation", "-term_start", "id"]

    def __str__(self):
        return "{} — {}".format(self.name, self.position)

    def get_absolute_url(self):
        return self.organisation.get_absolute_url()

    def owner_unit_id(self):
        return self.organisation.unit_id

    def clean(self):
        super().clean()
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("The term must not end before it starts.")})


class Award(ChangeLoggedModel):
    """An emulation or commendation award (cờ thi đua, bằng khen, giấy khen …) given to a unit or
    to a person of a unit, by a decision."""

    class Kind(models.TextChoices):
        ORDER = "order", _("Order (Huân chương)")
        EMULATION_FLAG = "emulation_flag", _("Emulation flag (Cờ thi đua)")
        MERIT = "merit", _("Certificate of merit (Bằng khen)")
        COMMENDATION = "commendation", _("Certificate of commendation (Giấy khen)")
        MEDAL = "medal", _("Medal for the cause (Kỷ niệm chương)")
        EMULATION_TITLE = "emulation_title", _("Emulation title")
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        STATE = "state", _("State")
        CENTRAL = "central", _("Central (ministry, VUFO)")
        PROVINCIAL = "provincial", _("Provincial")
        UNIT = "unit", _("Unit")
        FOREIGN = "foreign", _("Foreign")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.PROVINCIAL)
    name = models.CharField(_("award"), max_length=300, help_text=_("e.g. Bằng khen của Chủ tịch UBND tỉnh"))
    issuer = models.CharField(_("awarded by"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    decision = models.ForeignKey(
        "documents.Document",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="awards",
        help_text=_("The unit awarded, or the unit of the person awarded."),
    )
    person = models.CharField(
        _("person awarded"), max_length=200, blank=True, help_text=_("Empty when the unit itself is awarded.")
    )
    person_position = models.CharField(_("position"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    search_fields = ("name", "issuer", "person", "reason")
    scope_field = "unit"

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "unit__path", "id"]
        indexes = [models.Index(fields=["year", "unit"], name="award_year_unit_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1945) & Q(year__lte=2100),
                name="award_year_range",
                violation_error_message=_("Give a year between 1945 and 2100."),
            )
        ]

    def __str__(self):
        return "{} — {}".format(self.name, self.recipient)

    @property
    def recipient(self) -> str:
        if self.person:
            return "{}{}".format(self.person, " ({})".format(self.person_position) if self.person_position else "")
        return self.unit.name if self.unit_id else "?"

    def get_absolute_url(self):
        return reverse("members:award_detail", args=[self.pk])


def roman(number: int) -> str:
    """I, II, III, IV …: congresses are numbered in Roman numerals (the ``roman`` library)."""
    import roman as numerals

    return numerals.toRoman(number) if 0 < number < 5000 else str(number)
