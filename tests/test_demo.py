"""``manage.py load_demo``: the demo province of CONTRACTS, loaded as often as one likes."""

import io

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import RoleAssignment, Unit, User
from apps.core.models import ObjectChange
from tests.helpers import built_once

DEMO_ROLES = {
    "admin": {("admin", "DT")},
    "dieuphoi": {("coordinator", "DT"), ("officer", "LHHN-DT")},
    "canbo.lhhn": {("officer", "LHHN-DT")},
    "canbo.so": {("officer", "SNGV-DT")},
    "lanhdao": {("leader", "DT")},
}


def load(**options):
    call_command("load_demo", stdout=io.StringIO(), **options)


def counts():
    return (Unit.objects.count(), User.objects.count(), RoleAssignment.objects.count(), ObjectChange.objects.count())


@pytest.fixture(scope="class")
def _demo(django_db_setup, django_db_blocker):
    from django.test.utils import override_settings

    def build():
        with override_settings(DEBUG=True):
            load()

    yield from built_once(django_db_blocker, build)


@pytest.fixture
def demo(_demo, db):
    return None


def test_the_demo_refuses_to_load_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        load()
    assert not Unit.objects.exists()


def test_force_loads_the_demo_even_with_debug_off(db, settings):
    settings.DEBUG = False
    load(force=True)
    assert User.objects.filter(username__in=DEMO_ROLES).count() == 5


class TestTheLoadedDemo:
    """Built once for the class (see tests.helpers.built_once)."""

    def test_loading_the_demo_twice_changes_nothing(self, demo, settings):
        settings.DEBUG = True
        before = counts()
        load()
        assert counts() == before

    def test_the_five_demo_people_have_the_roles_of_contracts(self, demo):
        for username, roles in DEMO_ROLES.items():
            user = User.objects.get(username=username)
            assert set(user.roles.values_list("role", "unit__code")) == roles, username
            assert user.check_password("huunghi-demo"), username
        assert User.objects.get(username="admin").is_superuser
        assert Unit.objects.get(code="SNGV-DT").kind == "department"
        assert Unit.objects.get(code="LHHN-DT").kind == "union"

    def test_the_coordinator_sees_every_unit_of_the_province(self, demo, client):
        dieuphoi = User.objects.get(username="dieuphoi")
        province = Unit.objects.get(code="DT")
        assert set(Unit.objects.for_user(dieuphoi)) == set(Unit.objects.filter(path__startswith=province.path))
        client.force_login(dieuphoi)
        codes = {u["code"] for u in client.get("/api/units/?limit=500").json()["items"]}
        assert codes == set(Unit.objects.filter(path__startswith=province.path).values_list("code", flat=True))

    def test_the_department_officer_sees_only_their_department(self, demo, client):
        canbo_so = User.objects.get(username="canbo.so")
        assert list(Unit.objects.for_user(canbo_so).values_list("code", flat=True)) == ["SNGV-DT"]
        client.force_login(canbo_so)
        assert [u["code"] for u in client.get("/api/units/").json()["items"]] == ["SNGV-DT"]
        assert client.get("/units/{}/".format(Unit.objects.get(code="LHHN-DT").pk)).status_code == 404

    def test_the_leader_reads_everything_and_changes_nothing(self, demo, client):
        lanhdao = User.objects.get(username="lanhdao")
        province = Unit.objects.get(code="DT")
        assert Unit.objects.for_user(lanhdao).count() == Unit.objects.filter(path__startswith=province.path).count()
        assert not Unit.objects.for_user(lanhdao, "change").exists()

    def test_a_demo_person_signs_in_with_the_demo_password(self, demo, client):
        response = client.post("/login/", {"username": "canbo.lhhn", "password": "huunghi-demo"})
        assert response.status_code == 302
        assert client.get("/").status_code == 200
