"""Benchmark of issue 5 at scale: the aid statistics page for a province and a year against the
raw SQL it needs (the floor: the two GROUP BY queries over the items approved in the year and
the disbursements dated in it, with the viewer's roles read first), measured in the same interleaved run (see run.py).

The viewer is the coordinator at the last synthetic province (run.viewers()); the year is the one
with most approved synthetic items of that province.
"""

from datetime import date

from django.db import connection

from bench.bench_tasks import _roles
from bench.run import Bench, page


def _subjects(coordinator):
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from apps.accounts.models import RoleAssignment, Unit
    from apps.aid.models import AidItem

    root = (
        Unit.objects.filter(roles__user=coordinator, roles__role=RoleAssignment.Role.COORDINATOR)
        .order_by("depth")
        .first()
    )
    busiest = (
        AidItem.objects.filter(unit__path__startswith=root.path, approved_on__isnull=False)
        .annotate(year=ExtractYear("approved_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise RuntimeError("No synthetic aid at {}: regenerate the synthetic data.".format(root))
    return root, busiest["year"]


def statistics_floor(viewer, root, year):
    from apps.accounts.models import Unit
    from apps.aid.models import AidItem, Transaction

    a, u, t = AidItem._meta.db_table, Unit._meta.db_table, Transaction._meta.db_table
    # As apps.aid.statistics counts: items approved in the year; disbursements dated in the year,
    # whenever their item was approved; an amount in the totals only with both equivalents, the
    # others counted for the warning.
    items = (
        'SELECT a."kind", COUNT(*), '
        'SUM(a."committed_usd") FILTER (WHERE a."committed_usd" IS NOT NULL AND a."committed_vnd" IS NOT NULL), '
        'SUM(a."committed_vnd") FILTER (WHERE a."committed_usd" IS NOT NULL AND a."committed_vnd" IS NOT NULL), '
        'COUNT(*) FILTER (WHERE (a."committed_usd" IS NULL OR a."committed_vnd" IS NULL) AND a."committed_amount" <> 0) '
        'FROM "{}" a '
        'WHERE a."unit_id" IN (SELECT u."id" FROM "{}" u WHERE u."path" LIKE %s) '
        "AND a.\"status\" IN ('approved', 'implementing', 'completed') "
        'AND a."approved_on" >= %s AND a."approved_on" <= %s GROUP BY a."kind"'
    ).format(a, u)
    spent = (
        'SELECT a."kind", '
        'SUM(t."amount_usd") FILTER (WHERE t."amount_usd" IS NOT NULL AND t."amount_vnd" IS NOT NULL), '
        'SUM(t."amount_vnd") FILTER (WHERE t."amount_usd" IS NOT NULL AND t."amount_vnd" IS NOT NULL), '
        'COUNT(*) FILTER (WHERE (t."amount_usd" IS NULL OR t."amount_vnd" IS NULL) AND t."amount" <> 0) '
        'FROM "{}" t JOIN "{}" a ON a."id" = t."aid_item_id" '
        'WHERE a."unit_id" IN (SELECT u."id" FROM "{}" u WHERE u."path" LIKE %s) '
        "AND a.\"status\" IN ('approved', 'implementing', 'completed') AND t.\"kind\" = 'disbursement' "
        'AND t."date" >= %s AND t."date" <= %s GROUP BY a."kind"'
    ).format(t, a, u)

    def run():
        first, last = date(year, 1, 1), date(year, 12, 31)
        with connection.cursor() as cursor:
            _roles(cursor, viewer)
            cursor.execute(items, [root.path + "%", first, last])
            rows = cursor.fetchall()
            cursor.execute(spent, [root.path + "%", first, last])
            return rows + cursor.fetchall()

    return run


def benches(clients: dict, coordinator, superuser) -> list[Bench]:
    root, year = _subjects(coordinator)
    url = "/aid/statistics/?date_from=01/01/{y}&date_to=31/12/{y}&unit={u}".format(y=year, u=root.pk)
    return [
        Bench("aid.statistics.province_year.page", page(clients["coordinator"], url), "page"),
        Bench("aid.statistics.province_year.sql", statistics_floor(coordinator, root, year), "sql"),
    ]


def describe(coordinator) -> str:
    from apps.aid.models import AidItem, Transaction

    root, year = _subjects(coordinator)
    items = AidItem.objects.filter(unit__path__startswith=root.path)
    return "aid: {} in {} ({} items, {} transactions in the province; {} items nationally)".format(
        root.code,
        year,
        items.count(),
        Transaction.objects.filter(aid_item__in=items.values("pk")).count(),
        AidItem.objects.count(),
    )


def targets(by_name: dict, entry) -> None:
    name = "aid.statistics.province_year"
    entry(f"{name}.page p95 / raw SQL p95", by_name[f"{name}.page"], by_name[f"{name}.sql"], "<= 3.0", 3.0, False)
