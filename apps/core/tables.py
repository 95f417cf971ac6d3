import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.models import Job, ObjectChange


class ObjectChangeTable(tables.Table):
    time = tables.DateTimeColumn(
        verbose_name=_("Time"), linkify=lambda record: record.get_absolute_url(), format="H:i:s d/m/Y"
    )
    user_name = tables.Column(verbose_name=_("User"))
    action = tables.Column(verbose_name=_("Action"))
    changed_object_type = tables.Column(
        verbose_name=_("Type"), accessor="changed_object_type__name", order_by="changed_object_type"
    )
    object_repr = tables.Column(verbose_name=_("Object"))
    request_id = tables.Column(
        verbose_name=_("Request"), orderable=False, attrs={"td": {"class": "text-body-secondary small font-monospace"}}
    )

    class Meta:
        model = ObjectChange
        fields = ("time", "user_name", "action", "changed_object_type", "object_repr", "request_id")
        order_by = ("-time",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "changelog-table"}

    def render_user_name(self, value, record):
        return record.who

    def value_user_name(self, value, record):
        return record.user_name

    def render_changed_object_type(self, value):
        from django.utils.text import capfirst

        return capfirst(value)

    def render_action(self, value, record):
        colour = {"create": "success", "update": "primary", "delete": "danger"}.get(record.action, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', colour, value)

    def value_action(self, value, record):
        return record.get_action_display()

    def render_object_repr(self, value, record):
        url = record.object_url()
        return format_html('<a href="{}">{}</a>', url, value) if url else value

    def render_request_id(self, value):
        return str(value)[:8]


class JobTable(tables.Table):
    name = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("Job"))
    status = tables.Column(verbose_name=_("Status"))
    percent = tables.Column(verbose_name=_("Progress"), orderable=False, empty_values=())
    user = tables.Column(verbose_name=_("User"))
    created = tables.DateTimeColumn(verbose_name=_("Created"))
    finished = tables.DateTimeColumn(verbose_name=_("Finished"))

    class Meta:
        model = Job
        fields = ("name", "status", "percent", "user", "created", "finished")
        order_by = ("-created",)
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_percent(self, record):
        return "{}%".format(record.percent)


def rows_html(table, row_format: str, cells):
    """The ``<tr>`` rows of ``table``'s current page (all its rows when it is not paginated), each
    ``format_html(row_format, *cells(record))`` — for lists whose rows are built in one pass
    (apps/tasks/templatetags/task_rows.py, apps/activities/templatetags/activity_rows.py) because
    django-tables2's per-cell rendering was most of their time. The table's empty text when there
    are no rows, as django-tables2 would show it."""
    from django.utils.html import format_html_join

    page = getattr(table, "page", None)
    records = [getattr(r, "record", r) for r in (page.object_list if page else table.data)]
    if not records:
        if not table.empty_text:
            return ""
        return format_html('<tr><td colspan="{}">{}</td></tr>', len(table.columns), table.empty_text)
    return format_html_join("\n", row_format, (cells(record) for record in records))
