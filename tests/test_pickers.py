"""Picker fields (apps/core/pickers.py): forms over large registries render only what is chosen and
ask /pick/<key>/ for matches — scoped like every other read, diacritics optional."""

from datetime import date

import pytest
from lxml import html

from apps.activities.models import Activity
from apps.core.changelog import change_logging
from apps.core.models import ObjectChange
from apps.partners import services as partner_services
from apps.partners.models import Country, Partner
from tests.helpers import page_text


def partner(unit, name, code="KH"):
    with change_logging(user=None):
        return partner_services.partner_create(
            by=None, unit=unit, kind="foreign_locality", name=name, country=Country.objects.get(code=code)
        )


@pytest.fixture
def partners(province):
    return {
        "a": partner(province.unit_a, "Tỉnh Prey Veng"),
        "b": partner(province.unit_b, "Tỉnh Champasak", code="LA"),
    }


def activity_form(province, partner, **fields):
    """What the activity form sends for a cultural exchange of unit A with ``partner``."""
    data = {
        "kind": "cultural_exchange",
        "status": "planned",
        "start_date": "02/03/2026",
        "pillar": "people",
        "unit": province.unit_a.pk,
        "partners": [partner.pk],
    }
    data.update(fields)
    return data


def values(response):
    assert response.status_code == 200, response.content
    return {row["text"] for row in response.json()["results"]}


def test_anonymous_is_sent_to_sign_in_and_gets_no_names(client, partners):
    response = client.get("/pick/partners.partner/?q=prey")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "Prey" not in response.content.decode()


@pytest.mark.parametrize(
    "persona, sees_a, sees_b",
    [
        ("officer_a", True, False),  # own unit only
        ("officer_b", False, True),  # the other unit's officer sees only theirs
        ("coordinator", True, True),
        ("leader", True, True),
        ("admin", True, True),
        ("superuser", True, True),
    ],
)
def test_each_persona_picks_among_what_they_may_see(signed_in, partners, persona, sees_a, sees_b):
    found = values(signed_in(persona).get("/pick/partners.partner/?q=tinh"))  # "tinh" finds "Tỉnh"
    assert ("Tỉnh Prey Veng (Campuchia)" in found) is sees_a
    assert ("Tỉnh Champasak (Lào)" in found) is sees_b


def test_the_search_ignores_diacritics_and_needs_every_word(signed_in, partners):
    client = signed_in("coordinator")
    assert values(client.get("/pick/partners.partner/?q=prey+veng")) == {"Tỉnh Prey Veng (Campuchia)"}
    assert values(client.get("/pick/partners.partner/?q=CHAMPASAK")) == {"Tỉnh Champasak (Lào)"}
    assert values(client.get("/pick/partners.partner/?q=prey+champasak")) == set()


def test_at_most_twenty_matches_and_a_flag_for_more(signed_in, province):
    Partner.objects.bulk_create(
        [Partner(unit=province.unit_a, kind="foreign_ngo", name="NGO {:02d}".format(i)) for i in range(25)]
    )
    for p in Partner.objects.filter(name__startswith="NGO "):
        p.save()  # the folded search text
    body = signed_in("coordinator").get("/pick/partners.partner/?q=ngo").json()
    assert len(body["results"]) == 20 and body["more"] is True


def test_units_to_act_for_are_those_one_may_change(signed_in, province):
    leader = signed_in("leader")
    assert values(leader.get("/pick/accounts.unit/?q=")) != set()  # a leader reads every unit
    assert values(leader.get("/pick/accounts.unit:change/?q=")) == set()  # but acts for none
    officer = values(signed_in("officer_a").get("/pick/accounts.unit:change/?q="))
    assert officer == {"{} ({})".format(province.unit_a.name, province.unit_a.code)}


def test_unknown_list_and_overlong_query_are_clear_errors(signed_in):
    client = signed_in("coordinator")
    response = client.get("/pick/nothing.here/?q=x")
    assert response.status_code == 404 and "nothing.here" in response.json()["detail"]
    response = client.get("/pick/partners.partner/?q=" + "x" * 201)
    assert response.status_code == 400 and "200" in response.json()["detail"]


def test_the_form_lists_only_what_is_chosen_and_saves_a_picked_partner(signed_in, province, partners):
    client = signed_in("officer_a")
    page = html.fromstring(client.get("/activities/add/").content)
    (select,) = page.xpath('//select[@name="partners"]')
    assert select.get("data-picker") == "/pick/partners.partner/"
    assert select.xpath(".//option") == []  # nothing listed until the officer types
    response = client.post(
        "/activities/add/",
        activity_form(province, partners["a"], title="Giao lưu văn nghệ với Prey Veng"),
    )
    assert response.status_code == 302, html.fromstring(response.content).text_content()[-3000:]
    activity = Activity.objects.get(title="Giao lưu văn nghệ với Prey Veng")
    assert list(activity.partners.all()) == [partners["a"]]
    assert activity.start_date == date(2026, 3, 2)
    assert ObjectChange.objects.filter(changed_object_id=activity.pk, object_repr=activity.title).exists()
    # editing shows the chosen partner as the only option, selected
    page = html.fromstring(client.get("/activities/{}/edit/".format(activity.pk)).content)
    options = page.xpath('//select[@name="partners"]/option')
    assert [(o.get("value"), o.text, o.get("selected") is not None) for o in options] == [
        (str(partners["a"].pk), "Tỉnh Prey Veng (Campuchia)", True)
    ]


def test_a_partner_of_another_unit_cannot_be_smuggled_in(signed_in, province, partners):
    client = signed_in("officer_a")
    response = client.post(
        "/activities/add/",
        activity_form(province, partners["b"], title="Không được phép"),
    )
    assert response.status_code == 400
    assert not Activity.objects.filter(title="Không được phép").exists()
    assert "Hãy chọn một lựa chọn hợp lệ" in page_text(response)


def test_commitments_are_those_of_agreements_one_may_see(signed_in, province):
    from apps.activities import services as activity_services
    from apps.activities.models import Agreement

    def agreement(unit, title, commitment):
        with change_logging(user=None):
            return activity_services.agreement_save(
                agreement=Agreement(unit=unit, title=title, kind="memorandum", signed_on=date(2024, 3, 15)),
                by=None,
                partners=[],
                commitments=[commitment],
            )

    agreement(province.unit_a, "Biên bản ghi nhớ với Prey Veng", "Trao đổi đoàn thanh niên hằng năm")
    agreement(province.unit_b, "Thỏa thuận của sở", "Hợp tác y tế biên giới")
    found = values(signed_in("officer_a").get("/pick/activities.commitment/?q=trao+doi"))
    assert found == {"Biên bản ghi nhớ với Prey Veng — Trao đổi đoàn thanh niên hằng năm"}
    assert values(signed_in("officer_a").get("/pick/activities.commitment/?q=y+te")) == set()
    assert values(signed_in("coordinator").get("/pick/activities.commitment/?q=y+te")) == {
        "Thỏa thuận của sở — Hợp tác y tế biên giới"
    }


def test_a_form_sent_back_for_another_mistake_keeps_the_partner_chosen(signed_in, province, partners):
    client = signed_in("officer_a")
    response = client.post(
        "/activities/add/",
        activity_form(province, partners["a"], title=""),  # the title is missing: the form comes back
    )
    assert response.status_code == 400
    page = html.fromstring(response.content)
    options = page.xpath('//select[@name="partners"]/option')
    assert [(o.get("value"), o.get("selected") is not None) for o in options] == [(str(partners["a"].pk), True)]
    (unit,) = page.xpath('//select[@name="unit"]/option[@selected]')
    assert unit.get("value") == str(province.unit_a.pk)


def test_a_nul_character_in_the_query_is_dropped_not_an_error(signed_in, partners):
    # PostgreSQL refuses NUL in a text parameter: the picker and the search box drop it.
    client = signed_in("coordinator")
    assert values(client.get("/pick/partners.partner/?q=prey%00")) == {"Tỉnh Prey Veng (Campuchia)"}
    assert client.get("/search/?q=prey%00").status_code == 200
