"""The review report (báo cáo tổng kết / sơ kết) of a period and a unit.

The figures are never stored in the text: the generated text carries *figure tokens* such as
``[[tasks.total]]`` that are replaced by the current value from the records each time the DOCX is
built, so an officer edits the wording while the figures stay linked to the data. Each final DOCX
produced is kept as a file of the report (its versions); every edit of the text is in the change
log (History tab)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import ChangeLoggedModel


class ReviewReport(ChangeLoggedModel):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual review (tổng kết năm)")
        INTERIM = "interim", _("Six-month review (sơ kết 6 tháng)")

    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="review_reports",
        help_text=_("The unit reported on (with everything under it): the province or one unit."),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.ANNUAL)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(
        _("number and symbol"), max_length=100, blank=True, help_text=_("e.g. 125/BC-LHHN; empty for a draft")
    )
    signer_title = models.CharField(_("signing title"), max_length=200, blank=True, help_text=_("e.g. CHỦ TỊCH"))
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    sections = models.JSONField(
        _("sections"),
        default=list,
        help_text=_("The text of each section as the officer edited it, with figure tokens [[…]]."),
    )
    finals = models.PositiveIntegerField(_("final versions produced"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    search_fields = ("number", "signer_name")
    scope_field = "unit"

    class Meta:
        verbose_name = _("review report")
        verbose_name_plural = _("review reports")
        ordering = ["-year", "kind", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year"],
                name="review_report_once",
                violation_error_message=_("This unit already has this report for this year; open it instead."),
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000) & models.Q(year__lte=2100),
                name="review_report_year_range",
                violation_error_message=_("Give a year between 2000 and 2100."),
            ),
        ]

    def __str__(self):
        label = "Báo cáo tổng kết năm {}" if self.kind == self.Kind.ANNUAL else "Báo cáo sơ kết 6 tháng đầu năm {}"
        return "{} — {}".format(
            label.format(self.year), self.unit.short_name or self.unit.name if self.unit_id else "?"
        )

    def get_absolute_url(self):
        return reverse("reports:reviewreport_detail", args=[self.pk])
