import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.activities.models import Activity, Agreement


def _date(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


class ActivityTable(tables.Table):
    """The activity list. Rows are built by apps/activities/templatetags/activity_rows.py (keep the
    cells in the order of Meta.fields); this class owns headers, ordering, paging and exports."""

    start_date = tables.Column(verbose_name=_("Date"), order_by=("start_date", "id"))
    title = tables.Column(linkify=True, verbose_name=_("Activity"))
    kind = tables.Column(verbose_name=_("Kind"))
    place_name = tables.Column(verbose_name=_("Place"))
    partners = tables.Column(verbose_name=_("Partners"), orderable=False, empty_values=())
    countries = tables.Column(verbose_name=_("Countries"), orderable=False, empty_values=())
    unit = tables.Column(verbose_name=_("Organising unit"), order_by=("unit__name", "start_date"))
    participants = tables.Column(verbose_name=_("Participants"), orderable=False, empty_values=())
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Activity
        fields = (
            "start_date",
            "title",
            "kind",
            "place_name",
            "partners",
            "countries",
            "unit",
            "participants",
            "status",
        )
        order_by = ("-start_date",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "activity-table"}
        template_name = "activities/activity_table.html"

    def value_start_date(self, value, record):
        if record.end_date and record.end_date != record.start_date:
            return "{} – {}".format(_date(record.start_date), _date(record.end_date))
        return _date(value)

    def value_kind(self, value, record):
        return record.get_kind_display()

    def value_partners(self, value, record):
        return "; ".join(p.display_name for p in record.partner_list)

    def value_countries(self, value, record):
        return "; ".join(c.display_name for c in record.country_list)

    def value_unit(self, value, record):
        return record.unit.name

    def value_participants(self, value, record):
        return record.participants if record.participants is not None else ""

    def value_status(self, value, record):
        return record.get_status_display()


class AgreementTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name=_("Agreement"))
    kind = tables.Column(verbose_name=_("Kind"))
    partners = tables.Column(verbose_name=_("Partners"), orderable=False, empty_values=())
    unit = tables.Column(verbose_name=_("Signing unit"), order_by=("unit__name", "-signed_on"))
    signed_on = tables.Column(verbose_name=_("Signed"), order_by=("signed_on", "id"))
    valid_to = tables.Column(verbose_name=_("Valid until"), order_by=("valid_to", "id"))
    status = tables.Column(verbose_name=_("Status"), orderable=False, empty_values=())

    class Meta:
        model = Agreement
        fields = ("title", "kind", "partners", "unit", "signed_on", "valid_to", "status")
        order_by = ("-signed_on",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "agreement-table"}
        template_name = "activities/agreement_table.html"

    def value_kind(self, value, record):
        return record.get_kind_display()

    def value_partners(self, value, record):
        return "; ".join(p.display_name for p in record.partner_list)

    def value_unit(self, value, record):
        return record.unit.name

    def value_signed_on(self, value, record):
        return _date(value)

    def value_valid_to(self, value, record):
        return _date(value)

    def value_status(self, value, record):
        return record.get_status_display()
