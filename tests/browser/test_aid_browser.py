"""Issue 5 in a real browser: enter an aid item, approve it through its steps, record two
disbursements in USD, and see the statistics sentence change. Screenshots in var/screenshots/."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.personas import PASSWORD, build_province

pytestmark = pytest.mark.browser


@pytest.fixture
def people(migration_data_kept):
    from apps.aid import services
    from apps.aid.models import ExchangeRate

    province = build_province()
    services.rate_save(
        rate=ExchangeRate(currency="USD", date=date(2020, 1, 1), rate_vnd=Decimal("25000"), source="Vietcombank"),
        by=None,
    )
    return province


def test_an_aid_item_is_entered_approved_disbursed_and_counted(page, people, live_server, screenshots, pick):
    today = date.today()
    day = today.strftime("%d/%m/%Y")
    statistics = "/aid/statistics/?date_from=01/01/{y}&date_to=31/12/{y}".format(y=today.year)
    page.goto("/login/")
    page.fill("#id_username", people.coordinator.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")

    page.goto(statistics)
    before = page.locator("#aid-sentence").inner_text()
    screenshots(page, "aid-01-statistics-before")

    page.goto("/aid/add/")
    page.fill("#id_code", "VT-2026-001")
    page.select_option("#id_kind", "non_project")
    page.fill("#id_title_vi", "Thiết bị y tế cho trạm y tế xã")
    pick(page, "id_unit", "lien hiep", people.union.name)
    page.fill("#id_committed_amount", "50000")
    page.fill("#id_currency", "USD")
    page.fill("#id_sectors_text", "12220 100")
    page.fill("#id_locations_text", "Đồng Tháp 100")
    screenshots(page, "aid-02-form")
    page.click("#save-button")
    expect(page.locator("#aid-status")).to_be_visible()
    item_url = page.url.split("?")[0]

    page.goto(item_url + "?tab=workflow")
    screenshots(page, "aid-03a-workflow")
    page.locator("#step-form-submit button[type=submit]").click()
    page.goto(item_url + "?tab=workflow")
    page.click("#step-appraise")  # the steps are folded; the first available one is open
    page.locator("#step-form-appraise select[name=agency]").select_option("finance")
    page.fill("#step-form-appraise textarea[name=opinion]", "Sở Tài chính thống nhất.")
    page.locator("#step-form-appraise button[type=submit]").click()
    page.goto(item_url + "?tab=workflow")
    page.click("#step-approve")
    page.fill("#step-form-approve input[name=on]", day)
    page.fill("#step-form-approve input[name=document]", "1520/QĐ-UBND")
    page.fill("#step-form-approve input[name=approving_authority]", "Ủy ban nhân dân tỉnh")
    page.locator("#step-form-approve button[type=submit]").click()
    expect(page.locator("#approval-steps")).to_contain_text(people.coordinator.get_full_name())
    screenshots(page, "aid-03-approved")

    for amount in ("20000", "10000"):
        page.goto(item_url + "?tab=money")
        page.select_option("#transaction-form select[name=kind]", "disbursement")
        page.fill("#transaction-form input[name=date]", day)
        page.fill("#transaction-form input[name=amount]", amount)
        page.fill("#transaction-form input[name=currency]", "USD")
        page.click("#add-transaction")
        expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#transactions tbody tr")).to_have_count(2)
    screenshots(page, "aid-04-disbursements")

    page.goto(statistics)
    sentence = page.locator("#aid-sentence")
    expect(sentence).not_to_have_text(before)
    expect(sentence).to_contain_text("50")
    expect(sentence).to_contain_text("50 nghìn USD")
    expect(sentence).to_contain_text("1,3 tỷ đồng")  # 50,000 USD × 25,000 đ = 1,25 tỷ, told with one decimal
    expect(page.locator("#statistics-table tfoot")).to_contain_text("30.000")  # disbursed USD
    page.wait_for_function("document.querySelector('#aid-chart canvas') !== null")
    screenshots(page, "aid-05-statistics-after")
    assert not [p for p in page.problems if "favicon" not in p], page.problems
