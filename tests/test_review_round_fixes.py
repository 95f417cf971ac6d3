"""What the last review of tasks, partners and activities found, each as a user would meet it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from apps.activities.models import Activity
from apps.core.changelog import change_logging
from apps.partners import services as partner_services
from apps.partners.models import NgoRegistration, Partner
from apps.tasks import services as task_services
from apps.tasks.models import ProgressReport, Task


def test_a_linked_partner_is_not_deleted_and_its_links_are_kept(province):
    with change_logging(user=None):
        partner = partner_services.partner_create(by=None, unit=province.union, kind="foreign_ngo", name="Liên kết")
        activity = Activity.objects.create(
            unit=province.union, title="Giao lưu", kind="cultural_exchange", start_date=date(2026, 1, 5)
        )
        activity.partners.add(partner)
        with pytest.raises(ValidationError, match="hoạt động"):
            partner_services.partner_delete(partner=partner, by=province.coordinator)
    assert Partner.objects.filter(pk=partner.pk).exists() and list(activity.partners.all()) == [partner]


def test_a_registration_for_a_partner_that_is_no_ngo_is_refused_on_the_page(login, province):
    with change_logging(user=None):
        locality = partner_services.partner_create(by=None, unit=province.union, kind="foreign_locality", name="Tỉnh X")
    response = login("coordinator").post(
        "/partners/{}/registrations/add/".format(locality.pk),
        {"kind": "activity", "number": "12/GĐK", "issued_on": "01/01/2026", "expires_on": "31/12/2027"},
    )
    assert response.status_code == 400 and "Chỉ tổ chức phi chính phủ nước ngoài" in response.content.decode()
    assert not NgoRegistration.objects.exists()


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13"])
def test_a_calendar_month_out_of_range_shows_this_month(login, province, month):
    assert login("coordinator").get("/activities/calendar/?month=" + month).status_code == 200


def test_a_done_task_stays_at_100_when_an_older_report_is_accepted_after(province):
    with change_logging(user=None):
        task = task_services.task_create(by=None, title="Việc", lead_unit=province.union, due_date=date(2027, 1, 1))
        full = task_services.progress_report_submit(task=task, unit=province.union, percent=100, text="Xong", by=None)
        typo = task_services.progress_report_submit(task=task, unit=province.union, percent=20, text="Gõ nhầm", by=None)
        task_services.progress_report_review(report=full, accept=True, by=province.coordinator)
        task_services.progress_report_review(report=typo, accept=True, by=province.coordinator)
    task.refresh_from_db()
    assert task.completed_on is not None and task.progress == 100
    assert ProgressReport.objects.get(pk=typo.pk).review_status == ProgressReport.Review.ACCEPTED


def test_the_due_soon_window_is_a_setting(settings, province):
    from apps.tasks.models import due_soon_days

    settings.TASK_DUE_SOON_DAYS = 3
    assert due_soon_days() == 3
    assert Task is not None


@pytest.mark.parametrize(
    "name, country",
    [("Prey Veng Province", None), ("PREY-VENG", None), ("Prey Veng", None), ("World Vision International", None)],
)
def test_a_duplicate_is_found_by_any_of_its_names_with_or_without_a_country(province, name, country):
    from apps.partners.models import Country

    with change_logging(user=None):
        prey_veng = partner_services.partner_create(
            by=None, unit=province.union, kind="foreign_locality", name="ខេត្តព្រៃវែង", name_vi="Tỉnh Prey Veng",
            name_en="Prey Veng Province", country=Country.objects.get(code="KH"),
        )  # fmt: skip
        vision = partner_services.partner_create(
            by=None, unit=province.union, kind="foreign_ngo", name="World Vision International",
            name_vi="Tổ chức Tầm nhìn Thế giới", country=Country.objects.get(code="US"),
        )  # fmt: skip
    found = [d.partner for d in partner_services.partner_duplicates(name=name, country=country)]
    assert (vision if "Vision" in name else prey_veng) in found


def test_dates_in_an_excel_export_are_real_dates(login, province):
    import io

    from openpyxl import load_workbook

    with change_logging(user=None):
        task_services.task_create(by=None, title="Có hạn", lead_unit=province.union, due_date=date(2026, 12, 3))
    response = login("coordinator").get("/tasks/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.is_date]
    assert any(getattr(v, "date", lambda: None)() == date(2026, 12, 3) for v in values)
    assert cells and cells[0].number_format == "DD/MM/YYYY"
