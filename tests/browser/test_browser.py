"""What a provincial officer does in a real browser, in Vietnamese first.

Each page visited is also saved as a full-page screenshot in var/screenshots/ for a person to look at.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.personas import PASSWORD, build_province

pytestmark = pytest.mark.browser

NEW_UNIT = "Hội hữu nghị Việt Nam – Lào tỉnh"
FULL_NAME = "Nguyễn Thị Lan"


@pytest.fixture
def people(migration_data_kept):
    from apps.core.models import Job

    province = build_province()
    admin = province.admin
    admin.full_name = FULL_NAME
    admin.position = "Phó Chủ tịch Liên hiệp"
    admin.save()
    # Something to see on the jobs page: one finished import, one that failed.
    Job.objects.create(
        name="Nhập đơn vị từ don-vi.xlsx",
        kind="accounts.import_units",
        user=admin,
        status="completed",
        progress_done=12,
        progress_total=12,
        message="12 đơn vị",
    )
    Job.objects.create(
        name="Nhập đơn vị từ sai.xlsx",
        kind="accounts.import_units",
        user=admin,
        status="failed",
        progress_done=3,
        progress_total=40,
        error="Dòng 4: thiếu mã đơn vị",
    )
    return province


def assert_assets_loaded(page):
    """Bootstrap's CSS, its icon font and htmx all arrived: the page is not a bare HTML skeleton."""
    navbar_colour = page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).backgroundColor")
    assert navbar_colour not in ("rgba(0, 0, 0, 0)", "transparent"), "Bootstrap CSS did not load"
    page.evaluate("document.fonts.ready")
    icons = "[...document.fonts].some(f => f.family.includes('bootstrap-icons') && f.status === 'loaded')"
    assert page.evaluate(icons), "the Bootstrap Icons font did not load"
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load"


def log_in(page, username, password):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")


def nav(page):
    return page.locator("#mainnav .navbar-nav")


def open_menu(page, href):
    """Follow a menu link, opening its drop-down first when it sits in one (Units, Users …)."""
    link = nav(page).locator("a[href='{}']".format(href))
    if not link.is_visible():
        nav(page).locator("li.dropdown", has=page.locator("a[href='{}']".format(href))).locator(
            ".dropdown-toggle"
        ).click()
    link.click()


def test_an_officer_works_through_the_interface(page, people, live_server, screenshots):
    admin = people.admin

    # -- Sign in, in Vietnamese ---------------------------------------------------------------
    page.goto("/units/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/units/"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    screenshots(page, "01-login")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page).to_have_url(live_server.url + "/units/")
    page.goto("/")
    assert_assets_loaded(page)
    expect(page.locator("#user-menu")).to_contain_text(FULL_NAME)
    # The menu speaks Vietnamese (this needs the Vietnamese catalogue, locale/vi/LC_MESSAGES/django.po).
    expect(nav(page)).to_contain_text("Đơn vị")
    screenshots(page, "02-home")
    page.set_viewport_size({"width": 1024, "height": 768})  # a small office laptop
    screenshots(page, "02-home-1024")
    page.set_viewport_size({"width": 1366, "height": 900})

    # -- Switch to English and back ------------------------------------------------------------
    page.click("#lang-en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav(page)).to_contain_text("Units")
    expect(page).to_have_url(live_server.url + "/")
    screenshots(page, "02-home-en")
    page.click("#lang-vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(nav(page)).to_contain_text("Đơn vị")

    # -- Units: list, add, see the new unit ----------------------------------------------------
    open_menu(page, "/units/")
    expect(page.locator("#unit-table")).to_contain_text("Liên hiệp các tổ chức hữu nghị tỉnh")
    screenshots(page, "03-unit-list")

    page.click("#add-button")
    expect(page).to_have_url(live_server.url + "/units/add/")
    page.click("#save-button")  # nothing filled in: the form says what is missing, in Vietnamese
    expect(page.locator(".field-error").first).to_be_visible()
    screenshots(page, "04-unit-form-errors")
    page.fill("#id_name", NEW_UNIT)
    page.fill("#id_code", "hhn-vnl-tn")
    page.select_option("#id_kind", "association")
    page.select_option("#id_parent", label=people.union.name)
    screenshots(page, "04-unit-form")
    page.click("#save-button")
    expect(page.locator("h1")).to_contain_text(NEW_UNIT)
    expect(page.locator(".alert-success")).to_contain_text(NEW_UNIT)
    expect(page.locator("main")).to_contain_text("HHN-VNL-TN")  # the code is stored upper-case
    expect(page.locator("main table").first).to_contain_text(people.union.name)  # parent unit
    assert_assets_loaded(page)
    unit_url = page.url
    screenshots(page, "05-unit-detail")

    # -- Its history and the global change log -------------------------------------------------
    page.click("#history-tab")
    history = page.locator("#object-history tbody tr")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text(FULL_NAME)  # the person's name, not their login
    screenshots(page, "06-unit-history")

    open_menu(page, "/changelog/")
    entry = page.locator("#changelog-table tbody tr", has_text=NEW_UNIT)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(FULL_NAME)
    screenshots(page, "07-changelog")
    entry.locator("td").first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/changelog/\d+/$"))
    expect(page.locator("h1")).to_contain_text(NEW_UNIT)
    expect(page.locator("#change-diff")).to_contain_text("HHN-VNL-TN")
    screenshots(page, "08-changelog-detail")

    # -- The live filter of the unit list (htmx, diacritics optional) ---------------------------
    open_menu(page, "/units/")
    rows = page.locator("#unit-table tbody tr")
    expect(rows).to_have_count(6)
    page.evaluate("window.__sameDocument = true")
    page.locator("form.filter-form input[name=q]").press_sequentially("lien hiep", delay=30)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Liên hiệp các tổ chức hữu nghị tỉnh")
    expect(page).to_have_url(re.compile(r"q=lien(%20|\+)hiep"))  # hx-push-url keeps the filter in the address
    assert page.evaluate("window.__sameDocument === true"), (
        "the filter reloaded the whole page instead of swapping rows"
    )
    screenshots(page, "03-unit-list-filtered")

    # -- The other pages an officer opens ------------------------------------------------------
    open_menu(page, "/users/")
    expect(page.locator("#user-table")).to_contain_text(FULL_NAME)
    screenshots(page, "09-user-list")
    page.goto(page.locator("#user-table a", has_text=admin.username).get_attribute("href"))
    expect(page.locator("h1")).to_contain_text(FULL_NAME)
    screenshots(page, "10-user-detail")

    page.click("#user-menu")  # background jobs live in the user's menu
    page.locator(".dropdown-menu a[href='/jobs/']").click()
    expect(page.locator("main table")).to_contain_text("sai.xlsx")
    screenshots(page, "11-job-list")

    search = page.locator("nav input[name=q]")
    search.fill("huu nghi viet nam")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=huu"))
    expect(page.locator("main")).to_contain_text(NEW_UNIT)
    expect(page.locator("main")).to_contain_text("Hội hữu nghị Việt Nam – Nhật Bản")
    screenshots(page, "12-search")

    page.click("#user-menu")
    page.locator(".dropdown-menu a[href='/account/password/']").click()
    expect(page.locator("#password-form")).to_be_visible()
    screenshots(page, "13-password-change")

    page.click("#user-menu")
    page.locator(".dropdown-menu a[href='/account/api-tokens/']").click()
    page.fill("#token-description", "Đồng bộ với cổng thông tin")
    page.locator("main form.card button[type=submit]").click()
    expect(page.locator("#new-token")).to_be_visible()
    screenshots(page, "14-api-tokens")

    response = page.goto("/khong-co-trang-nay/")
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    screenshots(page, "15-not-found")

    # The record's page still opens after all this.
    page.goto(unit_url)
    expect(page.locator("h1")).to_contain_text(NEW_UNIT)

    # -- Log out ---------------------------------------------------------------------------------
    page.click("#user-menu")
    page.click("#logout-button")
    expect(page).to_have_url(re.compile(r"/login/$"))
    page.goto("/units/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))

    # The deliberate 404 and invalid form aside (and the browser's own favicon request: there is no favicon yet).
    expected = ("404 " + live_server.url + "/khong-co-trang-nay/", "400 " + live_server.url + "/units/add/")
    problems = [p for p in page.problems if p not in expected and not p.endswith("/favicon.ico")]
    assert problems == [], f"the browser reported problems: {problems}"


def test_wrong_passwords_show_an_error_then_lock_the_account(page, people, screenshots):
    officer = people.officer_a

    log_in(page, officer.username, "wrong-password")
    error = page.locator("#login-form .alert-danger")
    expect(error).to_be_visible()
    expect(page.locator("#locked-out")).to_have_count(0)
    expect(page.locator("#id_username")).to_have_value(officer.username)  # no retyping the name
    screenshots(page, "16-login-error")

    for _attempt in range(3):
        log_in(page, officer.username, "wrong-password")
        expect(error).to_be_visible()

    # The fifth wrong password locks the account, and says so plainly.
    log_in(page, officer.username, "wrong-password")
    locked = page.locator("#locked-out")
    expect(locked).to_be_visible()
    expect(locked).to_contain_text("15")
    screenshots(page, "17-locked-out")

    # Even the right password is refused while the lock lasts.
    log_in(page, officer.username, PASSWORD)
    expect(page.locator("#locked-out")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login/"))

    # Another person in the same office (same address) can still sign in.
    log_in(page, people.officer_b.username, PASSWORD)
    expect(page.locator("#user-menu")).to_be_visible()

    problems = [p for p in page.problems if not p.startswith("429 ") and not p.endswith("/favicon.ico")]
    assert problems == [], f"the browser reported problems: {problems}"


def test_links_in_list_tables_open_the_record(page, people, live_server):
    log_in(page, people.admin.username, PASSWORD)
    expect(page.locator("#user-menu")).to_be_visible()
    for list_url, table, link_text, heading in [
        ("/units/", "#unit-table", people.union.name, people.union.name),
        ("/users/", "#user-table", people.officer_a.username, str(people.officer_a)),
        ("/changelog/", "#changelog-table", people.union.name, people.union.name),
    ]:
        page.goto(list_url)
        page.locator(table).get_by_role("link", name=link_text).first.click()
        expect(page.locator("h1")).to_contain_text(heading, timeout=3000)
