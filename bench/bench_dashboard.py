"""Benchmark of issue 6's dashboards at scale: the leader's year at a glance (``/dashboard/year/``)
for one province and this year against the sum of its raw SQL floors, measured in the same
interleaved run (see run.py).

The viewer is the coordinator at the last synthetic province (run.viewers()): coordinators read
everything under their unit, so they see the leader's section too. The floor is every aggregate the
section needs, written by hand and run one after the other: the viewer's roles; activities by kind
and month; delegations in and out by country; partners by country; aid approved in the year by
kind and its disbursements; tasks due in the year by lead unit with their outcomes.
"""

from datetime import date

from django.db import connection
from django.utils import timezone

from bench.run import Bench, _scope_roles_sql, page


def _root(coordinator):
    from apps.accounts.models import RoleAssignment, Unit

    return (
        Unit.objects.filter(roles__user=coordinator, roles__role=RoleAssignment.Role.COORDINATOR)
        .order_by("depth")
        .first()
    )


def _year(root) -> int:
    """The latest year, up to this one, in which the province started an activity (this year when
    it has none): a year with data, whatever the synthetic data's dates."""
    from django.db.models import Max

    from apps.activities.models import Activity

    this = timezone.localdate().year
    latest = Activity.objects.filter(unit__path__startswith=root.path, start_date__lte=date(this, 12, 31)).aggregate(
        latest=Max("start_date")
    )["latest"]
    return latest.year if latest else this


def year_floor(viewer, root, year):
    from apps.accounts.models import Unit
    from apps.activities.models import Activity
    from apps.aid.models import APPROVED_STATUSES, AidItem, Transaction
    from apps.partners.models import Country, Partner
    from apps.tasks.models import Task

    u, a, ac = Unit._meta.db_table, Activity._meta.db_table, Activity.countries.through._meta.db_table
    p, c, i, t = Partner._meta.db_table, Country._meta.db_table, AidItem._meta.db_table, Transaction._meta.db_table
    task = Task._meta.db_table
    month = "CAST(strftime('%%m', a.\"start_date\") AS integer)" if connection.vendor == "sqlite" else (
        'EXTRACT(MONTH FROM a."start_date")'
    )  # fmt: skip
    activities = (
        'SELECT a."kind", {month}, COUNT(*) FROM "{a}" a JOIN "{u}" u ON u."id" = a."unit_id" '
        'WHERE u."path" LIKE %s AND a."start_date" >= %s AND a."start_date" <= %s GROUP BY a."kind", {month}'
    ).format(month=month, a=a, u=u)
    delegations = (
        'SELECT ac."country_id", co."code", co."name_vi", co."name_en", '
        "SUM(CASE WHEN a.\"kind\" = 'incoming_delegation' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN a.\"kind\" = 'outgoing_delegation' THEN 1 ELSE 0 END) "
        'FROM "{ac}" ac JOIN "{a}" a ON a."id" = ac."activity_id" JOIN "{u}" u ON u."id" = a."unit_id" '
        'JOIN "{c}" co ON co."id" = ac."country_id" '
        'WHERE u."path" LIKE %s AND a."start_date" >= %s AND a."start_date" <= %s '
        "AND a.\"kind\" IN ('incoming_delegation', 'outgoing_delegation') "
        'GROUP BY ac."country_id", co."code", co."name_vi", co."name_en"'
    ).format(ac=ac, a=a, u=u, c=c)
    partners = (
        'SELECT p."country_id", co."code", co."name_vi", co."name_en", COUNT(*) FROM "{p}" p '
        'JOIN "{u}" u ON u."id" = p."unit_id" JOIN "{c}" co ON co."id" = p."country_id" '
        'WHERE u."path" LIKE %s GROUP BY p."country_id", co."code", co."name_vi", co."name_en"'
    ).format(p=p, u=u, c=c)
    statuses = ", ".join("'{}'".format(s.value) for s in APPROVED_STATUSES)
    aid = (
        'SELECT i."kind", COUNT(*), '
        'SUM(i."committed_usd") FILTER (WHERE i."committed_usd" IS NOT NULL AND i."committed_vnd" IS NOT NULL), '
        'SUM(i."committed_vnd") FILTER (WHERE i."committed_usd" IS NOT NULL AND i."committed_vnd" IS NOT NULL) '
        'FROM "{i}" i JOIN "{u}" u ON u."id" = i."unit_id" WHERE u."path" LIKE %s AND i."status" IN ({s}) '
        'AND i."approved_on" >= %s AND i."approved_on" <= %s GROUP BY i."kind"'
    ).format(i=i, u=u, s=statuses)
    # As apps.aid.statistics counts (the dashboard's aid table is that page's numbers): disbursements
    # dated in the year whenever their item was approved; an amount only with both equivalents.
    disbursed = (
        'SELECT i."kind", '
        'SUM(t."amount_usd") FILTER (WHERE t."amount_usd" IS NOT NULL AND t."amount_vnd" IS NOT NULL), '
        'SUM(t."amount_vnd") FILTER (WHERE t."amount_usd" IS NOT NULL AND t."amount_vnd" IS NOT NULL) '
        'FROM "{t}" t JOIN "{i}" i ON i."id" = t."aid_item_id" '
        'JOIN "{u}" u ON u."id" = i."unit_id" WHERE u."path" LIKE %s AND i."status" IN ({s}) '
        'AND t."kind" = \'disbursement\' AND t."date" >= %s AND t."date" <= %s GROUP BY i."kind"'
    ).format(t=t, i=i, u=u, s=statuses)
    completion = (
        'SELECT t."lead_unit_id", u."name", u."code", COUNT(*), '
        'SUM(CASE WHEN t."completed_on" IS NOT NULL AND t."completed_on" <= t."due_date" THEN 1 ELSE 0 END), '
        'SUM(CASE WHEN t."completed_on" IS NOT NULL AND t."completed_on" > t."due_date" THEN 1 ELSE 0 END), '
        'SUM(CASE WHEN t."completed_on" IS NULL AND t."due_date" < %s THEN 1 ELSE 0 END) '
        'FROM "{t}" t JOIN "{u}" u ON u."id" = t."lead_unit_id" '
        'WHERE u."path" LIKE %s AND t."due_date" >= %s AND t."due_date" <= %s '
        'GROUP BY t."lead_unit_id", u."name", u."code"'
    ).format(t=task, u=u)

    def run():
        today = timezone.localdate()
        start, end = date(year, 1, 1), date(year, 12, 31)
        under = root.path + "%"
        rows = []
        with connection.cursor() as cursor:
            cursor.execute(_scope_roles_sql(), [viewer.pk, today, today])
            rows += cursor.fetchall()
            for sql, params in (
                (activities, [under, start, end]),
                (delegations, [under, start, end]),
                (partners, [under]),
                (aid, [under, start, end]),
                (disbursed, [under, start, end]),
                (completion, [today, under, start, end]),
            ):
                cursor.execute(sql, params)
                rows += cursor.fetchall()
        return rows

    return run


def benches(clients: dict, coordinator, superuser) -> list[Bench]:
    root = _root(coordinator)
    year = _year(root)
    return [
        Bench("dashboard.year.page", page(clients["coordinator"], "/dashboard/year/?year={}".format(year)), "page"),
        Bench("dashboard.year.sql", year_floor(coordinator, root, year), "sql"),
    ]


def describe(coordinator) -> str:
    from apps.activities.models import Activity
    from apps.aid.models import AidItem
    from apps.partners.models import Partner
    from apps.tasks.models import Task

    root = _root(coordinator)
    year = _year(root)
    under = {"unit__path__startswith": root.path}
    return "dashboard: {} in {}: {} activities, {} partners, {} aid items approved, {} tasks due".format(
        root.code,
        year,
        Activity.objects.filter(start_date__year=year, **under).count(),
        Partner.objects.filter(**under).count(),
        AidItem.objects.filter(approved_on__year=year, **under).count(),
        Task.objects.filter(due_date__year=year, lead_unit__path__startswith=root.path).count(),
    )


def targets(by_name: dict, entry) -> None:
    entry(
        "dashboard.year.page p95 / sum of raw SQL floors p95",
        by_name["dashboard.year.page"],
        by_name["dashboard.year.sql"],
        "<= 3.0",
        3.0,
        False,
    )
