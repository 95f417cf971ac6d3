from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.filtersets import UnitCodeFilter
from apps.core.filtersets import BaseFilterSet
from apps.partners.models import Country, CountryGroup, FrameworkLevel, NgoRegistration, Partner, Relationship, Tag


class CountryField(forms.CharField):
    """A country by ISO code (KH, khm) or ID; an unknown one is a form error, not an empty list."""

    def to_python(self, value):
        value = (super().to_python(value) or "").strip()
        if not value:
            return None
        country = None
        if value.isdecimal() and len(value) < 19:
            country = Country.objects.filter(pk=int(value)).first()
        elif len(value) == 2:
            country = Country.objects.filter(code=value.upper()).first()
        elif len(value) == 3:
            country = Country.objects.filter(alpha3=value.upper()).first()
        if country is None:
            raise forms.ValidationError(
                _("No country has the code “%(code)s” (use the ISO code, e.g. KH)."), params={"code": value[:60]}
            )
        return country


class CountryFilter(django_filters.Filter):
    field_class = CountryField


def country_choices():
    return Country.objects.order_by("name_vi").only("pk", "name_vi", "name_en", "code")


class PartnerFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=Partner.Kind.choices, label=_("Kind"), empty_label=_("All"))
    country = django_filters.ModelChoiceFilter(queryset=country_choices(), label=_("Country"), empty_label=_("All"))
    status = django_filters.ChoiceFilter(choices=Partner.Status.choices, label=_("Status"), empty_label=_("All"))
    group = django_filters.ModelChoiceFilter(
        queryset=CountryGroup.objects.all(),
        field_name="country__groups",
        label=_("Country group"),
        empty_label=_("All"),
    )
    framework = django_filters.ChoiceFilter(
        choices=FrameworkLevel.choices,
        field_name="country__framework_level",
        label=_("Framework"),
        empty_label=_("All"),
    )
    tag = django_filters.ModelChoiceFilter(
        queryset=Tag.objects.all(), field_name="tags", label=_("Tag"), empty_label=_("All")
    )
    unit = UnitCodeFilter(method="filter_unit", label=_("Owning unit (code)"))

    class Meta:
        model = Partner
        fields = ["q", "kind", "country", "group", "framework", "status", "tag", "unit"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit=value)


class PartnerAPIFilterSet(PartnerFilterSet):
    """The page's filters, with the country given by its ISO code as API callers write it."""

    country = CountryFilter(field_name="country", label=_("Country (ISO code)"))
    iati_ref = django_filters.CharFilter(label=_("IATI organisation identifier"), lookup_expr="iexact")

    class Meta(PartnerFilterSet.Meta):
        fields = [*PartnerFilterSet.Meta.fields, "iati_ref"]


class DormantFilterSet(PartnerFilterSet):
    months = django_filters.NumberFilter(
        label=_("No activity for (months)"),
        method="filter_nothing",
        min_value=1,
        max_value=240,
        widget=forms.NumberInput(attrs={"placeholder": "12"}),
    )

    class Meta(PartnerFilterSet.Meta):
        fields = ["q", "months", "kind", "country", "status", "unit"]

    def filter_nothing(self, queryset, name, value):
        return queryset  # applied by the view, which needs the number for the timeline query


class CountryFilterSet(BaseFilterSet):
    group = django_filters.ModelChoiceFilter(
        queryset=CountryGroup.objects.all(), field_name="groups", label=_("Group"), empty_label=_("All")
    )
    framework_level = django_filters.ChoiceFilter(
        choices=FrameworkLevel.choices, label=_("Framework"), empty_label=_("All")
    )
    has_framework = django_filters.BooleanFilter(
        field_name="framework_level",
        method="filter_has_framework",
        label=_("Has a framework"),
        widget=forms.Select(choices=(("", _("All")), ("true", _("Yes")), ("false", _("No")))),
    )

    class Meta:
        model = Country
        fields = ["q", "group", "framework_level", "has_framework"]

    def filter_has_framework(self, queryset, name, value):
        return queryset.exclude(framework_level="") if value else queryset.filter(framework_level="")


class RegistrationFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=NgoRegistration.Kind.choices, label=_("Certificate kind"), empty_label=_("All")
    )
    within = django_filters.NumberFilter(
        label=_("Expiring within (days)"), method="filter_within", min_value=0, max_value=3650
    )

    class Meta:
        model = NgoRegistration
        fields = ["q", "kind", "within"]

    def filter_within(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(
            expires_on__gte=today - timedelta(days=30), expires_on__lte=today + timedelta(days=int(value))
        )


class RelationshipFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=Relationship.Kind.choices, label=_("Kind"), empty_label=_("All"))
    status = django_filters.ChoiceFilter(choices=Relationship.Status.choices, label=_("Status"), empty_label=_("All"))
    unit = UnitCodeFilter(method="filter_unit", label=_("Our unit (code)"))
    partner = django_filters.NumberFilter(field_name="partner_id", label=_("Partner (ID)"), min_value=1)

    class Meta:
        model = Relationship
        fields = ["q", "kind", "status", "unit", "partner"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit=value)
