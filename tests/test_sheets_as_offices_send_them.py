"""Excel files as provincial offices really send them: a title above the table, an old sheet kept
hidden in front, headers written another way, country names instead of codes, numbers written the
Vietnamese way, nothing under the headers — read right, or refused with a clear message."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from apps.aid import services as aid_services
from apps.core.models import Job
from apps.core.sheets import parse_number
from apps.partners.models import Partner

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize(
    "typed, number",
    [
        ("24.250", Decimal("24250")),
        ("24,250", Decimal("24250")),
        ("24.250,50", Decimal("24250.50")),
        ("24,250.50", Decimal("24250.50")),
        ("1.234.567", Decimal("1234567")),
        ("1,5", Decimal("1.5")),
        ("24.3", Decimal("24.3")),
        (25.0, Decimal("25.0")),
        (45296, Decimal(45296)),
        ("abc", None),
        ("", None),
    ],
)
def test_numbers_are_read_as_offices_type_them(typed, number):
    assert parse_number(typed) == number


def office_workbook(rows, *, title=True, hidden_first=False) -> bytes:
    book = Workbook()
    sheet = book.active
    if hidden_first:
        sheet.title = "Cũ"
        sheet.append(["Loại đối tác", "Tên (nguyên gốc)"])
        sheet.append(["foreign_ngo", "Dòng cũ không được nhập"])
        sheet.sheet_state = "hidden"
        sheet = book.create_sheet("Danh sách")
        book.active = 1
    if title:
        sheet.append(["DANH SÁCH ĐỐI TÁC NĂM 2026"])
        sheet.append([])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def send(login, province, django_capture_on_commit_callbacks):
    client = login("officer_a")

    def post(data):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/partners/import/",
                {"file": SimpleUploadedFile("doi-tac.xlsx", data, content_type=XLSX), "unit": province.unit_a.pk},
            )
        return Job.objects.order_by("-id").first()

    return post


def test_a_title_above_the_table_and_an_old_hidden_sheet_do_not_stop_the_import(province, send):
    header = ("Loại", "Tên đối tác", "Quốc gia", "Số điện thoại", "Người phụ trách")
    job = send(
        office_workbook(
            [header, ("Tổ chức phi chính phủ", "Good Neighbors", "Hàn Quốc", "+82 2 1234", "Chị Lan")],
            hidden_first=True,
        )
    )
    assert job.status == "completed", job.error
    partner = Partner.objects.get(name="Good Neighbors")
    assert (partner.kind, partner.country.code, partner.phone) == ("foreign_ngo", "KR", "+82 2 1234")
    assert not Partner.objects.filter(name="Dòng cũ không được nhập").exists()
    # the column it could not place is said, not dropped in silence
    assert "Các cột không nhận ra nên không được nhập: “Người phụ trách”." in job.result["summary"]


@pytest.mark.parametrize("country", ["Lào", "Laos", "CHDCND Lào", "la", "LAO"])
def test_a_country_is_found_by_its_code_or_any_of_its_names(province, send, country):
    job = send(
        office_workbook([("Loại đối tác", "Tên (nguyên gốc)", "Quốc gia"), ("foreign_locality", "Salavan", country)])
    )
    assert job.status == "completed", job.error
    assert Partner.objects.get(name="Salavan").country.code == "LA"


def test_headers_without_data_are_refused_not_reported_as_an_import_of_nothing(province, send):
    job = send(office_workbook([("Loại đối tác", "Tên (nguyên gốc)")]))
    assert job.status == "failed" and "Không có dữ liệu dưới dòng tiêu đề (dòng 3" in job.error


def test_a_file_without_the_headers_says_where_it_looked(province, send):
    job = send(office_workbook([("Loại đối tác", "Ghi chú"), ("foreign_ngo", "x")]))
    assert job.status == "failed" and "Tên (nguyên gốc)" in job.error and "dòng 3" in job.error


def test_rates_written_the_vietnamese_way_are_not_a_thousand_times_too_small(province):
    rows = [["Tiền tệ", "Ngày", "Tỷ giá", "Nguồn"], ["USD", "02/01/2026", "24.250", "Vietcombank"]]
    aid_services.rates_import(rows=rows, by=province.coordinator)
    from apps.aid.models import ExchangeRate

    assert ExchangeRate.objects.get(currency="USD").rate_vnd == Decimal("24250")


def test_a_rates_file_of_one_column_or_no_rows_gets_a_message_not_an_error(province):
    rows = aid_services.read_rate_rows("ty-gia.csv", "Tiền tệ\nUSD\n".encode())
    with pytest.raises(ValidationError) as caught:
        aid_services.rates_import(rows=rows, by=province.coordinator)
    assert "Dòng 2, cột B" in " ".join(caught.value.messages)
    with pytest.raises(ValidationError, match="không có tỷ giá"):
        aid_services.rates_import(rows=[["Tiền tệ", "Ngày", "Tỷ giá"]], by=province.coordinator)


def test_people_and_budgets_are_read_as_written_and_a_fraction_of_a_person_is_refused():
    from apps.activities.imports import _count, _money

    assert (_count("50 người"), _count("1.200"), _count(25.0)) == (50, 1200, 25)
    with pytest.raises(ValueError):
        _count("1,5")
    assert _money("1,5 triệu") == Decimal(1_500_000)
    assert _money("85.000.000 đồng") == Decimal(85_000_000)
    assert _money(2_000_000.0) == Decimal(2_000_000)


@pytest.mark.parametrize("url", ["/partners/import/?template=1", "/activities/import/?template=1"])
def test_the_template_s_example_is_on_its_own_sheet_so_it_is_never_imported(login, province, url):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(b"".join(login("officer_a").get(url).streaming_content)))
    data, example = book.worksheets
    assert data.max_row == 1 and example.title == "Vi du" and example.max_row == 2
