"""Task pages: the registry (list, overdue list, detail, add, edit, delete), progress reports and
their review, the unit scorecard, and the person's notifications."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.accounts.filtersets import UnitCodeField
from apps.accounts.models import Unit
from apps.core.forms import BootstrapMixin
from apps.core.querysets import CHANGE, VIEW
from apps.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_errors,
    rerender,
)
from apps.tasks import selectors, services
from apps.tasks.filtersets import ReportingPeriodFilterSet, TaskFilterSet
from apps.tasks.forms import ProgressReportForm, ReportingPeriodForm, ReviewForm, TaskForm, UnitReportForm
from apps.tasks.models import Notification, ProgressReport, ReportingPeriod, Task, TaskStatus, UnitReport
from apps.tasks.tables import ReportingPeriodTable, TaskTable


def _task_reads(qs):
    return selectors.task_reads(qs)


def _task_list_reads(qs):
    # The urgency rank lets the list sort by status in SQL; only the columns the list and its
    # exports show are read (a directive's full text is not fetched again for every task row).
    return selectors.task_reads(qs).only(*selectors.TASK_LIST_FIELDS).with_status_rank()


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
            "reports": selectors.with_files(selectors.reports_for_task(task, user)),
            "subtasks": subtasks,
            "cycles": task.cycles.all()[:60],  # the rounds of a recurring task done so far, newest first
            "parent_task": parent,
            "document_visible": document_visible,
            "report_form": report_form if units else None,
            "report_url": reverse("tasks:progressreport_add", args=[task.pk]),
            "can_review": services.may_review(user, task),
            # Deleting is for those who may move the deadline (services.task_delete).
            **({} if services.may_reschedule(user, task) else {"delete_url": None}),
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
        return rerender(TaskDetailView, request, pk, report_form=form)


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

    def get_object(self, pk, action=VIEW):
        task = super().get_object(pk, action)
        # The confirmation page too: an officer may change a task assigned to their unit but not
        # delete it (services.task_delete says why).
        if action != VIEW and not services.may_reschedule(self.request.user, task):
            raise PermissionDenied(
                _("Only a coordinator over the lead unit, or the person who created “{}”, may delete it.").format(task)
            )
        return task

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
        qs = Notification.objects.for_user(request.user).select_related(
            "task", "unit_report__unit", "unit_report__period"
        )
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
        if ident.isdecimal() and len(ident) < 19:
            qs = qs.filter(pk=int(ident))
        elif request.POST.get("all") is None:
            return HttpResponseRedirect(reverse("tasks:notification_list"))
        qs.update(read_at=timezone.now())
        target = request.POST.get("next", "")
        if target.startswith("/") and not target.startswith("//"):
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(reverse("tasks:notification_list"))


# -- periodic reporting ------------------------------------------------------------------------


def _may_open_periods(user) -> bool:
    from apps.accounts.scoping import get_scope

    scope = get_scope(user)
    return scope.is_superuser or bool(scope.subtree_paths(CHANGE))


class ReportingPeriodListView(ObjectListView):
    model = ReportingPeriod
    filterset_class = ReportingPeriodFilterSet
    table_class = ReportingPeriodTable
    queryset_hook = staticmethod(lambda qs: qs.select_related("unit"))
    export_stem = "ky-bao-cao"
    template_name = "tasks/period_list.html"

    def can_add(self) -> bool:
        return _may_open_periods(self.request.user)


class ReportingPeriodEditView(ObjectEditView):
    model = ReportingPeriod
    form_class = ReportingPeriodForm

    def _instance(self, pk):
        if pk is None and not _may_open_periods(self.request.user):
            raise PermissionDenied(_("Only coordinators open reporting periods."))
        return super()._instance(pk)

    def save(self, form, instance):
        data = form.cleaned_data
        fields = {name: data.get(name) for name in services.PERIOD_FIELDS}
        if instance is None:
            return services.period_open(by=self.request.user, unit=data["unit"], units=data["units"], **fields)
        return services.period_update(period=instance, by=self.request.user, units=data["units"], **fields)


class ReportingPeriodDeleteView(ObjectDeleteView):
    model = ReportingPeriod

    def delete(self, obj):
        services.period_delete(period=obj, by=self.request.user)


class ReportingPeriodDetailView(ObjectDetailView):
    model = ReportingPeriod
    template_name = "tasks/period_detail.html"
    queryset_hook = staticmethod(lambda qs: qs.select_related("unit", "opened_by"))

    def get_extra_context(self, period):
        from apps.accounts.scoping import get_scope

        user = self.request.user
        roster = selectors.period_roster(period)
        total, per_unit = selectors.period_figures(period)
        coordinator = services.may_coordinate(user, period.unit)
        writable = set(
            Unit.objects.for_user(user, CHANGE).filter(pk__in=[r.unit.pk for r in roster]).values_list("pk", flat=True)
        )
        own = set(get_scope(user).own_unit_ids(VIEW))
        visible_reports = set(
            UnitReport.objects.for_user(user, VIEW).filter(period=period).values_list("pk", flat=True)
        )
        rows = []
        for row in roster:
            rows.append(
                {
                    "unit": row.unit,
                    "report": row.report if row.report and row.report.pk in visible_reports else None,
                    "state": row.state,
                    "figures": per_unit.get(row.unit.pk),
                    "can_write": row.unit.pk in writable and (coordinator or row.unit.pk in own),
                }
            )
        return {
            "rows": rows,
            "total": total,
            "submitted_count": sum(1 for r in roster if r.has_submitted),
            "is_coordinator": coordinator,
            "can_change": coordinator,
            "edit_url": reverse("tasks:reportingperiod_edit", args=[period.pk]) if coordinator else None,
            "delete_url": reverse("tasks:reportingperiod_delete", args=[period.pk]) if coordinator else None,
            "UnitReport": UnitReport,
        }


class ReportingPeriodStateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        period = ReportingPeriod.objects.for_user(request.user, VIEW).select_related("unit").filter(pk=pk).first()
        if period is None:
            raise Http404(_("No such record, or you may not see it."))
        open_ = request.POST.get("state") == ReportingPeriod.State.OPEN
        services.period_set_state(period=period, by=request.user, open_=open_)
        messages.success(request, _("The period is open again.") if open_ else _("The period is closed."))
        return HttpResponseRedirect(period.get_absolute_url())


class ReportingPeriodDocxView(LoginRequiredMixin, View):
    """The consolidated report (Nghị định 30 layout) of the period, compiled from the records now."""

    def get(self, request, pk):
        from django.http import HttpResponse
        from django.utils.text import slugify

        from apps.tasks.consolidated import build

        period = ReportingPeriod.objects.for_user(request.user, VIEW).select_related("unit").filter(pk=pk).first()
        if period is None:
            raise Http404(_("No such record, or you may not see it."))
        if not services.may_coordinate(request.user, period.unit):
            raise PermissionDenied(_("Only a coordinator of “{}” compiles this report.").format(period.unit))
        from apps.core.text import fold

        response = HttpResponse(
            build(period),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        name = "bao-cao-tong-hop-{}.docx".format(slugify(fold(period.name)) or period.pk)
        response["Content-Disposition"] = 'attachment; filename="{}"'.format(name)
        return response


class UnitReportPrepareView(LoginRequiredMixin, View):
    """Start (or refresh) a unit's report for a period, pre-filled from its tasks."""

    def post(self, request, pk):
        period = ReportingPeriod.objects.for_user(request.user, VIEW).select_related("unit").filter(pk=pk).first()
        if period is None:
            raise Http404(_("No such record, or you may not see it."))
        ident = request.POST.get("unit", "")
        unit = period.units.filter(pk=int(ident)).first() if ident.isdecimal() and len(ident) < 19 else None
        if unit is None:
            messages.error(request, _("Choose one of the units asked to report."))
            return HttpResponseRedirect(period.get_absolute_url())
        try:
            report = services.unit_report_prepare(period=period, unit=unit, by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return HttpResponseRedirect(period.get_absolute_url())
        return HttpResponseRedirect(report.get_absolute_url())


class UnitReportDetailView(ObjectDetailView):
    """The unit's report: an editable form while it is a draft or returned, read-only afterwards,
    with accept / return for the coordinator once submitted."""

    model = UnitReport
    template_name = "tasks/unitreport_detail.html"
    queryset_hook = staticmethod(lambda qs: qs.select_related("period__unit", "unit", "submitted_by", "reviewed_by"))
    form = None

    def meta(self):
        # Unit reports are reached from their period: the breadcrumb leads to the periods.
        return ReportingPeriod._meta

    def get_extra_context(self, report):
        can_write = self.can_act(report, CHANGE) and report.is_editable
        form = self.form or (UnitReportForm(report=report) if can_write else None)
        return {
            "form": form,
            "lines": report.items.select_related("task", "task__lead_unit"),
            "can_review": report.state == UnitReport.State.SUBMITTED
            and services.may_coordinate(self.request.user, report.period.unit),
            "edit_url": None,
            "delete_url": None,
            "can_change": False,
            "State": UnitReport.State,
        }


class UnitReportSaveView(LoginRequiredMixin, View):
    """Save the draft, or save and submit it (button ``action=submit``)."""

    def post(self, request, pk):
        report = UnitReport.objects.for_user(request.user, VIEW).select_related("period", "unit").filter(pk=pk).first()
        if report is None:
            raise Http404(_("No such record, or you may not see it."))
        if not UnitReport.objects.for_user(request.user, CHANGE).filter(pk=pk).exists():
            raise PermissionDenied(_("You may not write the report of “{}”.").format(report.unit))
        form = UnitReportForm(request.POST, report=report)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    services.unit_report_save(
                        report=report,
                        by=request.user,
                        version=data.get("_version"),
                        items=form.items(),
                        **{name: data[name] for name in ("summary", "difficulties", "proposals", "next_steps")},
                    )
                    if request.POST.get("action") == "submit":
                        services.unit_report_submit(report=report, by=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if request.POST.get("action") == "submit":
                    messages.success(request, _("The report has been submitted to {}.").format(report.period.unit))
                else:
                    messages.success(request, _("The draft has been saved."))
                return HttpResponseRedirect(report.get_absolute_url())
        return rerender(UnitReportDetailView, request, pk, form=form)


class UnitReportReviewView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = UnitReport.objects.for_user(request.user, VIEW).select_related("period__unit").filter(pk=pk).first()
        if report is None:
            raise Http404(_("No such record, or you may not see it."))
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose to accept or to return the report."))
            return HttpResponseRedirect(report.get_absolute_url())
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.unit_report_review(
                report=report, by=request.user, accept=accept, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("The report has been accepted.")
                if accept
                else _("The report has been returned to the unit with your reason."),
            )
        return HttpResponseRedirect(report.get_absolute_url())


# -- deadline calendar -------------------------------------------------------------------------

CALENDAR_TASKS_PER_DAY = 4
#: the months the calendar shows: the years the other period fields accept (ScorecardForm,
#: ReportingPeriodFilterSet); beyond them the date arithmetic of the page would overflow.
CALENDAR_FIRST = date(1990, 1, 1)
CALENDAR_LAST = date(2100, 12, 31)


def calendar_month(text: str, today: date) -> tuple[date, str | None]:
    """The first day of the month written ``YYYY-MM`` in ``text``, or of this month with a message
    saying why ``text`` was not used (empty text is this month, silently)."""
    text = (text or "").strip()[:20]
    this_month = today.replace(day=1)
    if not text:
        return this_month, None
    parts = text.split("-")
    if len(parts) != 2 or not all(p.isdecimal() and len(p) <= 4 for p in parts) or not 1 <= int(parts[1]) <= 12:
        return this_month, _("“{}” is not a month: write it as year-month, e.g. 2026-09. Showing this month.").format(
            text
        )
    first = date(int(parts[0]) or 1, int(parts[1]), 1)
    if not CALENDAR_FIRST <= first <= CALENDAR_LAST:
        return this_month, _("The calendar shows the months from {first} to {last}; showing this month.").format(
            first=CALENDAR_FIRST.strftime("%m/%Y"), last=CALENDAR_LAST.strftime("%m/%Y")
        )
    return first, None


class CalendarView(LoginRequiredMixin, View):
    """Deadlines of one month as a calendar (Monday first): per day the number of tasks due and
    the most urgent few, each day linking to the filtered task list (which exports to Excel)."""

    def get(self, request):
        import calendar
        from datetime import timedelta

        from django.db.models import Count

        today = timezone.localdate()
        first, month_error = calendar_month(request.GET.get("month", ""), today)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        unit_field = UnitCodeField(required=False)
        unit_field.user = request.user
        code = request.GET.get("lead_unit", "").strip()[:50]
        unit_error = None
        try:
            unit = unit_field.clean(code) if code else None
        except forms.ValidationError as exc:
            unit, unit_error = None, exc.messages[0]
        qs = Task.objects.for_user(request.user, VIEW).filter(due_date__gte=first, due_date__lte=last)
        if unit is not None:
            # The unit itself, as the field's label says and as the task list and its export that
            # the day links open filter it (TaskFilterSet.filter_lead_unit): the same rows in both.
            qs = qs.filter(lead_unit=unit)
        counts = dict(qs.order_by().values_list("due_date").annotate(n=Count("pk")))
        shown: dict[date, list[Task]] = {}
        for task in qs.with_status_rank().select_related("lead_unit").order_by("due_date", "status_rank", "id")[:2000]:
            day_tasks = shown.setdefault(task.due_date, [])
            if len(day_tasks) < CALENDAR_TASKS_PER_DAY:
                day_tasks.append(task)
        list_url = reverse("tasks:task_list")
        unit_query = "&lead_unit={}".format(unit.code) if unit is not None else ""
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
            weeks.append(
                [
                    {
                        "day": day,
                        "in_month": day.month == first.month,
                        "is_today": day == today,
                        "count": counts.get(day, 0),
                        "tasks": shown.get(day, []),
                        "more": counts.get(day, 0) - len(shown.get(day, [])),
                        "url": "{}?due_after={d}&due_before={d}{}".format(
                            list_url, unit_query, d=day.strftime("%d/%m/%Y")
                        ),
                    }
                    for day in week
                ]
            )
        # No link past the months the calendar shows (see calendar_month).
        previous = (first - timedelta(days=1)).replace(day=1) if first > CALENDAR_FIRST else None
        following = last + timedelta(days=1) if last < CALENDAR_LAST else None
        month_query = "due_after={}&due_before={}{}".format(
            first.strftime("%d/%m/%Y"), last.strftime("%d/%m/%Y"), unit_query
        )
        return render(
            request,
            "tasks/calendar.html",
            {
                "title": _("Deadline calendar"),
                "first": first,
                "weeks": weeks,
                "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
                "previous": previous.strftime("%Y-%m") if previous else None,
                "following": following.strftime("%Y-%m") if following else None,
                "month_error": month_error,
                "this_month": today.strftime("%Y-%m"),
                "unit_code": code,
                "unit_error": unit_error,
                "month_total": sum(counts.values()),
                "month_list_url": "{}?{}".format(list_url, month_query),
                "month_export_url": "{}?{}&export=xlsx".format(list_url, month_query),
            },
        )
