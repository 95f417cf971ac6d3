"""Periodic reporting: a coordinator opens a period, each unit's report starts pre-filled from its
tasks, the unit submits, the coordinator returns or accepts it, sees who has not reported, and
downloads the consolidated report in the Nghị định 30 layout."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document as read_docx

from apps.core.changelog import change_logging
from apps.core.models import ObjectChange
from apps.tasks import services
from apps.tasks.models import ReportingPeriod, Task, UnitReport
from tests.helpers import page_text
from tests.matrix import READ_ONLY, PermissionMatrix

TODAY = timezone.localdate()
YEAR = TODAY.year


def open_period(province, unit=None, units=None, **fields):
    with change_logging(user=None):
        return services.period_open(
            by=None,
            unit=unit or province.unit_a,
            name=fields.pop("name", "Năm {}".format(YEAR)),
            kind="year",
            start=date(YEAR, 1, 1),
            end=date(YEAR, 12, 31),
            due_date=fields.pop("due_date", date(YEAR, 12, 10)),
            units=units if units is not None else [province.unit_a, province.unit_b],
            **fields,
        )


class TestReportingPeriodPermissions(PermissionMatrix):
    """A period of unit A asking unit A and unit B: coordinators change it; officers read it."""

    model = ReportingPeriod
    officers_may_change = False
    may_add = ("coordinator", "admin", "superuser")

    def make(self, province, unit):
        return open_period(province, unit=unit, units=[unit])


class TestPeriodSeenByAReportingUnit(PermissionMatrix):
    """Unit B is asked to report in unit A's period: its officers read the period."""

    model = ReportingPeriod
    officers_may_change = False
    may_add = ("coordinator", "admin", "superuser")
    expected = {"officer_b": READ_ONLY}

    def make(self, province, unit):
        return open_period(province, unit=unit, units=[unit, province.unit_b])


@pytest.fixture
def tasks(province):
    """Unit A leads two tasks (one reported on in the period, one done on time), unit B supports one."""
    with change_logging(user=None):
        reported = services.task_create(
            by=None,
            title="Giao lưu hữu nghị với tỉnh Prey Veng",
            lead_unit=province.unit_a,
            supporting_units=[province.unit_b],
            due_date=TODAY + timedelta(days=30),
        )
        report = services.progress_report_submit(
            task=reported, by=None, percent=60, text="Đã tổ chức đoàn giao lưu 40 người", reported_on=TODAY
        )
        services.progress_report_review(report=report, by=None, accept=True)
        services.progress_report_submit(
            task=reported, by=None, unit=province.unit_b, percent=50, text="Sở phối hợp đón đoàn", reported_on=TODAY
        )
        done = services.task_create(
            by=None, title="Quán triệt Chỉ thị 12-CT/TW", lead_unit=province.unit_a, due_date=TODAY + timedelta(days=5)
        )
        services.task_complete(task=done, by=None, completed_on=TODAY)
    return reported, done


def test_only_a_coordinator_opens_a_period_from_the_page(signed_in, province):
    data = {
        "unit": province.unit_a.pk,
        "name": "6 tháng đầu năm {}".format(YEAR),
        "kind": "half_year",
        "start": "01/01/{}".format(YEAR),
        "end": "30/06/{}".format(YEAR),
        "due_date": "15/06/{}".format(YEAR),
        "units": [province.unit_a.pk, province.unit_b.pk],
    }
    assert signed_in("officer_a").post("/reporting-periods/add/", data).status_code == 403
    response = signed_in("coordinator").post("/reporting-periods/add/", data)
    assert response.status_code == 302
    period = ReportingPeriod.objects.get()
    assert set(period.units.all()) == {province.unit_a, province.unit_b}
    assert period.opened_by == province.coordinator
    assert ObjectChange.objects.filter(changed_object_id=period.pk, action="create").exists()


def test_a_period_with_its_end_before_its_start_is_refused_with_the_field_named(signed_in, province):
    data = {
        "unit": province.unit_a.pk,
        "name": "Kỳ sai",
        "kind": "other",
        "start": "01/07/{}".format(YEAR),
        "end": "30/06/{}".format(YEAR),
        "due_date": "15/07/{}".format(YEAR),
        "units": [province.unit_a.pk],
    }
    response = signed_in("coordinator").post("/reporting-periods/add/", data)
    assert response.status_code == 400
    assert "không được trước" in page_text(response) or "must not be before" in page_text(response)
    assert not ReportingPeriod.objects.exists()


def test_the_unit_report_starts_pre_filled_from_the_tasks_progress(signed_in, province, tasks):
    reported, done = tasks
    period = open_period(province)
    officer = signed_in("officer_a")
    response = officer.post("/reporting-periods/{}/prepare/".format(period.pk), {"unit": province.unit_a.pk})
    assert response.status_code == 302
    report = UnitReport.objects.get(period=period, unit=province.unit_a)
    lines = {item.task: item for item in report.items.all()}
    assert set(lines) == {reported, done}
    assert lines[reported].percent == 60 and "40 người" in lines[reported].text
    assert lines[done].percent == 100
    # The supporting unit's report lists its part of the task with its own figures.
    b_report = services.unit_report_prepare(period=period, unit=province.unit_b, by=province.officer_b)
    (b_line,) = b_report.items.all()
    assert b_line.task == reported and b_line.role == "supporting" and b_line.percent == 50
    page = page_text(officer.get(report.get_absolute_url()))
    assert "Giao lưu hữu nghị với tỉnh Prey Veng" in page


def test_an_officer_cannot_write_another_units_report(signed_in, province, tasks):
    period = open_period(province)
    response = signed_in("officer_b").post(
        "/reporting-periods/{}/prepare/".format(period.pk), {"unit": province.unit_a.pk}
    )
    assert response.status_code == 403
    assert not UnitReport.objects.exists()
    report = services.unit_report_prepare(period=period, unit=province.unit_a, by=None)
    assert signed_in("officer_b").get(report.get_absolute_url()).status_code == 404
    assert signed_in("officer_b").post("/unit-reports/{}/save/".format(report.pk), {"summary": "x"}).status_code == 404


def form_data(report, **changes):
    data = {"_version": report.version, "summary": "", "difficulties": "", "proposals": "", "next_steps": ""}
    for item in report.items.all():
        data["line-{}-percent".format(item.pk)] = item.percent
        data["line-{}-text".format(item.pk)] = item.text
    data.update(changes)
    return data


def test_submit_return_with_reason_resubmit_and_accept(signed_in, province, tasks):
    period = open_period(province)
    report = services.unit_report_prepare(period=period, unit=province.unit_a, by=province.officer_a)
    officer = signed_in("officer_a")
    # Submitting without the main results is refused and names the field.
    response = officer.post("/unit-reports/{}/save/".format(report.pk), {**form_data(report), "action": "submit"})
    assert response.status_code == 400
    assert UnitReport.objects.get(pk=report.pk).state == UnitReport.State.DRAFT
    line = report.items.first()
    data = form_data(report, summary="Hoàn thành giao lưu với Prey Veng", **{"line-{}-percent".format(line.pk): 70})
    assert officer.post("/unit-reports/{}/save/".format(report.pk), {**data, "action": "submit"}).status_code == 302
    report.refresh_from_db()
    assert report.state == UnitReport.State.SUBMITTED and report.submitted_by == province.officer_a
    assert report.items.get(pk=line.pk).percent == 70
    # A submitted report is no longer changed.
    assert officer.post("/unit-reports/{}/save/".format(report.pk), form_data(report, summary="đổi")).status_code == 400
    assert UnitReport.objects.get(pk=report.pk).summary == "Hoàn thành giao lưu với Prey Veng"

    coordinator = signed_in("coordinator")
    coordinator.post("/unit-reports/{}/review/".format(report.pk), {"decision": "return", "reason": ""})
    assert UnitReport.objects.get(pk=report.pk).state == UnitReport.State.SUBMITTED
    coordinator.post(
        "/unit-reports/{}/review/".format(report.pk), {"decision": "return", "reason": "Thiếu số liệu đoàn ra"}
    )
    report.refresh_from_db()
    assert report.state == UnitReport.State.RETURNED
    assert "Thiếu số liệu đoàn ra" in page_text(officer.get(report.get_absolute_url()))
    data = form_data(report, summary="Hoàn thành giao lưu; 3 đoàn ra, 2 đoàn vào")
    assert officer.post("/unit-reports/{}/save/".format(report.pk), {**data, "action": "submit"}).status_code == 302
    coordinator.post("/unit-reports/{}/review/".format(report.pk), {"decision": "accept", "reason": ""})
    report.refresh_from_db()
    assert report.state == UnitReport.State.ACCEPTED and report.reviewed_by == province.coordinator
    states = list(
        ObjectChange.objects.filter(changed_object_id=report.pk, changed_object_type__model="unitreport")
        .order_by("pk")
        .values_list("postchange_data__state", flat=True)
    )
    assert states[-1] == "accepted" and "returned" in states


def test_a_stale_edit_is_refused(signed_in, province, tasks):
    period = open_period(province)
    report = services.unit_report_prepare(period=period, unit=province.unit_a, by=None)
    stale = form_data(report, summary="Bản của người thứ nhất")
    services.unit_report_save(report=report, by=None, summary="Bản của người thứ hai")
    response = signed_in("officer_a").post("/unit-reports/{}/save/".format(report.pk), stale)
    assert response.status_code == 400
    assert UnitReport.objects.get(pk=report.pk).summary == "Bản của người thứ hai"


def test_the_coordinator_sees_who_has_not_submitted(signed_in, province, tasks):
    period = open_period(province)
    report = services.unit_report_prepare(period=period, unit=province.unit_a, by=None)
    services.unit_report_save(report=report, by=None, summary="Đã làm")
    services.unit_report_submit(report=report, by=None)
    response = signed_in("coordinator").get(period.get_absolute_url())
    html = response.content.decode()
    assert 'data-unit="{}" data-state="submitted"'.format(province.unit_a.code) in html
    assert 'data-unit="{}" data-state="missing"'.format(province.unit_b.code) in html
    assert (
        "1/2" in page_text(response).replace(" ", "")
        or "1 of 2" in page_text(response)
        or "1 trên 2" in page_text(response)
    )


def docx_text(content: bytes) -> str:
    document = read_docx(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_consolidated_report_is_in_the_decree_layout_and_matches_the_records(signed_in, province, tasks):
    period = open_period(province)
    report = services.unit_report_prepare(period=period, unit=province.unit_a, by=None)
    services.unit_report_save(
        report=report, by=None, summary="Hoàn thành giao lưu với Prey Veng", difficulties="Kinh phí hạn chế"
    )
    services.unit_report_submit(report=report, by=None)
    assert signed_in("officer_a").get("/reporting-periods/{}/consolidated.docx".format(period.pk)).status_code == 403
    response = signed_in("coordinator").get("/reporting-periods/{}/consolidated.docx".format(period.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = read_docx(io.BytesIO(response.content))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    text = docx_text(response.content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "BÁO CÁO" in text and "Năm {}".format(YEAR) in text
    assert "Hoàn thành giao lưu với Prey Veng" in text and "Kinh phí hạn chế" in text
    # Figures recomputed from the records: unit A leads 2 tasks, 1 done on time.
    led = Task.objects.filter(lead_unit=province.unit_a).count()
    done = Task.objects.filter(lead_unit=province.unit_a, completed_on__isnull=False).count()
    assert "chủ trì {} nhiệm vụ".format(led) in text
    assert "đã hoàn thành {} nhiệm vụ".format(done) in text
    # Unit B has not reported: it is named under the units that did not.
    missing = text.split("Đơn vị chưa gửi báo cáo".upper())[-1] if "ĐƠN VỊ CHƯA GỬI BÁO CÁO" in text else text
    assert province.unit_b.name in missing
    assert any(run.font.name == "Times New Roman" for p in document.paragraphs for run in p.runs)
    # the signature block: the collective the head signs for, the head's title, room to sign, a name
    from apps.tasks.consolidated import signature_of

    expected = signature_of(period.unit)
    assert expected.title and expected.title in text
    if expected.authority:
        assert expected.authority in text


def test_a_signature_names_the_head_by_the_unit_s_kind(province):
    from apps.tasks.consolidated import signature_of

    union = signature_of(province.union)
    assert (union.authority, union.title) == ("TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH")
    assert signature_of(province.department).authority == "" and signature_of(province.department).title == "GIÁM ĐỐC"


def test_a_period_with_reports_cannot_be_deleted_only_closed(signed_in, province, tasks):
    period = open_period(province)
    services.unit_report_prepare(period=period, unit=province.unit_a, by=None)
    coordinator = signed_in("coordinator")
    coordinator.post("/reporting-periods/{}/delete/".format(period.pk))
    assert ReportingPeriod.objects.filter(pk=period.pk).exists()
    coordinator.post("/reporting-periods/{}/state/".format(period.pk), {"state": "closed"})
    period.refresh_from_db()
    assert period.state == ReportingPeriod.State.CLOSED
    # A closed period takes no more reports.
    with pytest.raises(ValidationError):
        services.unit_report_prepare(period=period, unit=province.unit_b, by=None)
    assert (
        signed_in("officer_a").post("/reporting-periods/{}/state/".format(period.pk), {"state": "open"}).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("persona", "status", "writes"),
    [
        ("officer_a", 200, True),
        ("officer_b", 404, False),
        ("coordinator", 200, True),
        ("leader", 200, False),
        ("admin", 200, True),
        ("superuser", 200, True),
    ],
)
def test_who_reads_and_who_writes_a_unit_report(client, province, persona, status, writes):
    period = open_period(province)
    report = services.unit_report_prepare(period=period, unit=province.unit_a, by=None)
    url = report.get_absolute_url()
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(getattr(province, persona))
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert ('id="unit-report-form"' in response.content.decode()) is writes
    saved = client.post("/unit-reports/{}/save/".format(report.pk), form_data(report, summary="Sửa bởi " + persona))
    assert saved.status_code == (302 if writes else (404 if status == 404 else 403))
    assert (UnitReport.objects.get(pk=report.pk).summary == "Sửa bởi " + persona) is writes
