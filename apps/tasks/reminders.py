"""Chasing up (đôn đốc): in-app notifications and e-mail for tasks due soon, overdue tasks,
returned progress reports and returned periodic unit reports. Idempotent: each (person, subject,
kind, occasion) is notified once — the database enforces it — and each notification's e-mail is
sent at most once: it is marked sent before it goes and marked back as waiting if the mail server
refuses it, so a failed e-mail is tried again by the next run (within MAIL_RETRY_DAYS) and a
delivered one never twice."""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.core.mailing import initial_state, send_waiting
from apps.tasks.models import Notification, ProgressReport, Task, TaskStatus, UnitReport, status_q

logger = logging.getLogger(__name__)

CHUNK = 1000
#: how far back returned reports are chased (older ones were chased by earlier runs)
RETURNED_WINDOW_DAYS = 30
#: how long an e-mail the mail server did not take is tried again; an older reminder is stale
#: (the in-app notification stays) and is given up
MAIL_RETRY_DAYS = 7


@dataclass
class ReminderResult:
    created: dict[str, int] = field(default_factory=lambda: {k: 0 for k in Notification.Kind.values})
    emailed: int = 0
    #: e-mails still waiting after this run (the mail server refused them or was unreachable)
    mail_failed: int = 0

    @property
    def total(self) -> int:
        return sum(self.created.values())


def _officers_by_unit(unit_ids) -> dict[int, list]:
    """Who hears of each unit's tasks: its officers, else the coordinators above it (a unit with
    no officer left its overdue tasks announced to nobody)."""
    from apps.accounts.followers import followers

    return followers(unit_ids)


def _chunks(queryset):
    """Rows in primary-key chunks, so a national run holds only CHUNK tasks at a time."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _task_message(task: Task, kind: str) -> str:
    due = date_format(task.due_date, "SHORT_DATE_FORMAT") if task.due_date else ""
    if kind == Notification.Kind.OVERDUE:
        return _("The task “{title}” was due on {due} and is not done yet. Report its progress.").format(
            title=task.title, due=due
        )
    return _("The task “{title}” is due on {due}.").format(title=task.title, due=due)


def _returned_message(report: ProgressReport) -> str:
    return _("Your progress report on “{title}” was returned: {reason}").format(
        title=report.task.title, reason=report.reason
    )


def _unit_report_message(report: UnitReport) -> str:
    return _("The report of {unit} for “{period}” was returned: {reason}").format(
        unit=report.unit.name, period=report.period.name, reason=report.reason
    )


def _store(candidates: list[Notification], result: ReminderResult) -> list[Notification]:
    """Save the candidates not yet notified; return only those this run created. Each one's
    e-mail waits to be sent (``_send_waiting``) when its person has an address."""
    if not candidates:
        return []
    kinds = {n.kind for n in candidates}
    task_ids = {n.task_id for n in candidates if n.task_id is not None}
    report_ids = {n.unit_report_id for n in candidates if n.task_id is None}
    existing = set()
    if task_ids:
        existing |= set(
            Notification.objects.filter(task_id__in=task_ids, kind__in=kinds).values_list(
                "user_id", "task_id", "kind", "key"
            )
        )
    if report_ids:
        existing |= set(
            Notification.objects.filter(task__isnull=True, unit_report_id__in=report_ids, kind__in=kinds).values_list(
                "user_id", "task_id", "kind", "key"
            )
        )
    fresh, seen = [], set()
    for n in candidates:
        ident = (n.user_id, n.task_id, n.kind, n.key)
        if ident in existing or ident in seen:
            continue
        seen.add(ident)
        n.email_state = initial_state(n.user)
        fresh.append(n)
    # ignore_conflicts: a concurrent run may have written some meanwhile; the constraint wins.
    Notification.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=500)
    for n in fresh:
        result.created[n.kind] += 1
    return fresh


def _candidates_for_tasks(tasks, kind: str) -> list[Notification]:
    officers = _officers_by_unit(t.lead_unit_id for t in tasks)
    out = []
    for task in tasks:
        message = _task_message(task, kind)
        for user in officers.get(task.lead_unit_id, ()):
            n = Notification(user=user, task=task, kind=kind, key=task.due_date.isoformat(), message=message)
            out.append(n)
    return out


def _candidates_for_reports(reports) -> list[Notification]:
    officers = _officers_by_unit(r.unit_id for r in reports)
    out = []
    for report in reports:
        people = {u.pk: u for u in officers.get(report.unit_id, ())}
        if report.reported_by is not None and report.reported_by.is_active:
            people.setdefault(report.reported_by.pk, report.reported_by)
        message = _returned_message(report)
        for user in people.values():
            out.append(
                Notification(
                    user=user,
                    task=report.task,
                    kind=Notification.Kind.RETURNED,
                    key="report-{}".format(report.pk),
                    message=message,
                )
            )
    return out


def _candidates_for_unit_reports(reports) -> list[Notification]:
    """A periodic report returned to its unit: the unit's followers (its officers, else the
    coordinators above it) and whoever submitted it hear why. The key names the report and this
    return (its review time), so a report returned again after resubmission is a new occasion."""
    officers = _officers_by_unit(r.unit_id for r in reports)
    out = []
    for report in reports:
        people = {u.pk: u for u in officers.get(report.unit_id, ())}
        if report.submitted_by is not None and report.submitted_by.is_active:
            people.setdefault(report.submitted_by.pk, report.submitted_by)
        message = _unit_report_message(report)
        key = "unit-report-{}-{}".format(report.pk, report.reviewed_at.strftime("%Y%m%d%H%M%S"))
        for user in people.values():
            out.append(
                Notification(user=user, unit_report=report, kind=Notification.Kind.RETURNED, key=key, message=message)
            )
    return out


def notify_unit_report_returned(report: UnitReport) -> None:
    """Notify the unit at once that its periodic report was returned (in the app; the e-mail goes
    with the next reminder run). Called by the service that returns it, because a unit may
    resubmit before the next run and the report then no longer says why it was returned; the run
    itself would find the same occasion (same key) and add nothing."""
    with translation.override(settings.LANGUAGE_CODE):
        report = UnitReport.objects.select_related("unit", "period", "submitted_by").get(pk=report.pk)
        _store(_candidates_for_unit_reports([report]), ReminderResult())


def _subject(n: Notification) -> str:
    if n.kind == Notification.Kind.DUE_SOON:
        return _("[HữuNghị] Task due soon")
    if n.kind == Notification.Kind.OVERDUE:
        return _("[HữuNghị] Overdue task")
    if n.task_id is None:
        return _("[HữuNghị] Periodic report returned")
    return _("[HữuNghị] Progress report returned")


def _send_waiting(result: ReminderResult) -> None:
    """Send the reminders' e-mails still waiting (this run's and those a failed run left)."""
    outcome = send_waiting(Notification.objects.all(), subject_of=_subject, retry_days=MAIL_RETRY_DAYS)
    result.emailed += outcome.sent
    result.mail_failed += outcome.failed


def send_reminders(*, today: date | None = None, stdout=None) -> ReminderResult:
    """Notify the officers of lead units about tasks due soon and overdue, and the people of a unit
    about its returned reports (progress reports and periodic reports). Safe to run as often as
    one likes."""
    today = today or timezone.localdate()
    result = ReminderResult()
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        for kind, status in (
            (Notification.Kind.DUE_SOON, TaskStatus.DUE_SOON),
            (Notification.Kind.OVERDUE, TaskStatus.OVERDUE),
        ):
            tasks = Task.objects.filter(status_q(status, today)).only("pk", "title", "due_date", "lead_unit_id")
            for chunk in _chunks(tasks):
                _store(_candidates_for_tasks(chunk, kind), result)
        # Returned in the last RETURNED_WINDOW_DAYS and not yet followed by a newer report of that unit.
        newer = ProgressReport.objects.filter(
            task_id=OuterRef("task_id"), unit_id=OuterRef("unit_id"), pk__gt=OuterRef("pk")
        )
        returned = (
            ProgressReport.objects.filter(
                review_status=ProgressReport.Review.RETURNED,
                reviewed_at__gte=timezone.now() - timedelta(days=RETURNED_WINDOW_DAYS),
            )
            .filter(~Exists(newer))
            .select_related("task", "reported_by")
        )
        for chunk in _chunks(returned):
            _store(_candidates_for_reports(chunk), result)
        # Periodic unit reports returned in the window and not resubmitted since.
        unit_reports = UnitReport.objects.filter(
            state=UnitReport.State.RETURNED,
            reviewed_at__gte=timezone.now() - timedelta(days=RETURNED_WINDOW_DAYS),
        ).select_related("unit", "period", "submitted_by")
        for chunk in _chunks(unit_reports):
            _store(_candidates_for_unit_reports(chunk), result)

        def send():
            # In the site's language even when this runs after the block (a caller's outer
            # transaction); the summary is written once the mail is done, so it tells what happened.
            with translation.override(settings.LANGUAGE_CODE):
                _send_waiting(result)
                if stdout is not None:
                    stdout.write(_summary(result) + "\n")

        # After the notifications are committed: an e-mail never announces one that was rolled back.
        transaction.on_commit(send)
    return result


def _summary(result: ReminderResult) -> str:
    line = _(
        "Reminders: {due_soon} due soon, {overdue} overdue, {returned} returned reports; {emailed} e-mails."
    ).format(emailed=result.emailed, **result.created)
    if result.mail_failed:
        line += " " + _(
            "{failed} e-mails could not be sent (the mail server did not take them); the next run tries again."
        ).format(failed=result.mail_failed)
    return line
