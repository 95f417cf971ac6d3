"""A recurring task (monthly, quarterly, yearly) runs in rounds: when a round is done the task moves
on to its next deadline, so it is overdue only when the round in hand is late, it keeps taking
reports, and the scorecard counts every round done."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from apps.core.changelog import change_logging
from apps.core.models import ObjectChange
from apps.tasks import services
from apps.tasks.models import Task, TaskCycle, TaskStatus, derive_status
from apps.tasks.selectors import scorecard


def fresh(task):
    return Task.objects.get(pk=task.pk)


def status_on(task, day):
    return derive_status(
        due_date=task.due_date, completed_on=task.completed_on, progress=task.progress, today=day, soon_days=7
    )


def report(province, task, percent, day):
    """The lead unit reports ``percent`` on ``day`` (as an import would date it); the coordinator accepts."""
    with change_logging(user=None):
        filed = services.progress_report_submit(
            task=task, by=None, unit=province.unit_a, percent=percent, text="Báo cáo tháng", reported_on=day
        )
        services.progress_report_review(report=filed, by=province.coordinator, accept=True)
    return fresh(task)


@pytest.fixture
def monthly(province):
    with change_logging(user=None):
        return services.task_create(
            by=province.coordinator,
            title="Báo cáo tình hình người nước ngoài hằng tháng",
            lead_unit=province.unit_a,
            due_date=date(2026, 10, 31),
            recurrence=Task.Recurrence.MONTHLY,
        )


def test_a_monthly_round_done_moves_the_task_to_next_months_deadline(province, monthly):
    task = report(province, monthly, 100, date(2026, 10, 28))
    assert task.due_date == date(2026, 11, 30)  # the last day of a shorter month
    assert task.progress == 0 and task.completed_on is None
    assert status_on(task, date(2026, 11, 1)) == TaskStatus.NOT_STARTED  # not overdue on the 1st
    cycle = TaskCycle.objects.get(task=task)
    assert (cycle.due_date, cycle.completed_on, cycle.on_time) == (date(2026, 10, 31), date(2026, 10, 28), True)


def test_the_next_rounds_take_reports_and_keep_the_first_rounds_day(province, monthly):
    task = report(province, monthly, 100, date(2026, 10, 28))
    task = report(province, task, 50, date(2026, 11, 20))
    assert task.progress == 50 and task.due_date == date(2026, 11, 30)
    assert status_on(task, date(2026, 12, 1)) == TaskStatus.OVERDUE  # November's round is late
    task = report(province, task, 100, date(2026, 12, 3))
    assert task.due_date == date(2026, 12, 31)  # back to the 31st, not the 30th
    late = TaskCycle.objects.get(task=task, due_date=date(2026, 11, 30))
    assert late.completed_on == date(2026, 12, 3) and not late.on_time


def test_a_report_of_a_closed_round_does_not_close_the_next_one(province, monthly):
    task = report(province, monthly, 100, date(2026, 10, 28))
    task = report(province, task, 30, date(2026, 11, 10))
    assert task.progress == 30 and TaskCycle.objects.filter(task=task).count() == 1


def test_a_yearly_task_completed_by_the_coordinator_goes_on_next_year(province):
    with change_logging(user=None):
        yearly = services.task_create(
            by=province.coordinator,
            title="Tổng kết công tác đối ngoại nhân dân",
            lead_unit=province.unit_a,
            due_date=date(2025, 12, 15),
            recurrence=Task.Recurrence.YEARLY,
        )
        services.task_complete(task=yearly, by=province.coordinator, completed_on=date(2025, 12, 10))
    task = fresh(yearly)
    assert task.due_date == date(2026, 12, 15) and task.completed_on is None
    task = report(province, task, 40, date(2026, 6, 30))  # next year's report is taken
    assert task.progress == 40


def test_the_scorecard_counts_every_round_done_in_the_year(province, monthly):
    task = report(province, monthly, 100, date(2026, 10, 28))  # October on time
    task = report(province, task, 100, date(2026, 12, 3))  # November late; December in hand
    rows = {
        r.unit_id: r
        for r in scorecard(
            user=province.coordinator, start=date(2026, 1, 1), end=date(2026, 12, 31), today=date(2026, 12, 5)
        )
    }
    row = rows[province.unit_a.pk]
    assert (row.assigned, row.done_on_time, row.done_late, row.overdue, row.open) == (3, 1, 1, 0, 1)


def test_a_finished_round_is_in_the_change_log(province, monthly):
    report(province, monthly, 100, date(2026, 10, 28))
    cycle = TaskCycle.objects.get()
    logged = ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(TaskCycle), changed_object_id=cycle.pk
    )
    assert logged.filter(action="create").exists()
    # filed under the lead unit, so the unit's people find it in their change log (not a task id read as a unit)
    assert logged.get(action="create").unit_id == province.unit_a.pk
    assert ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(Task), changed_object_id=monthly.pk, action="update"
    ).exists()


def test_the_task_page_lists_the_rounds_done(login, province, monthly):
    report(province, monthly, 100, date(2026, 10, 28))
    page = login("coordinator").get(monthly.get_absolute_url()).content.decode()
    assert 'id="task-cycles"' in page and "31/10/2026" in page and "28/10/2026" in page
