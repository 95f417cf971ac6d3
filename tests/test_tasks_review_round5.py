"""Review round 5 of tasks and follow-up: what an officer or a coordinator checks after the fixes —
subtasks from the form, periods that count tasks entered late, reminders that survive a mail
server outage, deadlines officers cannot escape, evidence that stays as submitted, an API edit that
is all or nothing, the deadline calendar, the scorecard, document spellings, and returned periodic
reports that reach their unit."""

import io
import json
import re
import smtplib
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.utils import timezone, translation
from docx import Document as read_docx
from openpyxl import load_workbook

from apps.core.changelog import change_logging
from apps.core.models import Attachment, ObjectChange
from apps.documents.models import Document
from apps.tasks import selectors, services
from apps.tasks.filtersets import document_by_id_or_notation
from apps.tasks.models import Notification, ProgressReport, Task, UnitReport
from apps.tasks.reminders import send_reminders
from tests.helpers import page_text

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def new_task(lead_unit, by=None, **fields):
    with change_logging(user=by):
        return services.task_create(by=by, title=fields.pop("title", "Nhiệm vụ thử"), lead_unit=lead_unit, **fields)


def task_rows(response) -> list[int]:
    """The task IDs a task list page shows, in order."""
    body = response.content.decode()
    table = body[body.index('id="task-table"') :]
    table = table[: table.index("</table>")]
    seen = []
    for pk in re.findall(r'href="/tasks/(\d+)/"', table):
        if int(pk) not in seen:
            seen.append(int(pk))
    return seen


def input_tag(html: str, name: str) -> str:
    match = re.search(r'<input[^>]*name="{}"[^>]*>'.format(re.escape(name)), html)
    assert match, name
    return match.group(0)


# -- 1. a subtask from the form ------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "officer_a"])
def test_a_subtask_is_added_from_the_task_page_and_keeps_its_parent_when_edited(signed_in, province, persona):
    parent = new_task(province.unit_a, title="Nhiệm vụ cha")
    client = signed_in(persona)
    form = client.get("/tasks/add/?parent={}".format(parent.pk))
    assert form.status_code == 200
    response = client.post(
        "/tasks/add/",
        {
            "title": "Nhiệm vụ con",
            "lead_unit": province.unit_a.pk,
            "recurrence": "none",
            "priority": "normal",
            "parent": form.context["form"].initial["parent"],
        },
    )
    assert response.status_code == 302
    child = Task.objects.get(title="Nhiệm vụ con")
    assert child.parent_id == parent.pk
    edit = client.post(
        "/tasks/{}/edit/".format(child.pk),
        {
            "title": "Nhiệm vụ con (sửa)",
            "lead_unit": province.unit_a.pk,
            "recurrence": "none",
            "priority": "normal",
            "parent": parent.pk,
            "_version": child.version,
        },
    )
    assert edit.status_code == 302
    assert fresh(child).parent_id == parent.pk and fresh(child).title == "Nhiệm vụ con (sửa)"


def test_a_parent_id_that_is_not_a_task_is_named_under_the_field(signed_in, province):
    client = signed_in("coordinator")
    base = {"title": "Nhiệm vụ con", "lead_unit": province.unit_a.pk, "recurrence": "none", "priority": "normal"}
    for bad in ("0", "-3", "999999"):
        response = client.post("/tasks/add/", {**base, "parent": bad})
        assert response.status_code == 400, bad
        assert response.context["form"].errors["parent"], bad
    assert not Task.objects.filter(title="Nhiệm vụ con").exists()


# -- 2. periods count the tasks that belong to them, however late they were entered ---------------

H1_2025 = (date(2025, 1, 1), date(2025, 6, 30))


@pytest.fixture
def entered_late(province):
    """Tasks of unit A entered today (long after the first half of 2025), and what they did then."""
    a = province.unit_a
    with change_logging(user=None):
        plan = Document.objects.create(
            unit=province.province, notation="108-KH/TU", type_name="Kế hoạch", issued_on=date(2024, 5, 20)
        )
        late = services.task_create(by=None, title="Đón đoàn Champasak", lead_unit=a, due_date=date(2025, 5, 1))
        services.task_complete(task=late, by=None, completed_on=date(2025, 6, 10))
        from_plan = services.task_create(
            by=None, title="Việc của kế hoạch 2024", lead_unit=a, document=plan, due_date=date(2027, 3, 1)
        )
        reported = services.task_create(by=None, title="Có báo cáo trong kỳ", lead_unit=a, due_date=date(2027, 6, 1))
        services.progress_report_submit(
            task=reported, by=None, percent=30, text="Đã khảo sát", reported_on=date(2025, 3, 1)
        )
        yearly = services.task_create(
            by=None, title="Gặp mặt đầu năm", lead_unit=a, recurrence="yearly", due_date=date(2026, 1, 15)
        )
        services.task_create(by=None, title="Giao sau kỳ", lead_unit=a, due_date=date(2027, 3, 1))
        done_before = services.task_create(by=None, title="Xong từ 2024", lead_unit=a, due_date=date(2024, 11, 1))
        services.task_complete(task=done_before, by=None, completed_on=date(2024, 12, 1))
        period = services.period_open(
            by=None,
            unit=province.province,
            name="6 tháng đầu năm 2025",
            start=H1_2025[0],
            end=H1_2025[1],
            due_date=date(2025, 7, 10),
            units=[a],
        )
    belong = {late.pk, from_plan.pk, reported.pk, yearly.pk}
    return period, belong


def test_tasks_entered_after_the_period_count_for_it_by_their_dates_not_their_entry(province, entered_late):
    period, belong = entered_late
    assert all(t.created.date() > H1_2025[1] for t in Task.objects.all())
    in_period = set(Task.objects.filter(selectors.period_tasks_q(*H1_2025)).values_list("pk", flat=True))
    assert in_period == belong
    total, per_unit = selectors.period_figures(period, today=TODAY)
    assert (total.total, total.done_on_time, total.done_late, total.overdue, total.open) == (4, 0, 1, 0, 3)
    assert per_unit[province.unit_a.pk].total == 4


def test_the_unit_report_is_pre_filled_with_them_and_the_consolidated_docx_counts_them(
    signed_in, province, entered_late
):
    period, belong = entered_late
    report = services.unit_report_prepare(period=period, unit=province.unit_a, by=province.officer_a)
    lines = {item.task_id: item for item in report.items.all()}
    assert set(lines) == belong
    assert lines[Task.objects.get(title="Có báo cáo trong kỳ").pk].text == "Đã khảo sát"

    page = signed_in("coordinator").get(period.get_absolute_url())
    assert re.search(r'<tr data-unit="LHHN-TN".*?<td class="text-end">4</td>', page.content.decode(), re.S)

    response = signed_in("coordinator").get("/reporting-periods/{}/consolidated.docx".format(period.pk))
    assert response.status_code == 200
    document = read_docx(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "chủ trì 4 nhiệm vụ" in text and "đã hoàn thành 1 nhiệm vụ" in text


# -- 3. reminders when the mail server is down -------------------------------------------------


class MailServerDown(BaseEmailBackend):
    """A mail server that cannot be reached (connection refused)."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages):
        self.open()


class RefusesOneAddress(LocmemBackend):
    """A mail server that refuses one recipient and takes the rest."""

    def send_messages(self, messages):
        for message in messages:
            if "refused@example.vn" in message.to:
                raise smtplib.SMTPRecipientsRefused({"refused@example.vn": (550, b"No such user")})
        return super().send_messages(messages)


@pytest.fixture
def chased(province):
    """One task of each unit due in three days; both officers have an address."""
    with change_logging(user=None):
        for officer, address in ((province.officer_a, "officer.a@example.vn"), (province.officer_b, "b@example.vn")):
            officer.email = address
            officer.save()
    new_task(province.unit_a, title="Sắp đến hạn A", due_date=TODAY + timedelta(days=3))
    new_task(province.unit_b, title="Sắp đến hạn B", due_date=TODAY + timedelta(days=3))


def run(capture, stdout=None):
    with capture(execute=True):
        return send_reminders(stdout=stdout)


def test_emails_the_server_did_not_take_are_sent_by_the_next_run_and_never_twice(
    settings, province, chased, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.test_tasks_review_round5.MailServerDown"
    down = run(django_capture_on_commit_callbacks)
    assert down.created["due_soon"] == 2
    assert (down.emailed, down.mail_failed) == (0, 2)
    assert Notification.objects.count() == 2  # the in-app notifications are there at once
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"pending"}

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    back = run(django_capture_on_commit_callbacks)
    assert back.total == 0  # no new notification …
    assert (back.emailed, back.mail_failed) == (2, 0)  # … but the waiting e-mails go now
    assert sorted(m.to[0] for m in mail.outbox) == ["b@example.vn", "officer.a@example.vn"]
    assert all("Sắp đến hạn" in m.body for m in mail.outbox)

    again = run(django_capture_on_commit_callbacks)
    assert (again.total, again.emailed, again.mail_failed) == (0, 0, 0)
    assert len(mail.outbox) == 2
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}


def test_the_command_says_how_many_emails_failed(settings, province, chased, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "en"  # the msgid as written; locale/vi carries the Vietnamese
    settings.EMAIL_BACKEND = "tests.test_tasks_review_round5.MailServerDown"
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    first = out.getvalue().splitlines()[0]
    assert "0 e-mails." in first
    assert "2 e-mails could not be sent" in first and "the next run tries again" in first
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "2 e-mails." in out.getvalue() and "could not be sent" not in out.getvalue()


def test_an_address_the_server_refuses_does_not_hold_back_the_others(
    settings, province, chased, django_capture_on_commit_callbacks
):
    with change_logging(user=None):
        province.officer_a.email = "refused@example.vn"
        province.officer_a.save()
    settings.EMAIL_BACKEND = "tests.test_tasks_review_round5.RefusesOneAddress"
    result = run(django_capture_on_commit_callbacks)
    assert (result.emailed, result.mail_failed) == (1, 1)
    assert [m.to[0] for m in mail.outbox] == ["b@example.vn"]
    assert Notification.objects.get(user=province.officer_a).email_state == "pending"
    with change_logging(user=None):
        province.officer_a.email = "officer.a@example.vn"
        province.officer_a.save()
    retried = run(django_capture_on_commit_callbacks)
    assert (retried.emailed, retried.mail_failed) == (1, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["b@example.vn", "officer.a@example.vn"]


def test_a_reminder_whose_email_waited_too_long_is_given_up(
    settings, province, chased, django_capture_on_commit_callbacks
):
    from apps.tasks.reminders import MAIL_RETRY_DAYS

    settings.EMAIL_BACKEND = "tests.test_tasks_review_round5.MailServerDown"
    run(django_capture_on_commit_callbacks)
    Notification.objects.update(created=timezone.now() - timedelta(days=MAIL_RETRY_DAYS + 1))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    result = run(django_capture_on_commit_callbacks)
    assert (result.emailed, result.mail_failed) == (0, 0) and mail.outbox == []
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"failed"}


# -- 4. officers cannot escape a deadline set over them ----------------------------------------


@pytest.fixture
def assigned(province):
    """A task the coordinator gave to unit A, overdue."""
    return new_task(
        province.unit_a, by=province.coordinator, title="Báo cáo sơ kết Chỉ thị 38", due_date=TODAY - timedelta(days=5)
    )


def test_the_lead_units_officer_may_not_move_clear_or_change_the_recurrence_of_an_assigned_task(province, assigned):
    due = assigned.due_date
    for change, field in (
        ({"due_date": due + timedelta(days=60)}, "due date"),
        ({"due_date": None}, "due date"),
        ({"recurrence": "ongoing", "due_date": None}, "due date"),
        ({"recurrence": "yearly"}, "recurrence"),
    ):
        with translation.override("en"), pytest.raises(PermissionDenied) as refused:
            services.task_update(task=fresh(assigned), by=province.officer_a, **change)
        assert "may change its {}".format(field) in str(refused.value)
        assert (fresh(assigned).due_date, fresh(assigned).recurrence) == (due, "none")
    # the rest of the task is still theirs to keep up to date
    services.task_update(task=fresh(assigned), by=province.officer_a, description="Đã gửi dự thảo", due_date=due)
    assert fresh(assigned).description == "Đã gửi dự thảo"


def test_the_coordinator_and_the_person_who_created_the_task_move_its_deadline(province, assigned):
    services.task_update(task=fresh(assigned), by=province.coordinator, due_date=TODAY + timedelta(days=10))
    assert fresh(assigned).due_date == TODAY + timedelta(days=10)
    own = new_task(province.unit_a, by=province.officer_a, title="Việc tự đặt", due_date=TODAY)
    services.task_update(task=own, by=province.officer_a, due_date=TODAY + timedelta(days=3), recurrence="monthly")
    assert (fresh(own).due_date, fresh(own).recurrence) == (TODAY + timedelta(days=3), "monthly")
    assert ObjectChange.objects.filter(changed_object_id=own.pk, action="update").exists()


def test_the_edit_form_shows_the_officer_the_deadline_but_does_not_let_them_change_it(signed_in, province, assigned):
    officer = signed_in("officer_a")
    html = officer.get("/tasks/{}/edit/".format(assigned.pk)).content.decode()
    assert "disabled" in input_tag(html, "due_date")
    assert "disabled" in re.search(r'<select[^>]*name="recurrence"[^>]*>', html).group(0)
    response = officer.post(
        "/tasks/{}/edit/".format(assigned.pk),
        {
            "title": assigned.title,
            "lead_unit": province.unit_a.pk,
            "recurrence": "ongoing",
            "priority": "high",
            "due_date": (TODAY + timedelta(days=300)).strftime("%d/%m/%Y"),
            "description": "Đang hoàn thiện",
            "_version": assigned.version,
        },
    )
    assert response.status_code == 302
    task = fresh(assigned)
    assert (task.due_date, task.recurrence) == (assigned.due_date, "none")
    assert (task.priority, task.description) == ("high", "Đang hoàn thiện")
    assert task.status == "overdue"
    coordinator_html = signed_in("coordinator").get("/tasks/{}/edit/".format(assigned.pk)).content.decode()
    assert "disabled" not in input_tag(coordinator_html, "due_date")


def test_an_officer_may_not_delete_an_assigned_task_from_the_page_or_the_api(signed_in, bearer, province, assigned):
    officer = signed_in("officer_a")
    detail = officer.get(assigned.get_absolute_url()).content.decode()
    assert 'href="/tasks/{}/edit/"'.format(assigned.pk) in detail
    assert 'href="/tasks/{}/delete/"'.format(assigned.pk) not in detail
    assert officer.get("/tasks/{}/delete/".format(assigned.pk)).status_code == 403
    assert officer.post("/tasks/{}/delete/".format(assigned.pk)).status_code == 403
    assert bearer("officer_a").delete("/api/tasks/{}/".format(assigned.pk)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.task_delete(task=assigned, by=province.officer_a)
    assert Task.objects.filter(pk=assigned.pk).exists()
    # the coordinator who assigned it may
    assert signed_in("coordinator").post("/tasks/{}/delete/".format(assigned.pk)).status_code == 302
    assert not Task.objects.filter(pk=assigned.pk).exists()


def test_the_api_refuses_an_officers_new_due_date_and_saves_nothing_of_the_patch(bearer, province, assigned):
    api = bearer("officer_a")
    response = api.patch(
        "/api/tasks/{}/".format(assigned.pk),
        json.dumps({"version": assigned.version, "title": "Đổi tên", "due_date": "2030-01-01"}),
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["detail"]
    assert fresh(assigned).title == assigned.title and fresh(assigned).due_date == assigned.due_date
    ok = api.patch(
        "/api/tasks/{}/".format(assigned.pk),
        json.dumps({"version": assigned.version, "description": "Cập nhật"}),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["description"] == "Cập nhật"


# -- 5. evidence stays as submitted --------------------------------------------------------------


@pytest.fixture
def report_with_file(signed_in, province):
    task = new_task(province.unit_a, by=province.coordinator, due_date=TODAY + timedelta(days=30))
    response = signed_in("officer_a").post(
        "/tasks/{}/reports/add/".format(task.pk),
        {
            "unit": province.unit_a.pk,
            "percent": 35,
            "text": "Đã tập huấn",
            "files": [SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=task)
    return task, report, Attachment.objects.get(object_id=report.pk, object_type__model="progressreport")


def test_the_reviewer_can_neither_remove_nor_add_evidence_on_a_report(signed_in, province, report_with_file):
    task, report, evidence = report_with_file
    coordinator = signed_in("coordinator")
    coordinator.cookies["huunghi_language"] = "en"
    services.progress_report_review(report=report, by=province.coordinator, accept=True)
    ct = ContentType.objects.get_for_model(ProgressReport)
    removed = coordinator.post("/files/{}/delete/".format(evidence.pk))
    assert removed.status_code == 403
    assert "The files of a progress report come with it when it is submitted" in page_text(removed)
    assert Attachment.objects.filter(pk=evidence.pk).exists()
    added = coordinator.post(
        "/files/{}/{}/add/".format(ct.pk, report.pk),
        {"file": SimpleUploadedFile("them.pdf", PDF, content_type="application/pdf")},
    )
    assert added.status_code == 403
    assert list(Attachment.objects.filter(object_type=ct, object_id=report.pk).values_list("name", flat=True)) == [
        "bien-ban.pdf"
    ]
    # the evidence is still read by those who see the report
    assert coordinator.get("/files/{}/".format(evidence.pk)).status_code == 200


def test_the_reporting_officer_attaches_files_with_a_new_report_not_afterwards(signed_in, province, report_with_file):
    task, report, evidence = report_with_file
    ct = ContentType.objects.get_for_model(ProgressReport)
    officer = signed_in("officer_a")
    late = officer.post(
        "/files/{}/{}/add/".format(ct.pk, report.pk),
        {"file": SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")},
    )
    assert late.status_code == 403
    assert officer.post("/files/{}/delete/".format(evidence.pk)).status_code == 403
    assert Attachment.objects.filter(object_type=ct, object_id=report.pk).count() == 1


def test_files_on_the_task_itself_are_still_added_and_removed(signed_in, province, report_with_file):
    task, _report, _evidence = report_with_file
    coordinator = signed_in("coordinator")
    ct = ContentType.objects.get_for_model(Task)
    added = coordinator.post(
        "/files/{}/{}/add/".format(ct.pk, task.pk),
        {"file": SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf")},
    )
    assert added.status_code == 302
    attachment = Attachment.objects.get(object_type=ct, object_id=task.pk)
    assert coordinator.post("/files/{}/delete/".format(attachment.pk)).status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


# -- 6. an API edit is all or nothing -------------------------------------------------------------


def test_a_refused_patch_changes_nothing_it_carried(bearer, province):
    from apps.accounts import services as accounts

    # An officer of unit A who also reads the whole province (a deputy head): sees unit B, may not
    # give it tasks.
    with change_logging(user=None):
        accounts.role_assign(user=province.officer_a, unit=province.province, role="leader", by=None)
    task = new_task(province.unit_a, by=province.officer_a, title="Tên cũ", due_date=TODAY + timedelta(days=9))
    api = bearer("officer_a")
    changes_before = ObjectChange.objects.count()
    response = api.patch(
        "/api/tasks/{}/".format(task.pk),
        json.dumps(
            {
                "version": task.version,
                "title": "Tên mới",
                "due_date": (TODAY + timedelta(days=99)).isoformat(),
                "lead_unit_id": province.unit_b.pk,  # not a unit this officer may give tasks to
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 403
    task_now = fresh(task)
    assert (task_now.title, task_now.due_date, task_now.lead_unit_id, task_now.version) == (
        "Tên cũ",
        task.due_date,
        province.unit_a.pk,
        task.version,
    )
    assert ObjectChange.objects.count() == changes_before, list(
        ObjectChange.objects.order_by("-pk").values_list("changed_object_type__model", "action", "object_repr")[:3]
    )


# -- 7 and 8. the deadline calendar ------------------------------------------------------------


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1-1", "0000-00", "2026-13", "abc", "2026-1-1", "1989-12"])
def test_a_month_the_calendar_cannot_show_gives_this_month_and_says_why(signed_in, province, month):
    response = signed_in("coordinator").get("/tasks/calendar/", {"month": month})
    assert response.status_code == 200
    assert response.context["first"] == TODAY.replace(day=1)
    assert 'id="month-error"' in response.content.decode() and response.context["month_error"]


def test_the_calendar_goes_up_to_its_last_and_first_months_without_links_beyond(signed_in, province):
    client = signed_in("coordinator")
    last = client.get("/tasks/calendar/", {"month": "2100-12"})
    assert last.context["first"] == date(2100, 12, 1) and not last.context["month_error"]
    assert 'id="next-month"' not in last.content.decode() and 'id="previous-month"' in last.content.decode()
    first = client.get("/tasks/calendar/", {"month": "1990-01"})
    assert first.context["first"] == date(1990, 1, 1)
    assert 'id="previous-month"' not in first.content.decode() and 'id="next-month"' in first.content.decode()
    plain = client.get("/tasks/calendar/")
    assert plain.context["first"] == TODAY.replace(day=1) and not plain.context["month_error"]


def test_the_calendar_unit_filter_shows_the_same_rows_as_the_list_and_export_it_links_to(signed_in, province):
    day = date(2026, 9, 2)
    union = new_task(province.union, title="Của Liên hiệp", due_date=day)
    new_task(province.association, title="Của Hội thuộc Liên hiệp", due_date=day)
    new_task(province.union, title="Cũng của Liên hiệp", due_date=date(2026, 9, 20))
    client = signed_in("coordinator")
    calendar = client.get("/tasks/calendar/", {"month": "2026-09", "lead_unit": province.union.code})
    assert calendar.context["month_total"] == 2
    cell = next(c for week in calendar.context["weeks"] for c in week if c["day"] == day)
    assert cell["count"] == 1 and [t.pk for t in cell["tasks"]] == [union.pk]
    listed = client.get(cell["url"])
    assert task_rows(listed) == [union.pk]
    export = client.get(calendar.context["month_export_url"])
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    titles = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert sorted(titles) == ["Cũng của Liên hiệp", "Của Liên hiệp"]


# -- 9. the scorecard ----------------------------------------------------------------------------


@pytest.fixture
def scored(province):
    """Unit A: two tasks in 2025 (one done on time, one overdue), unit B supports one of them;
    unit B: one task done late."""
    with change_logging(user=None):
        done = services.task_create(by=None, title="A đúng hạn", lead_unit=province.unit_a, due_date=date(2025, 3, 1))
        services.task_complete(task=done, by=None, completed_on=date(2025, 2, 20))
        services.task_create(
            by=None,
            title="A quá hạn, B phối hợp",
            lead_unit=province.unit_a,
            supporting_units=[province.unit_b],
            due_date=date(2025, 5, 1),
        )
        late = services.task_create(by=None, title="B trễ hạn", lead_unit=province.unit_b, due_date=date(2025, 4, 1))
        services.task_complete(task=late, by=None, completed_on=date(2025, 4, 10))


def figures(rows):
    return {r.unit_code: (r.rank, r.assigned, r.done_on_time, r.done_late, r.overdue, r.open) for r in rows}


def test_an_officer_s_scorecard_ranks_only_their_own_unit_not_the_units_they_support(signed_in, province, scored):
    rows = selectors.scorecard(
        user=province.officer_b, start=date(2025, 1, 1), end=date(2025, 12, 31), today=date(2026, 1, 10)
    )
    assert figures(rows) == {"SNGV-TN": (1, 1, 0, 1, 0, 0)}
    client = signed_in("officer_b")
    page = client.get("/tasks/scorecard/", {"year": 2025})
    assert [r.unit_code for r in page.context["rows"]] == ["SNGV-TN"]
    assert 'data-unit="LHHN-TN"' not in page.content.decode()
    workbook = client.get("/tasks/scorecard/", {"year": 2025, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    assert [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["SNGV-TN"]


def test_the_coordinator_s_scorecard_keeps_every_unit_whole_in_two_queries(province, scored, django_assert_num_queries):
    from apps.accounts.scoping import get_scope

    get_scope(province.coordinator)
    with django_assert_num_queries(2):  # the tasks, and the finished rounds of recurring tasks
        rows = selectors.scorecard(
            user=province.coordinator, start=date(2025, 1, 1), end=date(2025, 12, 31), today=date(2026, 1, 10)
        )
    assert figures(rows) == {"LHHN-TN": (1, 2, 1, 0, 1, 0), "SNGV-TN": (2, 1, 0, 1, 0, 0)}


# -- 10. document spellings --------------------------------------------------------------------


@pytest.fixture
def documents(province):
    with change_logging(user=None):
        made = {
            notation: Document.objects.create(unit=province.province, notation=notation, type_name=kind)
            for notation, kind in (
                ("12-CT/TW", "Chỉ thị"),
                ("2722/KH-UBND", "Kế hoạch"),
                ("12/2021/QĐ-UBND", "Quyết định"),
            )
        }
        for notation, document in made.items():
            services.task_create(
                by=None, title="Thực hiện {}".format(notation), lead_unit=province.unit_a, document=document
            )
    return made


SPELLINGS = [
    ("12-CT/TW", "12-CT/TW"),
    ("12/CT-TW", "12-CT/TW"),
    ("12-ct/tw", "12-CT/TW"),
    ("CT 12", "12-CT/TW"),
    ("chi thi 12", "12-CT/TW"),
    ("Chỉ thị số 12", "12-CT/TW"),
    ("2722/KH-UBND", "2722/KH-UBND"),
    ("2722-KH/UBND", "2722/KH-UBND"),
    ("KH 2722", "2722/KH-UBND"),
    ("ke hoach 2722", "2722/KH-UBND"),
    ("12/2021/QD-UBND", "12/2021/QĐ-UBND"),
    ("12/2021/QĐ-UBND", "12/2021/QĐ-UBND"),
]


@pytest.mark.parametrize("spelling,notation", SPELLINGS)
def test_the_task_list_its_api_and_the_form_find_a_document_by_any_usual_spelling(
    signed_in, bearer, province, documents, spelling, notation
):
    expected = Task.objects.get(document=documents[notation]).pk
    listed = signed_in("coordinator").get("/tasks/", {"document": spelling})
    assert listed.status_code == 200 and task_rows(listed) == [expected]
    api = bearer("coordinator").get("/api/tasks/", {"document": spelling})
    assert api.status_code == 200 and [t["id"] for t in api.json()["items"]] == [expected]
    response = signed_in("coordinator").post(
        "/tasks/add/",
        {
            "title": "Nhiệm vụ mới",
            "document": spelling,
            "lead_unit": province.unit_a.pk,
            "recurrence": "none",
            "priority": "normal",
        },
    )
    assert response.status_code == 302
    assert Task.objects.get(title="Nhiệm vụ mới").document == documents[notation]


def test_a_spelling_that_fits_several_documents_is_refused_naming_them(signed_in, province, documents):
    with change_logging(user=None):
        tu = Document.objects.create(unit=province.province, notation="12-CT/TU", type_name="Chỉ thị")
        Document.objects.create(unit=province.province, notation="12/QĐ-UBND", type_name="Quyết định")
    coordinator = province.coordinator
    # the most specific key, then the exact notation, decide when they can
    assert document_by_id_or_notation("12/CT-TW", coordinator) == documents["12-CT/TW"]
    assert document_by_id_or_notation("12-ct/tu", coordinator) == tu
    assert document_by_id_or_notation("12/2021/QD-UBND", coordinator) == documents["12/2021/QĐ-UBND"]
    # "CT 12" could be either directive: the form says so and names both
    client = signed_in("coordinator")
    client.cookies["huunghi_language"] = "en"
    response = client.get("/tasks/", {"document": "CT 12"})
    text = page_text(response)
    assert "fits several documents" in text
    assert "12-CT/TW (ID {})".format(documents["12-CT/TW"].pk) in text and "12-CT/TU (ID {})".format(tu.pk) in text
    assert task_rows(response) == []


def test_a_document_the_user_may_not_see_is_not_found_by_any_spelling(province, documents):
    with change_logging(user=None):
        kept = Document.objects.create(unit=province.unit_a, notation="07/KH-LHHN", type_name="Kế hoạch")
    for spelling in ("07/KH-LHHN", "KH 7", "ke hoach 7", str(kept.pk)):
        assert document_by_id_or_notation(spelling, province.officer_b) is None, spelling
        assert document_by_id_or_notation(spelling, province.officer_a) == kept, spelling


# -- 11. a returned periodic report reaches its unit ---------------------------------------------


@pytest.fixture
def returned_report(province):
    with change_logging(user=None):
        province.officer_b.email = "b@example.vn"
        province.officer_b.save()
        services.task_create(by=None, title="Đoàn ra Nhật Bản", lead_unit=province.unit_b, due_date=TODAY)
        period = services.period_open(
            by=None,
            unit=province.province,
            name="Năm {}".format(TODAY.year),
            start=date(TODAY.year, 1, 1),
            end=date(TODAY.year, 12, 31),
            due_date=date(TODAY.year, 12, 31),
            units=[province.unit_b],
        )
    report = services.unit_report_prepare(period=period, unit=province.unit_b, by=province.officer_b)
    services.unit_report_save(report=report, by=province.officer_b, summary="Kết quả chính")
    services.unit_report_submit(report=report, by=province.officer_b)
    services.unit_report_review(report=report, by=province.coordinator, accept=False, reason="Bổ sung số liệu đoàn ra")
    return period, report


def test_a_returned_periodic_report_notifies_the_units_officers_once_with_the_reason(
    province, returned_report, django_capture_on_commit_callbacks
):
    _period, report = returned_report
    note = Notification.objects.get(user=province.officer_b, unit_report=report)
    assert note.kind == "returned" and note.task is None
    assert "Bổ sung số liệu đoàn ra" in note.message
    assert note.get_absolute_url() == report.get_absolute_url()
    first = run(django_capture_on_commit_callbacks)
    assert first.created["returned"] == 0  # already there since the return: same occasion
    assert [m.to[0] for m in mail.outbox if "Bổ sung số liệu đoàn ra" in m.body] == ["b@example.vn"]
    run(django_capture_on_commit_callbacks)
    assert len([m for m in mail.outbox if "Bổ sung số liệu đoàn ra" in m.body]) == 1
    assert Notification.objects.filter(unit_report=report).count() == 1


def test_the_unit_hears_even_when_it_resubmitted_before_the_run_and_again_at_a_second_return(
    province, returned_report, django_capture_on_commit_callbacks
):
    _period, report = returned_report
    services.unit_report_save(report=fresh(report), by=province.officer_b, summary="Kết quả chính, đã bổ sung")
    services.unit_report_submit(report=fresh(report), by=province.officer_b)
    run(django_capture_on_commit_callbacks)
    assert Notification.objects.filter(unit_report=report, user=province.officer_b).count() == 1
    # Returned a second time, for another reason: a new occasion (the first return was earlier).
    UnitReport.objects.filter(pk=report.pk).update(reviewed_at=timezone.now() - timedelta(minutes=5))
    Notification.objects.filter(unit_report=report).update(key="unit-report-{}-earlier".format(report.pk))
    services.unit_report_review(report=fresh(report), by=province.coordinator, accept=False, reason="Thiếu ảnh")
    messages = list(
        Notification.objects.filter(unit_report=report, user=province.officer_b).values_list("message", flat=True)
    )
    assert len(messages) == 2 and any("Thiếu ảnh" in m for m in messages)


def test_the_period_page_and_the_notifications_show_why_the_report_was_returned(signed_in, province, returned_report):
    period, report = returned_report
    officer = signed_in("officer_b")
    page = page_text(officer.get(period.get_absolute_url()))
    assert "Bổ sung số liệu đoàn ra" in page
    assert "Bổ sung số liệu đoàn ra" in page_text(signed_in("coordinator").get(period.get_absolute_url()))
    notifications = officer.get("/notifications/").content.decode()
    assert 'href="{}"'.format(report.get_absolute_url()) in notifications
    assert "Bổ sung số liệu đoàn ra" in page_text(officer.get("/notifications/"))
