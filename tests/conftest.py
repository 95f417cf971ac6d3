"""Fixtures shared by the foundation tests: the persona province, signing in, API clients.

The province of tests.personas is built once per test module inside an outer transaction (like
Django's ``setUpTestData``); every test runs in its own savepoint inside it and gets fresh Python
objects, so the suite stays fast without tests seeing each other's changes.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from apps.accounts.models import APIToken, Unit, User
from tests.helpers import built_once
from tests.personas import Province, build_province

_UNITS = ("province", "union", "association", "ubnd", "department")
_PEOPLE = ("admin", "coordinator", "leader", "officer_a", "officer_b", "superuser")


@pytest.fixture(scope="module")
def _province_rows(django_db_setup, django_db_blocker):
    def build():
        built = build_province()
        return {name: getattr(built, name).pk for name in _UNITS + _PEOPLE}

    yield from built_once(django_db_blocker, build)


@pytest.fixture
def province(db, _province_rows) -> Province:
    units = Unit.objects.in_bulk([_province_rows[n] for n in _UNITS])
    people = User.objects.in_bulk([_province_rows[n] for n in _PEOPLE])
    return Province(
        **{n: units[_province_rows[n]] for n in _UNITS},
        **{n: people[_province_rows[n]] for n in _PEOPLE},
    )


@pytest.fixture
def login(client, province):
    """``login("officer_a")`` (or ``login(user)``) signs the test client in and returns it."""

    def sign_in(who):
        client.force_login(getattr(province, who) if isinstance(who, str) else who)
        return client

    return sign_in


@pytest.fixture
def signed_in(province):
    """``signed_in("leader")`` → a new client of its own (no cookies or messages left over from
    another persona's requests)."""

    def make(who):
        other = Client()
        other.force_login(getattr(province, who) if isinstance(who, str) else who)
        return other

    return make


@pytest.fixture
def bearer(province):
    """``bearer("admin")`` → a client sending ``Authorization: Bearer <a fresh token>``."""

    def make(who):
        user = getattr(province, who) if isinstance(who, str) else who
        _token, raw = APIToken.generate(user=user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


@pytest.fixture
def english(client):
    client.cookies["huunghi_language"] = "en"
    return client


@pytest.fixture(scope="session")
def _vietnamese_catalogue(tmp_path_factory):
    """locale/vi compiled from the .po as it is now (as ``make test`` would), never a stale .mo."""
    po = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    msgfmt = shutil.which("msgfmt")
    if not po.exists() or msgfmt is None:
        return None
    target = tmp_path_factory.mktemp("locale")
    (target / "vi" / "LC_MESSAGES").mkdir(parents=True)
    done = subprocess.run(
        [msgfmt, "-o", str(target / "vi" / "LC_MESSAGES" / "django.mo"), str(po)], capture_output=True
    )
    return target if done.returncode == 0 else None


@pytest.fixture
def vietnamese(client, settings, _vietnamese_catalogue):
    """The client speaks Vietnamese, with the current catalogue (see tests.helpers.in_vietnamese)."""
    if _vietnamese_catalogue is not None:
        settings.LOCALE_PATHS = [_vietnamese_catalogue]
    client.cookies["huunghi_language"] = "vi"
    return client


@pytest.fixture(params=["vi", "en"])
def language(request, client, settings, _vietnamese_catalogue):
    """Runs a test once in Vietnamese and once in English. ``language.says(msgid, *args)`` is the
    text users should read: the catalogue's translation in Vietnamese (and the test fails when
    there is none), the msgid itself in English."""
    from tests.helpers import in_english, in_vietnamese

    if request.param == "vi" and _vietnamese_catalogue is not None:
        settings.LOCALE_PATHS = [_vietnamese_catalogue]
    client.cookies["huunghi_language"] = request.param
    return type(
        "Language",
        (),
        {
            "code": request.param,
            "says": staticmethod(in_vietnamese if request.param == "vi" else in_english),
        },
    )()


@pytest.fixture
def production_errors(settings):
    """Error pages as users see them in production: no debug page."""
    settings.DEBUG = False
    return settings


@pytest.fixture(autouse=True)
def _no_static_scan(settings):
    # WhiteNoise scans every static file whenever a test client loads the middleware (~0.2 s per
    # test); in autorefresh mode it looks files up only when one is requested.
    settings.WHITENOISE_AUTOREFRESH = True
