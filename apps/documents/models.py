"""Documents (văn bản) of the Party, the state and mass organisations, and the links between them
that form the implementation cascade (a plan implements a directive, a letter cites a plan …)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import ChangeLoggedModel
from apps.core.text import fold_join


def notation_token(key: tuple[str, ...]) -> str:
    """'#12-ct#': a notation key as a delimited token, so '12 CT' never matches '112-CT/TW'."""
    return "#{}#".format("-".join(key)).lower()


def notation_tokens(text: str | None) -> str:
    from apps.documents.notation import search_keys

    return " ".join(sorted(notation_token(key) for key in search_keys(text))) if text else ""


class Document(ChangeLoggedModel):
    """A document with its notation (số, ký hiệu), type, issuer, date and subject line.

    A document cited in a text but not yet entered is kept as a *placeholder* (is_placeholder) so
    the cascade can link to it; entering the real document later fills the same row."""

    class System(models.TextChoices):
        PARTY = "party", _("Party")
        STATE = "state", _("State")
        MASS = "mass", _("Mass organisation")

    system = models.CharField(_("system"), max_length=10, choices=System.choices, default=System.STATE)
    type_code = models.CharField(
        _("type code"), max_length=10, blank=True, help_text=_("e.g. CT, KH, QĐ; empty for a state official letter")
    )
    type_name = models.CharField(_("document type"), max_length=100, blank=True)
    number = models.CharField(_("number"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("year in the notation"), null=True, blank=True)
    issuer_code = models.CharField(_("issuer code"), max_length=60, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=255, blank=True)
    notation = models.CharField(
        _("notation"), max_length=100, blank=True, db_index=True, help_text=_("e.g. 12-CT/TW, 2722/KH-UBND")
    )
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    title = models.TextField(_("subject (trích yếu)"), blank=True)
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    body = models.TextField(_("full text"), blank=True)
    is_draft = models.BooleanField(_("draft"), default=False)
    is_placeholder = models.BooleanField(
        _("placeholder"), default=False, help_text=_("Cited by another document but not yet entered in full.")
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("The unit that keeps this record."),
    )
    shared_units = models.ManyToManyField(
        "accounts.Unit",
        verbose_name=_("shared with"),
        blank=True,
        related_name="shared_documents",
        help_text=_("Units that follow this document (for example those with tasks from it)."),
    )

    search_fields = ("notation", "type_name", "title", "issuer", "signer")
    scope_field = "unit"
    scope_shared_field = "shared_units"

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        """As every record (own unit, subtree, shared with), and one more rule for reading: what a
        unit above yours keeps applies to you — a directive kept by the province is read by every
        department and commune under it."""
        from apps.accounts.models import Unit
        from apps.accounts.scoping import VIEW, units_q

        q = units_q(scope, action, "unit__")
        if action == VIEW:
            own = scope.own_unit_ids(VIEW)
            if own:
                q |= Q(shared_units__in=own)
            step = Unit.steplen
            above = {path[:end] for _role, _uid, path in scope.roles for end in range(step, len(path), step)}
            if above:
                q |= Q(unit__path__in=above)
            return queryset.filter(pk__in=queryset.model.objects.filter(q).values("pk"))
        return queryset.filter(q)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["-issued_on", "-id"], name="document_date_idx"),
            models.Index(fields=["unit", "-issued_on"], name="document_unit_date_idx"),
        ]

    def __str__(self):
        label = " ".join(p for p in (self.type_name, self.notation) if p)
        return label or (self.title[:80] if self.title else _("Document #{}").format(self.pk))

    def get_absolute_url(self):
        return reverse("documents:document_detail", args=[self.pk])

    def build_search_text(self) -> str:
        return fold_join(*(getattr(self, name, "") for name in self.search_fields), notation_tokens(self.notation))

    def clean(self):
        super().clean()
        from datetime import date

        from apps.documents.notation import parse_field

        # A normative notation carries the year it was issued in (12/2021/QĐ-UBND): a date in another
        # year is a typing error in the one or the other, and it would pass the duplicate check too.
        parsed = parse_field(self.notation) if self.notation else None
        if parsed is not None and parsed.year and isinstance(self.issued_on, date):
            if self.issued_on.year != int(parsed.year):
                raise ValidationError(
                    {
                        "issued_on": _(
                            "The issue date {day} is not in {year}, the year written in the notation {notation}. "
                            "Correct the date or the notation."
                        ).format(day=self.issued_on.strftime("%d/%m/%Y"), year=parsed.year, notation=self.notation)
                    }
                )


class DocumentLink(ChangeLoggedModel):
    """A directed relation between two documents: ``source`` implements / cites / replaces /
    amends ``target``."""

    class Kind(models.TextChoices):
        IMPLEMENTS = "implements", _("implements")
        CITES = "cites", _("cites")
        REPLACES = "replaces", _("replaces")
        AMENDS = "amends", _("amends")

    source = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(
        Document, verbose_name=_("linked document"), on_delete=models.PROTECT, related_name="links_in"
    )
    kind = models.CharField(_("relation"), max_length=12, choices=Kind.choices, default=Kind.IMPLEMENTS)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_field = "source__unit"

    class Meta:
        verbose_name = _("document link")
        verbose_name_plural = _("document links")
        ordering = ["source", "kind", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"],
                name="document_link_unique",
                violation_error_message=_("These two documents are already linked this way."),
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="document_link_not_self",
                violation_error_message=_("A document cannot be linked to itself."),
            ),
        ]

    def __str__(self):
        return "{} {} {}".format(self.source, self.get_kind_display(), self.target)

    def get_absolute_url(self):
        return self.source.get_absolute_url()

    def owner_unit_id(self):
        return self.source.unit_id if self.source_id else None
