"""Reads that matter: scoped, annotated querysets and aggregates shared by pages, the API, the
cascade page of documents and the reports. Each answers in one query whatever the number of rows."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, Exists, F, OuterRef, Q
from django.utils import timezone

from apps.core.querysets import VIEW
from apps.tasks.models import ProgressReport, Task, TaskStatus, status_q

#: the columns the task list, its Excel/CSV exports and its rows read (the bench floor reads the same)
TASK_LIST_FIELDS = (
    "id",
    "title",
    "parent_id",
    "due_date",
    "recurrence",
    "priority",
    "completed_on",
    "progress",
    "document__id",
    "document__notation",
    "document__type_name",
    "document__title",
    "lead_unit__id",
    "lead_unit__name",
    "lead_unit__short_name",
)


def task_reads(queryset):
    """What every task list needs, fetched with the rows (no query per row)."""
    return queryset.select_related("lead_unit", "document").prefetch_related("supporting_units")


def task_list(*, user, filters=None):
    """Tasks ``user`` may see, ready for a list (``filters``: a QueryDict for TaskFilterSet)."""
    qs = task_reads(Task.objects.for_user(user, VIEW))
    if filters is not None:
        from apps.tasks.filtersets import TaskFilterSet

        filterset = TaskFilterSet(filters, queryset=qs)
        qs = filterset.qs if filterset.is_valid() else qs.none()
    return qs


def task_list_for_unit(*, unit, user, filters=None):
    """Tasks led by ``unit`` that ``user`` may see."""
    return task_list(user=user, filters=filters).filter(lead_unit=unit)


def progress_by_document(document_ids: Iterable[int], *, user=None) -> dict[int, float]:
    """Average progress (0–100) of each document's tasks, in one aggregate query. Documents with no
    task are absent. With ``user``, only the tasks that person may see count."""
    ids = [int(i) for i in document_ids]
    if not ids:
        return {}
    qs = Task.objects.for_user(user, VIEW) if user is not None else Task.objects.all()
    rows = qs.filter(document_id__in=ids).order_by().values("document_id").annotate(avg=Avg("progress"))
    return {row["document_id"]: float(row["avg"] or 0) for row in rows}


def tasks_for_documents(document_ids: Iterable[int], user) -> dict[int, list[Task]]:
    """{document id: [its tasks that ``user`` may see]} — with their lead unit, ordered by due
    date — for the cascade page. One query; documents without visible tasks are absent."""
    ids = [int(i) for i in document_ids]
    if not ids:
        return {}
    rows = (
        Task.objects.for_user(user, VIEW)
        .filter(document_id__in=ids)
        .select_related("lead_unit")
        .order_by("document_id", "due_date", "id")
    )
    grouped: dict[int, list[Task]] = {}
    for task in rows:
        grouped.setdefault(task.document_id, []).append(task)
    return grouped


#: the columns of a task the cascade page reads (the bench's SQL floor reads the same)
CASCADE_TASK_FIELDS = (
    "id",
    "title",
    "progress",
    "document_id",
    "due_date",
    "lead_unit__id",
    "lead_unit__name",
    "lead_unit__short_name",
)


@dataclass
class DocumentTasks:
    """The visible tasks of one document for the cascade: how many, the sum of their progress (for
    the roll-up) and the first few rows to show."""

    count: int
    progress_sum: int
    first: list


def task_summary_for_documents(document_ids: Iterable[int], user, *, shown: int = 20) -> dict[int, DocumentTasks]:
    """{document id: DocumentTasks} for the cascade page, in two queries whatever the number of
    tasks: an aggregate (count and progress sum per document) and the first ``shown`` tasks of each
    document by due date (a ROW_NUMBER window), so a directive with 5,000 descendant tasks costs
    what one with 50 does.

    A subtask counts through its parent, not beside it: a subtask on its parent's document is left
    out of that document's count, progress and list (three subtasks at 0 % beside a parent made
    the parent's branch weigh four times), and is reached from its parent's page."""
    from django.db.models import Sum, Window
    from django.db.models.functions import RowNumber

    ids = [int(i) for i in document_ids]
    if not ids:
        return {}
    visible = (
        Task.objects.for_user(user, VIEW).filter(document_id__in=ids).exclude(parent__document_id=F("document_id"))
    )
    totals = visible.order_by().values("document_id").annotate(n=Count("pk"), total=Sum("progress"))
    result = {row["document_id"]: DocumentTasks(row["n"], row["total"] or 0, []) for row in totals}
    if shown and result:
        rows = (
            visible.select_related("lead_unit")
            # What the cascade shows of a task, nothing more: building 400 full rows with their
            # datetime conversions was a third of the page.
            .only(*CASCADE_TASK_FIELDS)
            .annotate(
                position=Window(
                    RowNumber(), partition_by=[F("document_id")], order_by=[F("due_date").asc(nulls_last=True), F("id")]
                )
            )
            .filter(position__lte=shown)
            .order_by("document_id", "position")
        )
        for task in rows:
            result[task.document_id].first.append(task)
    return result


def reports_for_task(task: Task, user):
    """The reports on ``task`` that ``user`` may see, newest first, with who wrote and reviewed them."""
    return (
        ProgressReport.objects.for_user(user, VIEW)
        .filter(task=task)
        .select_related("unit", "reported_by", "reviewed_by")
        .order_by("-reported_on", "-id")
    )


def with_files(reports) -> list[ProgressReport]:
    """The reports as a list, each with its files in ``report.files`` (one query for all)."""
    from django.contrib.contenttypes.models import ContentType

    from apps.core.models import Attachment

    reports = list(reports)
    files: dict[int, list[Attachment]] = {}
    if reports:
        rows = Attachment.objects.filter(
            object_type=ContentType.objects.get_for_model(ProgressReport),
            object_id__in=[r.pk for r in reports],
        ).order_by("created", "id")
        for attachment in rows:
            files.setdefault(attachment.object_id, []).append(attachment)
    for report in reports:
        report.files = files.get(report.pk, [])
    return reports


@dataclass
class ScorecardRow:
    unit_id: int
    unit_name: str
    unit_code: str
    assigned: int = 0
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    open: int = 0
    rank: int | None = None

    @property
    def decided(self) -> int:
        """Tasks whose outcome is known: done, or past their due date."""
        return self.done_on_time + self.done_late + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        """Share of decided tasks done on time (None while nothing is decided yet)."""
        return self.done_on_time / self.decided if self.decided else None

    @property
    def on_time_percent(self) -> float | None:
        rate = self.on_time_rate
        return None if rate is None else round(rate * 100, 1)


def scorecard(*, user, start: date, end: date, under=None, today: date | None = None) -> list[ScorecardRow]:
    """Per lead unit, the tasks due between ``start`` and ``end`` (inclusive): assigned, done on
    time, done late, overdue, still open, the on-time rate and a ranking (best rate first, then
    more tasks done on time, then fewer overdue). One aggregate query with conditional counts.

    ``under``: only units in that unit's subtree.

    A unit is counted only when the viewer sees all of its tasks, i.e. when it is in the viewer's
    own scope as a lead unit: an officer also sees the tasks of other units that their unit merely
    supports, and ranking those units on that fraction would show partial figures as theirs. This
    is the same filter the bench's SQL floor applies (the lead unit's path), nothing more."""
    from apps.accounts.scoping import get_scope, units_q
    from apps.tasks.models import TaskCycle

    today = today or timezone.localdate()
    scope = get_scope(user)

    def counted(queryset, prefix=""):
        """Only rows whose lead unit (through ``prefix``) the viewer holds, within ``under``."""
        if not scope.is_authenticated:
            return queryset.none()
        if not scope.is_superuser:
            queryset = queryset.filter(units_q(scope, VIEW, prefix + "lead_unit__"))
        if under is not None:
            queryset = queryset.filter(**{prefix + "lead_unit__path__startswith": under.path})
        return queryset.order_by().values(
            prefix + "lead_unit_id", prefix + "lead_unit__name", prefix + "lead_unit__code"
        )

    by_unit: dict[int, ScorecardRow] = {}

    def row_of(r, prefix=""):
        unit_id = r[prefix + "lead_unit_id"]
        if unit_id not in by_unit:
            by_unit[unit_id] = ScorecardRow(unit_id, r[prefix + "lead_unit__name"], r[prefix + "lead_unit__code"])
        return by_unit[unit_id]

    for r in counted(Task.objects.filter(due_date__gte=start, due_date__lte=end)).annotate(
        assigned=Count("pk"),
        done_on_time=Count("pk", filter=status_q(TaskStatus.DONE_ON_TIME, today)),
        done_late=Count("pk", filter=status_q(TaskStatus.DONE_LATE, today)),
        overdue=Count("pk", filter=status_q(TaskStatus.OVERDUE, today)),
    ):
        row = row_of(r)
        row.assigned, row.done_on_time, row.done_late, row.overdue = (
            r["assigned"],
            r["done_on_time"],
            r["done_late"],
            r["overdue"],
        )
        row.open = row.assigned - row.done_on_time - row.done_late - row.overdue
    # The finished rounds of recurring tasks due in the period count as tasks done on time or
    # late (the task itself is counted by its round in hand); one more GROUP BY, over the rounds.
    for r in counted(TaskCycle.objects.filter(due_date__gte=start, due_date__lte=end), "task__").annotate(
        n=Count("pk"), on_time=Count("pk", filter=Q(completed_on__lte=F("due_date")))
    ):
        row = row_of(r, "task__")
        row.assigned += r["n"]
        row.done_on_time += r["on_time"]
        row.done_late += r["n"] - r["on_time"]
    result = list(by_unit.values())
    result.sort(
        key=lambda row: (
            row.on_time_rate is None,
            -(row.on_time_rate or 0),
            -row.done_on_time,
            row.overdue,
            row.unit_name,
        )
    )
    # Equal figures share a rank (1, 2, 2, 4); units with nothing decided yet are not ranked.
    previous, rank = None, 0
    for position, row in enumerate(result, start=1):
        if row.on_time_rate is None:
            break
        figures = (row.on_time_rate, row.done_on_time, row.overdue)
        if figures != previous:
            rank, previous = position, figures
        row.rank = rank
    return result


def unread_count(user) -> int:
    from apps.tasks.models import Notification

    return Notification.objects.for_user(user).unread().count()


__all__ = [
    "task_reads",
    "task_list",
    "task_list_for_unit",
    "progress_by_document",
    "tasks_for_documents",
    "reports_for_task",
    "scorecard",
    "ScorecardRow",
    "unread_count",
]


# -- periodic reporting ----------------------------------------------------------------------------


#: the longest a cycle of each recurrence runs: a recurring task due on D was already running
#: one cycle before D
RECURRENCE_CYCLE_DAYS = {
    Task.Recurrence.YEARLY: 366,
    Task.Recurrence.QUARTERLY: 92,
    Task.Recurrence.MONTHLY: 31,
}


def period_tasks_q(start: date, end: date, prefix: str = "") -> Q:
    """Tasks that belong in a report on ``start``–``end``: not finished before the period began,
    and given by its end.

    "Given by its end" is judged from the dates of the work, because tasks of older plans are
    often entered long after they were assigned (the row's insertion time alone dropped them from
    the periods they belong to). Any one of these shows it:

    - its due date falls by the end of the period (in it, or earlier and still open: overdue);
    - it was completed by the end of the period;
    - one of its progress reports is dated by the end of the period (whatever its review);
    - the document assigning it was issued by the end of the period;
    - it recurs, and its current cycle had begun by then (a yearly task due in January next year
      ran through this year);
    - it was entered by the end of the period (a task without any of the dates above: the only
      date there is).

    The cheap column tests come first; the document's date and the reports are looked up only for
    the rest (an index on the report's task and date serves the EXISTS)."""
    from datetime import datetime, time, timedelta

    def q(**kwargs):
        return Q(**{prefix + key: value for key, value in kwargs.items()})

    next_midnight = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    reported = ProgressReport.objects.filter(task_id=OuterRef(prefix + "pk"), reported_on__lte=end)
    given = q(due_date__lte=end) | q(completed_on__lte=end) | q(created__lt=next_midnight)
    for recurrence, days in RECURRENCE_CYCLE_DAYS.items():
        given |= q(recurrence=recurrence, due_date__lte=end + timedelta(days=days))
    given |= q(document__issued_on__lte=end) | Q(Exists(reported))
    not_finished_before = q(completed_on__isnull=True) | q(completed_on__gte=start)
    return not_finished_before & given


@dataclass
class PrefillLine:
    task: Task
    role: str
    percent: int
    text: str


def period_prefill(period, unit) -> list[PrefillLine]:
    """What ``unit`` reported on its tasks in ``period``: for each task it leads or supports, the
    percentage of its latest report up to the period's end (the task's accepted progress when it
    has none, for the lead unit) and the texts of its reports within the period. Two queries."""
    from apps.tasks.models import UnitReportItem

    tasks = list(
        Task.objects.filter(Q(lead_unit=unit) | Q(supporting_units=unit))
        .filter(period_tasks_q(period.start, period.end))
        .distinct()
        .order_by("due_date", "id")
    )
    reports = (
        ProgressReport.objects.filter(unit=unit, task__in=[t.pk for t in tasks], reported_on__lte=period.end)
        .exclude(review_status=ProgressReport.Review.RETURNED)
        .order_by("reported_on", "id")
        .values("task_id", "percent", "text", "reported_on")
    )
    latest: dict[int, int] = {}
    texts: dict[int, list[str]] = {}
    for r in reports:
        latest[r["task_id"]] = r["percent"]
        if r["reported_on"] >= period.start:
            texts.setdefault(r["task_id"], []).append(r["text"])
    lines = []
    for task in tasks:
        lead = task.lead_unit_id == unit.pk
        percent = latest.get(task.pk, task.progress if lead else 0)
        lines.append(
            PrefillLine(
                task=task,
                role=UnitReportItem.Role.LEAD if lead else UnitReportItem.Role.SUPPORTING,
                percent=percent,
                text="\n".join(texts.get(task.pk, [])),
            )
        )
    return lines


@dataclass
class PeriodUnitRow:
    unit: object
    report: object | None

    @property
    def state(self) -> str:
        return self.report.state if self.report else "missing"

    @property
    def has_submitted(self) -> bool:
        return self.report is not None and self.report.state in ("submitted", "accepted")


def period_roster(period) -> list[PeriodUnitRow]:
    """Every unit asked to report, with its report (or None): who has and who has not submitted."""
    from apps.tasks.models import UnitReport

    reports = {
        r.unit_id: r for r in UnitReport.objects.filter(period=period).select_related("submitted_by", "reviewed_by")
    }
    return [PeriodUnitRow(unit=u, report=reports.get(u.pk)) for u in period.units.order_by("path")]


@dataclass
class PeriodFigures:
    total: int
    done_on_time: int
    done_late: int
    overdue: int
    open: int

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def done_percent(self) -> float | None:
        return round(self.done * 100 / self.total, 1) if self.total else None

    @property
    def on_time_percent(self) -> float | None:
        decided = self.done_on_time + self.done_late + self.overdue
        return round(self.done_on_time * 100 / decided, 1) if decided else None


def period_figures(period, *, today: date | None = None) -> tuple[PeriodFigures, dict[int, PeriodFigures]]:
    """Tasks led by the period's units, as they stood at the period's end (or today, if earlier):
    in total and per lead unit. One aggregate query."""
    tasks = Task.objects.filter(lead_unit__in=period.units.all())
    return task_figures(tasks, period.start, period.end, today=today)


def task_figures(tasks, start: date, end: date, *, today: date | None = None):
    """(total, {lead unit id: figures}) of the tasks in ``tasks`` that belong to ``start``–``end``
    (period_tasks_q), as they stood at ``end`` or today if earlier. One aggregate query; the
    periodic report and the review report count the same way."""
    today = today or timezone.localdate()
    asof = min(end, today)
    done = Q(completed_on__isnull=False, completed_on__lte=asof)
    on_time = done & (Q(due_date__isnull=True) | Q(completed_on__lte=F("due_date")))
    late = done & Q(due_date__isnull=False, completed_on__gt=F("due_date"))
    overdue = ~done & Q(due_date__lt=asof)
    rows = (
        tasks.filter(period_tasks_q(start, end))
        .order_by()
        .values("lead_unit_id")
        .annotate(
            total=Count("pk"),
            done_on_time=Count("pk", filter=on_time),
            done_late=Count("pk", filter=late),
            overdue=Count("pk", filter=overdue),
        )
    )
    per_unit = {
        r["lead_unit_id"]: PeriodFigures(
            total=r["total"],
            done_on_time=r["done_on_time"],
            done_late=r["done_late"],
            overdue=r["overdue"],
            open=r["total"] - r["done_on_time"] - r["done_late"] - r["overdue"],
        )
        for r in rows
    }
    total = PeriodFigures(
        *(sum(getattr(f, name) for f in per_unit.values()) for name in PeriodFigures.__dataclass_fields__)
    )
    return total, per_unit
