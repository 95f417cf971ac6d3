"""Signing in and out, the lockout after five wrong passwords, passwords, languages, error pages.

The ``[vi]`` variants and the language-switch tests need the Vietnamese catalogue (locale/vi).
"""

import re
from urllib.parse import quote

import pytest
from django.contrib.auth.forms import AuthenticationForm
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from apps.accounts.models import User
from tests.helpers import in_vietnamese, page_text
from tests.personas import PASSWORD


def sign_in(client, username, password, **extra):
    return client.post("/login/", {"username": username, "password": password, **extra})


def menu(response) -> str:
    body = page_text(response)
    start = body.index("<nav")
    return body[start : body.index("</nav>", start)]


# -- signing in and out ------------------------------------------------------------------------


def test_an_officer_signs_in_with_the_login_form(client, province):
    response = sign_in(client, "officer.a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert province.officer_a.get_full_name() in page_text(home)


def test_signing_in_returns_to_the_page_asked_for(client, province):
    response = sign_in(client, "officer.a", PASSWORD, next="/units/")
    assert response["Location"] == "/units/"


def test_signing_in_never_redirects_to_another_site(client, province):
    response = sign_in(client, "officer.a", PASSWORD, next="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_is_refused_with_a_message(client, province, language):
    response = sign_in(client, "officer.a", "not-the-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'id="login-form"' in response.content.decode()
    with translation.override(language.code):
        expected = AuthenticationForm.error_messages["invalid_login"] % {
            "username": User._meta.get_field("username").verbose_name
        }
    assert expected in page_text(response)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, province, language):
    for _attempt in range(5):
        sign_in(client, "officer.a", "wrong-password")
    response = sign_in(client, "officer.a", PASSWORD)
    assert response.status_code == 429
    assert language.says("Account temporarily locked") in page_text(response)
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_the_lockout_is_per_account_not_per_office(client, province):
    for _attempt in range(5):
        sign_in(client, "officer.a", "wrong-password")
    colleague = Client()  # same address, another person
    assert sign_in(colleague, "officer.b", PASSWORD).status_code == 302


def test_four_wrong_passwords_then_the_right_one_still_signs_in(client, province):
    for _attempt in range(4):
        sign_in(client, "officer.a", "wrong-password")
    assert sign_in(client, "officer.a", PASSWORD).status_code == 302


def test_signing_out_ends_the_session(login, province):
    client = login("officer_a")
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert client.get("/units/").status_code == 302


def test_an_officer_changes_their_password_and_signs_in_with_the_new_one(login, province):
    client = login("officer_a")
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-cua-toi-2025",
            "new_password2": "Mat-khau-moi-cua-toi-2025",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # still signed in after the change
    client.post("/logout/")
    assert sign_in(client, "officer.a", PASSWORD).status_code == 200  # the old one no longer works
    assert sign_in(client, "officer.a", "Mat-khau-moi-cua-toi-2025").status_code == 302


def test_a_wrong_old_password_changes_nothing(login, province):
    client = login("officer_a")
    response = client.post(
        "/account/password/",
        {
            "old_password": "khong-dung",
            "new_password1": "Mat-khau-moi-cua-toi-2025",
            "new_password2": "Mat-khau-moi-cua-toi-2025",
        },
    )
    assert response.status_code == 400
    province.officer_a.refresh_from_db()
    assert province.officer_a.check_password(PASSWORD)


# -- language ----------------------------------------------------------------------------------


def test_the_interface_speaks_vietnamese_by_default(vietnamese, login, province):
    assert "Đơn vị" in menu(login("officer_a").get("/units/"))


def test_a_browser_set_to_english_still_gets_vietnamese_until_the_user_chooses(vietnamese, login, province):
    client = login("officer_a")
    del client.cookies["huunghi_language"]
    assert "Đơn vị" in menu(client.get("/units/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))


def test_switching_to_english_changes_the_menu(vietnamese, login, province):
    client = login("officer_a")
    assert "Đơn vị" in menu(client.get("/units/"))
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/units/"})
    assert response.status_code == 302
    assert response["Location"] == "/units/"
    english = menu(client.get("/units/"))
    assert "Units" in english
    assert "Đơn vị" not in english
    client.post("/i18n/setlang/", {"language": "vi", "next": "/units/"})
    assert "Đơn vị" in menu(client.get("/units/"))


def test_the_login_page_can_be_switched_to_english_before_signing_in(vietnamese, province):
    client = vietnamese
    assert in_vietnamese("Sign in to HữuNghị") in page_text(client.get("/login/"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Sign in to HữuNghị" in page_text(client.get("/login/"))


# -- every page asks for a login ---------------------------------------------------------------

# feeds/: calendar subscriptions (ICS) carry a secret key in their address instead of a session.
PUBLIC = ("login/", "logout/", "i18n/", "healthz", "api/", "admin/", "_errors/", "static/", "feeds/")


def every_page(patterns=None, prefix=""):
    """Every route of the project's own apps, with 1 for each id."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(PUBLIC) or route.startswith("^"):
            continue
        if isinstance(entry, URLResolver):
            yield from every_page(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route)


def test_the_walk_finds_the_pages_of_the_foundation():
    pages = set(every_page())
    assert {"/", "/units/", "/units/1/edit/", "/users/", "/changelog/", "/search/", "/jobs/1/", "/files/1/"} <= pages


@pytest.mark.parametrize("url", sorted(set(every_page())))
def test_an_anonymous_visitor_is_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302, url
    assert response["Location"] == f"/login/?next={quote(url)}"


@pytest.mark.parametrize("url", ["/notes/1/1/add/", "/files/1/1/add/", "/units/1/delete/", "/units/import/"])
def test_an_anonymous_post_is_sent_to_sign_in_and_changes_nothing(client, db, url):
    response = client.post(url, {"comments": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


# -- error pages -------------------------------------------------------------------------------


def test_a_missing_record_shows_our_404_page(production_errors, login, province, language):
    response = login("officer_a").get("/units/987654/")
    assert response.status_code == 404
    text = page_text(response)
    assert language.says("Page not found (404)") in text
    assert "URLconf" not in text and "Traceback" not in text


def test_an_unknown_address_shows_our_404_page(production_errors, login, province, language):
    response = login("officer_a").get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert language.says("Page not found (404)") in page_text(response)


def test_a_record_of_another_unit_is_a_404_not_a_403(production_errors, login, province):
    response = login("officer_b").get(f"/units/{province.union.pk}/")
    assert response.status_code == 404


def test_a_forbidden_action_shows_our_403_page_with_the_reason(production_errors, login, province, language):
    response = login("officer_a").get(f"/units/{province.union.pk}/edit/")
    assert response.status_code == 403
    text = page_text(response)
    assert language.says("You may not do this (403)") in text
    assert language.says("You may see this record but not change it.") in text


def test_an_expired_form_shows_our_csrf_page(production_errors, province, language):
    client = Client(enforce_csrf_checks=True)
    client.cookies["huunghi_language"] = language.code
    response = sign_in(client, "officer.a", PASSWORD)
    assert response.status_code == 403
    assert language.says("The form has expired (403)") in page_text(response)
