"""A task's status is derived, never typed: the Python property, the SQL annotation and the SQL
filter agree for every combination of dates and progress."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.core.changelog import change_logging
from apps.tasks import services
from apps.tasks.models import Task, TaskStatus, derive_status, status_q

TODAY = date(2026, 3, 10)


def status(due=None, completed=None, progress=0, soon=7):
    return derive_status(due_date=due, completed_on=completed, progress=progress, today=TODAY, soon_days=soon)


def test_a_task_nobody_reported_on_is_not_started():
    assert status(due=TODAY + timedelta(days=30)) == TaskStatus.NOT_STARTED
    assert status() == TaskStatus.NOT_STARTED


def test_a_task_with_accepted_progress_is_in_progress():
    assert status(due=TODAY + timedelta(days=30), progress=40) == TaskStatus.IN_PROGRESS
    assert status(progress=40) == TaskStatus.IN_PROGRESS


def test_the_due_soon_window_counts_today_and_the_last_day_but_not_the_day_after():
    assert status(due=TODAY) == TaskStatus.DUE_SOON
    assert status(due=TODAY + timedelta(days=7)) == TaskStatus.DUE_SOON
    assert status(due=TODAY + timedelta(days=8)) == TaskStatus.NOT_STARTED
    assert status(due=TODAY + timedelta(days=3), progress=80) == TaskStatus.DUE_SOON


def test_the_due_soon_window_follows_the_setting(settings, province):
    settings.TASK_DUE_SOON_DAYS = 2
    today = timezone.localdate()
    with change_logging(user=None):
        task = services.task_create(by=None, title="T", lead_unit=province.unit_a, due_date=today + timedelta(days=3))
    assert task.status == TaskStatus.NOT_STARTED
    settings.TASK_DUE_SOON_DAYS = 3
    assert task.status == TaskStatus.DUE_SOON
    assert Task.objects.with_status().get(pk=task.pk).status_value == TaskStatus.DUE_SOON


def test_an_open_task_past_its_due_date_is_overdue_even_with_progress():
    assert status(due=TODAY - timedelta(days=1)) == TaskStatus.OVERDUE
    assert status(due=TODAY - timedelta(days=1), progress=90) == TaskStatus.OVERDUE


def test_a_task_done_by_its_due_date_is_on_time_and_after_it_late():
    due = TODAY - timedelta(days=10)
    assert status(due=due, completed=due, progress=100) == TaskStatus.DONE_ON_TIME
    assert status(due=due, completed=due - timedelta(days=3), progress=100) == TaskStatus.DONE_ON_TIME
    assert status(due=due, completed=due + timedelta(days=1), progress=100) == TaskStatus.DONE_LATE
    assert status(completed=TODAY, progress=100) == TaskStatus.DONE_ON_TIME


def test_ongoing_work_without_a_due_date_is_never_overdue():
    assert status(due=None, progress=10) == TaskStatus.IN_PROGRESS


# -- property: Python and SQL agree ------------------------------------------------------------

offsets = st.one_of(st.none(), st.integers(min_value=-40, max_value=40))


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(st.tuples(offsets, offsets, st.sampled_from([0, 1, 50, 99, 100])), min_size=1, max_size=12),
    today_offset=st.integers(min_value=-5, max_value=5),
    soon=st.integers(min_value=0, max_value=10),
)
def test_the_property_the_annotation_and_the_filter_agree(province, rows, today_offset, soon):
    today = TODAY + timedelta(days=today_offset)
    Task.objects.filter(title__startswith="H-").delete()
    created = []
    for index, (due, done, progress) in enumerate(rows):
        due_date = None if due is None else TODAY + timedelta(days=due)
        completed_on = None if done is None else TODAY + timedelta(days=done)
        created.append(
            Task(
                title="H-{}".format(index),
                lead_unit=province.unit_a,
                due_date=due_date,
                completed_on=completed_on,
                progress=progress,
            )
        )
    Task.objects.bulk_create(created)
    tasks = Task.objects.filter(title__startswith="H-").with_status(today=today, soon_days=soon)
    for task in tasks:
        expected = derive_status(
            due_date=task.due_date, completed_on=task.completed_on, progress=task.progress, today=today, soon_days=soon
        )
        assert task.status_value == expected
        assert Task.objects.filter(pk=task.pk).filter(status_q(expected, today, soon)).exists()
        for other in TaskStatus.values:
            if other != expected:
                assert not Task.objects.filter(pk=task.pk).filter(status_q(other, today, soon)).exists(), other


def test_the_property_uses_today(province):
    today = timezone.localdate()
    with change_logging(user=None):
        task = services.task_create(by=None, title="T", lead_unit=province.unit_a, due_date=today - timedelta(days=1))
    assert task.status == TaskStatus.OVERDUE
    assert Task.objects.in_status(TaskStatus.OVERDUE).filter(pk=task.pk).exists()


def test_progress_above_100_is_refused_with_the_constraints_message(province):
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    task = Task(title="T", lead_unit=province.unit_a, progress=101)
    with pytest.raises(ValidationError) as info:
        task.full_clean()
    # Django %-formats constraint messages, so the catalogue writes the percent sign as %%.
    assert gettext("Progress must be between 0 and 100%%.").replace("%%", "%") in info.value.messages


@pytest.mark.parametrize("progress", [-1, 101])
def test_the_database_itself_refuses_progress_outside_0_to_100(province, progress):
    from django.db import IntegrityError, transaction

    with change_logging(user=None):
        task = services.task_create(by=None, title="T", lead_unit=province.unit_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(progress=progress)


def test_the_task_list_rows_show_each_cell_escaped(login, province):
    today = timezone.localdate()
    with change_logging(user=None):
        parent = services.task_create(by=None, title="Nhóm nhiệm vụ 1", lead_unit=province.unit_a, due_date=None)
        task = services.task_create(
            by=None,
            title="<b>Đón đoàn</b> Prey Veng",
            lead_unit=province.unit_a,
            due_date=today - timedelta(days=3),
            priority=Task.Priority.HIGH,
            parent=parent,
        )
        task.supporting_units.set([province.unit_b])
    body = login("coordinator").get("/tasks/?q=Prey").content.decode()
    row = body[body.index("<tbody") : body.index("</tbody>")]
    assert "<b>Đón đoàn</b>" not in row and "&lt;b&gt;Đón đoàn&lt;/b&gt; Prey Veng" in row
    assert 'data-status="overdue"' in row and "Quá hạn" in row
    assert (today - timedelta(days=3)).strftime("%d/%m/%Y") in row
    assert "text-danger fw-semibold" in row  # high priority stands out
    assert (province.unit_b.short_name or province.unit_b.name) in row
    assert 'title="{}"'.format(parent.pk) in row  # the subtask mark names its parent
    assert 'href="{}"'.format(task.get_absolute_url()) in row
