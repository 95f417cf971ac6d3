import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.aid.models import AidItem, ExchangeRate, Transaction
from apps.aid.money import format_decimal


def _day(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


class AidItemTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"), linkify=True)
    title_vi = tables.Column(verbose_name=_("Title"))
    kind = tables.Column(verbose_name=_("Kind"))
    donor = tables.Column(verbose_name=_("Donor"), order_by=("donor__name_key",))
    unit = tables.Column(verbose_name=_("Recipient unit"))
    status = tables.Column(verbose_name=_("Status"))
    committed_usd = tables.Column(verbose_name=_("Committed (USD)"), attrs={"td": {"class": "text-end"}})
    approved_on = tables.Column(verbose_name=_("Approval date"))

    class Meta:
        model = AidItem
        fields = ("code", "title_vi", "kind", "donor", "unit", "status", "committed_usd", "approved_on")
        order_by = ("-approved_on",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "aiditem-table"}

    def render_committed_usd(self, value):
        return format_decimal(value, 0)

    def value_committed_usd(self, value):
        return value

    def render_approved_on(self, value):
        return _day(value)

    def render_unit(self, value):
        return value.short_name or value.name


class TransactionTable(tables.Table):
    date = tables.Column(verbose_name=_("Date"), linkify=True)
    aid_item = tables.Column(
        verbose_name=_("Aid item"), accessor="aid_item__code", linkify=lambda record: record.aid_item.get_absolute_url()
    )
    kind = tables.Column(verbose_name=_("Kind"))
    amount = tables.Column(verbose_name=_("Amount"), attrs={"td": {"class": "text-end"}})
    currency = tables.Column(verbose_name=_("Currency"))
    amount_usd = tables.Column(verbose_name=_("USD"), attrs={"td": {"class": "text-end"}})
    amount_vnd = tables.Column(verbose_name=_("VND"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Transaction
        fields = ("date", "aid_item", "kind", "amount", "currency", "amount_usd", "amount_vnd")
        order_by = ("-date",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "transaction-table"}

    def render_date(self, value):
        return _day(value)

    def render_amount(self, value):
        return format_decimal(value)

    def render_amount_usd(self, value):
        return format_decimal(value)

    def render_amount_vnd(self, value):
        return format_decimal(value, 0)


class ExchangeRateTable(tables.Table):
    currency = tables.Column(verbose_name=_("Currency"), linkify=True)
    date = tables.Column(verbose_name=_("Date"))
    rate_vnd = tables.Column(verbose_name=_("VND per unit"), attrs={"td": {"class": "text-end"}})
    source = tables.Column(verbose_name=_("Source"))

    class Meta:
        model = ExchangeRate
        fields = ("currency", "date", "rate_vnd", "source")
        order_by = ("currency", "-date")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "exchangerate-table"}

    def render_date(self, value):
        return _day(value)

    def render_rate_vnd(self, value):
        return format_decimal(value, 2)
