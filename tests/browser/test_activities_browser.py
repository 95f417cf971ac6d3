"""Issue 4 in a real browser: create a partner, an agreement with it and an activity under the
agreement, and see the agreement and the activity on the partner's timeline. Screenshots in
var/screenshots/."""

import pytest
from playwright.sync_api import expect

from tests.personas import PASSWORD, build_province

pytestmark = pytest.mark.browser


@pytest.fixture
def people(migration_data_kept):
    return build_province()


def test_a_partner_an_agreement_and_an_activity_reach_the_timeline(page, people, live_server, screenshots, pick):
    page.goto("/login/")
    page.fill("#id_username", people.coordinator.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")

    page.goto("/partners/add/")
    page.select_option("#id_kind", "foreign_locality")
    page.fill("#id_name", "Khet Kampong Cham")
    page.fill("#id_name_vi", "Tỉnh Kampong Cham")
    pick(page, "id_unit", "lien hiep", people.union.name)  # diacritics optional
    page.click("#save-button")
    expect(page.locator("#partner-status")).to_be_visible()
    partner_url = page.url.split("?")[0]
    partner_id = partner_url.rstrip("/").rsplit("/", 1)[-1]
    screenshots(page, "activities-01-partner")

    page.goto("/agreements/add/?partner=" + partner_id)
    page.select_option("#id_kind", "memorandum")
    page.fill("#id_title", "Biên bản ghi nhớ hợp tác với tỉnh Kampong Cham")
    pick(page, "id_unit", "lien hiep", people.union.name)
    expect(page.locator("#id_partners option:checked")).to_have_text("Tỉnh Kampong Cham")
    page.fill("#id_signed_on", "15/03/2024")
    page.fill("#id_valid_from", "15/03/2024")
    page.fill("#id_valid_to", "14/03/2029")
    page.fill("#id_commitment_lines", "Trao đổi đoàn hằng năm\nHợp tác giáo dục")
    screenshots(page, "activities-02-agreement-form")
    page.click("#save-button")
    expect(page.locator("#agreement-status")).to_be_visible()
    screenshots(page, "activities-03-agreement")

    page.click("#add-activity")
    page.select_option("#id_kind", "incoming_delegation")
    page.fill("#id_title", "Đoàn tỉnh Kampong Cham thăm và làm việc")
    page.fill("#id_start_date", "20/01/2025")
    pick(page, "id_unit", "lien hiep", people.union.name)
    pick(page, "id_partners", "kampong", "Tỉnh Kampong Cham")
    screenshots(page, "activities-04a-partner-picker")
    page.select_option("#id_vn_province_code", "82")  # htmx fills the wards of Đồng Tháp
    expect(page.locator("#id_vn_ward_code option")).not_to_have_count(1)
    page.fill("#id_vn_participants", "20")
    page.fill("#id_foreign_participants", "12")
    screenshots(page, "activities-04-activity-form")
    page.click("#save-button")
    expect(page.locator("#activity-status")).to_be_visible()
    expect(page.locator("#linked-agreements")).to_contain_text("Biên bản ghi nhớ hợp tác với tỉnh Kampong Cham")
    screenshots(page, "activities-05-activity")

    page.goto(partner_url)
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Đoàn tỉnh Kampong Cham thăm và làm việc")
    expect(timeline).to_contain_text("Biên bản ghi nhớ hợp tác với tỉnh Kampong Cham")
    expect(timeline).to_contain_text("20/01/2025")
    screenshots(page, "activities-06-partner-timeline")

    page.goto("/activities/?q=kampong+cham")
    expect(page.locator("#activity-table")).to_contain_text("Đoàn tỉnh Kampong Cham")
    screenshots(page, "activities-07-list")
    assert page.problems == [], page.problems
