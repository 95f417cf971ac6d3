"""The life of a task: created from a document, reported on, returned with a reason, reported
again, accepted, done — through the services and through the pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.changelog import change_logging
from apps.core.models import ObjectChange
from apps.documents.models import Document
from apps.tasks import services
from apps.tasks.models import ProgressReport, Task, TaskStatus
from tests.helpers import page_text


@pytest.fixture
def document(province):
    with change_logging(user=None):
        return Document.objects.create(
            unit=province.province, notation="2722/KH-UBND", type_name="Kế hoạch", title="Triển khai Chỉ thị 38-CT/TW"
        )


@pytest.fixture
def task(province, document):
    with change_logging(user=None):
        return services.task_create(
            by=province.coordinator,
            title="Quán triệt, tuyên truyền Chỉ thị 38-CT/TW",
            lead_unit=province.unit_a,
            supporting_units=[province.unit_b],
            document=document,
            due_date=timezone.localdate() + timedelta(days=60),
        )


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# -- services ----------------------------------------------------------------------------------


def test_a_report_is_submitted_awaiting_review_and_changes_no_progress_yet(province, task):
    report = services.progress_report_submit(task=task, by=province.officer_a, percent=40, text="Đã tổ chức hội nghị")
    assert report.review_status == ProgressReport.Review.SUBMITTED
    assert report.reported_by == province.officer_a
    assert fresh(task).progress == 0
    assert fresh(task).status == TaskStatus.NOT_STARTED


def test_accepting_a_lead_unit_report_sets_the_tasks_progress(province, task):
    report = services.progress_report_submit(task=task, by=province.officer_a, percent=40, text="Đã làm")
    services.progress_report_review(report=report, by=province.coordinator, accept=True)
    task = fresh(task)
    assert task.progress == 40
    assert task.status == TaskStatus.IN_PROGRESS
    assert fresh(report).reviewed_by == province.coordinator and fresh(report).reviewed_at is not None


def test_a_supporting_units_report_does_not_move_the_lead_units_progress(province, task):
    report = services.progress_report_submit(task=task, by=province.officer_b, percent=100, text="Phần phối hợp xong")
    services.progress_report_review(report=report, by=province.coordinator, accept=True)
    assert report.unit == province.unit_b
    assert fresh(task).progress == 0 and fresh(task).completed_on is None


def test_returning_needs_a_reason_and_the_unit_reads_it_then_reports_again(signed_in, province, task):
    report = services.progress_report_submit(task=task, by=province.officer_a, percent=60, text="Bản đầu")
    with pytest.raises(ValidationError):
        services.progress_report_review(report=report, by=province.coordinator, accept=False, reason="   ")
    assert fresh(report).review_status == ProgressReport.Review.SUBMITTED
    services.progress_report_review(
        report=report, by=province.coordinator, accept=False, reason="Thiếu số liệu về số người tham dự"
    )
    assert fresh(report).review_status == ProgressReport.Review.RETURNED
    assert fresh(task).progress == 0
    page = page_text(signed_in("officer_a").get(task.get_absolute_url()))
    assert "Thiếu số liệu về số người tham dự" in page
    second = services.progress_report_submit(task=task, by=province.officer_a, percent=60, text="Bổ sung: 120 người")
    services.progress_report_review(report=second, by=province.coordinator, accept=True)
    assert fresh(task).progress == 60


def test_a_reviewed_report_cannot_be_reviewed_again(province, task):
    report = services.progress_report_submit(task=task, by=province.officer_a, percent=60, text="x")
    services.progress_report_review(report=report, by=province.coordinator, accept=False, reason="Thiếu")
    with pytest.raises(ValidationError):
        services.progress_report_review(report=report, by=province.admin, accept=True)
    assert fresh(report).review_status == ProgressReport.Review.RETURNED


def test_a_report_has_no_edit_or_delete_anywhere(signed_in, province, task):
    from django.urls import NoReverseMatch, reverse

    report = services.progress_report_submit(task=task, by=province.officer_a, percent=60, text="x")
    for name in ("tasks:progressreport_edit", "tasks:progressreport_delete"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[report.pk])
    api = signed_in("admin")
    for method in ("patch", "put", "delete"):
        response = getattr(api, method)(f"/api/progress-reports/{report.pk}/", content_type="application/json")
        assert response.status_code in (404, 405)
    assert fresh(report).text == "x"


def test_accepting_100_percent_from_the_lead_unit_completes_the_task_on_the_report_date(province, task):
    report = services.progress_report_submit(task=task, by=province.officer_a, percent=100, text="Hoàn thành")
    assert fresh(task).completed_on is None  # only proposed
    services.progress_report_review(report=report, by=province.coordinator, accept=True)
    task = fresh(task)
    assert task.completed_on == report.reported_on
    assert task.progress == 100
    assert task.status == TaskStatus.DONE_ON_TIME


def test_a_task_done_after_its_due_date_is_done_late(province, document):
    today = timezone.localdate()
    with change_logging(user=None):
        task = services.task_create(
            by=None, title="Trễ hạn", lead_unit=province.unit_a, due_date=today - timedelta(days=5)
        )
        report = services.progress_report_submit(task=task, by=None, percent=100, text="Xong", reported_on=today)
        services.progress_report_review(report=report, by=None, accept=True)
    assert fresh(task).status == TaskStatus.DONE_LATE


def test_nothing_more_is_reported_on_a_done_task(province, task):
    report = services.progress_report_submit(task=task, by=province.officer_a, percent=100, text="Hoàn thành")
    services.progress_report_review(report=report, by=province.coordinator, accept=True)
    with pytest.raises(ValidationError):
        services.progress_report_submit(task=task, by=province.officer_a, percent=100, text="Lần nữa")


def test_people_cannot_backdate_a_report(province, task):
    past = timezone.localdate() - timedelta(days=100)
    report = services.progress_report_submit(task=task, by=province.officer_a, percent=10, text="x", reported_on=past)
    assert report.reported_on == timezone.localdate()


def test_a_percentage_outside_0_to_100_is_refused(province, task):
    for percent in (-1, 101):
        with pytest.raises(ValidationError):
            services.progress_report_submit(task=task, by=province.officer_a, percent=percent, text="x")
    assert not ProgressReport.objects.filter(task=task).exists()


def test_every_step_is_in_the_change_log(province, task):
    report = services.progress_report_submit(task=task, by=province.officer_a, percent=100, text="Hoàn thành")
    with change_logging(user=province.coordinator):
        services.progress_report_review(report=report, by=province.coordinator, accept=True)
    changes = ObjectChange.objects.filter(changed_object_id__in=[task.pk, report.pk])
    assert changes.filter(object_repr=str(fresh(task)), action="update").exists()
    assert changes.filter(action="create").count() >= 2


def test_task_complete_is_for_reviewers_only(province, task):
    with pytest.raises(PermissionDenied):
        services.task_complete(task=task, by=province.officer_a)
    services.task_complete(task=task, by=province.coordinator)
    assert fresh(task).completed_on == timezone.localdate()


def test_a_task_cannot_be_placed_under_its_own_subtask(province, task):
    child = services.task_create(by=province.officer_a, title="Con", lead_unit=province.unit_a, parent=task)
    with pytest.raises(ValidationError):
        services.task_update(task=fresh(task), by=province.coordinator, parent=child)
    with pytest.raises(ValidationError):
        services.task_update(task=fresh(task), by=province.coordinator, parent=fresh(task))


def test_a_task_with_reports_is_not_deleted(province, task):
    services.progress_report_submit(task=task, by=province.officer_a, percent=10, text="x")
    with pytest.raises(ValidationError):
        services.task_delete(task=task, by=province.coordinator)  # who assigned it; officers never may
    assert Task.objects.filter(pk=task.pk).exists()


# -- pages -------------------------------------------------------------------------------------


def test_an_officer_adds_a_task_for_their_unit_from_the_page(signed_in, province, document):
    client = signed_in("officer_a")
    assert client.get(f"/tasks/add/?document={document.pk}").status_code == 200
    response = client.post(
        "/tasks/add/",
        {
            "title": "Tổ chức giao lưu hữu nghị",
            "document": "2722/KH-UBND",
            "lead_unit": province.unit_a.pk,
            "due_date": "31/12/2026",
            "recurrence": "none",
            "priority": "high",
            "description": "Theo Kế hoạch",
        },
    )
    assert response.status_code == 302, page_text(response)[-2000:]
    task = Task.objects.get(title="Tổ chức giao lưu hữu nghị")
    assert task.document == document and task.due_date.isoformat() == "2026-12-31"
    assert task.created_by == province.officer_a
    assert response["Location"] == task.get_absolute_url()


def test_an_officer_cannot_add_a_task_for_another_unit(signed_in, province):
    response = signed_in("officer_a").post(
        "/tasks/add/", {"title": "X", "lead_unit": province.unit_b.pk, "recurrence": "none", "priority": "normal"}
    )
    assert response.status_code == 400
    assert not Task.objects.filter(title="X").exists()


def test_an_unknown_document_is_a_form_error(signed_in, province):
    response = signed_in("officer_a").post(
        "/tasks/add/",
        {
            "title": "X",
            "document": "999-CT/TW",
            "lead_unit": province.unit_a.pk,
            "recurrence": "none",
            "priority": "normal",
        },
    )
    assert response.status_code == 400
    assert "999-CT/TW" in page_text(response)


def test_the_coordinator_edits_units_and_the_version_check_refuses_a_stale_form(signed_in, province, task):
    client = signed_in("coordinator")
    data = {
        "title": task.title,
        "document": task.document.notation,
        "lead_unit": province.unit_a.pk,
        "supporting_units": [province.unit_b.pk, province.association.pk],
        "due_date": task.due_date.strftime("%d/%m/%Y"),
        "recurrence": "yearly",
        "priority": "normal",
        "description": "",
        "_version": task.version,
    }
    assert client.post(f"/tasks/{task.pk}/edit/", data).status_code == 302
    task = fresh(task)
    assert set(task.supporting_units.all()) == {province.unit_b, province.association}
    assert task.recurrence == "yearly"
    stale = dict(data, title="Tên cũ đè lên", _version=task.version - 1)
    assert client.post(f"/tasks/{task.pk}/edit/", stale).status_code == 400
    assert fresh(task).title != "Tên cũ đè lên"


def test_the_delete_page_refuses_a_task_with_reports_with_a_clear_message(signed_in, province, task):
    services.progress_report_submit(task=task, by=province.officer_a, percent=10, text="x")
    client = signed_in("coordinator")  # who assigned it: the lead unit's officer may not delete it
    response = client.post(f"/tasks/{task.pk}/delete/", follow=True)
    assert Task.objects.filter(pk=task.pk).exists()
    from django.utils import translation

    with translation.override("vi"):
        expected = translation.gettext(
            "“{}” already has progress reports and cannot be deleted: reports are kept for the record. "
            "Change its due date or description instead."
        ).format(task)
    assert expected in page_text(response)


def test_a_task_without_reports_is_deleted(signed_in, province):
    with change_logging(user=None):
        # The officer's own entry: whoever created a task may delete it (until it has reports).
        task = services.task_create(by=province.officer_a, title="Xóa được", lead_unit=province.unit_a)
    response = signed_in("officer_a").post(f"/tasks/{task.pk}/delete/")
    assert response.status_code == 302
    assert not Task.objects.filter(pk=task.pk).exists()


def test_reporting_and_reviewing_through_the_page(signed_in, province, task):
    officer = signed_in("officer_a")
    bad = officer.post(f"/tasks/{task.pk}/reports/add/", {"unit": province.unit_a.pk, "percent": 150, "text": "x"})
    assert bad.status_code == 400 and 'id="report-form"' in bad.content.decode()
    ok = officer.post(
        f"/tasks/{task.pk}/reports/add/",
        {"unit": province.unit_a.pk, "period": "6 tháng đầu năm 2026", "percent": 100, "text": "Đã hoàn thành"},
    )
    assert ok.status_code == 302
    report = ProgressReport.objects.get(task=task)
    assert report.period == "6 tháng đầu năm 2026"
    coordinator = signed_in("coordinator")
    coordinator.post(f"/progress-reports/{report.pk}/review/", {"decision": "return", "reason": ""})
    assert fresh(report).review_status == ProgressReport.Review.SUBMITTED
    coordinator.post(f"/progress-reports/{report.pk}/review/", {"decision": "accept"})
    assert fresh(report).review_status == ProgressReport.Review.ACCEPTED
    assert fresh(task).completed_on is not None
    page = officer.get(task.get_absolute_url()).content.decode()
    assert 'id="report-form"' not in page  # done: nothing more to report
    assert 'data-status="done_on_time"' in page


def test_the_detail_shows_document_units_subtasks_and_progress(signed_in, province, task):
    services.task_create(by=province.officer_a, title="Nhiệm vụ con thứ nhất", lead_unit=province.unit_a, parent=task)
    body = page_text(signed_in("officer_a").get(task.get_absolute_url()))
    for text in ("2722/KH-UBND", province.unit_a.name, province.unit_b.name, "Nhiệm vụ con thứ nhất", "0%"):
        assert text in body


def test_the_overdue_list_presets_its_filter(signed_in, province):
    today = timezone.localdate()
    with change_logging(user=None):
        late = services.task_create(
            by=None, title="Quá hạn rồi", lead_unit=province.unit_a, due_date=today - timedelta(days=2)
        )
        services.task_create(by=None, title="Còn lâu", lead_unit=province.unit_a, due_date=today + timedelta(days=90))
    body = signed_in("coordinator").get("/tasks/overdue/").content.decode()
    assert late.get_absolute_url() in body and "Còn lâu" not in body
    assert signed_in("coordinator").get("/tasks/overdue/?export=csv").status_code == 200
