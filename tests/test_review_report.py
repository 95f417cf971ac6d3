"""The review report: who sees and edits it, the text with figures that stay linked to the records,
final versions kept with progress, the command of CONTRACTS, and — on the demo province for the
demo year — every figure of the document recomputed from the database."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum
from django.utils import timezone
from docx import Document as read_docx

from apps.core.changelog import change_logging
from apps.core.models import Attachment, Job, ObjectChange
from apps.reports import review, review_services
from apps.reports.models import ReviewReport
from tests.helpers import page_text
from tests.matrix import PermissionMatrix

YEAR = timezone.localdate().year


def new_report(unit, kind="annual", year=YEAR):
    with change_logging(user=None):
        return review_services.review_create(by=None, unit=unit, kind=kind, year=year)


class TestReviewReportPermissions(PermissionMatrix):
    model = ReviewReport

    def make(self, province, unit):
        return new_report(unit)


def docx_text(content: bytes) -> str:
    document = read_docx(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_the_officer_edits_the_words_and_the_figures_stay_linked(signed_in, province):
    from apps.tasks import services as tasks

    report = new_report(province.unit_a)
    officer = signed_in("officer_a")
    page = officer.get(report.get_absolute_url())
    assert page.status_code == 200 and "[[tasks.total]]" in page.content.decode()
    texts = {"section-" + s["key"]: s["text"] for s in report.sections}
    texts["section-directives"] = "Liên hiệp chủ trì [[tasks.total]] nhiệm vụ, vượt kế hoạch."
    data = {**texts, "_version": report.version, "number": "", "signer_title": "CHỦ TỊCH", "signer_name": ""}
    assert officer.post("/review-reports/{}/edit/".format(report.pk), data).status_code == 302
    # A figure added afterwards shows in the next download: the text keeps the token, not the number.
    with change_logging(user=None):
        tasks.task_create(
            by=None, title="Đón đoàn tỉnh Champasak", lead_unit=province.unit_a, due_date=date(YEAR, 12, 1)
        )
    text = docx_text(officer.get("/review-reports/{}/download.docx".format(report.pk)).content)
    assert "Liên hiệp chủ trì 1 nhiệm vụ, vượt kế hoạch." in text
    assert "CHỦ TỊCH" in text
    assert ObjectChange.objects.filter(changed_object_type__model="reviewreport", action="update").exists()


def test_a_figure_that_does_not_exist_is_refused_and_named(signed_in, province):
    report = new_report(province.unit_a)
    texts = {"section-" + s["key"]: s["text"] for s in report.sections}
    texts["section-awards"] = "Có [[awards.cuont]] tập thể được khen."
    data = {**texts, "_version": report.version}
    response = signed_in("officer_a").post("/review-reports/{}/edit/".format(report.pk), data)
    assert response.status_code == 400
    assert "[[awards.cuont]]" in page_text(response)
    assert "cuont" not in str(ReviewReport.objects.get(pk=report.pk).sections)


def test_a_stale_edit_is_refused(signed_in, province):
    report = new_report(province.unit_a)
    texts = {"section-" + s["key"]: s["text"] for s in report.sections}
    stale = {**texts, "_version": report.version, "section-situation": "Bản thứ nhất"}
    review_services.review_update(report=report, by=None, version=None, texts={"situation": "Bản thứ hai"})
    assert signed_in("officer_a").post("/review-reports/{}/edit/".format(report.pk), stale).status_code == 400
    assert ReviewReport.objects.get(pk=report.pk).sections[0]["text"] == "Bản thứ hai"


def test_final_versions_are_kept_as_files_with_a_progress_bar(signed_in, province, django_capture_on_commit_callbacks):
    report = new_report(province.unit_a)
    coordinator = signed_in("coordinator")
    for version in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            response = coordinator.post("/review-reports/{}/final/".format(report.pk))
        job = Job.objects.order_by("-pk").first()
        assert response["Location"] == job.get_absolute_url()
        job.refresh_from_db()
        assert job.status == Job.Status.COMPLETED, job.error
        assert job.percent == 100 and job.result["url"].startswith("/files/")
        assert ReviewReport.objects.get(pk=report.pk).finals == version
    files = Attachment.objects.filter(object_type__model="reviewreport", object_id=report.pk)
    assert sorted(files.values_list("name", flat=True)) == [
        "bao-cao-tong-ket-{}-{}-v1.docx".format(YEAR, province.unit_a.code.lower()),
        "bao-cao-tong-ket-{}-{}-v2.docx".format(YEAR, province.unit_a.code.lower()),
    ]
    download = coordinator.get(job.result["url"])
    assert b"".join(download.streaming_content)[:2] == b"PK"
    # A leader reads the report and its versions but produces none.
    assert signed_in("leader").post("/review-reports/{}/final/".format(report.pk)).status_code == 403
    assert signed_in("officer_b").get(job.result["url"]).status_code == 404


def test_a_new_report_from_the_page_and_only_once(signed_in, province):
    client = signed_in("coordinator")
    data = {"unit": province.unit_a.pk, "kind": "interim", "year": YEAR}
    assert client.post("/review-reports/add/", data).status_code == 302
    again = client.post("/review-reports/add/", data)
    assert again.status_code == 400 and ReviewReport.objects.count() == 1
    assert "6" in str(ReviewReport.objects.get())


def test_the_interim_period_is_the_first_half(province):
    p = review.Period("interim", 2026)
    assert (p.start, p.end, p.next_start, p.next_end) == (
        date(2026, 1, 1),
        date(2026, 6, 30),
        date(2026, 7, 1),
        date(2026, 12, 31),
    )


# -- the demo province, every figure recomputed ------------------------------------------------------


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, verbosity=0)


def test_the_demo_report_matches_the_records(demo, tmp_path):
    from apps.accounts.models import Unit
    from apps.activities.models import Activity, Agreement
    from apps.aid.models import APPROVED_STATUSES, AidItem
    from apps.members.models import Award, MemberOrganisation, MembershipCount
    from apps.partners.models import Relationship
    from apps.tasks.models import Task

    out = tmp_path / "bao-cao.docx"
    call_command("build_report", kind="annual", period=YEAR, unit="DT", fmt="docx", output=str(out), verbosity=0)
    text = docx_text(out.read_bytes())
    province = Unit.objects.get(code="DT")
    under = {"unit__path__startswith": province.path}
    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    asof = min(end, timezone.localdate())

    tasks = Task.objects.filter(lead_unit__path__startswith=province.path, created__date__lte=end).filter(
        Q(completed_on__isnull=True) | Q(completed_on__gte=start)
    )
    done = tasks.filter(completed_on__isnull=False, completed_on__lte=asof)
    overdue = tasks.filter(due_date__lt=asof).exclude(completed_on__lte=asof)
    assert tasks.count() > 0
    assert "chủ trì {} nhiệm vụ; đã hoàn thành {} nhiệm vụ".format(tasks.count(), done.count()) in text
    assert "quá hạn chưa hoàn thành {};".format(overdue.count()) in text

    activities = Activity.objects.filter(**under, start_date__gte=start, start_date__lte=end).exclude(
        status="cancelled"
    )
    assert activities.exists()
    assert (
        "tham gia {} hoạt động đối ngoại, trong đó đón {} đoàn vào và tổ chức {} đoàn ra".format(
            activities.count(),
            activities.filter(kind="incoming_delegation").count(),
            activities.filter(kind="outgoing_delegation").count(),
        )
        in text
    )
    assert (
        "Ký kết {} thỏa thuận".format(
            Agreement.objects.filter(**under, signed_on__gte=start, signed_on__lte=end).count()
        )
        in text
    )
    partners = Relationship.objects.filter(**under, status="active").values("partner").distinct().count()
    assert "Duy trì quan hệ với {} đối tác".format(partners) in text
    organisations = MemberOrganisation.objects.filter(**under)
    members = MembershipCount.objects.filter(organisation__in=organisations, year=YEAR).aggregate(n=Sum("members"))["n"]
    assert "{} tổ chức thành viên với {} hội viên".format(organisations.count(), review.vn_int(members)) in text
    assert "có {} tập thể, cá nhân được khen thưởng".format(Award.objects.filter(**under, year=YEAR).count()) in text
    aid = AidItem.objects.filter(**under, status__in=APPROVED_STATUSES, approved_on__gte=start, approved_on__lte=end)
    assert "\nTổng cộng | {} |".format(aid.count()) in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "LIÊN HIỆP CÁC TỔ CHỨC HỮU NGHỊ TỈNH ĐỒNG THÁP" in text

    appendix = tmp_path / "phu-luc.xlsx"
    call_command("build_report", kind="annual", period=YEAR, unit="DT", fmt="xlsx", output=str(appendix), verbosity=0)
    from openpyxl import load_workbook

    workbook = load_workbook(appendix)
    values = {row[0]: row[1] for row in workbook["So lieu"].iter_rows(min_row=3, values_only=True)}
    assert values["tasks.total"] == str(tasks.count())
    assert "tasks_by_unit" in workbook.sheetnames and "activities_by_kind" in workbook.sheetnames


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_the_demo_report_opens_in_libreoffice(demo, tmp_path):
    out = tmp_path / "bao-cao.docx"
    call_command("build_report", kind="annual", period=YEAR, unit="DT", fmt="docx", output=str(out), verbosity=0)
    done = subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "bao-cao.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    from pypdf import PdfReader

    pages = PdfReader(str(pdf)).pages
    assert len(pages) >= 3
    assert "BÁO CÁO" in pages[0].extract_text()


def test_build_report_refuses_an_unknown_unit(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="KHONG-CO"):
        call_command(
            "build_report", kind="annual", period=YEAR, unit="KHONG-CO", fmt="docx", output=str(tmp_path / "x.docx")
        )
