"""Who sees and changes agreements, activities and delegation members: the permission matrix for
each, plus sharing with the other parties and participating units."""

from datetime import date

import pytest

from apps.activities import services
from apps.activities.models import Activity, Agreement, DelegationMember
from apps.core.changelog import change_logging
from tests.matrix import READ_ONLY, PermissionMatrix


def new_agreement(unit, title="Biên bản ghi nhớ thử nghiệm", **fields):
    other_units = fields.pop("other_units", None)
    with change_logging(user=None):
        return services.agreement_save(
            agreement=Agreement(unit=unit, kind="memorandum", title=title, signed_on=date(2024, 3, 1), **fields),
            by=None,
            other_units=other_units,
        )


def new_activity(unit, title="Giao lưu thử nghiệm", kind="cultural_exchange", **fields):
    participating = fields.pop("participating_units", None)
    with change_logging(user=None):
        return services.activity_save(
            activity=Activity(
                unit=unit, kind=kind, title=title, start_date=fields.pop("start_date", date(2025, 5, 1)), **fields
            ),
            by=None,
            participating_units=participating,
        )


class TestAgreementPermissions(PermissionMatrix):
    model = Agreement
    api_list = "/api/agreements/"
    list_query = "?q=ghi+nho+thu+nghiem"

    def make(self, province, unit):
        return new_agreement(unit)


class TestAgreementSharedWithAnotherParty(PermissionMatrix):
    """Unit B is a party: its officers read the agreement but do not change it."""

    model = Agreement
    api_list = "/api/agreements/"
    list_query = "?q=ghi+nho+thu+nghiem"
    expected = {"officer_b": READ_ONLY}

    def make(self, province, unit):
        return new_agreement(unit, other_units=[province.unit_b])


class TestActivityPermissions(PermissionMatrix):
    model = Activity
    api_list = "/api/activities/"
    list_query = "?q=giao+luu+thu+nghiem"

    def make(self, province, unit):
        return new_activity(unit)


class TestActivityWithAParticipatingUnit(PermissionMatrix):
    model = Activity
    api_list = "/api/activities/"
    list_query = "?q=giao+luu+thu+nghiem"
    expected = {"officer_b": READ_ONLY}

    def make(self, province, unit):
        return new_activity(unit, participating_units=[province.unit_b])


@pytest.fixture
def delegation(province):
    activity = new_activity(province.unit_a, title="Đoàn vào thử nghiệm", kind="incoming_delegation")
    with change_logging(user=None):
        member = services.member_save(
            member=DelegationMember(activity=activity, name="Ông Sok", position="Phó Tỉnh trưởng"), by=None
        )
    return activity, member


@pytest.mark.parametrize(
    "persona, detail, edit",
    [
        ("officer_a", 200, 200),
        ("officer_b", 404, 404),
        ("coordinator", 200, 200),
        ("leader", 200, 403),
        ("admin", 200, 200),
        ("superuser", 200, 200),
    ],
)
def test_delegation_members_are_scoped_like_their_delegation(signed_in, delegation, persona, detail, edit):
    activity, member = delegation
    client = signed_in(persona)
    page = client.get(activity.get_absolute_url())
    assert page.status_code == detail
    if detail == 200:
        assert ("Ông Sok" in page.content.decode()) is True
        assert ('href="/delegation-members/{}/edit/"'.format(member.pk) in page.content.decode()) is (edit == 200)
    for url in (
        "/activities/{}/members/add/".format(activity.pk),
        "/delegation-members/{}/edit/".format(member.pk),
        "/delegation-members/{}/delete/".format(member.pk),
    ):
        assert client.get(url).status_code == edit, url
    response = client.patch(
        "/api/delegation-members/{}/".format(member.pk),
        {"version": member.version, "name": "Bà Sok"},
        content_type="application/json",
    )
    assert response.status_code == {200: 200, 403: 403, 404: 404}[edit]
    assert DelegationMember.objects.get(pk=member.pk).name == ("Bà Sok" if edit == 200 else "Ông Sok")


def test_an_anonymous_visitor_cannot_reach_members(client, delegation):
    activity, member = delegation
    assert client.get("/activities/{}/members/add/".format(activity.pk)).status_code == 302
    assert (
        client.post("/api/activities/{}/members/".format(activity.pk), {}, content_type="application/json").status_code
        == 401
    )
