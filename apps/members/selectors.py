"""Reads of member organisations and awards, each in a fixed number of queries."""

from django.db.models import Count, OuterRef, Subquery

from apps.core.querysets import VIEW
from apps.members.models import Award, MemberOrganisation, MembershipCount


def organisation_reads(queryset):
    """Organisations with their unit, countries and their latest membership count."""
    latest = MembershipCount.objects.filter(organisation=OuterRef("pk")).order_by("-year")
    return (
        queryset.select_related("unit")
        .prefetch_related("countries")
        .annotate(
            latest_members=Subquery(latest.values("members")[:1]),
            latest_year=Subquery(latest.values("year")[:1]),
        )
    )


def organisation_activities(organisation, user, limit: int = 20):
    """The activities the association organised or took part in (from the activities registry),
    newest first."""
    from django.db.models import Q

    from apps.activities.models import Activity

    unit = organisation.unit_id
    return list(
        Activity.objects.for_user(user, VIEW)
        .filter(Q(unit_id=unit) | Q(participating_units=unit))
        .distinct()
        .order_by("-start_date", "-pk")[:limit]
    )


def awards_by_year(queryset, year: int) -> dict[str, int]:
    """{kind: count} of the awards of ``year`` (for reports)."""
    rows = queryset.filter(year=year).order_by().values("kind").annotate(n=Count("pk"))
    return {row["kind"]: row["n"] for row in rows}


__all__ = ["organisation_reads", "organisation_activities", "awards_by_year", "Award", "MemberOrganisation"]
