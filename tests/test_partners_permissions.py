"""Who sees and changes partners, their contacts, relationships and NGO registrations, and
countries: the permission matrix for each, plus the rules peculiar to partners."""

from datetime import date

import pytest

from apps.core.changelog import change_logging
from apps.partners import services
from apps.partners.models import Contact, Country, NgoRegistration, Partner, Relationship
from tests.matrix import READ_ONLY, PermissionMatrix


def new_partner(unit, name="Tỉnh Thử Nghiệm Xa", kind="foreign_locality", **fields):
    with change_logging(user=None):
        return services.partner_create(by=None, unit=unit, kind=kind, name=name, **fields)


class TestPartnerPermissions(PermissionMatrix):
    """A partner kept by unit A: its officers change it, unit B's officers never see it."""

    model = Partner
    api_list = "/api/partners/"
    list_query = "?q=thu+nghiem+xa"

    def make(self, province, unit):
        return new_partner(unit)


class TestPartnerSharedWithAnotherUnit(PermissionMatrix):
    """Shared with unit B: B's officers read it (list, page, API) but do not change it."""

    model = Partner
    api_list = "/api/partners/"
    list_query = "?q=thu+nghiem+xa"
    expected = {"officer_b": READ_ONLY}

    def make(self, province, unit):
        return new_partner(unit, shared_units=[province.unit_b])


class ChildMatrix(PermissionMatrix):
    """Rows that belong to a partner: added from the partner's page (``…/partners/<id>/…/add/``)."""

    add_name = ""

    @pytest.fixture
    def record(self, province):
        return self.make(province, province.unit_a)

    def test_the_add_page_opens_only_for_those_who_may_add(self, as_persona, province, persona):
        partner = new_partner(province.unit_a, name="Đối tác để thêm")
        from django.urls import reverse

        response = as_persona(persona).get(reverse(self.add_name, args=[partner.pk]))
        if persona == "officer_b":  # unit A's partner is hidden from unit B
            assert response.status_code == 404
        else:
            assert response.status_code == (200 if self.add_allowed(persona) else 403)

    def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_page(self, client, record):
        for url in (self.url_list, self.url_detail(record), self.url_edit(record), self.url_delete(record)):
            response = client.get(url)
            assert response.status_code == 302, url


class TestContactPermissions(ChildMatrix):
    model = Contact
    api_list = "/api/contacts/"
    add_name = "partners:contact_add"

    def make(self, province, unit):
        partner = new_partner(unit)
        with change_logging(user=None):
            return services.contact_save(contact=Contact(partner=partner, name="Bà Somaly"), by=None)


class TestRegistrationPermissions(ChildMatrix):
    model = NgoRegistration
    api_list = "/api/ngo-registrations/"
    add_name = "partners:ngoregistration_add"

    def make(self, province, unit):
        partner = new_partner(unit, kind="foreign_ngo", name="Tổ chức Thử Nghiệm")
        with change_logging(user=None):
            return services.registration_save(
                registration=NgoRegistration(
                    partner=partner,
                    kind="activity",
                    number="01/ĐK",
                    issued_on=date(2025, 1, 1),
                    expires_on=date(2027, 12, 31),
                ),
                by=None,
            )

    def test_the_add_page_opens_only_for_those_who_may_add(self, as_persona, province, persona):
        pass  # the same rule as contacts; the registration add page is exercised in test_partners_services


class TestRelationshipPermissions(ChildMatrix):
    """Our unit A's relationship with A's partner: A's officers change it, B's never see it."""

    model = Relationship
    api_list = "/api/relationships/"
    add_name = "partners:relationship_add"

    def make(self, province, unit):
        partner = new_partner(unit)
        with change_logging(user=None):
            return services.relationship_save(
                relationship=Relationship(partner=partner, unit=unit, kind="twinning"), by=None
            )

    def add_allowed(self, persona):
        return persona != "leader"


class TestCountryPermissions(PermissionMatrix):
    """Countries are reference data: everyone signed in reads them, administrators keep them."""

    model = Country
    api_list = "/api/countries/"
    list_query = "?q=xu+thu+nghiem"
    change_requires_manage = True
    expected = {"officer_b": READ_ONLY}

    def make(self, province, unit):
        with change_logging(user=None):
            return Country.objects.create(code="XZ", alpha3="XZZ", name_vi="Xứ Thử Nghiệm", name_en="Testland")


def test_officer_b_may_relate_their_own_unit_to_a_partner_they_see(signed_in, province):
    """Relationships belong to our unit: unit B relates itself to a partner shared with it."""
    partner = new_partner(province.unit_a, shared_units=[province.unit_b])
    client = signed_in("officer_b")
    response = client.post(
        "/partners/{}/relationships/add/".format(partner.pk),
        {"unit": province.unit_b.pk, "kind": "cooperation", "since": "01/02/2024", "status": "active"},
    )
    assert response.status_code == 302
    relationship = Relationship.objects.get(partner=partner)
    assert relationship.unit == province.unit_b and relationship.since == date(2024, 2, 1)


def test_an_officer_may_not_relate_another_unit(signed_in, province):
    partner = new_partner(province.unit_a)
    client = signed_in("officer_a")
    response = client.post(
        "/partners/{}/relationships/add/".format(partner.pk),
        {"unit": province.unit_b.pk, "kind": "cooperation", "status": "active"},
    )
    assert response.status_code == 400
    assert not Relationship.objects.filter(partner=partner).exists()


def test_an_officer_may_not_move_a_partner_to_another_unit_over_the_api(bearer, province):
    partner = new_partner(province.unit_a)
    response = bearer("officer_a").patch(
        "/api/partners/{}/".format(partner.pk),
        {"version": partner.version, "unit_id": province.unit_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "unit_id" in str(response.json()["errors"])
    partner.refresh_from_db()
    assert partner.unit == province.unit_a


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("superuser", 200), ("coordinator", 403), ("officer_a", 403), ("leader", 403)],
)
def test_only_administrators_open_the_framework_pages(signed_in, province, persona, status):
    from apps.partners.models import PartnershipFramework

    finland = Country.objects.get(code="FI")
    with change_logging(user=None):
        step = services.framework_save(
            framework=PartnershipFramework(
                country=finland, level="comprehensive", established_on=date(2020, 1, 1), source="Nguồn thử"
            ),
            by=None,
        )
    client = signed_in(persona)
    for url in (
        "/countries/{}/frameworks/add/".format(finland.pk),
        "/frameworks/{}/edit/".format(step.pk),
        "/frameworks/{}/delete/".format(step.pk),
    ):
        assert client.get(url).status_code == status, url
    response = client.post(
        "/countries/{}/frameworks/add/".format(finland.pk),
        {"level": "strategic", "established_on": "01/06/2025", "precision": "day", "source": "Tuyên bố chung"},
    )
    assert response.status_code == (302 if status == 200 else 403)
    finland.refresh_from_db()
    assert finland.framework_level == ("strategic" if status == 200 else "comprehensive")
