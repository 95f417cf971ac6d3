"""The permission matrix every registry's tests reuse (NetBox's ``ViewTestCases``, pytest style).

A model's test module subclasses ``PermissionMatrix``, names the model, its API list and how to
make one record owned by a unit; the matrix then checks, for every persona of ``tests.personas``
(anonymous, officer of the same unit, officer of another unit, coordinator, leader,
administrator, superuser), the list page, detail, edit, delete and add pages and the API list and
detail. Adding a model costs about fifteen lines::

    from apps.partners.models import Partner
    from tests.matrix import PermissionMatrix


    class TestPartnerPermissions(PermissionMatrix):
        model = Partner
        api_list = "/api/partners/"

        def make(self, province, unit):
            return Partner.objects.create(unit=unit, name="Đối tác thử nghiệm")

It needs only the ``province`` and ``client`` fixtures, so the class may live in ``tests/`` or in
``apps/<app>/tests/``. URLs come from the URL names ``<app>:<model>_list|add|edit|delete`` and
``get_absolute_url()``; override ``url_list``, ``url_detail(obj)`` … when a model differs, and set
``list_query`` when the record would not be on the first page of the list.

The defaults follow docs/architecture.md: an officer sees and changes the records of their own
unit, never another unit's; coordinators and administrators see and change everything under their
unit; a leader reads everything and changes nothing. Say otherwise with ``officers_may_change``,
``change_requires_manage`` (units and people: administrators only) or per-persona ``expected``.
"""

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.helpers import PERSONAS, links_to


@dataclass(frozen=True)
class Access:
    """What one persona gets for one record."""

    listed: bool  # the record appears in the list page and the API list
    detail: int  # status of the detail page and API detail
    edit: int  # status of the edit and delete pages


HIDDEN = Access(listed=False, detail=404, edit=404)
READ_ONLY = Access(listed=True, detail=200, edit=403)
FULL = Access(listed=True, detail=200, edit=200)


def for_personas(which):
    """Run a matrix test only for the personas ``which(matrix, persona)`` selects."""

    def mark(test):
        test.personas = which
        return test

    return mark


class PermissionMatrix:
    #: the model under test
    model = None
    #: "/api/<plural>/"; None when the model has no API yet
    api_list: str | None = None
    #: query string appended to the list page and API list (e.g. "?q=…" to find the record)
    list_query = ""
    #: officers may change their own unit's records of this model
    officers_may_change = True
    #: changing takes the administrator role (units, users)
    change_requires_manage = False
    #: persona name → Access, overriding the defaults above
    expected: dict[str, Access] = {}
    #: personas who may open the add page; None = derived from the rules above
    may_add: tuple[str, ...] | None = None

    # -- what a model's test module provides ------------------------------------------------

    def make(self, province, unit):
        """One record owned by ``unit`` (created directly, outside any request)."""
        raise NotImplementedError

    # -- URLs, derived from the model's URL names (app:model_action) -------------------------

    def _name(self, action):
        meta = self.model._meta
        return f"{meta.app_label}:{meta.model_name}_{action}"

    @property
    def url_list(self):
        return reverse(self._name("list"))

    @property
    def url_add(self):
        return reverse(self._name("add"))

    def url_detail(self, obj):
        return obj.get_absolute_url()

    def url_edit(self, obj):
        return reverse(self._name("edit"), args=[obj.pk])

    def url_delete(self, obj):
        return reverse(self._name("delete"), args=[obj.pk])

    def api_detail(self, obj):
        return f"{self.api_list}{obj.pk}/"

    # -- expectations -----------------------------------------------------------------------

    def access(self, persona: str) -> Access:
        if persona in self.expected:
            return self.expected[persona]
        if persona == "officer_b":
            return HIDDEN
        if persona == "leader":
            return READ_ONLY
        if persona in ("admin", "superuser"):
            return FULL
        if self.change_requires_manage:
            return READ_ONLY
        if persona == "officer_a" and not self.officers_may_change:
            return READ_ONLY
        return FULL

    def add_allowed(self, persona: str) -> bool:
        if self.may_add is not None:
            return persona in self.may_add
        if self.change_requires_manage:
            return persona in ("admin", "superuser")
        if persona.startswith("officer"):
            return self.officers_may_change
        return persona != "leader"

    # -- fixtures ---------------------------------------------------------------------------

    def pytest_generate_tests(self, metafunc):
        # Each test taking ``persona`` runs once per persona it is about (see ``for_personas``).
        if "persona" in metafunc.fixturenames:
            which = getattr(metafunc.function, "personas", None)
            personas = [p for p in PERSONAS if which is None or which(self, p)]
            metafunc.parametrize("persona", personas)

    @pytest.fixture
    def record(self, province):
        return self.make(province, province.unit_a)

    @pytest.fixture
    def as_persona(self, client, province):
        def sign_in(persona):
            client.force_login(getattr(province, persona))
            return client

        return sign_in

    def _fresh(self, obj):
        return type(obj)._base_manager.filter(pk=obj.pk).first()

    # -- anonymous --------------------------------------------------------------------------

    def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_page(self, client, record):
        for url in (
            self.url_list,
            self.url_add,
            self.url_detail(record),
            self.url_edit(record),
            self.url_delete(record),
        ):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"] == f"/login/?next={quote(url)}", url

    def test_the_api_refuses_an_anonymous_caller_with_401(self, client, record):
        if self.api_list is None:
            pytest.skip("this model has no API")
        for url in (self.api_list, self.api_detail(record)):
            response = client.get(url)
            assert response.status_code == 401, url
            body = response.json()
            assert body["detail"] and body["errors"] == []

    # -- pages ------------------------------------------------------------------------------

    def test_the_list_shows_the_record_only_to_those_who_may_see_it(self, as_persona, record, persona):
        response = as_persona(persona).get(self.url_list + self.list_query)
        assert response.status_code == 200
        assert links_to(response, self.url_detail(record)) is self.access(persona).listed

    def test_the_detail_page_opens_only_for_those_who_may_see_it(self, as_persona, record, persona):
        response = as_persona(persona).get(self.url_detail(record))
        assert response.status_code == self.access(persona).detail

    def test_the_edit_page_opens_only_for_those_who_may_change_it(self, as_persona, record, persona):
        response = as_persona(persona).get(self.url_edit(record))
        assert response.status_code == self.access(persona).edit

    def test_the_delete_page_opens_only_for_those_who_may_change_it(self, as_persona, record, persona):
        response = as_persona(persona).get(self.url_delete(record))
        assert response.status_code == self.access(persona).edit

    @for_personas(lambda matrix, persona: matrix.access(persona).detail == 200)
    def test_the_edit_and_delete_buttons_show_only_for_those_who_may_change_it(self, as_persona, record, persona):
        access = self.access(persona)
        response = as_persona(persona).get(self.url_detail(record))
        assert links_to(response, self.url_edit(record)) is (access.edit == 200)
        assert links_to(response, self.url_delete(record)) is (access.edit == 200)

    @for_personas(lambda matrix, persona: matrix.access(persona).edit != 200)
    def test_someone_who_may_not_change_the_record_cannot_post_to_it(self, as_persona, record, persona):
        access = self.access(persona)
        client = as_persona(persona)
        version = getattr(record, "version", None)
        data = {} if version is None else {"_version": version}
        assert client.post(self.url_edit(record), data).status_code == access.edit
        assert client.post(self.url_delete(record)).status_code == access.edit
        fresh = self._fresh(record)
        assert fresh is not None
        assert getattr(fresh, "version", None) == version
        if hasattr(fresh, "is_active") and isinstance(fresh.is_active, bool):
            assert fresh.is_active

    def test_the_add_page_opens_only_for_those_who_may_add(self, as_persona, province, persona):
        response = as_persona(persona).get(self.url_add)
        assert response.status_code == (200 if self.add_allowed(persona) else 403)

    # -- API --------------------------------------------------------------------------------

    def test_the_api_list_is_scoped_like_the_page(self, as_persona, record, persona):
        if self.api_list is None:
            pytest.skip("this model has no API")
        response = as_persona(persona).get(self.api_list + self.list_query)
        assert response.status_code == 200
        ids = {item["id"] for item in response.json()["items"]}
        assert (record.pk in ids) is self.access(persona).listed

    def test_the_api_detail_is_scoped_like_the_page(self, as_persona, record, persona):
        if self.api_list is None:
            pytest.skip("this model has no API")
        response = as_persona(persona).get(self.api_detail(record))
        assert response.status_code == self.access(persona).detail
        if response.status_code == 200:
            assert response.json()["id"] == record.pk
        else:
            assert set(response.json()) == {"detail", "errors"}
