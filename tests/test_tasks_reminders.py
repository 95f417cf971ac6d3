"""``manage.py send_reminders``: due-soon, overdue and returned-report notifications, in the app
and by e-mail, each sent once however often the command runs."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.accounts import services as accounts
from apps.core.changelog import change_logging
from apps.tasks import services
from apps.tasks.models import Notification
from apps.tasks.reminders import send_reminders


@pytest.fixture
def people(province):
    """Unit A's officer gets e-mail; a second officer of unit A has no address."""
    with change_logging(user=None):
        province.officer_a.email = "officer.a@example.vn"
        province.officer_a.save()
        second = accounts.user_create(by=None, username="officer.a2", full_name="Cán bộ hai")
        accounts.role_assign(user=second, unit=province.unit_a, role="officer", by=None)
    return province.officer_a, second


@pytest.fixture
def tasks(province):
    today = timezone.localdate()
    with change_logging(user=None):
        return {
            "soon": services.task_create(
                by=None, title="Sắp đến hạn", lead_unit=province.unit_a, due_date=today + timedelta(days=3)
            ),
            "late": services.task_create(
                by=None, title="Đã quá hạn", lead_unit=province.unit_a, due_date=today - timedelta(days=3)
            ),
            "far": services.task_create(
                by=None, title="Còn xa", lead_unit=province.unit_a, due_date=today + timedelta(days=60)
            ),
            "other": services.task_create(by=None, title="Của đơn vị B", lead_unit=province.unit_b, due_date=today),
        }


def run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return send_reminders()


def test_due_soon_and_overdue_tasks_notify_the_lead_units_officers_once(
    province, people, tasks, django_capture_on_commit_callbacks
):
    officer, second = people
    first = run(django_capture_on_commit_callbacks)
    assert first.created == {"due_soon": 3, "overdue": 2, "returned": 0}  # 2 officers of A, 1 of B
    assert first.emailed == 2  # only officer A has an address: due soon + overdue
    assert {m.to[0] for m in mail.outbox} == {"officer.a@example.vn"}
    assert set(Notification.objects.filter(user=second).values_list("task__title", "kind")) == {
        ("Sắp đến hạn", "due_soon"),
        ("Đã quá hạn", "overdue"),
    }
    again = run(django_capture_on_commit_callbacks)
    assert again.total == 0 and again.emailed == 0
    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 5


def test_a_new_due_date_is_a_new_occasion(province, people, tasks, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks)
    services.task_update(task=tasks["late"], by=None, due_date=timezone.localdate() + timedelta(days=1))
    result = run(django_capture_on_commit_callbacks)
    assert result.created["due_soon"] == 2


def test_a_returned_report_notifies_its_unit_with_the_reason(
    province, people, tasks, django_capture_on_commit_callbacks
):
    report = services.progress_report_submit(task=tasks["far"], by=province.officer_a, percent=20, text="x")
    services.progress_report_review(report=report, by=province.coordinator, accept=False, reason="Chưa có số liệu")
    result = run(django_capture_on_commit_callbacks)
    assert result.created["returned"] == 2
    note = Notification.objects.get(user=province.officer_a, kind="returned")
    assert "Chưa có số liệu" in note.message
    assert any("Chưa có số liệu" in m.body for m in mail.outbox)
    assert run(django_capture_on_commit_callbacks).total == 0


def test_done_tasks_are_not_chased(province, people, tasks, django_capture_on_commit_callbacks):
    services.task_complete(task=tasks["late"], by=None)
    services.task_complete(task=tasks["soon"], by=None)
    result = run(django_capture_on_commit_callbacks)
    assert result.created["due_soon"] == 1 and result.created["overdue"] == 0


def test_the_command_runs_twice_and_says_what_it_did(province, people, tasks, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    count = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert Notification.objects.count() == count == 5
    assert len(mail.outbox) == 2
    assert out.getvalue().count("\n") == 2
    with pytest.raises(CommandError):
        call_command("send_reminders", "--today", "hôm qua", stdout=out)


def test_the_notifications_page_lists_mine_and_marks_them_read(
    signed_in, province, people, tasks, django_capture_on_commit_callbacks
):
    run(django_capture_on_commit_callbacks)
    client = signed_in("officer_a")
    body = client.get("/notifications/").content.decode()
    assert "Sắp đến hạn" in body and "Của đơn vị B" not in body
    mine = Notification.objects.filter(user=province.officer_a)
    one = mine.first()
    client.post("/notifications/read/", {"id": one.pk})
    assert Notification.objects.get(pk=one.pk).read_at is not None
    assert mine.filter(read_at__isnull=True).count() == 1
    # someone else's notification is untouched
    theirs = Notification.objects.filter(user=province.officer_b).first()
    client.post("/notifications/read/", {"id": theirs.pk})
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    client.post("/notifications/read/", {"all": "1"})
    assert mine.filter(read_at__isnull=True).count() == 0
    assert signed_in("officer_b").get("/notifications/?page=abc").status_code == 200


def test_a_task_of_a_unit_without_officers_is_announced_to_the_coordinators_above_it(
    province, django_capture_on_commit_callbacks
):
    from apps.accounts.models import RoleAssignment

    assert not RoleAssignment.objects.filter(unit=province.association, role="officer").exists()
    with change_logging(user=None):
        services.task_create(
            by=None,
            title="Hội chưa có cán bộ",
            lead_unit=province.association,
            due_date=timezone.localdate() - timedelta(days=2),
        )
    run(django_capture_on_commit_callbacks)
    assert Notification.objects.filter(task__title="Hội chưa có cán bộ", user=province.coordinator).exists()
