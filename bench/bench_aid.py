"""Benchmark of issue 5 at scale: the aid statistics page for a province and a year against the
raw SQL it needs (the floor: the two GROUP BY queries over the items and their disbursements,
with the viewer's roles read first), measured in the same interleaved run (see run.py).

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
    items = (
        'SELECT a."kind", COUNT(*), SUM(a."committed_usd"), SUM(a."committed_vnd") FROM "{}" a '
        'WHERE a."unit_id" IN (SELECT u."id" FROM "{}" u WHERE u."path" LIKE %s) '
        "AND a.\"status\" IN ('approved', 'implementing', 'completed') "
        'AND a."approved_on" >= %s AND a."approved_on" <= %s GROUP BY a."kind"'
    ).format(a, u)
    spent = (
        'SELECT a."kind", SUM(t."amount_usd"), SUM(t."amount_vnd") FROM "{}" t JOIN "{}" a ON a."id" = t."aid_item_id" '
        'WHERE a."unit_id" IN (SELECT u."id" FROM "{}" u WHERE u."path" LIKE %s) '
        "AND a.\"status\" IN ('approved', 'implementing', 'completed') AND t.\"kind\" = 'disbursement' "
        'AND a."approved_on" >= %s AND a."approved_on" <= %s AND t."date" >= %s AND t."date" <= %s GROUP BY a."kind"'
    ).format(t, a, u)

    def run():
        first, last = date(year, 1, 1), date(year, 12, 31)
        with connection.cursor() as cursor:
            _roles(cursor, viewer)
            cursor.execute(items, [root.path + "%", first, last])
            rows = cursor.fetchall()
            cursor.execute(spent, [root.path + "%", first, last, first, last])
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
