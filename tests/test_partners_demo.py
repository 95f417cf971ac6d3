"""The demo carries Vietnam's partnership frameworks and Đồng Tháp's real counterparts; loading it
again adds nothing."""

import io

import pytest
from django.core.management import call_command

from apps.partners.models import Country, NgoRegistration, Partner, PartnershipFramework, Relationship
from tests.helpers import built_once, page_text


def load():
    from django.test.utils import override_settings

    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, load)


@pytest.fixture
def demo(db, _demo):
    return None


COMPREHENSIVE_STRATEGIC = {
    "CN": 2008, "RU": 2012, "IN": 2016, "KR": 2022, "US": 2023, "JP": 2023, "AU": 2024, "FR": 2024, "MY": 2024,
    "NZ": 2025, "ID": 2025, "SG": 2025, "TH": 2025, "GB": 2025,
}  # fmt: skip


def test_the_comprehensive_strategic_partners_are_there_with_their_year_and_a_source(demo):
    rows = PartnershipFramework.objects.filter(level="comprehensive_strategic").select_related("country")
    assert {f.country.code: f.established_on.year for f in rows} == COMPREHENSIVE_STRATEGIC
    assert all(f.source for f in rows)


def test_laos_cambodia_and_cuba_are_special_and_it_is_their_current_framework(demo):
    special = Country.objects.filter(framework_level="special")
    assert set(special.values_list("code", flat=True)) == {"LA", "KH", "CU"}


def test_a_country_shows_its_current_framework_as_the_latest_step(demo):
    usa = Country.objects.get(code="US")
    assert usa.framework_level == "comprehensive_strategic"
    assert usa.framework_since.year == 2023
    assert usa.frameworks.count() == 2  # comprehensive (2013), then comprehensive strategic


def test_dong_thap_is_related_to_its_cambodian_and_lao_counterparts(demo):
    names = set(Relationship.objects.filter(unit__code="UBND-DT").values_list("partner__name_vi", flat=True))
    assert {"Tỉnh Prey Veng", "Tỉnh Banteay Meanchey", "Tỉnh Salavan", "Tỉnh Champasak"} <= names


def test_nasushiobara_carries_the_note_of_the_delegation_hcmc_received(demo, client):
    from apps.accounts.models import User

    partner = Partner.objects.get(name_en="Nasushiobara City")
    client.force_login(User.objects.get(username="dieuphoi"))
    text = page_text(client.get(partner.get_absolute_url()))
    assert "Nasushiobara" in text and "Thanhuytphcm.vn, 12/01/2023" in text


def test_an_ngo_registration_of_the_demo_is_about_to_expire(demo):
    from django.utils import timezone

    soon = [r for r in NgoRegistration.objects.all() if 0 <= r.days_left(timezone.localdate()) <= 90]
    assert soon


def test_loading_the_demo_again_adds_nothing(demo):
    counts = (Partner.objects.count(), Relationship.objects.count(), PartnershipFramework.objects.count())
    load()
    assert (Partner.objects.count(), Relationship.objects.count(), PartnershipFramework.objects.count()) == counts
