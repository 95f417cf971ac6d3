import django_filters
from django.utils.translation import gettext_lazy as _

from apps.accounts.filtersets import UnitCodeFilter
from apps.core.filtersets import BaseFilterSet
from apps.members.models import Award, MemberOrganisation


class MemberOrganisationFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=MemberOrganisation.Kind.choices, label=_("Kind"), empty_label=_("All"))
    country = django_filters.CharFilter(method="filter_country", label=_("Country (ISO code)"), max_length=2)

    class Meta:
        model = MemberOrganisation
        fields = ["q", "kind", "country"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(countries__code__iexact=value.strip()).distinct()


class AwardFilterSet(BaseFilterSet):
    year = django_filters.NumberFilter(field_name="year", label=_("Year"), min_value=1945, max_value=2100)
    kind = django_filters.ChoiceFilter(choices=Award.Kind.choices, label=_("Kind"), empty_label=_("All"))
    level = django_filters.ChoiceFilter(choices=Award.Level.choices, label=_("Level"), empty_label=_("All"))
    unit = UnitCodeFilter(method="filter_unit", label=_("Unit (code)"))
    recipient = django_filters.ChoiceFilter(
        choices=(("unit", _("Units")), ("person", _("People"))),
        method="filter_recipient",
        label=_("Awarded to"),
        empty_label=_("All"),
    )

    class Meta:
        model = Award
        fields = ["q", "year", "kind", "level", "unit", "recipient"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)

    def filter_recipient(self, queryset, name, value):
        return queryset.filter(person="") if value == "unit" else queryset.exclude(person="")
