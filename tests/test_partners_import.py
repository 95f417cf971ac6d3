"""Importing partners from Excel: a clean file is written whole; a file with problems — bad
values, duplicates of existing partners, the same partner twice — writes nothing and says which
row and column, unless the user asked for the valid rows only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.changelog import change_logging
from apps.core.models import Job
from apps.partners import services
from apps.partners.models import Country, Partner
from tests.helpers import page_text, workbook_bytes

HEADER = ("Loại đối tác", "Tên (nguyên gốc)", "Tên tiếng Việt", "Tên tiếng Anh", "Mã quốc gia (ISO)", "Email", "Nhãn")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD = [
    ("foreign_locality", "ແຂວງສາລະວັນ", "Tỉnh Salavan", "Salavan Province", "LA", "", "kết nghĩa"),
    ("Tổ chức phi chính phủ nước ngoài", "Oxfam", "", "", "GB", "info@oxfam.example", "sinh kế, nước sạch"),
]


@pytest.fixture
def import_file(login, province, django_capture_on_commit_callbacks):
    client = login("officer_a")

    def post(rows, name="doi-tac.xlsx", content=None, **extra):
        data = content if content is not None else workbook_bytes([HEADER, *rows])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/partners/import/",
                {"file": SimpleUploadedFile(name, data, content_type=XLSX), "unit": province.unit_a.pk, **extra},
            )
        return response, Job.objects.order_by("-id").first()

    return post


def test_a_clean_file_creates_every_partner_in_the_chosen_unit(province, import_file):
    response, job = import_file(GOOD)
    assert response.status_code == 302 and job.status == "completed", job.error
    salavan = Partner.objects.get(name_vi="Tỉnh Salavan")
    assert salavan.country.code == "LA" and salavan.unit == province.unit_a
    oxfam = Partner.objects.get(name="Oxfam")
    assert oxfam.kind == "foreign_ngo"
    assert sorted(t.name for t in oxfam.tags.all()) == ["nước sạch", "sinh kế"]


def test_a_file_with_problems_imports_nothing_and_names_row_and_column(province, import_file):
    with change_logging(user=None):
        services.partner_create(
            by=None,
            unit=province.unit_a,
            kind="foreign_locality",
            name="Champasak Province",
            name_vi="Tỉnh Champasak",
            country=Country.objects.get(code="LA"),
        )
    before = Partner.objects.count()
    response, job = import_file(
        [
            *GOOD,
            ("province", "X", "", "", "LA", "", ""),  # unknown kind
            ("foreign_ngo", "", "", "", "ZZ", "not-an-email", ""),  # empty name, unknown country, bad e-mail
            ("foreign_locality", "TỈNH CHAMPASAK.", "", "", "LA", "", ""),  # exists already (folded)
            ("foreign_locality", "Tinh Salavan", "", "", "LA", "", ""),  # same as row 2
        ]
    )
    assert job.status == "failed"
    assert Partner.objects.count() == before
    error = job.error
    assert "Row 4, column A (Loại đối tác)" in error or "Dòng 4, cột A (Loại đối tác)" in error
    for fragment in ("5, ", "(Tên (nguyên gốc))", "(Mã quốc gia (ISO))", "(Email)", "Tỉnh Champasak", "2"):
        assert fragment in error
    assert error.count("Tên (nguyên gốc)") >= 3  # empty name, existing Champasak, the second Salavan


def test_valid_rows_only_imports_the_good_rows_and_lists_the_others(province, import_file):
    response, job = import_file([*GOOD, ("province", "X", "", "", "LA", "", "")], valid_only="1")
    assert job.status == "completed", job.error
    assert job.result["created"] == 2 and job.result["skipped"] == 1
    assert "1 dòng" in job.result["summary"] or "1 row" in job.result["summary"]
    assert any("Loại đối tác" in line for line in job.result["details"])


def test_a_file_that_is_not_a_workbook_is_refused_at_once(province, import_file):
    response, job = import_file([], name="doi-tac.xlsx", content=b"kind,name\nforeign_ngo,A\n")
    assert response.status_code == 400
    assert job is None or job.kind != "partners.import_partners"
    assert "xlsx" in page_text(response).lower() or "tệp" in page_text(response).lower()


def test_a_sheet_without_the_name_column_fails_with_a_message(province, import_file):
    response, job = import_file([], content=workbook_bytes([("Loại đối tác", "Ghi chú"), ("foreign_ngo", "x")]))
    assert job.status == "failed"
    assert "Tên (nguyên gốc)" in job.error


def test_the_template_downloads(login, province):
    response = login("officer_a").get("/partners/import/?template=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('mau-nhap-doi-tac.xlsx"')


def test_a_leader_may_not_import(login, province):
    assert login("leader").get("/partners/import/").status_code == 403
