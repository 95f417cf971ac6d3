"""Member organisations and awards: who sees and changes them, the organisation's page with its
members over the years, congresses and leaders, and the awards by year and recipient."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.changelog import change_logging
from apps.core.models import ObjectChange
from apps.members import services
from apps.members.models import Award, Congress, MemberOrganisation, MembershipCount
from tests.helpers import page_text
from tests.matrix import PermissionMatrix


def organisation_of(unit):
    with change_logging(user=None):
        return services.organisation_save(by=None, unit=unit, kind="bilateral", description="Hội thử nghiệm")


def award_for(unit, **fields):
    with change_logging(user=None):
        return services.award_save(
            by=None,
            unit=unit,
            kind=fields.pop("kind", "merit"),
            level="provincial",
            name=fields.pop("name", "Bằng khen của Chủ tịch UBND tỉnh"),
            issuer="Chủ tịch UBND tỉnh",
            year=fields.pop("year", 2025),
            **fields,
        )


class TestMemberOrganisationPermissions(PermissionMatrix):
    model = MemberOrganisation
    api_list = "/api/member-organisations/"
    # The add page offers the associations the person may change; an officer of the Union may add
    # its own associations' records only if one is free (none in this province), but the page opens.

    def make(self, province, unit):
        return organisation_of(unit)


class TestAwardPermissions(PermissionMatrix):
    model = Award
    api_list = "/api/awards/"

    def make(self, province, unit):
        return award_for(unit)


def test_counts_congresses_and_leaders_are_recorded_on_the_page(signed_in, province):
    organisation = organisation_of(province.association)
    coordinator = signed_in("coordinator")
    url = "/member-organisations/{}/".format(organisation.pk)
    assert coordinator.post(url + "count/add/", {"year": 2024, "members": 512}).status_code == 302
    assert coordinator.post(url + "count/add/", {"year": 2025, "members": 538}).status_code == 302
    # The same year again corrects the figure rather than adding a second one.
    assert coordinator.post(url + "count/add/", {"year": 2025, "members": 540}).status_code == 302
    assert list(organisation.member_counts.order_by("year").values_list("year", "members")) == [
        (2024, 512),
        (2025, 540),
    ]
    response = coordinator.post(
        url + "congress/add/",
        {"number": 4, "held_on": "24/09/2021", "term_start": 2021, "term_end": 2026, "outcome": "Bầu Ban Chấp hành"},
    )
    assert response.status_code == 302
    assert str(Congress.objects.get()) == "Đại hội lần thứ IV, nhiệm kỳ 2021 – 2026"
    bad = coordinator.post(
        url + "congress/add/", {"number": 5, "held_on": "01/01/2026", "term_start": 2026, "term_end": 2021}
    )
    assert bad.status_code == 400 and Congress.objects.count() == 1
    assert (
        coordinator.post(
            url + "leader/add/", {"name": "Nguyễn Văn Hòa", "position": "Chủ tịch", "term_start": 2021}
        ).status_code
        == 302
    )
    page = page_text(coordinator.get(url))
    assert "540" in page and "Đại hội lần thứ IV" in page and "Nguyễn Văn Hòa" in page
    assert ObjectChange.objects.filter(changed_object_type__model="membershipcount").count() >= 3


def test_an_officer_of_another_unit_cannot_add_to_an_organisation(signed_in, province):
    organisation = organisation_of(province.association)
    response = signed_in("officer_b").post(
        "/member-organisations/{}/count/add/".format(organisation.pk), {"year": 2025, "members": 1}
    )
    assert response.status_code == 404
    assert not MembershipCount.objects.exists()
    with pytest.raises(PermissionDenied):
        services.membership_record(by=province.leader, organisation=organisation, year=2025, members=1)


def test_a_unit_is_a_member_organisation_once(province):
    organisation_of(province.association)
    with pytest.raises(ValidationError):
        organisation_of(province.association)


def test_awards_are_listed_by_year_and_recipient(signed_in, province):
    award_for(
        province.union, year=2024, name="Cờ thi đua của Liên hiệp các tổ chức hữu nghị Việt Nam", kind="emulation_flag"
    )
    award_for(
        province.association, year=2025, person="Nguyễn Văn Hòa", person_position="Chủ tịch Hội", kind="commendation"
    )
    client = signed_in("coordinator")
    page = page_text(client.get("/awards/?year=2025"))
    assert "Nguyễn Văn Hòa" in page and "Cờ thi đua của Liên hiệp" not in page
    page = page_text(client.get("/awards/?recipient=unit"))
    assert "Cờ thi đua của Liên hiệp" in page and "Nguyễn Văn Hòa" not in page
    page = page_text(client.get("/awards/?unit={}".format(province.union.code)))
    assert "Cờ thi đua của Liên hiệp" in page and "Nguyễn Văn Hòa" in page  # the association is under the Union
    assert page_text(client.get("/awards/?q=nguyen van hoa")).count("Nguyễn Văn Hòa") >= 1


def test_the_api_records_an_award_and_refuses_bad_input_with_the_field_named(signed_in, province):
    client = signed_in("coordinator")
    payload = {"kind": "merit", "name": "Bằng khen", "issuer": "UBND tỉnh", "year": 2025, "unit_id": province.union.pk}
    response = client.post("/api/awards/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    award = Award.objects.get()
    bad = client.post("/api/awards/", {**payload, "kind": "huy-chuong-vang"}, content_type="application/json")
    assert bad.status_code in (400, 422) and "kind" in bad.content.decode()
    assert Award.objects.count() == 1
    stale = client.patch(
        "/api/awards/{}/".format(award.pk),
        {"version": award.version + 5, "year": 2024},
        content_type="application/json",
    )
    assert stale.status_code == 409
    ok = client.patch(
        "/api/awards/{}/".format(award.pk), {"version": award.version, "year": 2024}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["year"] == 2024
    assert (
        signed_in("officer_b")
        .patch(
            "/api/awards/{}/".format(award.pk),
            {"version": award.version, "year": 2023},
            content_type="application/json",
        )
        .status_code
        == 404
    )


def test_the_demo_has_member_organisations_and_awards(db):
    from django.core.management import call_command

    call_command("load_demo", force=True, verbosity=0)
    organisation = MemberOrganisation.objects.get(unit__code="HLH-CAM")
    assert organisation.member_counts.exists() and organisation.congresses.exists()
    assert Award.objects.filter(unit__code="LHHN-DT").count() >= 2
