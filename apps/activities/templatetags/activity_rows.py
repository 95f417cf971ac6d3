"""The activity list's rows, built in one pass (as ``apps/tasks/templatetags/task_rows.py``).

django-tables2 keeps the columns, ordering, paging and exports (``ActivityTable``); per-cell
template lookups, ``get_FOO_display`` and filters were most of a search page's time at the
national scale. ``format_html`` escapes every value as the template would. Keep the cells in the
order of ``ActivityTable.Meta.fields``.
"""

from django import template
from django.utils.formats import date_format, localize
from django.utils.html import format_html

from apps.activities.models import Activity
from apps.core.tables import rows_html

register = template.Library()

ROW = (
    '<tr><td class="text-nowrap small">{}</td>'
    '<td><a href="{}">{}</a></td>'
    '<td class="small">{}</td>'
    '<td class="small">{}</td>'
    '<td class="small">{}</td>'
    '<td class="small">{}</td>'
    '<td class="small">{}</td>'
    '<td class="text-end">{}</td>'
    '<td><span class="badge text-bg-{}">{}</span></td></tr>'
)


def _names(items) -> str:
    return "; ".join(i.display_name for i in items) or "—"


@register.simple_tag
def activity_rows(table):
    """``<tr>`` rows of the table's current page (or of all its rows when it is not paginated)."""
    kinds = {value: str(label) for value, label in Activity.Kind.choices}
    statuses = {value: str(label) for value, label in Activity.Status.choices}

    def cells(a):
        when = date_format(a.start_date, "SHORT_DATE_FORMAT") if a.start_date else ""
        if a.end_date and a.end_date != a.start_date:
            when = format_html("{}<br>– {}", when, date_format(a.end_date, "SHORT_DATE_FORMAT"))
        partners = getattr(a, "partner_list", None)
        countries = getattr(a, "country_list", None)
        participants = a.participants
        return (
            when,
            a.get_absolute_url(),
            a.title,
            kinds.get(a.kind, a.kind),
            a.place_name or "—",
            _names(a.partners.all() if partners is None else partners),
            _names(a.countries.all() if countries is None else countries),
            a.unit.short_name or a.unit.name,
            "—" if participants is None else localize(participants),
            a.status_colour,
            statuses.get(a.status, a.status),
        )

    return rows_html(table, ROW, cells)
