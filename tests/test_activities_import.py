"""Importing activities from Excel: a clean file is written whole, with places, countries and
partners resolved; a file with problems writes nothing and says which row and column, unless the
user asked for the valid rows only."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.activities.models import Activity
from apps.core.changelog import change_logging
from apps.core.models import Job
from apps.partners import services as partner_services
from apps.partners.models import Country
from tests.helpers import workbook_bytes

HEADER = ("Loại hoạt động", "Tên hoạt động", "Ngày bắt đầu", "Ngày kết thúc", "Trạng thái",
          "Tỉnh, thành phố (Việt Nam)", "Xã, phường", "Địa phương nước ngoài", "Mã quốc gia (ISO)",
          "Đối tác (mã hoặc tên)", "Số người Việt Nam", "Kinh phí (đồng)")  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def prey_veng(province):
    with change_logging(user=None):
        return partner_services.partner_create(
            by=None, unit=province.unit_a, kind="foreign_locality", name="Tỉnh Prey Veng",
            country=Country.objects.get(code="KH"),
        )  # fmt: skip


@pytest.fixture
def import_file(login, province, django_capture_on_commit_callbacks):
    client = login("officer_a")

    def post(rows, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/activities/import/",
                {
                    "file": SimpleUploadedFile("hoat-dong.xlsx", workbook_bytes([HEADER, *rows]), content_type=XLSX),
                    "unit": province.unit_a.pk,
                    **extra,
                },
            )
        return response, Job.objects.order_by("-id").first()

    return post


GOOD = [
    ("Đoàn vào", "Đón đoàn tỉnh Prey Veng", "20/01/2026", "22/01/2026", "Đã tổ chức", "Đồng Tháp",
     "Phường Mỹ Tho", "", "KH", "tinh prey veng", 25, "85.000.000"),
    ("cultural_exchange", "Giao lưu văn hóa tại Pakse", date(2025, 8, 3), None, "", "", "", "Pakse, Lào", "LA",
     "", "40", ""),
]  # fmt: skip


def test_a_clean_file_creates_every_activity(province, prey_veng, import_file):
    response, job = import_file(GOOD)
    assert response.status_code == 302 and job.status == "completed", job.error
    visit = Activity.objects.get(title="Đón đoàn tỉnh Prey Veng")
    assert visit.kind == "incoming_delegation" and visit.status == "done"
    assert visit.place_name == "Phường Mỹ Tho, Tỉnh Đồng Tháp" and visit.budget == 85_000_000
    assert list(visit.partners.all()) == [prey_veng] and [c.code for c in visit.countries.all()] == ["KH"]
    assert visit.unit == province.unit_a and visit.end_date == date(2026, 1, 22)
    pakse = Activity.objects.get(title="Giao lưu văn hóa tại Pakse")
    assert pakse.start_date == date(2025, 8, 3) and pakse.vn_participants == 40 and pakse.status == "planned"


def test_a_file_with_problems_imports_nothing_and_names_row_and_column(province, prey_veng, import_file):
    bad = [
        GOOD[0],
        ("party", "Loại lạ", "01/01/2025", "", "", "", "", "", "", "", "", ""),
        ("other", "Ngày sai", "31/02/2025", "", "", "", "", "", "", "", "", ""),
        ("other", "Tỉnh lạ", "01/03/2025", "", "", "Atlantis", "", "", "ZZ", "Đối tác không có", "-3", ""),
        ("outgoing_delegation", "Đoàn ra đã đi", "01/04/2025", "", "done", "", "", "Phnom Penh", "", "", "", ""),
    ]
    before = Activity.objects.count()
    response, job = import_file(bad)
    assert job.status == "failed" and Activity.objects.count() == before
    for row, column in ((3, "A"), (4, "C"), (5, "F"), (5, "I"), (5, "J"), (5, "K"), (6, "E")):
        assert re.search(r"(Row|Dòng) {}, (column|cột) {} ".format(row, column), job.error), (row, column, job.error)
    response, job = import_file(bad, valid_only="1")
    assert job.status == "completed" and Activity.objects.count() == before + 1
    # the skipped rows, each with its row and column, listed under the sentence on the job page
    assert len(job.result["details"]) >= 4 and any(re.search(r"(Row|Dòng) 6", d) for d in job.result["details"])
    page = response.client.get(job.get_absolute_url()).content.decode()
    assert 'id="job-details"' in page


def test_the_template_downloads_and_a_leader_may_not_import(login, province):
    response = login("officer_a").get("/activities/import/?template=1")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    assert login("leader").get("/activities/import/").status_code == 403


def test_importing_the_same_file_again_creates_nothing_twice(province, prey_veng, import_file):
    _response, first = import_file(GOOD)
    assert first.status == "completed", first.error
    _response, again = import_file(GOOD)
    assert again.status == "failed" and Activity.objects.count() == 2
    assert re.search(
        r"Dòng 2, cột B \(Tên hoạt động\): đã nhập rồi: hoạt động #\d+ có cùng tên và ngày bắt đầu", again.error
    )
    fresh = ("Tập huấn", "Tập huấn kỹ năng đối ngoại", "10/03/2026", "", "", "", "", "", "", "", "", "")
    _response, twice = import_file([fresh, fresh])
    assert twice.status == "failed" and "giống hoạt động ở dòng" in twice.error


def test_a_partner_is_found_by_its_english_or_short_name(province, import_file):
    with change_logging(user=None):
        jica = partner_services.partner_create(
            by=None, unit=province.unit_a, kind="government_agency", name="JICA",
            name_vi="Cơ quan Hợp tác Quốc tế Nhật Bản", name_en="Japan International Cooperation Agency",
            abbreviation="JICA", country=Country.objects.get(code="JP"),
        )  # fmt: skip
    row = ("Hội thảo", "Hội thảo hợp tác", "05/03/2026", "", "", "", "", "Tokyo", "Nhật Bản",
           "Japan International Cooperation Agency", "", "")  # fmt: skip
    _response, job = import_file([row])
    assert job.status == "completed", job.error
    activity = Activity.objects.get(title="Hội thảo hợp tác")
    assert list(activity.partners.all()) == [jica] and list(activity.countries.values_list("code", flat=True)) == ["JP"]
