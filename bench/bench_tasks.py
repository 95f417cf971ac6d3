"""Benchmarks of issue 3 at scale: the task list filtered by unit and status, the unit scorecard
for a year and the cascade page of a directive with thousands of descendant tasks — each page
against the raw SQL it needs (the floor), measured in the same interleaved run (see run.py).

The list and the scorecard are seen by the coordinator at the last synthetic province
(run.viewers()); the unit is the one of that province leading most tasks. The cascade is the
directive of the province whose directive has the fewest descendant tasks at or above
CASCADE_TASKS (the issue's 5,000), seen by that province's coordinator.
"""

from django.db import connection
from django.utils import timezone

from bench.run import PAGE_ROWS, Bench, _columns, _scope_roles_sql, page

CASCADE_TASKS = 5_000


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


def _cascade_subject():
    """(coordinator, province root, directive) for the cascade benchmark; falls back to the
    largest cascade when none reaches CASCADE_TASKS (small scales)."""
    from django.db.models import Count

    from apps.accounts.models import RoleAssignment, Unit, User
    from apps.documents.models import Document, DocumentLink
    from apps.tasks.models import Task

    plans = DocumentLink.objects.filter(
        kind="implements", target__type_code="CT", target__unit__code__startswith="SYN-"
    )
    counts = dict(
        Task.objects.filter(document__in=plans.values("source"))
        .values("document__links_out__target")
        .annotate(n=Count("pk"))
        .values_list("document__links_out__target", "n")
    )
    if not counts:
        raise RuntimeError("No synthetic directive: regenerate the synthetic data.")
    enough = {d: n for d, n in counts.items() if n >= CASCADE_TASKS}
    directive_id = min(enough, key=enough.get) if enough else max(counts, key=counts.get)
    directive = Document.objects.select_related("unit").get(pk=directive_id)
    root = directive.unit
    coordinator = (
        User.objects.filter(roles__role=RoleAssignment.Role.COORDINATOR, roles__unit=root, is_active=True)
        .order_by("username")
        .first()
    )
    if coordinator is None:
        raise RuntimeError("No coordinator at {}.".format(Unit.objects.get(pk=root.pk)))
    return coordinator, root, directive, counts[directive_id]


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
    # The columns the list reads (apps.tasks.selectors.TASK_LIST_FIELDS).
    sql = (
        'SELECT t."id", t."title", t."parent_id", t."due_date", t."recurrence", t."priority", t."completed_on", '
        't."progress", t."document_id", t."lead_unit_id", d."id", d."notation", d."type_name", d."title", '
        'u."id", u."name", u."short_name" '
        'FROM "{}" t JOIN "{}" u ON u."id" = t."lead_unit_id" LEFT JOIN "{}" d ON d."id" = t."document_id" '
        'WHERE u."path" LIKE %s AND t."lead_unit_id" = %s AND t."completed_on" IS NULL AND t."due_date" < %s '
        'ORDER BY t."due_date", t."id" LIMIT %s'
    ).format(t, u, d)
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
    """Per lead unit of the subtree: tasks due in the year, done on time, done late, overdue; and
    the finished rounds of recurring tasks due in the year."""
    from apps.accounts.models import Unit
    from apps.tasks.models import Task, TaskCycle

    sql = (
        'SELECT t."lead_unit_id", u."name", u."code", COUNT(*), '
        'SUM(CASE WHEN t."completed_on" IS NOT NULL AND t."completed_on" <= t."due_date" THEN 1 ELSE 0 END), '
        'SUM(CASE WHEN t."completed_on" IS NOT NULL AND t."completed_on" > t."due_date" THEN 1 ELSE 0 END), '
        'SUM(CASE WHEN t."completed_on" IS NULL AND t."due_date" < %s THEN 1 ELSE 0 END) '
        'FROM "{}" t JOIN "{}" u ON u."id" = t."lead_unit_id" '
        'WHERE u."path" LIKE %s AND t."due_date" >= %s AND t."due_date" <= %s '
        'GROUP BY t."lead_unit_id", u."name", u."code"'
    ).format(Task._meta.db_table, Unit._meta.db_table)
    # The finished rounds of recurring tasks due in the year (apps.tasks.selectors.scorecard).
    rounds = (
        'SELECT t."lead_unit_id", u."name", u."code", COUNT(*), '
        'SUM(CASE WHEN c."completed_on" <= c."due_date" THEN 1 ELSE 0 END) '
        'FROM "{}" c JOIN "{}" t ON t."id" = c."task_id" JOIN "{}" u ON u."id" = t."lead_unit_id" '
        'WHERE u."path" LIKE %s AND c."due_date" >= %s AND c."due_date" <= %s '
        'GROUP BY t."lead_unit_id", u."name", u."code"'
    ).format(TaskCycle._meta.db_table, Task._meta.db_table, Unit._meta.db_table)

    def run():
        from datetime import date

        first, last = date(year, 1, 1), date(year, 12, 31)
        with connection.cursor() as cursor:
            _roles(cursor, viewer)
            cursor.execute(sql, [timezone.localdate(), root.path + "%", first, last])
            rows = cursor.fetchall()
            cursor.execute(rounds, [root.path + "%", first, last])
            return rows + cursor.fetchall()

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
    # A subtask on its parent's document counts through its parent (task_summary_for_documents).
    top = 'LEFT JOIN "{}" p ON p."id" = t."parent_id" '.format(t)
    not_sub = '(p."document_id" IS NULL OR p."document_id" <> t."document_id")'
    totals = (
        'SELECT t."document_id", COUNT(*), SUM(t."progress") FROM "{}" t JOIN "{}" u ON u."id" = t."lead_unit_id" '
        + top
        + 'WHERE u."path" LIKE %s AND t."document_id" IN ({{}}) AND '
        + not_sub
        + ' GROUP BY t."document_id"'
    ).format(t, u)
    first = (
        'SELECT * FROM (SELECT t."id", t."title", t."progress", t."document_id", t."due_date", u."id", u."name", '
        'u."short_name", ROW_NUMBER() OVER (PARTITION BY t."document_id" ORDER BY t."due_date", t."id") AS rn '
        'FROM "{}" t JOIN "{}" u ON u."id" = t."lead_unit_id" '
        + top
        + 'WHERE u."path" LIKE %s AND t."document_id" IN ({{}}) AND '
        + not_sub
        + ") x WHERE x.rn <= %s"
    ).format(t, u)  # the columns the page reads (apps.tasks.selectors.CASCADE_TASK_FIELDS)

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
    benches = [
        Bench(
            "tasks.list.unit_status.page",
            page(client, "/tasks/?lead_unit={}&status=overdue".format(unit.code)),
            "page",
        ),
        Bench("tasks.list.unit_status.sql", list_floor(coordinator, root, unit), "sql"),
        Bench("tasks.scorecard.year.page", page(client, "/tasks/scorecard/?year={}".format(year)), "page"),
        Bench("tasks.scorecard.year.sql", scorecard_floor(coordinator, root, year), "sql"),
    ]
    from django.test import Client

    cascade_viewer, cascade_root, cascade_directive, _n = _cascade_subject()
    cascade_client = Client()
    cascade_client.force_login(cascade_viewer)
    return benches + [
        Bench("tasks.cascade.page", page(cascade_client, cascade_directive.get_absolute_url()), "page"),
        Bench("tasks.cascade.sql", cascade_floor(cascade_viewer, cascade_root, cascade_directive), "sql"),
    ]


def describe(coordinator) -> str:
    from apps.tasks.models import Task

    root, unit, _directive = _subjects(coordinator)
    viewer, _root, directive, descendants = _cascade_subject()
    return "tasks: unit {} ({} tasks); cascade: directive {} ({}) with {} descendant tasks, seen by {}".format(
        unit.code,
        Task.objects.filter(lead_unit=unit).count(),
        directive.notation,
        directive.unit.code,
        descendants,
        viewer.username,
    )


def targets(by_name: dict, entry) -> None:
    for name in ("tasks.list.unit_status", "tasks.scorecard.year", "tasks.cascade"):
        entry(f"{name}.page p95 / raw SQL p95", by_name[f"{name}.page"], by_name[f"{name}.sql"], "<= 3.0", 3.0, False)
