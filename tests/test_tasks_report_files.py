"""Files on progress reports: evidence travels with the report, is checked before anything is
written, and is downloaded only by people who may see the report."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core.changelog import change_logging
from apps.core.models import Attachment
from apps.tasks import services
from apps.tasks.models import ProgressReport
from tests.helpers import page_text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def task(province):
    with change_logging(user=None):
        return services.task_create(
            by=province.coordinator,
            title="Tổ chức giao lưu hữu nghị với tỉnh Prey Veng",
            lead_unit=province.unit_a,
            due_date=timezone.localdate() + timedelta(days=60),
        )


def post_report(client, task, files, text="Đã tổ chức giao lưu, 120 người tham dự"):
    data = {"unit": task.lead_unit_id, "percent": 50, "text": text, "period": "6 tháng đầu năm 2026", "files": files}
    return client.post("/tasks/{}/reports/add/".format(task.pk), data)


def test_an_officer_attaches_minutes_to_a_report_and_the_coordinator_downloads_them(signed_in, province, task):
    officer = signed_in("officer_a")
    response = post_report(
        officer,
        task,
        [
            SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("danh-sach.txt", "Danh sách đại biểu".encode(), content_type="text/plain"),
        ],
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=task)
    files = Attachment.objects.filter(object_id=report.pk, object_type__model="progressreport")
    assert sorted(files.values_list("name", flat=True)) == ["bien-ban.pdf", "danh-sach.txt"]
    assert all(f.unit_id == province.unit_a.pk for f in files)

    coordinator = signed_in("coordinator")
    page = coordinator.get(task.get_absolute_url())
    assert "bien-ban.pdf" in page_text(page)
    pdf = files.get(name="bien-ban.pdf")
    download = coordinator.get("/files/{}/".format(pdf.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_another_units_officer_cannot_download_the_evidence(signed_in, task):
    post_report(signed_in("officer_a"), task, [SimpleUploadedFile("bien-ban.pdf", PDF)])
    attachment = Attachment.objects.get(name="bien-ban.pdf")
    assert signed_in("officer_b").get("/files/{}/".format(attachment.pk)).status_code == 404
    assert signed_in("leader").get("/files/{}/".format(attachment.pk)).status_code == 200


def test_a_bad_file_rejects_the_whole_report_and_names_the_file(signed_in, task):
    officer = signed_in("officer_a")
    response = post_report(
        officer,
        task,
        [
            SimpleUploadedFile("bien-ban.pdf", PDF),
            SimpleUploadedFile("anh.jpg", b"this is not a picture at all"),
        ],
    )
    assert response.status_code == 400
    assert "anh.jpg" in page_text(response)
    assert not ProgressReport.objects.filter(task=task).exists()
    assert not Attachment.objects.exists()


def test_a_report_without_files_still_goes_through(signed_in, task):
    assert post_report(signed_in("officer_a"), task, []).status_code == 302
    assert ProgressReport.objects.filter(task=task).count() == 1
