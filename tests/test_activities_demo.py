"""The demo carries Đồng Tháp's agreements and activities with Prey Veng, Banteay Meanchey,
Salavan and Champasak, and the Nasushiobara reception; loading it again adds nothing, and the
lists of expiring and idle agreements have something to show."""

import io

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.activities.models import Activity, Agreement, DelegationMember
from apps.partners.models import Partner
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


def test_the_demo_has_agreements_and_activities_with_the_real_counterparts(demo):
    for name in ("Prey Veng", "Banteay Meanchey", "Salavan", "Champasak"):
        assert Agreement.objects.filter(title__contains=name).exists(), name
        assert Activity.objects.filter(partners__name_en__contains=name).exists(), name
    nasushiobara = Activity.objects.get(title__contains="Nasushiobara")
    assert nasushiobara.kind == "reception" and "Thanhuytphcm.vn" in nasushiobara.description
    assert DelegationMember.objects.exists()
    travelled = Activity.objects.filter(kind="outgoing_delegation", status="done")
    assert travelled.exists() and all(a.approval_document_id for a in travelled)


def test_loading_the_demo_again_adds_nothing(demo):
    counts = (Agreement.objects.count(), Activity.objects.count(), DelegationMember.objects.count())
    load()
    assert (Agreement.objects.count(), Activity.objects.count(), DelegationMember.objects.count()) == counts


def test_the_demo_lists_show_an_expiring_and_an_idle_agreement(demo, client):
    client.force_login(User.objects.get(username="dieuphoi"))
    assert "Banteay Meanchey" in page_text(client.get("/agreements/?expiring_within=90"))
    assert "Salavan" in page_text(client.get("/agreements/?idle_days=365"))
    prey_veng = Partner.objects.get(name_en="Prey Veng Province")
    text = page_text(client.get(prey_veng.get_absolute_url()))
    assert "Đoàn đại biểu tỉnh Prey Veng thăm và làm việc" in text and "Biên bản ghi nhớ hợp tác" in text
