"""Countries and the partnership frameworks Vietnam has with them, and the foreign partners
(đối tác) of the province: localities, NGOs, associations, organisations, enterprises, missions,
overseas Vietnamese associations and people — with their contacts, their relationships with our
units, and the registrations of foreign NGOs under Nghị định 58/2022/NĐ-CP.

Other apps (activities, agreements, aid) point at ``Partner`` and ``Country`` with foreign keys;
the merge service and the timeline find those links by themselves (``services.partner_merge``,
``timeline``).
"""

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.mailing import email_fields
from apps.core.models import ChangeLoggedModel
from apps.core.querysets import VIEW
from apps.core.text import iati_org_ref, name_key  # noqa: F401 — the partner apps import name_key from here


def _reference_scope(queryset, scope, action):
    """Reference data (countries, groups, frameworks, tags): everyone signed in reads it; the
    administrators (anywhere in the tree) maintain it."""
    if action == VIEW:
        return queryset
    return queryset if scope.subtree_paths("manage") else queryset.none()


class CountryGroup(ChangeLoggedModel):
    """A named group of countries kept as data (nước láng giềng, ASEAN, nước lớn …)."""

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    search_fields = ("slug", "name_vi", "name_en")
    scope_field = None

    class Meta:
        verbose_name = _("country group")
        verbose_name_plural = _("country groups")
        ordering = ["name_vi"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        return _reference_scope(queryset, scope, action)


class FrameworkLevel(models.TextChoices):
    """Levels of Vietnam's bilateral partnership frameworks, highest first."""

    SPECIAL = "special", _("Special relationship")
    COMPREHENSIVE_STRATEGIC = "comprehensive_strategic", _("Comprehensive strategic partnership")
    STRATEGIC = "strategic", _("Strategic partnership")
    COMPREHENSIVE = "comprehensive", _("Comprehensive partnership")


#: Bootstrap colour of each level's badge
LEVEL_COLOURS = {
    FrameworkLevel.SPECIAL: "danger",
    FrameworkLevel.COMPREHENSIVE_STRATEGIC: "primary",
    FrameworkLevel.STRATEGIC: "info",
    FrameworkLevel.COMPREHENSIVE: "secondary",
}


class Country(ChangeLoggedModel):
    """A country or territory (ISO 3166-1), its names in Vietnamese and English, its groups, and
    the current partnership framework (denormalised from the latest ``PartnershipFramework``
    entry by ``services.country_refresh_framework``, so lists filter on it without a subquery).

    Rows come from pycountry (codes) and Babel/CLDR (names): ``manage.py`` ``load_demo`` and
    ``services.country_sync_from_library`` fill them; nobody types a country list by hand."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2, e.g. KH"))
    alpha3 = models.CharField(_("ISO alpha-3 code"), max_length=3, blank=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    official_name = models.CharField(_("official name"), max_length=300, blank=True)
    groups = models.ManyToManyField(CountryGroup, verbose_name=_("groups"), blank=True, related_name="countries")
    notes = models.TextField(_("notes"), blank=True)
    framework_level = models.CharField(
        _("partnership framework"),
        max_length=30,
        choices=FrameworkLevel.choices,
        blank=True,
        db_index=True,
        editable=False,
    )
    framework_since = models.DateField(_("framework since"), null=True, blank=True, editable=False)

    search_fields = ("code", "alpha3", "name_vi", "name_en", "official_name")
    scope_field = None

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_vi"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "vi").startswith("en"):
            return self.name_en or self.name_vi
        return self.name_vi or self.name_en

    def get_absolute_url(self):
        return reverse("partners:country_detail", args=[self.pk])

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        return _reference_scope(queryset, scope, action)

    def owner_unit_id(self):
        return None

    @property
    def framework_colour(self) -> str:
        return LEVEL_COLOURS.get(self.framework_level, "light")

    def clean(self):
        super().clean()
        if self.code:
            self.code = self.code.strip().upper()
            if not re.fullmatch(r"[A-Z]{2}", self.code):
                raise ValidationError({"code": _("The ISO code is two Latin letters, e.g. KH.")})


class PartnershipFramework(ChangeLoggedModel):
    """One step of a country's partnership framework with Vietnam (khuôn khổ quan hệ): its level
    and when it was established, with the source that says so. The latest step is the current
    framework."""

    class Precision(models.TextChoices):
        DAY = "day", _("Exact day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year only")

    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="frameworks")
    level = models.CharField(_("level"), max_length=30, choices=FrameworkLevel.choices)
    established_on = models.DateField(_("established on"))
    precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text=_("How much of the date is known; a year alone is stored as 1 January."),
    )
    source = models.CharField(
        _("source"), max_length=500, help_text=_("Where this is stated, e.g. a joint statement and its date.")
    )
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("source", "notes")
    scope_field = None

    class Meta:
        verbose_name = _("partnership framework")
        verbose_name_plural = _("partnership frameworks")
        ordering = ["country", "-established_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "level"],
                name="framework_level_once_per_country",
                violation_error_message=_("This country already has an entry at this level."),
            )
        ]

    def __str__(self):
        return "{} — {} ({})".format(
            self.country if self.country_id else "?", self.get_level_display(), self.established_display
        )

    def get_absolute_url(self):
        return reverse("partners:country_detail", args=[self.country_id])

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        return _reference_scope(queryset, scope, action)

    def owner_unit_id(self):
        return None

    @property
    def established_display(self) -> str:
        if not self.established_on:
            return ""
        if self.precision == self.Precision.YEAR:
            return str(self.established_on.year)
        if self.precision == self.Precision.MONTH:
            return self.established_on.strftime("%m/%Y")
        return self.established_on.strftime("%d/%m/%Y")

    @property
    def colour(self) -> str:
        return LEVEL_COLOURS.get(self.level, "light")


class Tag(ChangeLoggedModel):
    """A free label for partners (e.g. 'giáo dục', 'y tế', 'kết nghĩa'). A plain table with a
    many-to-many rather than django-taggit: the links are ordinary foreign keys, so filters,
    scoping and the partner merge treat them like every other link."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    search_fields = ("name",)
    scope_field = None

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        # Anyone who can edit a partner may add a label to the shared list.
        if action == VIEW or scope.can("change"):
            return queryset
        return queryset.none()

    def owner_unit_id(self):
        return None


class Partner(ChangeLoggedModel):
    """A foreign partner (đối tác) of any kind, owned by the unit that keeps its record and
    optionally shared with other units. Its history — relationships, registrations, contacts,
    and what other apps contribute — is on its page (``timeline``)."""

    class Kind(models.TextChoices):
        FOREIGN_LOCALITY = "foreign_locality", _("Foreign locality")
        FOREIGN_NGO = "foreign_ngo", _("Foreign NGO")
        FRIENDSHIP_ASSOCIATION = "friendship_association", _("Friendship association abroad")
        INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
        FDI_ENTERPRISE = "fdi_enterprise", _("Foreign-invested enterprise")
        DIPLOMATIC_MISSION = "diplomatic_mission", _("Embassy or consulate")
        # a foreign state's own agency (USAID, GIZ/BMZ, JICA, KOICA …): a donor, neither an NGO
        # nor an international organisation
        GOVERNMENT_AGENCY = "government_agency", _("Foreign government agency")
        OVERSEAS_VIETNAMESE = "overseas_vietnamese", _("Overseas Vietnamese association")
        INDIVIDUAL = "individual", _("Individual")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    name = models.CharField(
        _("name (original language)"), max_length=300, help_text=_("As the partner writes it, e.g. Khet Prey Veng.")
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=50, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partners",
        help_text=_("Empty for an international organisation without a home country."),
    )
    locality = models.CharField(
        _("foreign locality"), max_length=200, blank=True, help_text=_("Province, state or city abroad.")
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="partners")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    iati_ref = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("e.g. GB-CHC-202918; used to match IATI participating organisations."),
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        related_name="partners",
        help_text=_("The unit that keeps this record."),
    )
    shared_units = models.ManyToManyField(
        "accounts.Unit",
        verbose_name=_("shared with"),
        blank=True,
        related_name="shared_partners",
        help_text=_("Other units that work with this partner and may read its record."),
    )
    name_key = models.CharField(_("name key"), max_length=300, editable=False, db_index=True, default="")

    search_fields = ("name", "name_vi", "name_en", "abbreviation", "locality", "iati_ref")
    scope_field = "unit"
    scope_shared_field = "shared_units"
    changelog_exclude = ("search_text", "last_updated", "name_key")

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name_key", "id"]
        indexes = [
            models.Index(fields=["name_key", "id"], name="partner_name_idx"),
            models.Index(fields=["unit", "name_key"], name="partner_unit_name_idx"),
            models.Index(fields=["country", "name_key"], name="partner_country_name_idx"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "vi").startswith("en"):
            return self.name_en or self.name_vi or self.name
        return self.name_vi or self.name

    def get_absolute_url(self):
        return reverse("partners:partner_detail", args=[self.pk])

    def name_keys(self) -> set[str]:
        """Every name of the partner as a duplicate-detection key."""
        return {k for k in (name_key(self.name), name_key(self.name_vi), name_key(self.name_en)) if k}

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name_vi or self.name)[:300]
        self.iati_ref = iati_org_ref(self.iati_ref)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"name_key", "iati_ref"}
        super().save(*args, **kwargs)

    @property
    def is_ngo(self) -> bool:
        return self.kind == self.Kind.FOREIGN_NGO

    def clean(self):
        super().clean()
        errors = {}
        if self.name and not any(char.isalnum() for char in self.name):
            errors["name"] = _("The name must contain letters or digits, not only spaces or punctuation.")
        if self.pk and not self.is_ngo:
            # Only on a change of kind: a registration under Nghị định 58 belongs to a foreign NGO,
            # and the registration list and its expiry alerts would keep a non-NGO in them.
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("kind", flat=True).first()
            if stored == self.Kind.FOREIGN_NGO and self.registrations.exists():
                errors["kind"] = _(
                    "This partner has registrations under Nghị định 58/2022/NĐ-CP, which only a foreign NGO "
                    "carries: delete them before changing its kind."
                )
        if errors:
            raise ValidationError(errors)


class Contact(ChangeLoggedModel):
    """A person to reach at a partner: name, role, phone, e-mail."""

    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("e.g. Chairman, Country director"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_primary = models.BooleanField(_("main contact"), default=False)

    search_fields = ("name", "role", "email", "phone")
    scope_field = "partner__unit"

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["partner", "-is_primary", "name", "id"]

    def __str__(self):
        return "{} ({})".format(self.name, self.role) if self.role else self.name

    def get_absolute_url(self):
        return "{}#contact-{}".format(reverse("partners:partner_detail", args=[self.partner_id]), self.pk)

    def owner_unit_id(self):
        return self.partner.unit_id if self.partner_id else None


class Relationship(ChangeLoggedModel):
    """A relationship between one of our units and a partner: twinning (kết nghĩa), cooperation,
    donor, friendship — since when, and whether it is still alive."""

    class Kind(models.TextChoices):
        TWINNING = "twinning", _("Twinning (sister province/city)")
        COOPERATION = "cooperation", _("Cooperation")
        DONOR = "donor", _("Donor")
        FRIENDSHIP = "friendship", _("Friendship")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("our unit"), on_delete=models.PROTECT, related_name="partner_relationships"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="relationships"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    search_fields = ("description", "source")
    scope_field = "unit"

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["partner", "-since", "id"]
        indexes = [models.Index(fields=["partner", "-since"], name="relationship_partner_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "partner", "kind"],
                name="relationship_once",
                violation_error_message=_("This unit already has a relationship of this kind with this partner."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="relationship_until_after_since",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self):
        return "{} — {} ({})".format(
            self.unit if self.unit_id else "?", self.partner if self.partner_id else "?", self.get_kind_display()
        )

    def get_absolute_url(self):
        return "{}#relationship-{}".format(reverse("partners:partner_detail", args=[self.partner_id]), self.pk)

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        """Our unit's people see and change it; whoever sees the partner reads it too."""
        from apps.accounts.scoping import units_q

        q = units_q(scope, action, "unit__")
        if action == VIEW:
            q |= Q(partner__in=Partner.objects.for_user(user, VIEW).values("pk"))
        return queryset.filter(q)

    def clean(self):
        super().clean()
        if self.since and self.until and self.until < self.since:
            raise ValidationError({"until": _("The end date must not be before the start date.")})


#: Longest validity of each certificate kind, in years (Nghị định 58/2022/NĐ-CP, as issue 4 states)
REGISTRATION_MAX_YEARS = {"activity": 3, "representative_office": 5}


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class NgoRegistration(ChangeLoggedModel):
    """A certificate of a foreign NGO under Nghị định 58/2022/NĐ-CP: registration of activities
    (up to 3 years) or of a representative office (up to 5 years), with its number, dates and the
    fields and areas it permits. Alerts go out before it expires (``reminders``)."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("Activity registration")
        REPRESENTATIVE_OFFICE = "representative_office", _("Representative office")

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="registrations"
    )
    kind = models.CharField(_("certificate kind"), max_length=30, choices=Kind.choices)
    number = models.CharField(_("certificate number"), max_length=100)
    issued_on = models.DateField(_("issue date"))
    expires_on = models.DateField(_("expiry date"))
    issuer = models.CharField(_("issued by"), max_length=200, blank=True, default="Bộ Ngoại giao")
    permitted_fields = models.TextField(_("permitted fields"), blank=True, help_text=_("e.g. y tế, giáo dục, sinh kế"))
    permitted_areas = models.TextField(_("permitted areas"), blank=True, help_text=_("Provinces where it may operate."))
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("number", "permitted_fields", "permitted_areas")
    scope_field = "partner__unit"

    class Meta:
        verbose_name = _("NGO registration")
        verbose_name_plural = _("NGO registrations")
        ordering = ["expires_on", "id"]
        indexes = [models.Index(fields=["expires_on", "id"], name="registration_expiry_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=F("issued_on")),
                name="registration_expires_after_issue",
                violation_error_message=_("The expiry date must be after the issue date."),
            )
        ]

    def __str__(self):
        return "{} {}".format(self.get_kind_display(), self.number)

    def get_absolute_url(self):
        return "{}#registration-{}".format(reverse("partners:partner_detail", args=[self.partner_id]), self.pk)

    def owner_unit_id(self):
        return self.partner.unit_id if self.partner_id else None

    @property
    def max_years(self) -> int | None:
        return REGISTRATION_MAX_YEARS.get(self.kind)

    def clean(self):
        super().clean()
        errors = {}
        if self.partner_id and self.partner.kind != Partner.Kind.FOREIGN_NGO:
            errors["partner"] = _("Only a foreign NGO carries a registration under Nghị định 58/2022/NĐ-CP.")
        if self.issued_on and self.expires_on:
            if self.expires_on <= self.issued_on:
                errors["expires_on"] = _("The expiry date must be after the issue date.")
            elif self.max_years and self.expires_on > add_years(self.issued_on, self.max_years):
                errors["expires_on"] = _(
                    "A certificate of this kind is valid for at most {years} years: it must expire by {day}."
                ).format(years=self.max_years, day=add_years(self.issued_on, self.max_years).strftime("%d/%m/%Y"))
        if errors:
            raise ValidationError(errors)

    def days_left(self, today: date | None = None) -> int:
        from django.utils import timezone

        return (self.expires_on - (today or timezone.localdate())).days


class RegistrationAlert(models.Model):
    """That one person was alerted that one NGO registration expires (``threshold`` days before,
    0 = it has expired): the reminder run alerts each person once per threshold. Shown to the
    person on the partner pages until read."""

    registration = models.ForeignKey(
        NgoRegistration, verbose_name=_("NGO registration"), on_delete=models.CASCADE, related_name="alerts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="registration_alerts"
    )
    threshold = models.PositiveSmallIntegerField(_("days before expiry"))
    message = models.TextField(_("message"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # recorded as sent only once the mail server took it (apps.core.mailing)
    email_state, emailed_at = email_fields()

    class Meta:
        verbose_name = _("registration alert")
        verbose_name_plural = _("registration alerts")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "user", "threshold"],
                name="registration_alert_once",
                violation_error_message=_("This person has already been alerted of this."),
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="registration_alert_user_idx")]

    def __str__(self):
        return self.message[:80]
