"""Pages of the review report: the list, a new report, the report with its editable sections and
the figures they cite, drafts (DOCX, XLSX) and final versions produced in the background."""

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.accounts.models import Unit
from apps.core.filtersets import BaseFilterSet
from apps.core.forms import BootstrapMixin, ScopedModelForm
from apps.core.jobs import job_enqueue
from apps.core.querysets import CHANGE, VIEW
from apps.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_errors,
    rerender,
)
from apps.reports import review, review_services
from apps.reports.models import ReviewReport


class ReviewReportFilterSet(BaseFilterSet):
    year = django_filters.NumberFilter(field_name="year", label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    kind = django_filters.ChoiceFilter(
        choices=ReviewReport.Kind.choices, label=gettext_lazy("Kind"), empty_label=gettext_lazy("All")
    )

    class Meta:
        model = ReviewReport
        fields = ["q", "year", "kind"]


class ReviewReportTable(tables.Table):
    title = tables.Column(
        linkify=lambda record: record.get_absolute_url(),
        verbose_name=gettext_lazy("Report"),
        empty_values=(),
        order_by=("year", "kind"),
    )
    unit = tables.Column(verbose_name=gettext_lazy("Unit"), order_by=("unit__name",))
    number = tables.Column(verbose_name=gettext_lazy("Number and symbol"))
    finals = tables.Column(verbose_name=gettext_lazy("Final versions"))
    last_updated = tables.DateTimeColumn(verbose_name=gettext_lazy("Last changed"), format="d/m/Y H:i")

    class Meta:
        model = ReviewReport
        fields = ("title", "unit", "number", "finals", "last_updated")
        order_by = ("-title",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "reviewreport-table"}

    def render_title(self, value, record):
        return str(record)

    value_title = render_title

    def render_unit(self, value, record):
        return record.unit.name

    value_unit = render_unit


class ReviewReportForm(ScopedModelForm):
    """A new report: the unit reported on, the kind and the year; the text is generated."""

    class Meta:
        model = ReviewReport
        fields = ["unit", "kind", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_user(self.user, CHANGE).active_on().order_by("path")
        if not self.is_bound:
            self.fields["year"].initial = timezone.localdate().year
            first = self.fields["unit"].queryset.first()
            if first is not None:
                self.fields["unit"].initial = first.pk


class ReviewReportListView(ObjectListView):
    model = ReviewReport
    filterset_class = ReviewReportFilterSet
    table_class = ReviewReportTable
    queryset_hook = staticmethod(lambda qs: qs.select_related("unit"))
    export_stem = "bao-cao-tong-ket"


class ReviewReportAddView(ObjectEditView):
    model = ReviewReport
    form_class = ReviewReportForm

    def _instance(self, pk):
        if pk is not None:
            raise Http404
        return super()._instance(pk)

    def save(self, form, instance):
        data = form.cleaned_data
        return review_services.review_create(
            by=self.request.user, unit=data["unit"], kind=data["kind"], year=data["year"]
        )


class SectionsForm(BootstrapMixin, forms.Form):
    _version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    number = forms.CharField(label=gettext_lazy("Number and symbol"), max_length=100, required=False)
    signer_title = forms.CharField(label=gettext_lazy("Signing title"), max_length=200, required=False)
    signer_name = forms.CharField(label=gettext_lazy("Signer"), max_length=200, required=False)

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        for section in report.sections:
            self.fields["section-" + section["key"]] = forms.CharField(
                label=section["title"],
                required=False,
                max_length=50000,
                widget=forms.Textarea(attrs={"rows": 4 if section["text"] else 2}),
                initial=section["text"],
            )
        if not self.is_bound:
            self.initial.update(
                _version=report.version,
                number=report.number,
                signer_title=report.signer_title,
                signer_name=report.signer_name,
            )
        self.apply_bootstrap()

    def section_fields(self):
        return [self["section-" + s["key"]] for s in self.report.sections]

    def texts(self) -> dict[str, str]:
        return {s["key"]: self.cleaned_data.get("section-" + s["key"], "") for s in self.report.sections}


class ReviewReportDetailView(ObjectDetailView):
    model = ReviewReport
    template_name = "reports/reviewreport_detail.html"
    queryset_hook = staticmethod(lambda qs: qs.select_related("unit", "created_by"))
    form = None

    def get_extra_context(self, report):
        can_change = self.can_act(report, CHANGE)
        figures = None
        if self.request.GET.get("tab", "overview") == "overview":
            figures = review_services.figures_for(report, self.request.user)
        values = figures.values if figures else {}
        return {
            "form": self.form or (SectionsForm(report=report) if can_change else None),
            "figures": [(name, values.get(name, "")) for name in review.TOKEN_NAMES],
            "rendered": [{"title": s["title"], "text": review.render_text(s["text"], figures)} for s in report.sections]
            if figures
            else [],
            "edit_url": reverse("reports:reviewreport_edit", args=[report.pk]) if can_change else None,
        }


class ReviewReportSaveView(LoginRequiredMixin, View):
    """GET: the report page for someone who may edit it (the form is on it); POST: save the text."""

    def get(self, request, pk):
        report = ReviewReport.objects.for_user(request.user, VIEW).filter(pk=pk).first()
        if report is None:
            raise Http404(_("No such record, or you may not see it."))
        if not ReviewReport.objects.for_user(request.user, CHANGE).filter(pk=pk).exists():
            raise PermissionDenied(_("You may see this record but not change it."))
        view = ReviewReportDetailView()
        view.setup(request, pk=pk)
        return view.get(request, pk)

    def post(self, request, pk):
        report = ReviewReport.objects.for_user(request.user, VIEW).select_related("unit").filter(pk=pk).first()
        if report is None:
            raise Http404(_("No such record, or you may not see it."))
        if not ReviewReport.objects.for_user(request.user, CHANGE).filter(pk=pk).exists():
            raise PermissionDenied(_("You may see this record but not change it."))
        form = SectionsForm(request.POST, report=report)
        if form.is_valid():
            try:
                review_services.review_update(
                    report=report,
                    by=request.user,
                    version=form.cleaned_data.get("_version"),
                    texts=form.texts(),
                    number=form.cleaned_data["number"],
                    signer_title=form.cleaned_data["signer_title"],
                    signer_name=form.cleaned_data["signer_name"],
                )
            except ValidationError as exc:
                apply_errors(form, exc, prefix="section-")
            else:
                messages.success(request, _("The text has been saved."))
                return HttpResponseRedirect(report.get_absolute_url())
        return rerender(ReviewReportDetailView, request, pk, form=form)


class ReviewReportDownloadView(LoginRequiredMixin, View):
    """The draft built from the records now: DOCX, or the XLSX appendix."""

    def get(self, request, pk, fmt):
        if fmt not in ("docx", "xlsx"):
            raise Http404(_("Reports are downloaded as docx or xlsx."))
        report = ReviewReport.objects.for_user(request.user, VIEW).select_related("unit").filter(pk=pk).first()
        if report is None:
            raise Http404(_("No such record, or you may not see it."))
        content = review_services.render(report, request.user, fmt)
        mime = (
            review_services.DOCX_MIME
            if fmt == "docx"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(content, content_type=mime)
        suffix = "-du-thao.docx" if fmt == "docx" else "-phu-luc.xlsx"
        response["Content-Disposition"] = 'attachment; filename="{}{}"'.format(
            review_services.file_stem(report), suffix
        )
        return response


class ReviewReportFinalView(LoginRequiredMixin, View):
    """Produce a final version in the background; the job page shows the progress bar."""

    def post(self, request, pk):
        report = ReviewReport.objects.for_user(request.user, VIEW).select_related("unit").filter(pk=pk).first()
        if report is None:
            raise Http404(_("No such record, or you may not see it."))
        if not ReviewReport.objects.for_user(request.user, CHANGE).filter(pk=pk).exists():
            raise PermissionDenied(_("You may see this record but not change it."))
        job = job_enqueue(
            kind="reports.review_final",
            name=_("Final version of “{}”").format(report),
            user=request.user,
            params={"report_id": report.pk, "user_id": request.user.pk},
        )
        return HttpResponseRedirect(job.get_absolute_url())


class ReviewReportResetView(LoginRequiredMixin, View):
    def post(self, request, pk, key):
        report = ReviewReport.objects.for_user(request.user, VIEW).filter(pk=pk).first()
        if report is None:
            raise Http404(_("No such record, or you may not see it."))
        review_services.review_reset_section(report=report, by=request.user, key=key)
        messages.success(request, _("The section has been put back to the generated text."))
        return HttpResponseRedirect(report.get_absolute_url())


class ReviewReportDeleteView(ObjectDeleteView):
    model = ReviewReport
