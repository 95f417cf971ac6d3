import django_filters
from django.db.models import Exists, OuterRef
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.aid.models import AidItem, AidLocation, AidSector, AidStatus, ExchangeRate, Transaction
from apps.core.api_utils import MAX_ID
from apps.core.filtersets import BaseFilterSet


def bounded_id(label) -> dict:
    """An ID or code typed into a filter, at most the largest a database integer holds: a larger
    one is no row, and the database cannot even compare it (a 500, not a message)."""
    return {
        "min_value": 1,
        "max_value": MAX_ID,
        "error_messages": {
            "max_value": format_lazy(_("{field}: no record has a number this large."), field=label),
            "min_value": format_lazy(_("{field}: write a number from 1 up."), field=label),
        },
    }


class AidItemFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=AidItem.Kind.choices, label=_("Kind"), empty_label=_("All"))
    status = django_filters.ChoiceFilter(choices=AidStatus.choices, label=_("Status"), empty_label=_("All"))
    approved_after = django_filters.DateFilter(field_name="approved_on", lookup_expr="gte", label=_("Approved from"))
    approved_before = django_filters.DateFilter(field_name="approved_on", lookup_expr="lte", label=_("Approved to"))
    donor = django_filters.NumberFilter(field_name="donor_id", label=_("Donor (ID)"), **bounded_id(_("Donor (ID)")))
    sector = django_filters.CharFilter(method="by_sector", label=_("Sector code"))
    province = django_filters.NumberFilter(
        method="by_province", label=_("Province code"), **bounded_id(_("Province code"))
    )
    stalled = django_filters.BooleanFilter(method="by_stalled", label=_("Approved, not implemented for 6 months"))
    # The statistics (and the dashboards) count approved items only; their links land here with it.
    approved = django_filters.BooleanFilter(method="by_approved", label=_("Approved (counted in statistics)"))

    class Meta:
        model = AidItem
        fields = ["q", "kind", "status", "approved_after", "approved_before"]

    def by_sector(self, queryset, name, value):
        return queryset.filter(Exists(AidSector.objects.filter(aid_item=OuterRef("pk"), code=value.strip())))

    def by_province(self, queryset, name, value):
        return queryset.filter(Exists(AidLocation.objects.filter(aid_item=OuterRef("pk"), province_code=value)))

    def by_approved(self, queryset, name, value):
        from apps.aid.models import APPROVED_STATUSES

        return (
            queryset.filter(status__in=APPROVED_STATUSES) if value else queryset.exclude(status__in=APPROVED_STATUSES)
        )

    def by_stalled(self, queryset, name, value):
        from apps.aid.services import stalled_items

        return stalled_items(queryset) if value else queryset


class TransactionFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=Transaction.Kind.choices, label=_("Kind"), empty_label=_("All"))
    aid_item = django_filters.NumberFilter(
        field_name="aid_item_id", label=_("Aid item (ID)"), **bounded_id(_("Aid item (ID)"))
    )
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From date"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To date"))

    class Meta:
        model = Transaction
        fields = ["q", "kind", "aid_item", "date_after", "date_before"]


class ExchangeRateFilterSet(BaseFilterSet):
    currency = django_filters.CharFilter(lookup_expr="iexact", label=_("Currency"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From date"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To date"))

    class Meta:
        model = ExchangeRate
        fields = ["q", "currency", "date_after", "date_before"]
