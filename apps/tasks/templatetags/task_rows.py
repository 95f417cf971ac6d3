"""The task list's rows, built in one pass.

django-tables2 keeps the columns, ordering, paging and exports (``TaskTable``); the cells are
written here because the template engine's per-cell lookups and filters were most of the list's
time (a row cost ~0.7 ms, the page's SQL ~1 ms). ``format_html`` escapes every value as the template
would. Keep the cells in the order of ``TaskTable.Meta.fields``.
"""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator

from apps.core.tables import rows_html
from apps.tasks.models import STATUS_COLOURS, Task, TaskStatus, derive_status, due_soon_days

register = template.Library()

ROW = (
    "<tr><td>{}</td>"
    '<td class="text-nowrap">{}</td>'
    "<td>{}</td>"
    '<td class="small">{}</td>'
    '<td class="text-nowrap">{}</td>'
    "<td>{}</td>"
    '<td><span class="badge text-bg-{}" data-status="{}">{}</span></td>'
    '<td class="text-nowrap"><div class="progress" style="min-width: 6rem" role="progressbar" aria-valuenow="{}"'
    ' aria-valuemin="0" aria-valuemax="100"><div class="progress-bar" style="width: {}%">{}%</div></div></td></tr>'
)


def _unit(unit) -> str:
    return unit.short_name or unit.name


@register.simple_tag
def task_rows(table):
    """``<tr>`` rows of the table's current page (or of all its rows when it is not paginated)."""
    today, soon = timezone.localdate(), due_soon_days()
    priorities = dict(Task.Priority.choices)
    recurrences = dict(Task.Recurrence.choices)
    statuses = {value: str(label) for value, label in TaskStatus.choices}

    def cells(t):
        title = format_html('<a href="{}">{}</a>', t.get_absolute_url(), Truncator(t.title).chars(160))
        if t.parent_id:
            title = format_html('{} <span class="badge text-bg-light" title="{}">↳</span>', title, t.parent_id)
        document = (t.document.notation or str(t.document)) if t.document_id else "—"
        supporting = "; ".join(_unit(u) for u in t.supporting_units.all()) or "—"
        if t.due_date:
            due = date_format(t.due_date, "SHORT_DATE_FORMAT")
        else:
            due = str(recurrences.get(t.recurrence, t.recurrence))
        priority = str(priorities.get(t.priority, t.priority))
        if t.priority == Task.Priority.HIGH:
            priority = format_html('<span class="text-danger fw-semibold">{}</span>', priority)
        status = derive_status(
            due_date=t.due_date, completed_on=t.completed_on, progress=t.progress, today=today, soon_days=soon
        )
        return (
            title,
            document,
            _unit(t.lead_unit),
            supporting,
            due,
            priority,
            STATUS_COLOURS[status] + " task-status",
            status,
            statuses[status],
            t.progress,
            t.progress,
            t.progress,
        )

    return rows_html(table, ROW, cells)
