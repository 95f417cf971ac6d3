"""Chasing up (đôn đốc): in-app notifications and e-mail for tasks due soon, overdue tasks and
returned reports. Idempotent: each (person, task, kind, occasion) is notified once — the database
enforces it — and e-mail goes only with a notification created by this run."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.tasks.models import Notification, ProgressReport, Task, TaskStatus, status_q

CHUNK = 1000
#: how far back returned reports are chased (older ones were chased by earlier runs)
RETURNED_WINDOW_DAYS = 30


@dataclass
class ReminderResult:
    created: dict[str, int] = field(default_factory=lambda: {k: 0 for k in Notification.Kind.values})
    emailed: int = 0

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


def _store(candidates: list[Notification], result: ReminderResult) -> list[Notification]:
    """Save the candidates not yet notified; return only those this run created."""
    if not candidates:
        return []
    task_ids = {n.task_id for n in candidates}
    existing = set(
        Notification.objects.filter(task_id__in=task_ids, kind__in={n.kind for n in candidates}).values_list(
            "user_id", "task_id", "kind", "key"
        )
    )
    fresh, seen = [], set()
    for n in candidates:
        ident = (n.user_id, n.task_id, n.kind, n.key)
        if ident in existing or ident in seen:
            continue
        seen.add(ident)
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


def _send_mail(notifications: list[Notification]) -> int:
    messages = []
    subjects = {
        Notification.Kind.DUE_SOON: _("[HữuNghị] Task due soon"),
        Notification.Kind.OVERDUE: _("[HữuNghị] Overdue task"),
        Notification.Kind.RETURNED: _("[HữuNghị] Progress report returned"),
    }
    for n in notifications:
        if not n.user.email:
            continue
        messages.append(
            mail.EmailMessage(
                subject=str(subjects[n.kind]),
                body=n.message,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[n.user.email],
            )
        )
    if not messages:
        return 0
    with mail.get_connection(fail_silently=True) as connection:
        connection.send_messages(messages)
    return len(messages)


def send_reminders(*, today: date | None = None, stdout=None) -> ReminderResult:
    """Notify the officers of lead units about tasks due soon and overdue, and the people of a unit
    about its returned reports. Safe to run as often as one likes."""
    today = today or timezone.localdate()
    result = ReminderResult()
    created: list[Notification] = []
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        for kind, status in (
            (Notification.Kind.DUE_SOON, TaskStatus.DUE_SOON),
            (Notification.Kind.OVERDUE, TaskStatus.OVERDUE),
        ):
            tasks = Task.objects.filter(status_q(status, today)).only("pk", "title", "due_date", "lead_unit_id")
            for chunk in _chunks(tasks):
                created += _store(_candidates_for_tasks(chunk, kind), result)
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
            created += _store(_candidates_for_reports(chunk), result)

        def send():
            result.emailed = _send_mail(created)

        transaction.on_commit(send)
    if stdout is not None:
        stdout.write(
            _(
                "Reminders: {due_soon} due soon, {overdue} overdue, {returned} returned reports; {emailed} e-mails."
            ).format(emailed=result.emailed, **result.created)
            + "\n"
        )
    return result
