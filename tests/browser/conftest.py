"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Run with ``pytest tests/browser`` (or ``-m browser``). When Chromium is not installed the tests
are skipped with the reason; set ``CHROMIUM`` to use another executable.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the ORM
# calls the tests make to build their data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


_blocker = None
#: the data migrations (RunPython) of the project: what a flush takes away beyond what Django's
#: own post_migrate handlers (content types, permissions) put back
DATA_MIGRATIONS = (
    ("apps.partners.migrations.0002_countries", "forward"),
    ("apps.aid.migrations.0002_workflow_steps", "seed"),
)


@pytest.fixture(scope="session", autouse=True)
def _database_blocker(django_db_blocker):
    global _blocker
    _blocker = django_db_blocker


def migration_data_back() -> None:
    from importlib import import_module

    from django.apps import apps

    for module, function in DATA_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)


@pytest.fixture
def migration_data_kept(transactional_db):
    """A live-server test's database (``transactional_db``: committed rows, flushed after the test)
    with the data the migrations wrote (countries, approval steps), as on a migrated database. The
    flush after the test takes it away again: ``pytest_runtest_teardown`` below puts it back, so
    whatever test this worker runs next finds the database as migrated."""
    from apps.partners.models import Country

    if not Country.objects.exists():
        migration_data_back()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield  # every fixture of the test torn down: the flush is done
    # (after the session's last test the test database is gone: nothing to put back)
    if nextitem is not None and "migration_data_kept" in getattr(item, "fixturenames", ()) and _blocker is not None:
        from django.db import connections

        with _blocker.unblock():
            migration_data_back()
            # closed here: left open, it was still open when the worker dropped its test database
            # at the end, and PostgreSQL refused ("being accessed by other users")
            connections.close_all()


@pytest.fixture(scope="session")
def chromium_path():
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.skip(f"Chromium not found at {path} (install Debian's chromium or set CHROMIUM)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the locked requirements include playwright
        pytest.skip("the playwright Python package is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def vietnamese_catalogue(tmp_path_factory):
    """The Vietnamese catalogue compiled from the current locale/vi/LC_MESSAGES/django.po.

    Compiled into a temporary folder (as ``compilemessages`` would: ``msgfmt --check-format``, fuzzy
    entries left out) so the tests see exactly what the .po says, never a stale .mo.
    """
    po = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    if not po.exists():
        return None
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return None  # fall back to whatever compilemessages built in locale/
    target = tmp_path_factory.mktemp("locale")
    out = target / "vi" / "LC_MESSAGES"
    out.mkdir(parents=True)
    subprocess.run([msgfmt, "--check-format", "-o", str(out / "django.mo"), str(po)], check=True, capture_output=True)
    return target


@pytest.fixture(autouse=True)
def _browser_settings(settings, vietnamese_catalogue):
    if vietnamese_catalogue is not None:
        settings.LOCALE_PATHS = [vietnamese_catalogue]


@pytest.fixture
def context(browser, live_server):
    """A fresh browser profile, as on an office machine: the browser itself is set to English
    (Accept-Language: en-US), yet the interface must come up in Vietnamese."""
    ctx = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 1366, "height": 900})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A page that records what went wrong in the browser: console errors, failed requests."""
    page = context.new_page()
    page.problems = []

    def on_console(msg):
        # A missing resource is recorded from its response (with its address), not from this line.
        if msg.type == "error" and "Failed to load resource" not in msg.text:
            page.problems.append("console: " + msg.text)

    def on_response(response):
        if response.status >= 400:
            page.problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda exc: page.problems.append(f"js: {exc}"))
    # ERR_ABORTED is a request the browser cancelled itself (the page navigated on), not a failure.
    page.on(
        "requestfailed",
        lambda req: (
            None if "ERR_ABORTED" in (req.failure or "") else page.problems.append(f"failed: {req.url} {req.failure}")
        ),
    )
    yield page
    page.close()


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return shoot


@pytest.fixture(scope="session")
def pick():
    """``pick(page, "id_partners", "kampong", "Tỉnh Kampong Cham")``: type into a picker field
    (apps/core/pickers.py, enhanced by Tom Select) and choose the match the server offers."""

    def choose(page, field_id, query, option_text=None):
        # The wrapper takes the click: a single choice that already holds a value keeps its text
        # input out of view until the control is opened.
        page.locator("#{} + .ts-wrapper .ts-control".format(field_id)).click()
        page.locator("#{}-ts-control".format(field_id)).fill(query)
        option = page.locator("#{}-ts-dropdown .option".format(field_id), has_text=option_text or query)
        option.first.click()
        page.keyboard.press("Escape")  # close the list of a multiple choice

    return choose
