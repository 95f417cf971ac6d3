"""Workflow on tasks and progress reports. Pages, the API, commands and the demo call these; they
enforce the rules (who may do what) so no caller has to.

``by=None`` means the system itself (commands, the demo loader): no permission check.
"""

from collections.abc import Iterable
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Unit, User
from apps.accounts.scoping import get_scope
from apps.core.querysets import CHANGE, VIEW
from apps.tasks.models import RECURRENCE_MONTHS, ProgressReport, Task, TaskCycle

#: fields a caller may set through task_create / task_update (units go through task_assign)
TASK_FIELDS = ("title", "description", "document", "parent", "due_date", "recurrence", "priority")
#: fields that say what the lead unit is held to: changed only by those who set it (may_reschedule)
SCHEDULE_FIELDS = ("due_date", "recurrence")


def _check_change(by: User | None, task: Task) -> None:
    if by is not None and not Task.objects.for_user(by, CHANGE).filter(pk=task.pk).exists():
        if Task.objects.for_user(by, VIEW).filter(pk=task.pk).exists():
            raise PermissionDenied(_("You may see this task but not change it."))
        raise PermissionDenied(_("You may not change this task."))


def _check_lead_unit(by: User | None, unit: Unit) -> None:
    if by is not None and not Unit.objects.for_user(by, CHANGE).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not give tasks to “{}”.").format(unit))


def _check_refs(by: User | None, *, document=None, parent: Task | None = None, units: Iterable[Unit] = ()) -> None:
    """What a task points to must be visible to whoever writes it."""
    if by is None:
        return
    if document is not None:
        from apps.documents.models import Document

        if not Document.objects.for_user(by, VIEW).filter(pk=document.pk).exists():
            raise ValidationError({"document": _("No document with ID {} that you may see.").format(document.pk)})
    if parent is not None and not Task.objects.for_user(by, VIEW).filter(pk=parent.pk).exists():
        raise ValidationError({"parent": _("No task with ID {} that you may see.").format(parent.pk)})
    units = [u for u in units]
    if units:
        visible = set(Unit.objects.for_user(by, VIEW).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
        for unit in units:
            if unit.pk not in visible:
                raise ValidationError({"supporting_units": _("No unit with ID {} that you may see.").format(unit.pk)})


def _share_document(task: Task) -> None:
    """Units with a task from a document follow that document (its officers may open it)."""
    if task.document_id is None:
        return
    document = task.document
    unit_ids = {task.lead_unit_id, *task.supporting_units.values_list("pk", flat=True)}
    missing = unit_ids - set(document.shared_units.values_list("pk", flat=True)) - {document.unit_id}
    if missing:
        document.shared_units.add(*sorted(missing))


@transaction.atomic
def task_create(
    *,
    by: User | None,
    title: str,
    lead_unit: Unit,
    supporting_units: Iterable[Unit] = (),
    description: str = "",
    document=None,
    parent: Task | None = None,
    due_date: date | None = None,
    recurrence: str = Task.Recurrence.NONE,
    priority: str = Task.Priority.NORMAL,
) -> Task:
    """Create a task for ``lead_unit`` (which ``by`` may change) and assign the supporting units."""
    _check_lead_unit(by, lead_unit)
    supporting_units = list(supporting_units)
    _check_refs(by, document=document, parent=parent, units=supporting_units)
    task = Task(
        title=(title or "").strip(),
        description=description or "",
        lead_unit=lead_unit,
        document=document,
        parent=parent,
        due_date=due_date,
        recurrence=recurrence,
        priority=priority,
        created_by=by,
    )
    task.full_clean()
    task.save()
    _set_supporting(task, supporting_units)
    _share_document(task)
    return task


def _set_supporting(task: Task, units: list[Unit]) -> None:
    units = [u for u in units if u.pk != task.lead_unit_id]
    current = set(task.supporting_units.values_list("pk", flat=True))
    wanted = {u.pk for u in units}
    if current != wanted:
        task.supporting_units.set(sorted(wanted))


@transaction.atomic
def task_update(*, task: Task, by: User | None, **fields) -> Task:
    """Change a task's own fields (title, description, document, parent, due date, recurrence,
    priority). The lead and supporting units change through ``task_assign``."""
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: {}.").format(", ".join(sorted(unknown))))
    _check_change(by, task)
    for name in SCHEDULE_FIELDS:
        if name in fields and fields[name] != getattr(task, name) and not may_reschedule(by, task):
            raise PermissionDenied(
                _(
                    "Only a coordinator over the lead unit, or the person who created the task, may change its {field}."
                ).format(field=Task._meta.get_field(name).verbose_name)
            )
    _check_refs(by, document=fields.get("document"), parent=fields.get("parent"))
    for name, value in fields.items():
        setattr(task, name, value)
    if "title" in fields:
        task.title = (task.title or "").strip()
    task.full_clean()
    task.save()
    _share_document(task)
    return task


@transaction.atomic
def task_assign(
    *, task: Task, by: User | None, lead_unit: Unit | None = None, supporting_units: Iterable[Unit] | None = None
) -> Task:
    """Give the task to ``lead_unit`` (chủ trì) with ``supporting_units`` (phối hợp). The units
    also follow the task's document, so their officers can open it."""
    _check_change(by, task)
    if supporting_units is not None:
        supporting_units = list(supporting_units)
        _check_refs(by, units=supporting_units)
    if lead_unit is not None and lead_unit.pk != task.lead_unit_id:
        _check_lead_unit(by, lead_unit)
        task.lead_unit = lead_unit
        task.full_clean()
        task.save()
    if supporting_units is not None:
        _set_supporting(task, supporting_units)
    _share_document(task)
    return task


@transaction.atomic
def task_delete(*, task: Task, by: User | None) -> None:
    """Delete a task nobody has reported on yet; one with reports or subtasks stays (soft rule).
    Only those who may reschedule it delete it: deleting is the surest way to escape a deadline."""
    _check_change(by, task)
    if not may_reschedule(by, task):
        raise PermissionDenied(
            _("Only a coordinator over the lead unit, or the person who created “{}”, may delete it.").format(task)
        )
    if ProgressReport.objects.filter(task=task).exists():
        raise ValidationError(
            _(
                "“{}” already has progress reports and cannot be deleted: reports are kept for the record. "
                "Change its due date or description instead."
            ).format(task)
        )
    if Task.objects.filter(parent=task).exists():
        raise ValidationError(_("“{}” has subtasks. Delete or move them first.").format(task))
    task.supporting_units.clear()
    task.delete()


def may_review(by: User | None, task: Task) -> bool:
    """Coordinators and administrators of a unit at or above the task's lead unit review its reports."""
    if by is None:
        return True
    scope = get_scope(by)
    if scope.is_superuser:
        return True
    path = task.lead_unit.path
    return any(path.startswith(p) for p in scope.subtree_paths(CHANGE))


def may_reschedule(by: User | None, task: Task) -> bool:
    """Who may move a task's due date or recurrence, or delete it: those who review it (may_review:
    the coordinators over its lead unit) and the person who created it. The lead unit's officers
    report on it and may edit its description and the like, but a deadline set over them is not
    theirs to move, clear or delete — that is what oversight follows them up on."""
    if by is None or may_review(by, task):
        return True
    return task.created_by_id is not None and task.created_by_id == by.pk


@transaction.atomic
def task_complete(*, task: Task, by: User | None, completed_on: date | None = None) -> Task:
    """Mark the task done (progress 100 %) on ``completed_on`` (today by default). Reserved to those
    who review the task's reports: a unit proposes completion with a 100 % report."""
    if not may_review(by, task):
        raise PermissionDenied(_("Only a coordinator over the lead unit may mark this task as done."))
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    if is_recurring(task):
        # A recurring task is not done for good: this round is, and the next one begins.
        close_round(task, completed_on)
        return task
    task.completed_on = completed_on
    task.progress = 100
    task.full_clean()
    task.save()
    return task


def is_recurring(task: Task) -> bool:
    """Yearly, quarterly or monthly with a deadline: the task runs in rounds (TaskCycle)."""
    return task.recurrence in RECURRENCE_MONTHS and task.due_date is not None


def close_round(task: Task, completed_on: date) -> TaskCycle:
    """Record the round due on ``task.due_date`` as done on ``completed_on`` and move the task to
    the next round: the next deadline (same day of the month as the first round's, the month's
    last day when it has fewer days: 31/10 → 30/11 → 31/12), progress back at 0. Reports filed so
    far belong to the closed round. Both rows are in the change log."""
    first = task.cycles.order_by("due_date").values_list("due_date", flat=True).first() or task.due_date
    last_report = task.reports.order_by("-id").values_list("id", flat=True).first()
    cycle = TaskCycle(task=task, due_date=task.due_date, completed_on=completed_on, last_report_id=last_report)
    cycle.full_clean()
    cycle.save()
    task.due_date = task.due_date + relativedelta(months=RECURRENCE_MONTHS[task.recurrence], day=first.day)
    task.progress = 0
    task.completed_on = None
    task.full_clean()
    task.save()
    return cycle


def reporting_units(by: User | None, task: Task) -> list[Unit]:
    """The units ``by`` may report for on ``task``: the lead unit and the supporting units where
    ``by`` is an officer; all of them for a coordinator over the task."""
    candidates = [task.lead_unit, *task.supporting_units.all()]
    if by is None or may_review(by, task):
        return candidates
    own = set(get_scope(by).own_unit_ids(CHANGE))
    return [u for u in candidates if u.pk in own]


@transaction.atomic
def progress_report_submit(
    *,
    task: Task,
    by: User | None,
    percent: int,
    text: str,
    period: str = "",
    unit: Unit | None = None,
    reported_on: date | None = None,
    files: Iterable = (),
) -> ProgressReport:
    """File a progress report on ``task`` for ``unit`` (the lead unit by default, or the unit
    ``by`` is an officer of). 100 % from the lead unit proposes completion; a coordinator decides.
    ``reported_on`` may be given only by the system (imports, demo); people report today.
    ``files`` (uploads) are attached to the report; all are checked before anything is written."""
    from apps.core.services import attachment_create, check_uploads
    from apps.core.uploads import UploadRejected

    task = Task.objects.select_related("lead_unit").get(pk=task.pk)
    allowed = reporting_units(by, task)
    if not allowed:
        if by is not None and not Task.objects.for_user(by, VIEW).filter(pk=task.pk).exists():
            raise PermissionDenied(_("You may not report on this task."))
        raise PermissionDenied(
            _("Only officers of the lead or a supporting unit, or a coordinator, may report on this task.")
        )
    if unit is None:
        unit = allowed[0]
    elif unit.pk not in {u.pk for u in allowed}:
        raise ValidationError({"unit": _("You may not report for “{}” on this task.").format(unit)})
    if task.completed_on is not None:
        raise ValidationError(_("This task is already done; no more reports are taken."))
    if by is not None or reported_on is None:
        reported_on = timezone.localdate()
    report = ProgressReport(
        task=task,
        unit=unit,
        period=(period or "").strip(),
        percent=percent,
        text=(text or "").strip(),
        reported_on=reported_on,
        reported_by=by,
    )
    report.full_clean()
    try:
        checked = check_uploads(files)
    except UploadRejected as exc:
        raise ValidationError({"files": str(exc)}) from exc
    report.save()
    for upload, name, mime in checked:
        attachment_create(parent=report, upload=upload, by=by, checked=(name, mime))
    return report


@transaction.atomic
def progress_report_review(
    *, report: ProgressReport, by: User | None, accept: bool, reason: str = ""
) -> ProgressReport:
    """Accept a report (the task's progress follows the lead unit's latest accepted report; at
    100 % the task is done on the report's date) or return it with a reason the unit will read."""
    report = ProgressReport.objects.select_for_update().select_related("task__lead_unit").get(pk=report.pk)
    task = report.task
    if not may_review(by, task):
        raise PermissionDenied(_("Only a coordinator over the task's lead unit may review its reports."))
    if report.review_status != ProgressReport.Review.SUBMITTED:
        raise ValidationError(_("This report has already been reviewed."))
    if by is not None and report.reported_by_id == by.pk and not by.is_superuser:
        raise PermissionDenied(_("You cannot review your own report; another coordinator must."))
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Say why the report is returned, so the unit can put it right.")})
    report.review_status = ProgressReport.Review.ACCEPTED if accept else ProgressReport.Review.RETURNED
    report.reason = reason
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    report.full_clean()
    report.save()
    if accept and report.unit_id == task.lead_unit_id:
        _refresh_progress(task)
    return report


def _refresh_progress(task: Task) -> None:
    accepted = ProgressReport.objects.filter(
        task=task, unit_id=task.lead_unit_id, review_status=ProgressReport.Review.ACCEPTED
    )
    recurring = is_recurring(task)
    if recurring:
        # Only the reports of the round in hand: those filed after the last round closed.
        closed = task.cycles.order_by("-due_date").values_list("last_report_id", flat=True).first()
        if closed:
            accepted = accepted.filter(pk__gt=closed)
    latest = accepted.order_by("-reported_on", "-id").values("percent", "reported_on").first()
    if recurring and latest and latest["percent"] == 100:
        close_round(task, latest["reported_on"])
        return
    progress = latest["percent"] if latest else 0
    completed_on = task.completed_on
    if latest and progress == 100 and completed_on is None:
        completed_on = latest["reported_on"]
    if completed_on is not None:
        # A done task is done: a report still waiting when it was completed, accepted afterwards
        # (a typo of 20 % after the 100 %), does not show it done at 20 %.
        progress = 100
    if (progress, completed_on) != (task.progress, task.completed_on):
        task.progress = progress
        task.completed_on = completed_on
        task.full_clean()
        task.save()


# -- periodic reporting ----------------------------------------------------------------------------

PERIOD_FIELDS = ("name", "kind", "start", "end", "due_date", "instructions")


def may_coordinate(by: User | None, unit: Unit) -> bool:
    """Coordinators and administrators at or above ``unit`` open and review its reporting rounds."""
    if by is None:
        return True
    scope = get_scope(by)
    return scope.is_superuser or any(unit.path.startswith(p) for p in scope.subtree_paths(CHANGE))


def _check_period_units(by: User | None, units: Iterable[Unit]) -> list[Unit]:
    """The units asked to report: any the coordinator can see (a Union compiles the province's
    report from departments that are not under it in the tree)."""
    units = list(units)
    if by is not None and units:
        visible = set(Unit.objects.for_user(by, VIEW).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
        hidden = [u for u in units if u.pk not in visible]
        if hidden:
            raise ValidationError({"units": _("No unit with ID {} that you may see.").format(hidden[0].pk)})
    return units


@transaction.atomic
def period_open(
    *,
    by: User | None,
    unit: Unit,
    name: str,
    start: date,
    end: date,
    due_date: date,
    units: Iterable[Unit],
    kind: str = "half_year",
    instructions: str = "",
):
    """Open a reporting round of ``unit`` (which ``by`` coordinates) asking ``units`` to report."""
    from apps.tasks.models import ReportingPeriod

    if not may_coordinate(by, unit):
        raise PermissionDenied(_("Only a coordinator of “{}” may open a reporting period for it.").format(unit))
    units = _check_period_units(by, units)
    if not units:
        raise ValidationError({"units": _("Choose at least one unit that must report.")})
    period = ReportingPeriod(
        unit=unit,
        name=(name or "").strip(),
        kind=kind,
        start=start,
        end=end,
        due_date=due_date,
        instructions=(instructions or "").strip(),
        opened_by=by,
    )
    period.full_clean()
    period.save()
    period.units.set(units)
    return period


@transaction.atomic
def period_update(*, period, by: User | None, units: Iterable[Unit] | None = None, **fields):
    """Change a period's dates, name or reporting units. A unit that has already started its
    report stays on the list (its report is not lost)."""
    from apps.tasks.models import ReportingPeriod

    period = ReportingPeriod.objects.select_for_update().select_related("unit").get(pk=period.pk)
    if not may_coordinate(by, period.unit):
        raise PermissionDenied(_("Only a coordinator of “{}” may change this reporting period.").format(period.unit))
    for name, value in fields.items():
        if name not in PERIOD_FIELDS:
            raise TypeError(name)
        setattr(period, name, value.strip() if isinstance(value, str) else value)
    period.full_clean()
    period.save()
    if units is not None:
        units = _check_period_units(by, units)
        started = set(period.reports.values_list("unit_id", flat=True))
        missing = started - {u.pk for u in units}
        if missing:
            names = ", ".join(str(u) for u in Unit.objects.filter(pk__in=missing).order_by("path")[:3])
            raise ValidationError(
                {"units": _("These units have already started their report and cannot be removed: {}.").format(names)}
            )
        if not units:
            raise ValidationError({"units": _("Choose at least one unit that must report.")})
        period.units.set(units)
    return period


@transaction.atomic
def period_set_state(*, period, by: User | None, open_: bool):
    """Close a period (no more reports are written or submitted) or open it again."""
    from apps.tasks.models import ReportingPeriod

    period = ReportingPeriod.objects.select_for_update().select_related("unit").get(pk=period.pk)
    if not may_coordinate(by, period.unit):
        raise PermissionDenied(_("Only a coordinator of “{}” may change this reporting period.").format(period.unit))
    period.state = ReportingPeriod.State.OPEN if open_ else ReportingPeriod.State.CLOSED
    period.save()
    return period


@transaction.atomic
def period_delete(*, period, by: User | None) -> None:
    from apps.tasks.models import ReportingPeriod

    period = ReportingPeriod.objects.select_related("unit").get(pk=period.pk)
    if not may_coordinate(by, period.unit):
        raise PermissionDenied(_("Only a coordinator of “{}” may change this reporting period.").format(period.unit))
    if period.reports.exists():
        raise ValidationError(
            _("Units have already written reports for “{}”; close the period instead of deleting it.").format(period)
        )
    period.units.clear()
    period.delete()


def _may_write_for(by: User | None, unit: Unit) -> bool:
    return by is None or Unit.objects.for_user(by, CHANGE).filter(pk=unit.pk).exists()


@transaction.atomic
def unit_report_prepare(*, period, unit: Unit, by: User | None):
    """The unit's report for ``period``, created as a draft pre-filled from its tasks' progress on
    first call; on later calls while it is still editable, tasks added since are appended (lines
    already edited keep their text)."""
    from apps.tasks.models import UnitReport
    from apps.tasks.selectors import period_prefill

    if not period.units.filter(pk=unit.pk).exists():
        raise ValidationError(_("“{unit}” is not asked to report in “{period}”.").format(unit=unit, period=period))
    if not _may_write_for(by, unit):
        raise PermissionDenied(_("You may not write the report of “{}”.").format(unit))
    report = UnitReport.objects.select_for_update().filter(period=period, unit=unit).first()
    if report is None:
        if not period.is_open:
            raise ValidationError(_("The period “{}” is closed.").format(period))
        report = UnitReport(period=period, unit=unit)
        report.full_clean()
        report.save()
    if not report.is_editable:
        return report
    existing = set(report.items.values_list("task_id", flat=True))
    position = report.items.count()
    for line in period_prefill(period, unit):
        if line.task.pk in existing:
            continue
        position += 1
        item = report.items.model(
            report=report, task=line.task, role=line.role, percent=line.percent, text=line.text, position=position
        )
        item.full_clean()
        item.save()
    return report


@transaction.atomic
def unit_report_save(
    *,
    report,
    by: User | None,
    version: int | None = None,
    items: dict[int, tuple[int, str]] | None = None,
    **fields,
):
    """Save the unit's text and its lines (``items``: line id → (percent, text)) while the report
    is a draft or was returned. ``version`` guards against overwriting someone else's edit."""
    from apps.tasks.models import UnitReport

    report = UnitReport.objects.select_for_update().select_related("period", "unit").get(pk=report.pk)
    if by is not None and not UnitReport.objects.for_user(by, CHANGE).filter(pk=report.pk).exists():
        raise PermissionDenied(_("You may not write the report of “{}”.").format(report.unit))
    if not report.is_editable:
        raise ValidationError(_("This report is {} and can no longer be changed.").format(report.get_state_display()))
    if version is not None and version != report.version:
        raise ValidationError(
            _("Someone else changed this report while you were editing it. Reload the page and make your change again.")
        )
    changed = False
    for name in ("summary", "difficulties", "proposals", "next_steps"):
        if name in fields:
            value = (fields.pop(name) or "").strip()
            changed |= value != getattr(report, name)
            setattr(report, name, value)
    if fields:
        raise TypeError(", ".join(fields))
    if items:
        lines = {item.pk: item for item in report.items.all()}
        for pk, (percent, text) in items.items():
            item = lines.get(pk)
            if item is None:
                raise ValidationError(_("Line {} does not belong to this report.").format(pk))
            text = (text or "").strip()
            if (item.percent, item.text) != (percent, text):
                item.percent, item.text = percent, text
                item.full_clean()
                item.save()
                changed = True
    if changed:
        report.full_clean()
        report.save()
    return report


@transaction.atomic
def unit_report_submit(*, report, by: User | None):
    from apps.tasks.models import UnitReport

    report = UnitReport.objects.select_for_update().select_related("period", "unit").get(pk=report.pk)
    if by is not None and not UnitReport.objects.for_user(by, CHANGE).filter(pk=report.pk).exists():
        raise PermissionDenied(_("You may not submit the report of “{}”.").format(report.unit))
    if not report.is_editable:
        raise ValidationError(_("This report is {} and can no longer be changed.").format(report.get_state_display()))
    if not report.summary.strip():
        raise ValidationError({"summary": _("Write the main results before submitting the report.")})
    report.state = UnitReport.State.SUBMITTED
    report.submitted_on = timezone.localdate()
    report.submitted_by = by
    report.reason = ""
    report.save()
    return report


@transaction.atomic
def unit_report_review(*, report, by: User | None, accept: bool, reason: str = ""):
    """Accept a submitted report, or return it with a reason the unit reads before resubmitting."""
    from apps.tasks.models import UnitReport

    report = UnitReport.objects.select_for_update().select_related("period__unit", "unit").get(pk=report.pk)
    if not may_coordinate(by, report.period.unit):
        raise PermissionDenied(_("Only a coordinator of “{}” may review these reports.").format(report.period.unit))
    if report.state != UnitReport.State.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted or returned."))
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Say why the report is returned, so the unit can put it right.")})
    report.state = UnitReport.State.ACCEPTED if accept else UnitReport.State.RETURNED
    report.reason = reason
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    report.save()
    if not accept:
        from apps.tasks.reminders import notify_unit_report_returned

        notify_unit_report_returned(report)
    return report
