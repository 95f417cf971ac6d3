"""Importing units from Excel as a background job: all or nothing, every problem with its row and
column, a progress page that only its owner sees.

Jobs are enqueued on commit; ``django_capture_on_commit_callbacks(execute=True)`` plays the
commit, and the ImmediateBackend of the root conftest runs the job there and then.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.models import Unit
from apps.core.models import Job
from tests.helpers import page_text, workbook_bytes

HEADER = (
    "Mã đơn vị",
    "Tên đơn vị",
    "Tên viết tắt",
    "Loại",
    "Mã đơn vị cấp trên",
    "Hiệu lực từ",
    "Hiệu lực đến",
    "Email",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def import_file(client, django_capture_on_commit_callbacks):
    """``import_file(rows)`` posts a workbook of ``rows`` and returns (response, job)."""

    def post(rows, name="don-vi.xlsx", content=None):
        data = content if content is not None else workbook_bytes([HEADER, *rows])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/units/import/", {"file": SimpleUploadedFile(name, data, content_type=XLSX)})
        return response, Job.objects.order_by("-id").first()

    return post


GOOD_ROWS = [
    # a child listed before its parent: the import orders them
    ("CHI-HOI-LAO", "Chi hội hữu nghị Việt – Lào phường 1", "", "association", "HLH-LAO-TN", "", "", ""),
    (
        "HLH-LAO-TN",
        "Hội hữu nghị Việt Nam – Lào tỉnh",
        "Hội VN–Lào",
        "Friendship association",
        "LHHN-TN",
        "01/07/2025",
        "",
        "lao@example.org",
    ),
    ("HLH-NB-TN", "Hội hữu nghị Việt Nam – Nhật Bản (tên mới)", "", "association", "LHHN-TN", "", "", ""),
]


def test_a_good_file_creates_and_updates_units(login, province, import_file):
    login("admin")
    response, job = import_file(GOOD_ROWS)
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.COMPLETED, job.error
    assert job.result["created"] == 2 and job.result["updated"] == 1
    lao = Unit.objects.get(code="HLH-LAO-TN")
    assert Unit.objects.get_parent(lao) == province.union
    assert lao.kind == "association" and lao.email == "lao@example.org"
    assert Unit.objects.get_parent(Unit.objects.get(code="CHI-HOI-LAO")) == lao
    assert Unit.objects.get(code="HLH-NB-TN").name == "Hội hữu nghị Việt Nam – Nhật Bản (tên mới)"
    page = page_text(login("admin").get(response["Location"]))
    assert job.result["summary"] in page


def test_the_imported_changes_are_logged_for_the_person_who_imported(login, province, import_file):
    from apps.core.models import ObjectChange

    login("admin")
    import_file(GOOD_ROWS)
    lao = Unit.objects.get(code="HLH-LAO-TN")
    change = ObjectChange.objects.get(changed_object_id=lao.pk, action="create", changed_object_type__model="unit")
    assert change.user == province.admin


def test_the_uploaded_file_does_not_stay_on_disk(login, province, import_file):
    login("admin")
    import_file(GOOD_ROWS)
    leftovers = list((Path(settings.VAR_DIR) / "imports").glob("*"))
    assert leftovers == []


def test_a_file_with_problems_imports_nothing_and_lists_every_problem(english, login, province, import_file):
    login("admin")
    before = sorted(Unit.objects.values_list("code", "name"))
    response, job = import_file(
        [
            ("DV-MOT", "Đơn vị một", "", "other", "LHHN-TN", "", "", ""),  # row 2 is fine
            ("DV-HAI", "Đơn vị hai", "", "khong-co-loai-nay", "LHHN-TN", "", "", ""),  # row 3: unknown kind
            ("DV-BA", "Đơn vị ba", "", "other", "KHONG-CO", "", "", ""),  # row 4: no such parent
            ("DV-MOT", "Đơn vị một lần nữa", "", "other", "LHHN-TN", "", "", ""),  # row 5: duplicate code
            ("DV-NAM", "Đơn vị năm", "", "other", "LHHN-TN", "31/02/2025", "", ""),  # row 6: no such date
        ]
    )
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert sorted(Unit.objects.values_list("code", "name")) == before
    page = page_text(login("admin").get(response["Location"]))
    assert "Row 3, column D" in page and "khong-co-loai-nay" in page
    assert "Row 4" in page and "KHONG-CO" in page
    assert "Row 5, column A" in page and "row 2" in page
    assert "Row 6, column F" in page and "31/02/2025" in page
    assert "Row 2" not in page


def test_a_row_that_fails_while_saving_undoes_the_rows_before_it(login, province, import_file):
    login("admin")
    response, job = import_file(
        [
            ("DV-TOT", "Đơn vị tốt", "", "other", "LHHN-TN", "", "", ""),
            ("DV-XAU", "Đơn vị có thư sai", "", "other", "LHHN-TN", "", "", "khong-phai-thu"),
        ]
    )
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "3" in job.error
    assert not Unit.objects.filter(code__in=["DV-TOT", "DV-XAU"]).exists()


def test_a_unit_without_a_parent_code_is_refused_for_an_administrator(login, province, import_file):
    login("admin")
    _response, job = import_file(
        [
            ("DV-CO-CHA", "Đơn vị có cấp trên", "", "other", "LHHN-TN", "", "", ""),
            ("DV-MO-COI", "Đơn vị không có cấp trên", "", "other", "", "", "", ""),
        ]
    )
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "3" in job.error
    assert not Unit.objects.filter(code__in=["DV-CO-CHA", "DV-MO-COI"]).exists()


def test_a_file_that_is_not_a_workbook_is_refused_at_once(login, province, import_file, language):
    login("admin")
    response, job = import_file([], name="don-vi.csv", content="Mã đơn vị,Tên đơn vị\nA,B\n".encode())
    assert response.status_code == 400
    assert language.says("“{}” is not an .xlsx file.", "don-vi.csv") in page_text(response)
    assert job is None


def test_a_text_file_named_xlsx_is_refused_at_once(login, province, import_file, language):
    login("admin")
    response, job = import_file([], name="gia-mao.xlsx", content=b"code,name\nA,B\n")
    assert response.status_code == 400
    assert language.says(
        "“{name}” is named .{ext} but its content is not a {ext} file.", name="gia-mao.xlsx", ext="xlsx"
    ) in page_text(response)
    assert job is None


def test_an_officer_may_not_import_units(login, province, import_file):
    client = login("officer_a")
    assert client.get("/units/import/").status_code == 403
    response, job = import_file(GOOD_ROWS)
    assert response.status_code == 403
    assert job is None


def test_the_template_downloads_as_a_workbook_with_the_expected_headers(login, province):
    from io import BytesIO

    from openpyxl import load_workbook

    response = login("admin").get("/units/import/?template=1")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert [c.value for c in sheet[1]][:5] == list(HEADER[:5])


# -- the job page ------------------------------------------------------------------------------


@pytest.fixture
def finished_job(login, province, import_file):
    login("admin")
    _response, job = import_file(GOOD_ROWS)
    return job


def test_the_job_page_shows_a_progress_bar(signed_in, finished_job):
    response = signed_in("admin").get(f"/jobs/{finished_job.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="progressbar"' in body
    assert 'aria-valuenow="100"' in body


def test_htmx_polling_gets_only_the_progress_block(signed_in, finished_job):
    response = signed_in("admin").get(f"/jobs/{finished_job.pk}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode().strip()
    assert body.startswith('<div id="job-progress"')
    assert 'role="progressbar"' in body
    assert "<html" not in body and "<nav" not in body


def test_a_running_job_asks_htmx_to_poll_and_a_finished_one_does_not(signed_in, province, finished_job):
    body = signed_in("admin").get(f"/jobs/{finished_job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in body
    running = Job.objects.create(
        kind="accounts.import_units",
        name="Đang chạy",
        user=province.admin,
        status=Job.Status.RUNNING,
        progress_done=3,
        progress_total=10,
    )
    body = signed_in("admin").get(f"/jobs/{running.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" in body and 'aria-valuenow="30"' in body


@pytest.mark.parametrize("persona", ["officer_a", "officer_b", "coordinator", "leader"])
def test_nobody_else_sees_someones_job(signed_in, finished_job, persona):
    client = signed_in(persona)
    assert client.get(f"/jobs/{finished_job.pk}/").status_code == 404
    assert finished_job.name not in page_text(client.get("/jobs/"))


def test_the_owner_finds_the_job_in_their_list(signed_in, finished_job):
    assert finished_job.name in page_text(signed_in("admin").get("/jobs/"))
