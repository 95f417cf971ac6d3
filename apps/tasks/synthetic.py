"""Deterministic synthetic tasks and progress reports for ``generate_synthetic`` and ``bench/``.

Rows go in with ``bulk_create`` in batches (nothing passes through ``save()`` or the change log:
synthetic data is not anybody's edit), so the national scale (200,000 tasks, 2,000,000 reports)
streams in flat memory. Due dates spread over 2024–2027 around a fixed reference day, so whatever
day the bench runs there are tasks in every state. Synthetic tasks are those led by synthetic units
(codes ``SYN-…``); ``delete_synthetic_tasks`` removes exactly them.
"""

import random
import time
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from apps.core.text import fold_join
from apps.tasks.models import Notification, ProgressReport, Task

#: tasks and reports per scale (DESIGN.md: 200,000 tasks with 2,000,000 reports nationally)
SIZES = {"small": (200, 1_000), "province": (2_000, 20_000), "national": (200_000, 2_000_000)}
REFERENCE = date(2026, 1, 15)
FIRST_DUE, LAST_DUE = date(2024, 1, 1), date(2027, 12, 31)
BATCH = 5_000

VERBS = [
    "Tổ chức quán triệt",
    "Xây dựng kế hoạch",
    "Triển khai thực hiện",
    "Tổ chức giao lưu hữu nghị",
    "Đón tiếp đoàn",
    "Báo cáo sơ kết",
    "Tuyên truyền",
    "Vận động viện trợ",
    "Kiện toàn tổ chức",
    "Phối hợp tổ chức",
]
OBJECTS = [
    "Chỉ thị 12-CT/TW",
    "Chỉ thị 38-CT/TW",
    "công tác đối ngoại nhân dân",
    "hoạt động kỷ niệm Quốc khánh",
    "quan hệ với các địa phương kết nghĩa",
    "các tổ chức thành viên",
    "chương trình viện trợ phi chính phủ nước ngoài",
    "thông tin đối ngoại",
]
PERIODS = ["Quý I", "Quý II", "6 tháng đầu năm", "Quý III", "9 tháng", "Năm"]
RETURN_REASONS = ["Thiếu số liệu cụ thể.", "Đề nghị bổ sung kết quả phối hợp.", "Chưa nêu khó khăn, vướng mắc."]


def synthetic_tasks(prefix: str = "SYN-"):
    return Task.objects.filter(lead_unit__code__startswith=prefix)


@transaction.atomic
def delete_synthetic_tasks(prefix: str = "SYN-") -> int:
    """Remove the synthetic tasks, their reports, notifications and supporting units (no signals:
    synthetic rows were never logged either)."""
    tasks = synthetic_tasks(prefix).values("pk")
    for qs in (
        Notification.objects.filter(task__in=tasks),
        ProgressReport.objects.filter(task__in=tasks),
        Task.supporting_units.through.objects.filter(task__in=tasks),
    ):
        qs._raw_delete(qs.db)
    synthetic_tasks(prefix).filter(parent__isnull=False).update(parent=None)
    ids = list(synthetic_tasks(prefix).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        qs = Task.objects.filter(pk__in=ids[start : start + BATCH])
        qs._raw_delete(qs.db)
    return len(ids)


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _task(rng: random.Random, index: int, unit_ids, document_ids) -> Task:
    """``document_ids``: a list to draw from, or {lead unit id: its province's documents}."""
    due = None if rng.random() < 0.08 else _day(rng, FIRST_DUE, LAST_DUE)
    completed = None
    if due is not None and due < REFERENCE and rng.random() < 0.75:
        on_time = rng.random() < 0.7
        completed = due - timedelta(days=rng.randint(0, 60)) if on_time else due + timedelta(days=rng.randint(1, 90))
    elif rng.random() < 0.05:
        completed = REFERENCE - timedelta(days=rng.randint(1, 300))
    progress = 100 if completed else rng.choice([0, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90])
    title = "{} {} (số {})".format(rng.choice(VERBS), rng.choice(OBJECTS), index)
    description = "Nhiệm vụ tổng hợp số {} phục vụ đo hiệu năng.".format(index)
    task = Task(
        title=title,
        description=description,
        lead_unit_id=rng.choice(unit_ids),
        document_id=None,
        due_date=due,
        recurrence="ongoing" if due is None else "none",
        priority=rng.choice(["low", "normal", "normal", "high"]),
        progress=progress,
        completed_on=completed,
        search_text=fold_join(title, description),
    )
    lead = task.lead_unit_id
    choices = document_ids.get(lead) if isinstance(document_ids, dict) else document_ids
    if choices and rng.random() < (0.9 if isinstance(document_ids, dict) else 0.7):
        task.document_id = rng.choice(choices)
    return task


def _reports(rng: random.Random, task: Task, count: int, supporting: list[int]) -> list[dict]:
    """``count`` reports (as column values) climbing to the task's progress; the lead unit's last
    accepted one carries it."""
    if count == 0:
        return []
    end = task.completed_on or REFERENCE
    start = end - timedelta(days=30 * count)
    rows = []
    for n in range(count):
        last = n == count - 1
        percent = task.progress if last else min(task.progress, int(task.progress * (n + 1) / count))
        unit_id = rng.choice(supporting) if supporting and not last and rng.random() < 0.2 else task.lead_unit_id
        review = "accepted"
        if not last and rng.random() < 0.1:
            review = "returned"
        elif last and task.completed_on is None and rng.random() < 0.15:
            review = "submitted"
        reported_on = start + timedelta(days=30 * (n + 1))
        rows.append(
            {
                "task_id": task.pk,
                "unit_id": unit_id,
                "period": rng.choice(PERIODS),
                "percent": percent,
                "text": "Báo cáo tiến độ lần {}.".format(n + 1),
                "reported_on": reported_on,
                "review_status": review,
                "reason": rng.choice(RETURN_REASONS) if review == "returned" else "",
                "reviewed_at": None
                if review == "submitted"
                else datetime(reported_on.year, reported_on.month, reported_on.day, 9, 0, tzinfo=UTC),
            }
        )
    return rows


def _insert_reports(rows: list[dict]) -> None:
    """Plain ``executemany`` of column values: two million reports through model instances and
    bulk_create cost minutes of ORM overhead. Dates are adapted once per distinct value."""
    from django.db import connection

    if not rows:
        return
    now = timezone.now()
    defaults = {
        "created": now,
        "last_updated": now,
        "version": 1,
        "search_text": "",
        "reported_by_id": None,
        "reviewed_by_id": None,
    }
    fields = [f for f in ProgressReport._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(ProgressReport._meta.db_table), columns, ", ".join(["%s"] * len(fields))
    )
    adapted: dict = {}

    def prep(field, value):
        if value is None or isinstance(value, (int, str)):
            return value
        key = (field.attname, value)
        if key not in adapted:
            adapted[key] = field.get_db_prep_save(value, connection)
        return adapted[key]

    values = [[prep(f, row[f.attname] if f.attname in row else defaults[f.attname]) for f in fields] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def generate_tasks(
    *,
    unit_ids: list[int],
    document_ids: list[int] | None = None,
    tasks: int,
    reports: int,
    seed: int = 2025,
    report=print,
) -> dict[str, int]:
    """Bulk-create ``tasks`` tasks led by ``unit_ids`` (70 % of them from ``document_ids`` when
    given), with up to two supporting units each and about ``reports`` progress reports in all.
    The same seed and inputs give the same rows."""
    if not unit_ids:
        return {"tasks": 0, "reports": 0}
    rng = random.Random(seed)
    unit_ids = sorted(unit_ids)
    if not isinstance(document_ids, dict):
        document_ids = sorted(document_ids or [])
    per_task = reports / tasks if tasks else 0
    through = Task.supporting_units.through
    started = time.perf_counter()
    made_tasks = made_reports = 0
    with transaction.atomic():
        for first in range(0, tasks, BATCH):
            batch = [_task(rng, i, unit_ids, document_ids) for i in range(first, min(first + BATCH, tasks))]
            Task.objects.bulk_create(batch, batch_size=2_000)
            links, rows = [], []
            for task in batch:
                supporting = [u for u in rng.sample(unit_ids, min(2, len(unit_ids))) if u != task.lead_unit_id]
                supporting = supporting[: rng.randint(0, 2)]
                links += [through(task_id=task.pk, unit_id=u) for u in supporting]
                count = rng.randint(0, int(2 * per_task)) if per_task else 0
                rows += _reports(rng, task, count, supporting)
            through.objects.bulk_create(links, batch_size=5_000)
            _insert_reports(rows)
            made_tasks += len(batch)
            made_reports += len(rows)
            report(
                "tasks: {}/{} ({} reports) in {:.1f} s".format(
                    made_tasks, tasks, made_reports, time.perf_counter() - started
                )
            )
    return {"tasks": made_tasks, "reports": made_reports}


# -- the generate_synthetic extension --------------------------------------------------------------

#: plans implementing each province's directive; with 90 % of a province's tasks drawn from them,
#: a national province's directive has about 5,000 descendant tasks (the cascade benchmark)
PLANS_PER_PROVINCE = 20
DIRECTIVE_TITLE = "Chỉ thị tổng hợp về tăng cường công tác đối ngoại nhân dân"


def synthetic_documents(prefix: str = "SYN-"):
    from apps.documents.models import Document

    return Document.objects.filter(unit__code__startswith=prefix)


def _cascades(rng: random.Random, prefix: str) -> dict[int, list[int]]:
    """For each synthetic province: its directive (kept by the province) and PLANS_PER_PROVINCE
    plans of units in it implementing the directive. Returns {unit id: its province's plan ids}."""
    from apps.accounts.models import Unit
    from apps.documents.models import Document, DocumentLink

    roots = list(Unit.objects.filter(code__startswith=prefix, depth=1).order_by("path"))
    by_unit: dict[int, list[int]] = {}
    for number, root in enumerate(roots, start=1):
        members = list(
            Unit.objects.filter(path__startswith=root.path, valid_to__isnull=True)
            .order_by("path")
            .values_list("pk", flat=True)
        )
        directive = Document(
            unit=root,
            system=Document.System.PARTY,
            type_code="CT",
            type_name="Chỉ thị",
            number=str(number),
            issuer_code="TU",
            notation="{}-CT/TU".format(number),
            issued_on=date(2024, 1, 1) + timedelta(days=number),
            title=DIRECTIVE_TITLE,
        )
        plans = []
        for index in range(PLANS_PER_PROVINCE):
            plan_number = number * 1000 + index
            plans.append(
                Document(
                    unit_id=rng.choice(members),
                    system=Document.System.STATE,
                    type_code="KH",
                    type_name="Kế hoạch",
                    number=str(plan_number),
                    issuer_code="UBND",
                    notation="{}/KH-UBND".format(plan_number),
                    issued_on=date(2024, 3, 1) + timedelta(days=index),
                    title="Kế hoạch thực hiện {} (số {})".format(DIRECTIVE_TITLE.lower(), plan_number),
                )
            )
        documents = [directive, *plans]
        for document in documents:
            document.search_text = document.build_search_text()
        Document.objects.bulk_create(documents)
        DocumentLink.objects.bulk_create(
            [DocumentLink(source=plan, target=directive, kind=DocumentLink.Kind.IMPLEMENTS) for plan in plans]
        )
        plan_ids = [plan.pk for plan in plans]
        for unit_id in members:
            by_unit[unit_id] = plan_ids
    return by_unit


def generate_synthetic(*, scale: str, seed: int, report=print, prefix: str = "SYN-") -> dict[str, int]:
    """Tasks and reports of ``scale`` (SIZES) for the synthetic units, each province with its
    directive cascade. Called by ``generate_synthetic`` after the units and users."""
    from apps.accounts.models import Unit

    tasks, reports = SIZES[scale]
    rng = random.Random(seed)
    with transaction.atomic():
        by_unit = _cascades(rng, prefix)
        unit_ids = list(
            Unit.objects.filter(code__startswith=prefix, valid_to__isnull=True).values_list("pk", flat=True)
        )
        counts = generate_tasks(
            unit_ids=unit_ids, document_ids=by_unit, tasks=tasks, reports=reports, seed=seed, report=report
        )
    counts["documents"] = synthetic_documents(prefix).count()
    return counts


def is_complete(scale: str, prefix: str = "SYN-") -> bool:
    """Whether the synthetic tasks of ``scale`` are all there (the bench reuses its database)."""
    return synthetic_tasks(prefix).count() == SIZES[scale][0]


@transaction.atomic
def delete_synthetic(prefix: str = "SYN-") -> int:
    """Remove the synthetic tasks and the synthetic cascade documents (before their units go)."""
    from apps.documents.models import Document, DocumentLink

    removed = delete_synthetic_tasks(prefix)
    documents = synthetic_documents(prefix).values("pk")
    for qs in (
        DocumentLink.objects.filter(source__in=documents),
        DocumentLink.objects.filter(target__in=documents),
        Document.shared_units.through.objects.filter(document__in=documents),
    ):
        qs._raw_delete(qs.db)
    qs = Document.objects.filter(pk__in=documents)
    qs._raw_delete(qs.db)
    return removed
