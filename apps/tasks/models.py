"""Tasks (nhiệm vụ) that documents assign to units, the progress reports units post on them, and
the in-app notifications that chase what is due.

A task's status is never typed: it is derived from its due date, completion date and progress
(``Task.status`` in Python, ``TaskQuerySet.with_status`` / ``status_q`` in SQL — they agree).
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.mailing import EmailState, email_fields
from apps.core.models import ChangeLoggedModel
from apps.core.querysets import ScopedQuerySet


def due_soon_days() -> int:
    """How many days before its due date a task counts as "due soon" (settings.TASK_DUE_SOON_DAYS)."""
    return int(getattr(settings, "TASK_DUE_SOON_DAYS", 7))


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")


#: Bootstrap colour of each status badge
STATUS_COLOURS = {
    TaskStatus.NOT_STARTED: "secondary",
    TaskStatus.IN_PROGRESS: "primary",
    TaskStatus.DUE_SOON: "warning",
    TaskStatus.OVERDUE: "danger",
    TaskStatus.DONE_ON_TIME: "success",
    TaskStatus.DONE_LATE: "info",
}


def derive_status(*, due_date, completed_on, progress, today: date, soon_days: int) -> str:
    """The one rule, in Python. ``status_q`` and ``TaskQuerySet.with_status`` say the same in SQL.

    Completed tasks are on time or late; open tasks past their due date are overdue; open tasks
    due within ``soon_days`` (today included) are due soon, even when already in progress, because
    that is what a reader must act on; otherwise in progress (some accepted progress) or not
    started. Tasks without a due date (ongoing work) are never overdue."""
    if completed_on is not None:
        if due_date is None or completed_on <= due_date:
            return TaskStatus.DONE_ON_TIME
        return TaskStatus.DONE_LATE
    if due_date is not None:
        if due_date < today:
            return TaskStatus.OVERDUE
        if due_date <= today + timedelta(days=soon_days):
            return TaskStatus.DUE_SOON
    if progress and progress > 0:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


def status_q(status: str, today: date | None = None, soon_days: int | None = None, prefix: str = "") -> Q:
    """A filter selecting the tasks in ``status``: plain comparisons the indexes can serve."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=due_soon_days() if soon_days is None else soon_days)

    def q(**kwargs):
        return Q(**{prefix + key: value for key, value in kwargs.items()})

    done = q(completed_on__isnull=False)
    open_ = q(completed_on__isnull=True)
    later = q(due_date__isnull=True) | q(due_date__gt=soon)
    if status == TaskStatus.DONE_ON_TIME:
        return done & (q(due_date__isnull=True) | q(completed_on__lte=F(prefix + "due_date")))
    if status == TaskStatus.DONE_LATE:
        return done & q(due_date__isnull=False, completed_on__gt=F(prefix + "due_date"))
    if status == TaskStatus.OVERDUE:
        return open_ & q(due_date__lt=today)
    if status == TaskStatus.DUE_SOON:
        return open_ & q(due_date__gte=today, due_date__lte=soon)
    if status == TaskStatus.IN_PROGRESS:
        return open_ & later & q(progress__gt=0)
    if status == TaskStatus.NOT_STARTED:
        return open_ & later & q(progress=0)
    raise ValueError(status)


def status_case(today: date | None = None, soon_days: int | None = None) -> Case:
    """The derived status as a SQL expression (for sorting, grouping and annotations)."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=due_soon_days() if soon_days is None else soon_days)
    return Case(
        When(completed_on__isnull=False, due_date__isnull=True, then=Value(TaskStatus.DONE_ON_TIME.value)),
        When(completed_on__isnull=False, completed_on__lte=F("due_date"), then=Value(TaskStatus.DONE_ON_TIME.value)),
        When(completed_on__isnull=False, then=Value(TaskStatus.DONE_LATE.value)),
        When(due_date__lt=today, then=Value(TaskStatus.OVERDUE.value)),
        When(due_date__lte=soon, then=Value(TaskStatus.DUE_SOON.value)),
        When(progress__gt=0, then=Value(TaskStatus.IN_PROGRESS.value)),
        default=Value(TaskStatus.NOT_STARTED.value),
        output_field=models.CharField(max_length=20),
    )


#: order of urgency, for sorting a list by status
STATUS_RANK = {
    TaskStatus.OVERDUE: 0,
    TaskStatus.DUE_SOON: 1,
    TaskStatus.IN_PROGRESS: 2,
    TaskStatus.NOT_STARTED: 3,
    TaskStatus.DONE_LATE: 4,
    TaskStatus.DONE_ON_TIME: 5,
}


def status_rank_case(today: date | None = None, soon_days: int | None = None) -> Case:
    """The derived status as its urgency rank (``STATUS_RANK``), for sorting."""
    case = status_case(today, soon_days)
    whens = [
        When(condition, then=Value(STATUS_RANK[TaskStatus(result.value)]))
        for condition, result in ((w.condition, w.result) for w in case.cases)
    ]
    return Case(*whens, default=Value(STATUS_RANK[TaskStatus.NOT_STARTED]), output_field=models.IntegerField())


class TaskQuerySet(ScopedQuerySet):
    def with_status(self, today: date | None = None, soon_days: int | None = None):
        """Each task annotated with ``status_value``, its derived status computed by the database."""
        return self.annotate(status_value=status_case(today, soon_days))

    def with_status_rank(self, today: date | None = None, soon_days: int | None = None):
        return self.annotate(status_rank=status_rank_case(today, soon_days))

    def in_status(self, status: str, today: date | None = None, soon_days: int | None = None):
        return self.filter(status_q(status, today, soon_days))


def task_scope_q(scope, action: str, prefix: str = "") -> Q:
    """Which tasks (reached through ``prefix``) ``scope`` may see or change; see Task.scope_queryset."""
    from apps.accounts.scoping import units_q
    from apps.core.querysets import VIEW

    q = units_q(scope, action, prefix + "lead_unit__")
    own = scope.own_unit_ids(VIEW) if action == VIEW else []
    if own:
        supported = Task.supporting_units.through.objects.filter(unit_id__in=own).values("task_id")
        q |= Q(**{prefix + "pk__in": supported})
    return q


class Task(ChangeLoggedModel):
    """A task (nhiệm vụ) assigned to a lead unit (đơn vị chủ trì) with supporting units (đơn vị
    phối hợp), usually from a document, possibly a subtask of another task. Its progress is the
    percentage of the lead unit's latest accepted progress report; its status is derived."""

    class Recurrence(models.TextChoices):
        NONE = "none", _("One-off")
        ONGOING = "ongoing", _("Ongoing")
        YEARLY = "yearly", _("Yearly")
        QUARTERLY = "quarterly", _("Quarterly")
        MONTHLY = "monthly", _("Monthly")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")

    Status = TaskStatus

    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        help_text=_("The document that assigns this task; empty for a task that stands alone."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subtasks",
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    lead_unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    supporting_units = models.ManyToManyField(
        "accounts.Unit", verbose_name=_("supporting units"), blank=True, related_name="supported_tasks"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=12, choices=Recurrence.choices, default=Recurrence.NONE)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        editable=False,
        help_text=_("The percentage of the lead unit's latest accepted progress report."),
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    search_fields = ("title", "description")
    scope_field = "lead_unit"
    scope_shared_field = "supporting_units"

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["due_date", "id"], name="task_due_idx"),
            models.Index(fields=["lead_unit", "due_date"], name="task_unit_due_idx"),
            models.Index(fields=["document", "due_date"], name="task_document_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="task_progress_0_100",
                # Translators: Django %-formats constraint messages: write %% for a percent sign.
                violation_error_message=_("Progress must be between 0 and 100%%."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="task_not_own_parent",
                violation_error_message=_("A task cannot be its own parent."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tasks:task_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A task cannot be its own parent.")})
        if self.parent_id and self.pk:
            # No cycles: walk up from the new parent (trees of tasks are shallow).
            seen, current = {self.pk}, self.parent_id
            while current is not None:
                if current in seen:
                    raise ValidationError({"parent": _("A task cannot be placed under one of its own subtasks.")})
                seen.add(current)
                current = Task._base_manager.filter(pk=current).values_list("parent_id", flat=True).first()

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        """The usual rule (lead unit's subtree for coordinators, own unit for officers; officers
        also see the tasks their unit supports), written so the database can use its indexes: the
        supported tasks are an ``IN`` over the supporting-unit index, not an ``EXISTS`` per row
        (measured at the national scale: 7 ms instead of 500 ms for an officer's list)."""
        return queryset.filter(task_scope_q(scope, action))

    @property
    def status(self) -> str:
        return derive_status(
            due_date=self.due_date,
            completed_on=self.completed_on,
            progress=self.progress,
            today=timezone.localdate(),
            soon_days=due_soon_days(),
        )

    @property
    def status_label(self) -> str:
        return TaskStatus(self.status).label

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[TaskStatus(self.status)]

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None


class ProgressReport(ChangeLoggedModel):
    """A progress report (báo cáo tiến độ) of one unit on one task: the lead unit, or a supporting
    unit for its part. Append-only: its content never changes; a coordinator accepts it or returns
    it with a reason, and a returned report is followed by a new one."""

    class Review(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("reporting unit"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    period = models.CharField(
        _("reporting period"), max_length=100, blank=True, help_text=_("e.g. 6 tháng đầu năm 2026")
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    text = models.TextField(_("report"))
    reported_on = models.DateField(_("report date"), default=timezone.localdate)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_status = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.SUBMITTED, db_index=True
    )
    reason = models.TextField(_("reason for returning"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    scope_field = "unit"
    #: append-only, evidence included: the generic file pages refuse to add or remove files here
    #: (apps.core.views.pages), with this message
    files_fixed = _(
        "The files of a progress report come with it when it is submitted; they cannot be added or "
        "removed afterwards. Submit a new report with the files instead."
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["task", "-reported_on", "-id"], name="report_task_idx"),
            models.Index(fields=["unit", "-reported_on"], name="report_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="report_percent_0_100",
                # Translators: Django %-formats constraint messages: write %% for a percent sign.
                violation_error_message=_("Progress must be between 0 and 100%%."),
            ),
            models.CheckConstraint(
                condition=~Q(review_status="returned") | ~Q(reason=""),
                name="report_returned_has_reason",
                violation_error_message=_("Say why the report is returned."),
            ),
        ]

    def __str__(self):
        return _("Report of {unit} on “{task}” ({percent}%)").format(
            unit=self.unit.short_name or self.unit.name if self.unit_id else "?",
            task=self.task.title[:80] if self.task_id else "?",
            percent=self.percent,
        )

    def get_absolute_url(self):
        return "{}#report-{}".format(reverse("tasks:task_detail", args=[self.task_id]), self.pk)

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        """Seeing: the reports of the reporting unit, and all reports of tasks the user sees.
        Changing (reviewing): coordinators and administrators over the task's lead unit."""
        from apps.accounts.scoping import units_q
        from apps.core.querysets import VIEW

        if action == VIEW:
            return queryset.filter(units_q(scope, VIEW, "unit__") | task_scope_q(scope, VIEW, "task__"))
        q = Q(pk__in=[])
        for path in scope.subtree_paths(action):
            q |= Q(task__lead_unit__path__startswith=path)
        return queryset.filter(q)

    def owner_unit_id(self):
        return self.unit_id


#: months between two deadlines of a recurring task
RECURRENCE_MONTHS = {"yearly": 12, "quarterly": 3, "monthly": 1}


class TaskCycle(ChangeLoggedModel):
    """One finished round of a recurring task (yearly, quarterly, monthly): its deadline and the
    day it was done. When a round is done the task moves on to the next deadline with its progress
    back at 0, so the derived status always speaks of the round in hand (a monthly report due on
    the 31st is overdue on the 1st only if that month's round is not done); the rounds done stay
    here, counted by the scorecard like one-off tasks."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="cycles")
    due_date = models.DateField(_("due date"))
    completed_on = models.DateField(_("completed on"))
    #: the newest report of the task when the round closed: later reports belong to the next round
    last_report_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    scope_field = "task__lead_unit"

    class Meta:
        verbose_name = _("finished round")
        verbose_name_plural = _("finished rounds")
        ordering = ["task", "-due_date"]
        constraints = [models.UniqueConstraint(fields=["task", "due_date"], name="task_cycle_once")]
        indexes = [models.Index(fields=["due_date"], name="task_cycle_due_idx")]

    def __str__(self):
        return "{} — {}".format(self.task, self.due_date.strftime("%d/%m/%Y"))

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        return queryset.filter(task_scope_q(scope, action, "task__"))

    @property
    def on_time(self) -> bool:
        return self.completed_on <= self.due_date


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view"):
        # Notifications are personal, like API tokens.
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one person about one task (đôn đốc): due soon, overdue, or a report
    returned — a progress report on the task, or a unit's periodic report (``unit_report``, no
    task). ``key`` names the occasion (the due date, the report, the return) so that the reminder
    run never sends the same message twice. Its e-mail is recorded as sent only once the mail
    server took it (``email_state``): one that failed is tried again by the next run."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        RETURNED = "returned", _("Report returned")

    EmailState = EmailState  # the one set of states (apps.core.mailing), under the old name too

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    task = models.ForeignKey(
        Task, verbose_name=_("task"), null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    unit_report = models.ForeignKey(
        "tasks.UnitReport",
        verbose_name=_("unit report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    key = models.CharField(_("occasion"), max_length=40)
    message = models.TextField(_("message"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state, emailed_at = email_fields()

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "task", "kind", "key"],
                name="notification_once",
                violation_error_message=_("This person has already been notified of this."),
            ),
            # NULLs are distinct in a unique index: occasions without a task (a unit report's
            # return) are kept once by their key, which names the report and the return.
            models.UniqueConstraint(
                fields=["user", "kind", "key"],
                condition=Q(task__isnull=True),
                name="notification_once_without_task",
                violation_error_message=_("This person has already been notified of this."),
            ),
            models.CheckConstraint(
                condition=Q(task__isnull=False) | Q(unit_report__isnull=False),
                name="notification_about_something",
                violation_error_message=_("A notification is about a task or a unit report."),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created"], name="notification_user_idx"),
            # The reminder run looks for e-mails still to send; they are few, the table is not.
            models.Index(fields=["created"], condition=Q(email_state="pending"), name="notification_mail_pending_idx"),
        ]

    def __str__(self):
        return self.message[:80]

    @property
    def subject(self):
        """What the notification is about: the task, or the unit report."""
        return self.task if self.task_id else self.unit_report

    def get_absolute_url(self):
        if self.task_id is None and self.unit_report_id is not None:
            return reverse("tasks:unitreport_detail", args=[self.unit_report_id])
        return reverse("tasks:task_detail", args=[self.task_id])


# -- periodic reporting (báo cáo định kỳ) --------------------------------------------------------


class ReportingPeriod(ChangeLoggedModel):
    """A reporting round opened by a coordinating unit (e.g. "6 tháng đầu năm 2026"): the units
    listed in ``units`` each file a ``UnitReport`` by ``due_date``; the coordinator follows who
    has not and compiles the consolidated report."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("Quarter")
        HALF_YEAR = "half_year", _("Six months")
        NINE_MONTHS = "nine_months", _("Nine months")
        YEAR = "year", _("Year")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("coordinating unit"),
        on_delete=models.PROTECT,
        related_name="reporting_periods",
        help_text=_("The unit that asks for the reports and compiles them."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. 6 tháng đầu năm 2026"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.HALF_YEAR)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    due_date = models.DateField(_("reports due"))
    instructions = models.TextField(_("instructions"), blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN, db_index=True)
    units = models.ManyToManyField(
        "accounts.Unit", verbose_name=_("reporting units"), related_name="reporting_periods_due", blank=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    search_fields = ("name", "instructions")
    scope_field = "unit"
    scope_shared_field = "units"

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="period_end_after_start",
                violation_error_message=_("The end of the period must not be before its start."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tasks:reportingperiod_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end of the period must not be before its start.")})
        if self.start and self.due_date and self.due_date < self.start:
            raise ValidationError({"due_date": _("Reports cannot be due before the period starts.")})

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        """Seen by everyone over the coordinating unit and by the units asked to report; changed
        (units, dates, closing) only by coordinators and administrators over the coordinating unit."""
        from apps.accounts.scoping import units_q
        from apps.core.querysets import VIEW

        if action == VIEW:
            q = units_q(scope, VIEW, "unit__")
            own = scope.own_unit_ids(VIEW)
            if own:
                q |= Q(pk__in=cls.units.through.objects.filter(unit_id__in=own).values("reportingperiod_id"))
            return queryset.filter(q)
        q = Q(pk__in=[])
        for path in scope.subtree_paths(action):
            q |= Q(unit__path__startswith=path)
        return queryset.filter(q)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class UnitReport(ChangeLoggedModel):
    """One unit's report for a reporting period: pre-filled from its tasks' progress, edited by the
    unit as a draft, submitted, then accepted or returned (with a reason) by the coordinator."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("reporting period"), on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("reporting unit"), on_delete=models.PROTECT, related_name="period_reports"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    summary = models.TextField(_("main results"), blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    next_steps = models.TextField(_("tasks for the next period"), blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reason = models.TextField(_("reason for returning"), blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)

    search_fields = ("summary", "difficulties", "proposals", "next_steps")
    scope_field = "unit"

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["period", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit"],
                name="unit_report_once_per_period",
                violation_error_message=_("This unit already has a report for this period."),
            )
        ]

    def __str__(self):
        return _("Report of {unit} — {period}").format(
            unit=self.unit.short_name or self.unit.name if self.unit_id else "?",
            period=self.period.name if self.period_id else "?",
        )

    def get_absolute_url(self):
        return reverse("tasks:unitreport_detail", args=[self.pk])

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        """The reporting unit's people see and write it; coordinators over the period's unit see it
        and review it (``change``); leaders over either read it."""
        from apps.accounts.scoping import units_q

        q = units_q(scope, action, "unit__")
        for path in scope.subtree_paths(action):
            q |= Q(period__unit__path__startswith=path)
        return queryset.filter(q)

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED) and self.period.is_open


class UnitReportItem(ChangeLoggedModel):
    """One task in a unit's periodic report: how far it got and what was done in the period."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        SUPPORTING = "supporting", _("Supporting")

    report = models.ForeignKey(
        UnitReport, verbose_name=_("unit report"), on_delete=models.CASCADE, related_name="items"
    )
    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="period_items")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.LEAD)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    text = models.TextField(_("what was done"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    scope_field = "report__unit"

    class Meta:
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        ordering = ["report", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "task"], name="unit_report_item_once"),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="unit_report_item_percent_0_100",
                # Translators: Django %-formats constraint messages: write %% for a percent sign.
                violation_error_message=_("Progress must be between 0 and 100%%."),
            ),
        ]

    def __str__(self):
        return self.task.title[:100] if self.task_id else "?"

    def get_absolute_url(self):
        return reverse("tasks:unitreport_detail", args=[self.report_id])

    def owner_unit_id(self):
        return self.report.unit_id if self.report_id else None
