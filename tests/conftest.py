"""Fixtures shared by the foundation tests: signing in as a persona, API clients, languages."""

import pytest
from django.test import Client

from apps.accounts.models import APIToken


@pytest.fixture
def login(client, province):
    """``login("officer_a")`` (or a User) signs the test client in and returns it."""

    def sign_in(who):
        user = getattr(province, who) if isinstance(who, str) else who
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def bearer(province):
    """``bearer("admin")`` → a client that sends ``Authorization: Bearer <fresh token>``."""

    def make(who):
        user = getattr(province, who) if isinstance(who, str) else who
        _token, raw = APIToken.generate(user=user)
        return Client(HTTP_AUTHORIZATION="Bearer {}".format(raw))

    return make


@pytest.fixture
def in_english(client):
    client.cookies["huunghi_language"] = "en"
    return client


@pytest.fixture
def in_vietnamese(client):
    client.cookies["huunghi_language"] = "vi"
    return client


@pytest.fixture
def production_errors(settings):
    """Error pages as users see them in production (no debug page)."""
    settings.DEBUG = False
    return settings
