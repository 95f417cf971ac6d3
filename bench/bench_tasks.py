"""Benchmarks of issue 3 at scale: the task list filtered by unit and status, the unit scorecard
for a year and the cascade page of a directive with thousands of descendant tasks — each page
against the raw SQL it needs (the floor), measured in the same interleaved run (see run.py).

The viewer is the coordinator at the last synthetic province (run.viewers()); the unit is the one
of that province leading most tasks; the directive is that province's synthetic directive.
"""

from django.db import connection
from django.utils import timezone

from bench.run import PAGE_ROWS, Bench, _columns, _scope_roles_sql, page


def _subjects(coordinator):
    from django.db.models import Count

    from apps.accounts.models import RoleAssignment, Unit
    from apps.documents.models import Document
    from apps.tasks.models import Task

    root = (
        Unit.objects.filter(roles__user=coordinator, roles__role=RoleAssignment.Role.COORDINATOR)
        .order_by("depth")
        .first()
    )
    busiest = (
        Task.objects.filter(lead_unit__path__startswith=root.path)
        .values("lead_unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    unit = Unit.objects.get(pk=busiest["lead_unit_id"])
    directive = Document.objects.filter(unit=root, type_code="CT").order_by("pk").first()
    if directive is None:
        raise RuntimeError("No synthetic directive at {}: regenerate the synthetic data.".format(root))
    return root, unit, directive


def _roles(cursor, viewer):
    today = timezone.localdate()
    cursor.execute(_scope_roles_sql(), [viewer.pk, today, today])
    return cursor.fetchall()


def list_floor(viewer, root, unit):
    """The overdue tasks of ``unit`` (scoped to the coordinator's subtree), first page by due date,
    with lead unit and document; then the supporting units of those rows."""
    from apps.accounts.models import Unit
    from apps.documents.models import Document
    from apps.tasks.models import Task

    t, u, d = Task._meta.db_table, Unit._meta.db_table, Document._meta.db_table
    through = Task.supporting_units.through._meta.db_table
    sql = (
        'SELECT {}, {}, {} FROM "{}" t JOIN "{}" u ON u."id" = t."lead_unit_id" LEFT JOIN "{}" d ON d."id" = t."document_id" '
        'WHERE u."path" LIKE %s AND t."lead_unit_id" = %s AND t."completed_on" IS NULL AND t."due_date" < %s '
        'ORDER BY t."due_date", t."id" LIMIT %s'
    ).format(_columns(Task, "t"), _columns(Unit, "u"), _columns(Document, "d"), t, u, d)
    related = (
        'SELECT s."task_id", {} FROM "{}" s JOIN "{}" su ON su."id" = s."unit_id" WHERE s."task_id" IN ({{}})'.format(
            _columns(Unit, "su"), through, u
        )
    )

    def run():
        with connection.cursor() as cursor:
            _roles(cursor, viewer)
            cursor.execute(sql, [root.path + "%", unit.pk, timezone.localdate(), PAGE_ROWS + 1])
            rows = cursor.fetchall()
            ids = [row[0] for row in rows[:PAGE_ROWS]]
            if ids:
                cursor.execute(related.format(", ".join(["%s"] * len(ids))), ids)
                rows += cursor.fetchall()
            return rows

    return run


def scorecard_floor(viewer, root, year):
    """Per lead unit of the subtree: tasks due in the year, done on time, done late, overdue."""
    from apps.accounts.models import Unit
    from apps.tasks.models import Task

    sql = (
        'SELECT t."lead_unit_id", u."name", u."code", COUNT(*), '
        'SUM(CASE WHEN t."completed_on" IS NOT NULL AND t."completed_on" <= t."due_date" THEN 1 ELSE 0 END), '
        'SUM(CASE WHEN t."completed_on" IS NOT NULL AND t."completed_on" > t."due_date" THEN 1 ELSE 0 END), '
        'SUM(CASE WHEN t."completed_on" IS NULL AND t."due_date" < %s THEN 1 ELSE 0 END) '
        'FROM "{}" t JOIN "{}" u ON u."id" = t."lead_unit_id" '
        'WHERE u."path" LIKE %s AND t."due_date" >= %s AND t."due_date" <= %s '
        'GROUP BY t."lead_unit_id", u."name", u."code"'
    ).format(Task._meta.db_table, Unit._meta.db_table)

    def run():
        from datetime import date

        with connection.cursor() as cursor:
            _roles(cursor, viewer)
            cursor.execute(sql, [timezone.localdate(), root.path + "%", date(year, 1, 1), date(year, 12, 31)])
            return cursor.fetchall()

    return run


def cascade_floor(viewer, root, directive, shown=None):
    """The directive, the documents implementing it (two levels), per document the count and
    progress sum of the subtree's tasks, and the first ``shown`` tasks of each document."""
    from apps.accounts.models import Unit
    from apps.documents.models import Document, DocumentLink
    from apps.documents.selectors import TASKS_SHOWN
    from apps.tasks.models import Task

    shown = shown or TASKS_SHOWN
    d, link, t, u = Document._meta.db_table, DocumentLink._meta.db_table, Task._meta.db_table, Unit._meta.db_table
    one = 'SELECT {} FROM "{}" d WHERE d."id" = %s'.format(_columns(Document, "d"), d)
    level = (
        'SELECT l."target_id", {} FROM "{}" l JOIN "{}" d ON d."id" = l."source_id" '
        'WHERE l."kind" = \'implements\' AND l."target_id" IN ({{}}) ORDER BY d."issued_on", d."id"'
    ).format(_columns(Document, "d"), link, d)
    totals = (
        'SELECT t."document_id", COUNT(*), SUM(t."progress") FROM "{}" t JOIN "{}" u ON u."id" = t."lead_unit_id" '
        'WHERE u."path" LIKE %s AND t."document_id" IN ({{}}) GROUP BY t."document_id"'
    ).format(t, u)
    first = (
        'SELECT * FROM (SELECT {}, {}, ROW_NUMBER() OVER (PARTITION BY t."document_id" ORDER BY t."due_date", t."id") AS rn '
        'FROM "{}" t JOIN "{}" u ON u."id" = t."lead_unit_id" WHERE u."path" LIKE %s AND t."document_id" IN ({{}})) x '
        "WHERE x.rn <= %s"
    ).format(_columns(Task, "t"), _columns(Unit, "u"), t, u)

    def run():
        with connection.cursor() as cursor:
            _roles(cursor, viewer)
            cursor.execute(one, [directive.pk])
            rows = cursor.fetchall()
            ids, frontier = [directive.pk], [directive.pk]
            while frontier:
                cursor.execute(level.format(", ".join(["%s"] * len(frontier))), frontier)
                found = cursor.fetchall()
                frontier = [row[1] for row in found if row[1] not in ids]
                ids += frontier
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(totals.format(marks), [root.path + "%", *ids])
            rows += cursor.fetchall()
            cursor.execute(first.format(marks), [root.path + "%", *ids, shown])
            rows += cursor.fetchall()
            return rows

    return run


def benches(clients: dict, coordinator, superuser) -> list[Bench]:
    root, unit, directive = _subjects(coordinator)
    year = timezone.localdate().year
    client = clients["coordinator"]
    return [
        Bench(
            "tasks.list.unit_status.page",
            page(client, "/tasks/?lead_unit={}&status=overdue".format(unit.code)),
            "page",
        ),
        Bench("tasks.list.unit_status.sql", list_floor(coordinator, root, unit), "sql"),
        Bench("tasks.scorecard.year.page", page(client, "/tasks/scorecard/?year={}".format(year)), "page"),
        Bench("tasks.scorecard.year.sql", scorecard_floor(coordinator, root, year), "sql"),
        Bench("tasks.cascade.page", page(client, directive.get_absolute_url()), "page"),
        Bench("tasks.cascade.sql", cascade_floor(coordinator, root, directive), "sql"),
    ]


def describe(coordinator) -> str:
    from apps.tasks.models import Task

    root, unit, directive = _subjects(coordinator)
    plans = directive.links_in.filter(kind="implements").values("source")
    descendants = Task.objects.filter(document__in=plans).count()
    return "tasks: unit {} ({} tasks), directive {} with {} descendant tasks".format(
        unit.code, Task.objects.filter(lead_unit=unit).count(), directive.notation, descendants
    )


def targets(by_name: dict, entry) -> None:
    for name in ("tasks.list.unit_status", "tasks.scorecard.year", "tasks.cascade"):
        entry(f"{name}.page p95 / raw SQL p95", by_name[f"{name}.page"], by_name[f"{name}.sql"], "<= 3.0", 3.0, False)
