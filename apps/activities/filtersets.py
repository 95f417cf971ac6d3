"""Filters of the agreement and activity lists, shared by the pages and the API."""

from datetime import timedelta

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.filtersets import UnitCodeFilter
from apps.activities.models import Activity, Agreement, AgreementStatus, Pillar, agreement_status_q, held_q
from apps.core.filtersets import BaseFilterSet
from apps.partners.filtersets import CountryFilter


def _year_choices():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this + 1, this - 15, -1)]


class ActivityFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices, label=_("Kind"), empty_label=_("All"))
    status = django_filters.ChoiceFilter(choices=Activity.Status.choices, label=_("Status"), empty_label=_("All"))
    year = django_filters.NumberFilter(
        field_name="start_date", lookup_expr="year", label=_("Year"), min_value=1900, max_value=2200
    )
    start_after = django_filters.DateFilter(method="filter_start_after", label=_("From date"))
    start_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label=_("To date"))
    # The calendar counts an activity of several days on each of its days, and the map leaves
    # cancelled ones out: these two let their links list exactly the rows they counted.
    overlapping = django_filters.BooleanFilter(
        method="filter_nothing", label=_("Include those begun before “From date” and still going on")
    )
    not_cancelled = django_filters.BooleanFilter(method="filter_not_cancelled", label=_("Without cancelled ones"))
    country = CountryFilter(method="filter_country", label=_("Country (ISO code)"))
    partner = django_filters.NumberFilter(
        method="filter_partner", label=_("Partner (ID)"), min_value=1, max_value=2**62
    )
    agreement = django_filters.NumberFilter(
        method="filter_agreement", label=_("Agreement (ID)"), min_value=1, max_value=2**62
    )
    pillar = django_filters.ChoiceFilter(choices=Pillar.choices, label=_("Pillar"), empty_label=_("All"))
    unit = UnitCodeFilter(method="filter_unit", label=_("Organising unit (code)"))

    class Meta:
        model = Activity
        fields = ["q", "kind", "status", "year", "start_after", "start_before", "overlapping", "not_cancelled",
                  "country", "partner", "agreement", "pillar", "unit"]  # fmt: skip

    def filter_start_after(self, queryset, name, value):
        """Begun on or after ``value``; with ``overlapping``, not over before it (its last day — the
        start day when it has no end — is on or after it), as the calendar counts a visit."""
        if self.form.cleaned_data.get("overlapping"):
            return queryset.filter(Q(end_date__gte=value) | Q(end_date__isnull=True, start_date__gte=value))
        return queryset.filter(start_date__gte=value)

    def filter_nothing(self, queryset, name, value):
        return queryset  # a switch read by filter_start_after

    def filter_not_cancelled(self, queryset, name, value):
        return queryset.exclude(status=Activity.Status.CANCELLED) if value else queryset

    # Links filtered with EXISTS, never a JOIN: a JOIN would repeat an activity once per link.
    def filter_country(self, queryset, name, value):
        through = Activity.countries.through
        return queryset.filter(Exists(through.objects.filter(activity_id=OuterRef("pk"), country_id=value.pk)))

    def filter_partner(self, queryset, name, value):
        through = Activity.partners.through
        return queryset.filter(Exists(through.objects.filter(activity_id=OuterRef("pk"), partner_id=value)))

    def filter_agreement(self, queryset, name, value):
        through = Activity.agreements.through
        return queryset.filter(Exists(through.objects.filter(activity_id=OuterRef("pk"), agreement_id=value)))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit=value)


class AgreementFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=Agreement.Kind.choices, label=_("Kind"), empty_label=_("All"))
    status = django_filters.ChoiceFilter(
        choices=AgreementStatus.choices, label=_("Status"), empty_label=_("All"), method="filter_status"
    )
    expiring_within = django_filters.NumberFilter(
        label=_("Expiring within (days)"), method="filter_expiring", min_value=0, max_value=3650
    )
    idle_days = django_filters.NumberFilter(
        label=_("No activity for (days)"), method="filter_idle", min_value=1, max_value=3650
    )
    partner = django_filters.NumberFilter(
        method="filter_partner", label=_("Partner (ID)"), min_value=1, max_value=2**62
    )
    pillar = django_filters.ChoiceFilter(choices=Pillar.choices, label=_("Pillar"), empty_label=_("All"))
    unit = UnitCodeFilter(method="filter_unit", label=_("Signing unit (code)"))

    class Meta:
        model = Agreement
        fields = ["q", "kind", "status", "expiring_within", "idle_days", "partner", "pillar", "unit"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(agreement_status_q(value))

    def filter_expiring(self, queryset, name, value):
        """In force and ending within the next N days."""
        today = timezone.localdate()
        return queryset.filter(agreement_status_q(AgreementStatus.IN_FORCE, today)).filter(
            valid_to__gte=today, valid_to__lte=today + timedelta(days=int(value))
        )

    def filter_idle(self, queryset, name, value):
        """In force, signed before the period, and no activity held under it in the last N days."""
        today = timezone.localdate()
        since = today - timedelta(days=int(value))
        through = Activity.agreements.through
        # Held activities only (held_q: not cancelled, not in the future), whoever organised them:
        # the same ones the agreement page's "implementation by year" counts (selectors.agreement_years).
        recent = through.objects.filter(
            held_q(today, prefix="activity__"), agreement_id=OuterRef("pk"), activity__start_date__gte=since
        )
        return (
            queryset.filter(agreement_status_q(AgreementStatus.IN_FORCE, today))
            .exclude(signed_on__gt=since)
            .filter(~Exists(recent))
        )

    def filter_partner(self, queryset, name, value):
        through = Agreement.partners.through
        return queryset.filter(Exists(through.objects.filter(agreement_id=OuterRef("pk"), partner_id=value)))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit=value)
