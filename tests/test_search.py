"""Search ignores case and Vietnamese diacritics (đ folds to d), and never reaches past one's scope."""

import pytest

from apps.accounts import services
from apps.core.changelog import change_logging
from tests.helpers import links_to


@pytest.fixture
def places(province):
    with change_logging(user=None):
        ha_noi = services.unit_create(
            parent=province.ubnd, by=None, name="Phường Hà Nội", code="P-HANOI", kind="commune"
        )
        dong_thap = services.unit_create(
            parent=province.ubnd, by=None, name="Xã Đồng Tháp Mười", code="X-DTM", kind="commune"
        )
        ha_nam = services.unit_create(
            parent=province.ubnd, by=None, name="Phường Hà Nam", code="P-HANAM", kind="commune"
        )
    return {"ha_noi": ha_noi, "dong_thap": dong_thap, "ha_nam": ha_nam}


@pytest.mark.parametrize("query", ["Ha Noi", "hà nội", "HÀ NỘI", "ha  noi", "Hà Nội", "noi ha"])
def test_the_unit_list_finds_ha_noi_whatever_the_case_and_accents(login, places, query):
    response = login("coordinator").get("/units/", {"q": query})
    assert response.status_code == 200
    assert links_to(response, places["ha_noi"].get_absolute_url())
    assert not links_to(response, places["ha_nam"].get_absolute_url())
    assert not links_to(response, places["dong_thap"].get_absolute_url())


@pytest.mark.parametrize("query", ["dong thap", "Đồng Tháp", "ĐỒNG THÁP", "Dong Thap", "đong thap muoi"])
def test_the_unit_list_folds_d_with_stroke_to_d(login, places, query):
    response = login("coordinator").get("/units/", {"q": query})
    assert links_to(response, places["dong_thap"].get_absolute_url())
    assert not links_to(response, places["ha_noi"].get_absolute_url())


def test_the_unit_list_also_searches_codes(login, places):
    response = login("coordinator").get("/units/", {"q": "p-hanoi"})
    assert links_to(response, places["ha_noi"].get_absolute_url())


def test_the_api_searches_the_same_way(login, places):
    items = login("coordinator").get("/api/units/", {"q": "HA NOI"}).json()["items"]
    assert [item["code"] for item in items] == ["P-HANOI"]


@pytest.mark.parametrize("query", ["Ha Noi", "hà nội", "HÀ NỘI"])
def test_the_global_search_finds_a_unit_whatever_the_accents(login, places, query):
    response = login("coordinator").get("/search/", {"q": query})
    assert response.status_code == 200
    assert links_to(response, places["ha_noi"].get_absolute_url())
    assert not links_to(response, places["ha_nam"].get_absolute_url())


@pytest.mark.parametrize("query", ["dong thap", "Đồng Tháp"])
def test_the_global_search_folds_d_with_stroke(login, places, query):
    response = login("coordinator").get("/search/", {"q": query})
    assert links_to(response, places["dong_thap"].get_absolute_url())


def test_the_global_search_finds_people_by_name_without_accents(login, province):
    with change_logging(user=None):
        person = services.user_create(by=None, username="le.thi.thu", full_name="Lê Thị Thu")
        services.role_assign(user=person, unit=province.union, role="officer", by=None)
    response = login("coordinator").get("/search/", {"q": "le thi thu"})
    assert links_to(response, person.get_absolute_url())


def test_the_global_search_shows_no_unit_outside_ones_scope(signed_in, province):
    department = province.department.get_absolute_url()
    assert not links_to(signed_in("officer_a").get("/search/", {"q": "so ngoai vu"}), department)
    assert links_to(signed_in("officer_b").get("/search/", {"q": "so ngoai vu"}), department)
    assert links_to(signed_in("leader").get("/search/", {"q": "so ngoai vu"}), department)


def test_the_global_search_shows_no_person_outside_ones_scope(signed_in, province):
    colleague_b = province.officer_b.get_absolute_url()
    assert not links_to(signed_in("officer_a").get("/search/", {"q": "officer.b"}), colleague_b)
    assert links_to(signed_in("coordinator").get("/search/", {"q": "officer.b"}), colleague_b)


def test_the_list_search_shows_no_unit_outside_ones_scope(signed_in, places):
    response = signed_in("officer_a").get("/units/", {"q": "ha noi"})
    assert response.status_code == 200
    assert not links_to(response, places["ha_noi"].get_absolute_url())


def test_an_empty_search_shows_nothing_and_does_not_fail(login, province):
    response = login("admin").get("/search/", {"q": "   "})
    assert response.status_code == 200
    assert not links_to(response, province.union.get_absolute_url())
