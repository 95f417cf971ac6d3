"""Task pages: the registry (list, overdue list, detail, add, edit, delete), progress reports and
their review, the unit scorecard, and the person's notifications."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.accounts.filtersets import UnitCodeField
from apps.core.forms import BootstrapMixin
from apps.core.querysets import VIEW
from apps.core.views.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from apps.tasks import selectors, services
from apps.tasks.filtersets import TaskFilterSet
from apps.tasks.forms import ProgressReportForm, ReviewForm, TaskForm
from apps.tasks.models import Notification, ProgressReport, Task, TaskStatus
from apps.tasks.tables import TaskTable


def _task_reads(qs):
    return selectors.task_reads(qs)


def _task_list_reads(qs):
    # The urgency rank lets the list sort by status in SQL.
    return selectors.task_reads(qs).with_status_rank()


class TaskListView(ObjectListView):
    model = Task
    filterset_class = TaskFilterSet
    table_class = TaskTable
    queryset_hook = staticmethod(_task_list_reads)
    template_name = "tasks/task_list.html"
    export_stem = "nhiem-vu"


class _RetitledMeta:
    """The model's _meta with another plural name, so a preset list gets its own title."""

    def __init__(self, meta, plural):
        self._meta, self.verbose_name_plural = meta, plural

    def __getattr__(self, name):
        return getattr(self._meta, name)


class TaskOverdueView(TaskListView):
    """The task list with the status filter preset to "overdue" (it can still be changed)."""

    export_stem = "nhiem-vu-qua-han"

    def meta(self):
        return _RetitledMeta(Task._meta, gettext_lazy("overdue tasks"))

    def get(self, request):
        if "status" not in request.GET:
            query = request.GET.copy()
            query["status"] = TaskStatus.OVERDUE
            request.GET = query
        return super().get(request)


class TaskDetailView(ObjectDetailView):
    model = Task
    queryset_hook = staticmethod(_task_reads)
    template_name = "tasks/task_detail.html"
    report_form = None

    def get_extra_context(self, task):
        user = self.request.user
        units = services.reporting_units(user, task) if task.completed_on is None else []
        report_form = self.report_form
        if report_form is None and units:
            report_form = ProgressReportForm(units=units)
        document_visible = False
        if task.document_id:
            from apps.documents.models import Document

            document_visible = Document.objects.for_user(user, VIEW).filter(pk=task.document_id).exists()
        parent = Task.objects.for_user(user, VIEW).filter(pk=task.parent_id).first() if task.parent_id else None
        subtasks = Task.objects.for_user(user, VIEW).filter(parent=task).select_related("lead_unit")
        return {
            "reports": selectors.reports_for_task(task, user),
            "subtasks": subtasks,
            "parent_task": parent,
            "document_visible": document_visible,
            "report_form": report_form if units else None,
            "report_url": reverse("tasks:progressreport_add", args=[task.pk]),
            "can_review": services.may_review(user, task),
            "add_subtask_url": "{}?parent={}".format(reverse("tasks:task_add"), task.pk),
            "Review": ProgressReport.Review,
        }


class ProgressReportAddView(LoginRequiredMixin, View):
    """Submit a progress report from the task page; a mistake re-shows the page with the form."""

    def post(self, request, pk):
        task = Task.objects.for_user(request.user, VIEW).select_related("lead_unit").filter(pk=pk).first()
        if task is None:
            raise Http404(_("No such record, or you may not see it."))
        units = services.reporting_units(request.user, task)
        if not units:
            raise PermissionDenied(_("You may not report on this task."))
        form = ProgressReportForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            try:
                services.progress_report_submit(
                    task=task,
                    by=request.user,
                    unit=form.cleaned_data["unit"],
                    period=form.cleaned_data["period"],
                    percent=form.cleaned_data["percent"],
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["files"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "files" in exc.error_dict:
                    form.add_error("files", exc.error_dict["files"])
                else:
                    form.add_error(None, "; ".join(exc.messages))
            else:
                messages.success(request, _("Your progress report has been submitted for review."))
                return HttpResponseRedirect(task.get_absolute_url() + "#reports")
        view = TaskDetailView()
        view.setup(request, pk=pk)
        view.report_form = form
        response = view.get(request, pk)
        response.status_code = 400
        return response


class ProgressReportReviewView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = ProgressReport.objects.for_user(request.user, VIEW).select_related("task").filter(pk=pk).first()
        if report is None:
            raise Http404(_("No such record, or you may not see it."))
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose to accept or to return the report."))
        else:
            accept = form.cleaned_data["decision"] == "accept"
            try:
                services.progress_report_review(
                    report=report, by=request.user, accept=accept, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                if accept:
                    messages.success(request, _("The report has been accepted."))
                else:
                    messages.success(request, _("The report has been returned to the unit with your reason."))
        return HttpResponseRedirect(report.get_absolute_url())


class TaskEditView(ObjectEditView):
    model = Task
    form_class = TaskForm
    template_name = "tasks/task_form.html"

    def get_form(self, request, instance):
        form = super().get_form(request, instance)
        if instance is None and request.method == "GET":
            for name in ("document", "parent", "lead_unit"):
                if request.GET.get(name):
                    form.initial[name] = request.GET[name][:100]
        return form

    def save(self, form, instance):
        data = form.cleaned_data
        fields = {name: data.get(name) for name in services.TASK_FIELDS}
        fields["description"] = fields["description"] or ""
        if instance is None:
            return services.task_create(
                by=self.request.user,
                lead_unit=data["lead_unit"],
                supporting_units=data.get("supporting_units") or [],
                **fields,
            )
        stored = Task.objects.get(pk=instance.pk)
        services.task_update(task=stored, by=self.request.user, **fields)
        return services.task_assign(
            task=stored,
            by=self.request.user,
            lead_unit=data["lead_unit"],
            supporting_units=data.get("supporting_units") or [],
        )


class TaskDeleteView(ObjectDeleteView):
    model = Task

    def delete(self, obj):
        services.task_delete(task=obj, by=self.request.user)


# -- scorecard ---------------------------------------------------------------------------------


class ScorecardForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1990, max_value=2100, required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False)
    end = forms.DateField(label=gettext_lazy("To"), required=False)
    under = UnitCodeField(label=gettext_lazy("Under unit (code)"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["under"].user = user
        self.fields["year"].initial = timezone.localdate().year
        for name in ("start", "end"):
            self.fields[name].widget.attrs["placeholder"] = "dd/mm/yyyy"
        self.apply_bootstrap()
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-control-sm"

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period must not be before its start."))
        return data

    def period(self) -> tuple[date, date]:
        """A whole year (this one by default), or the dates given; one date alone runs to the end
        (or from the start) of its year."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start, end = data.get("start"), data.get("end")
        year = data.get("year") or timezone.localdate().year
        if start is None:
            start = date(end.year if end else year, 1, 1)
        if end is None:
            end = date(start.year, 12, 31)
        return start, end


class ScorecardView(LoginRequiredMixin, View):
    """Per lead unit: tasks due in the period, done on time, done late, overdue, on-time rate, rank."""

    def get(self, request):
        form = ScorecardForm(request.GET or None, user=request.user)
        valid = not form.is_bound or form.is_valid()
        start, end = form.period()
        under = form.cleaned_data.get("under") if form.is_bound and valid else None
        rows = selectors.scorecard(user=request.user, start=start, end=end, under=under) if valid else []
        if request.GET.get("export") == "xlsx":
            return scorecard_xlsx(rows, start, end)
        list_url, overdue_url = reverse("tasks:task_list"), reverse("tasks:task_overdue")
        period_query = "due_after={}&due_before={}".format(start.strftime("%d/%m/%Y"), end.strftime("%d/%m/%Y"))
        totals = {
            name: sum(getattr(r, name) for r in rows)
            for name in ("assigned", "done_on_time", "done_late", "overdue", "open")
        }
        return render(
            request,
            "tasks/scorecard.html",
            {
                "title": _("Unit scorecard"),
                "form": form,
                "rows": rows,
                "totals": totals,
                "start": start,
                "end": end,
                "export_query": request.GET.urlencode(),
                "rows_html": scorecard_rows_html(rows, list_url, overdue_url, period_query),
            },
        )


def scorecard_rows_html(rows, list_url, overdue_url, period_query):
    """The scorecard's rows as HTML, written here rather than in the template: nationally there are
    thousands of units, and the template engine (or format_html and number_format per cell) would
    be most of the page's time. Only the unit's name and code come from users: they are escaped."""
    from django.utils.formats import get_format
    from django.utils.html import escape
    from django.utils.http import urlencode
    from django.utils.safestring import mark_safe

    thousands, decimal = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")

    def num(value: int) -> str:
        return "{:,}".format(value).replace(",", thousands)

    list_url, overdue_url, period_query = escape(list_url), escape(overdue_url), escape(period_query)
    out = []
    for r in rows:
        code = escape(urlencode({"lead_unit": r.unit_code}))
        overdue = (
            '<a class="text-danger" href="{}?status=overdue&amp;{}&amp;{}">{}</a>'.format(
                overdue_url, code, period_query, num(r.overdue)
            )
            if r.overdue
            else "0"
        )
        rate = "—" if r.on_time_percent is None else "{:.1f}%".format(r.on_time_percent).replace(".", decimal)
        out.append(
            '<tr data-unit="{}"><td>{}</td><td><a href="{}?{}&amp;{}">{}</a></td><td class="text-end">{}</td>'
            '<td class="text-end">{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
            '<td class="text-end">{}</td><td class="text-end">{}</td></tr>'.format(
                escape(r.unit_code),
                r.rank or "—",
                list_url,
                code,
                period_query,
                escape(r.unit_name),
                num(r.assigned),
                num(r.done_on_time),
                num(r.done_late),
                overdue,
                num(r.open),
                rate,
            )
        )
    return mark_safe("\n".join(out))  # noqa: S308 — every user-supplied part is escaped above


def scorecard_xlsx(rows, start, end):
    import tempfile

    from django.http import FileResponse
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from apps.core.exports import export_filename

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Scorecard"))[:31]
    sheet.append(
        [
            _("Period: {} – {}").format(start.strftime("%d/%m/%Y"), end.strftime("%d/%m/%Y")),
        ]
    )
    header = [
        _("Rank"),
        _("Unit"),
        _("Code"),
        _("Assigned"),
        _("Done on time"),
        _("Done late"),
        _("Overdue"),
        _("Still open"),
        _("On-time rate (%)"),
    ]
    sheet.append([str(h) for h in header])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append(
            [
                r.rank,
                r.unit_name,
                r.unit_code,
                r.assigned,
                r.done_on_time,
                r.done_late,
                r.overdue,
                r.open,
                r.on_time_percent,
            ]
        )
    sheet.freeze_panes = "A3"
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export_filename("bang-diem-don-vi", "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# -- notifications -----------------------------------------------------------------------------

NOTIFICATIONS_PER_PAGE = 50


class NotificationListView(LoginRequiredMixin, View):
    def get(self, request):
        try:
            page = max(1, min(int(request.GET.get("page", 1)), 10_000))
        except ValueError:
            page = 1
        qs = Notification.objects.for_user(request.user).select_related("task")
        if request.GET.get("unread"):
            qs = qs.unread()
        offset = (page - 1) * NOTIFICATIONS_PER_PAGE
        rows = list(qs[offset : offset + NOTIFICATIONS_PER_PAGE + 1])
        return render(
            request,
            "tasks/notification_list.html",
            {
                "title": capfirst(Notification._meta.verbose_name_plural),
                "notifications": rows[:NOTIFICATIONS_PER_PAGE],
                "page": page,
                "has_next": len(rows) > NOTIFICATIONS_PER_PAGE,
                "unread_only": bool(request.GET.get("unread")),
                "unread_count": selectors.unread_count(request.user),
            },
        )


class NotificationReadView(LoginRequiredMixin, View):
    """Mark one notification (``id``) or all of them as read."""

    def post(self, request):
        qs = Notification.objects.for_user(request.user).unread()
        ident = request.POST.get("id", "")
        if ident.isdigit() and len(ident) < 19:
            qs = qs.filter(pk=int(ident))
        elif request.POST.get("all") is None:
            return HttpResponseRedirect(reverse("tasks:notification_list"))
        qs.update(read_at=timezone.now())
        target = request.POST.get("next", "")
        if target.startswith("/") and not target.startswith("//"):
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(reverse("tasks:notification_list"))
