"""The demo carries the seeds' cascade with tasks in every state, and loading it again adds nothing."""

import io

import pytest
from django.core.management import call_command

from apps.tasks.models import Notification, ProgressReport, Task, TaskStatus
from tests.helpers import built_once


def load():
    from django.test.utils import override_settings

    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, load)


@pytest.fixture
def demo(db, _demo):
    return None


def test_the_demo_has_tasks_in_every_state(demo):
    statuses = {task.status for task in Task.objects.all()}
    assert statuses == set(TaskStatus.values)


def test_the_demo_tasks_hang_off_the_seeds_documents(demo):
    notations = set(Task.objects.values_list("document__notation", flat=True))
    assert {"2722/KH-UBND", "108-KH/TU", "1830/LHHN-VP", "38-CT/TW", "12-CT/TW"} <= notations
    groups = Task.objects.filter(document__notation="2722/KH-UBND", parent__isnull=True)
    assert groups.count() == 4
    assert Task.objects.filter(parent__isnull=False).exists()


def test_the_demo_reports_are_accepted_returned_and_awaiting_review(demo):
    states = set(ProgressReport.objects.values_list("review_status", flat=True))
    assert states == {"accepted", "returned", "submitted"}
    returned = ProgressReport.objects.filter(review_status="returned")
    assert all(r.reason for r in returned)
    assert ProgressReport.objects.filter(reviewed_by__username="dieuphoi").exists()


def test_loading_the_demo_again_adds_no_task_or_report(demo):
    before = (Task.objects.count(), ProgressReport.objects.count())
    load()
    assert (Task.objects.count(), ProgressReport.objects.count()) == before


def test_the_demo_officers_can_follow_their_tasks(demo, client):
    from apps.accounts.models import User

    client.force_login(User.objects.get(username="canbo.so"))
    body = client.get("/tasks/?per_page=100").content.decode()
    assert "Xây dựng và hoàn thiện các cơ sở pháp lý" in body
    assert "Quán triệt, triển khai Chỉ thị 12-CT/TW" not in body


def test_reminders_run_on_the_demo(demo, django_capture_on_commit_callbacks):
    from apps.tasks.reminders import send_reminders

    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders()
    assert result.created["overdue"] > 0 and result.created["due_soon"] > 0 and result.created["returned"] > 0
    assert Notification.objects.filter(user__username="canbo.lhhn").exists()
