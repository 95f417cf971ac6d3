import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.tasks.models import ReportingPeriod, Task


class TaskTable(tables.Table):
    """The task list. Rows are built by apps/tasks/templatetags/task_rows.py (keep the cells in the order
    of Meta.fields); this class owns headers, ordering, paging and the exports."""

    title = tables.Column(linkify=True, verbose_name=_("Task"))
    document = tables.Column(verbose_name=_("Document"), order_by=("document__issued_on", "document_id"))
    lead_unit = tables.Column(verbose_name=_("Lead unit"), order_by=("lead_unit__name",))
    supporting_units = tables.Column(verbose_name=_("Supporting units"), orderable=False, empty_values=())
    due_date = tables.Column(verbose_name=_("Due date"), order_by=("due_date", "id"))
    priority = tables.Column(verbose_name=_("Priority"))
    status = tables.Column(verbose_name=_("Status"), empty_values=(), order_by=("status_rank", "due_date"))
    progress = tables.Column(verbose_name=_("Progress (%)"))

    class Meta:
        model = Task
        fields = ("title", "document", "lead_unit", "supporting_units", "due_date", "priority", "status", "progress")
        order_by = ("due_date",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "task-table"}
        template_name = "tasks/task_table.html"

    # Export values (the page renders the rows in the template).
    def value_document(self, value, record):
        return record.document.notation or str(record.document) if record.document_id else ""

    def value_lead_unit(self, value, record):
        return record.lead_unit.name

    def value_supporting_units(self, value, record):
        return "; ".join(u.short_name or u.name for u in record.supporting_units.all())

    def value_due_date(self, value, record):
        return date_format(value, "SHORT_DATE_FORMAT") if value else ""

    def value_priority(self, value, record):
        return record.get_priority_display()

    def value_status(self, value, record):
        return str(record.status_label)

    def value_progress(self, value, record):
        return record.progress


class ReportingPeriodTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Reporting period"))
    unit = tables.Column(verbose_name=_("Coordinating unit"), order_by=("unit__name",))
    start = tables.Column(verbose_name=_("From"))
    end = tables.Column(verbose_name=_("To"))
    due_date = tables.Column(verbose_name=_("Reports due"))
    state = tables.Column(verbose_name=_("State"))

    class Meta:
        model = ReportingPeriod
        fields = ("name", "unit", "start", "end", "due_date", "state")
        order_by = ("-end",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "period-table"}

    def render_unit(self, value, record):
        return record.unit.short_name or record.unit.name

    def value_unit(self, value, record):
        return record.unit.name

    def _date(self, value):
        return date_format(value, "SHORT_DATE_FORMAT") if value else ""

    render_start = value_start = render_end = value_end = render_due_date = value_due_date = lambda self, value: (
        self._date(value)
    )

    def value_state(self, value, record):
        return record.get_state_display()
