"""The reads that pages and the API share: scoped, with their related rows fetched in bulk, and
the aggregate of what was done under an agreement each year."""

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import ExtractYear

from apps.activities.models import Activity, Agreement, held_q
from apps.core.querysets import VIEW


def activity_reads(qs):
    from apps.partners.models import Country, Partner

    return qs.select_related("unit").prefetch_related(
        # Plain lists (to_attr): a page of rows then builds no queryset per row.
        Prefetch(
            "partners",
            queryset=Partner.objects.only("pk", "name", "name_vi", "name_en", "name_key"),
            to_attr="partner_list",
        ),
        Prefetch(
            "countries", queryset=Country.objects.only("pk", "code", "name_vi", "name_en"), to_attr="country_list"
        ),
    )


#: the columns the activity list, its exports and its rows read (the bench floor reads the same):
#: descriptions, outcomes and itineraries can be long and the list never shows them
ACTIVITY_LIST_FIELDS = (
    "id",
    "start_date",
    "end_date",
    "title",
    "kind",
    "place_name",
    "status",
    "vn_participants",
    "foreign_participants",
    "unit__id",
    "unit__name",
    "unit__short_name",
)


def activity_list_reads(qs):
    return activity_reads(qs).only(*ACTIVITY_LIST_FIELDS)


def agreement_reads(qs):
    from apps.partners.models import Partner

    return qs.select_related("unit").prefetch_related(
        Prefetch("partners", queryset=Partner.objects.select_related("country"), to_attr="partner_list")
    )


def agreement_years(*, agreement: Agreement, user, per_year: int = 50) -> list[dict]:
    """What was done under ``agreement`` each year, newest first: the activities held under it
    (``models.held_q``: a future one is not done yet, a cancelled one never was). The counts, participants and
    budget come from one aggregate query over every activity under the agreement, whoever
    organised it — the same activities the "no activity in the last year" list considers — so
    the agreement's reader sees all the work done under it; the activities are listed (at most
    ``per_year``, from one more query) only where ``user`` may see them, and ``hidden`` says how
    many of a year's are kept by units the user does not see."""
    held = Activity.objects.filter(held_q(), agreements=agreement)
    visible = held.filter(pk__in=Activity.objects.for_user(user, VIEW).values("pk"))
    totals = list(
        held.annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(
            n=Count("id"),
            seen=Count("id", filter=Q(pk__in=Activity.objects.for_user(user, VIEW).values("pk"))),
            vn=Sum("vn_participants"),
            foreign=Sum("foreign_participants"),
            budget=Sum("budget"),
        )
        .order_by("-year")
    )
    if not totals:
        return []
    rows = list(
        visible.only("pk", "title", "kind", "start_date", "end_date", "status", "place_name").order_by(
            "-start_date", "-id"
        )[: per_year * len(totals)]
    )
    by_year: dict[int, list] = {}
    for row in rows:
        bucket = by_year.setdefault(row.start_date.year, [])
        if len(bucket) < per_year:
            bucket.append(row)
    for total in totals:
        seen = total.pop("seen")
        total["activities"] = by_year.get(total["year"], [])
        total["more"] = seen - len(total["activities"])
        total["hidden"] = total["n"] - seen
    return totals
