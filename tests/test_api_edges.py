"""The API's edges found by fuzzing it (schemathesis against /api/openapi.json, 20,000 requests):
each one once answered 500 or an HTML page. Every answer here is JSON with a Vietnamese detail."""

from decimal import Decimal

import pytest

from apps.aid import services as aid_services
from apps.aid.models import AidItem, ExchangeRate


def jsonish(response):
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) == {"detail", "errors"}
    return body["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/tasks/?lead_unit=%C2%B9",
        "/api/tasks/?document=%C2%B9",
        "/api/partners/?unit=%C2%B9",
        "/api/partners/?country=%C2%B9",
        "/api/activities/?country=%C2%B9",
    ],
)
def test_a_superscript_digit_in_a_filter_is_no_number(bearer, province, url):
    assert bearer("coordinator").get(url).status_code in (200, 400, 422)


@pytest.mark.parametrize("text", ["a\ud800", "a\x00b"])
def test_a_lone_surrogate_or_a_nul_in_a_body_is_refused_at_the_door(bearer, province, text):
    import json

    body = json.dumps({"kind": "foreign_ngo", "name": text, "unit_id": province.union.pk})
    response = bearer("coordinator").post("/api/partners/", body, content_type="application/json")
    assert response.status_code == 400 and "“name”" in jsonish(response)


def test_a_body_that_is_not_json_is_said_in_vietnamese(bearer, province):
    response = bearer("coordinator").post("/api/partners/", "kind=x", content_type="application/json")
    assert (
        response.status_code == 400
        and jsonish(response) == "Không đọc được nội dung gửi lên: hãy gửi JSON hợp lệ (UTF-8)."
    )


def test_a_call_without_its_trailing_slash_is_served(bearer, province):
    client = bearer("coordinator")
    assert client.get("/api/units").status_code == 200
    body = {"kind": "foreign_ngo", "name": "Không dấu gạch chéo", "unit_id": province.union.pk}
    assert client.post("/api/partners", body, content_type="application/json").status_code == 201


def test_a_wrong_token_on_a_write_is_401_not_a_csrf_failure(province):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # as a real client: the CSRF check runs
    response = client.post(
        "/api/partners/", {"name": "x"}, content_type="application/json", HTTP_AUTHORIZATION="Bearer wrong"
    )
    assert response.status_code == 401 and "mã truy cập API hợp lệ" in jsonish(response)
    client.force_login(province.coordinator)  # a browser session without its CSRF token
    response = client.post("/api/partners/", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403 and "mã CSRF" in jsonish(response)


def test_routing_answers_are_json_too(bearer, province):
    client = bearer("coordinator")
    missing = client.get("/api/nonexistent/")
    assert missing.status_code == 404 and jsonish(missing) == "Không tìm thấy, hoặc bạn không có quyền xem."
    wrong = client.put("/api/units/", {}, content_type="application/json")
    assert wrong.status_code == 405 and "GET" in jsonish(wrong)


def test_an_amount_whose_equivalent_cannot_be_held_is_refused_and_the_list_still_reads(bearer, province):
    aid_services.rate_save(
        rate=ExchangeRate(currency="USD", date="2020-01-01", rate_vnd=Decimal("25400"), source="SBV"), by=None
    )
    item = AidItem.objects.create(unit=province.union, code="BIG-1", kind="project", title_vi="x", status="approved")
    client = bearer("coordinator")
    body = {"aid_item_id": item.pk, "kind": "commitment", "date": "2026-12-01", "amount": "25574949550392168"}
    response = client.post("/api/aid-transactions/", body, content_type="application/json")
    assert response.status_code == 400 and "hơn 20 chữ số" in jsonish(response)
    assert client.get("/api/aid-transactions/").status_code == 200


def test_field_errors_are_worded_in_vietnamese_with_the_english_kept(bearer, province):
    body = {"kind": "foreign_ngo", "unit_id": "abc"}
    response = bearer("coordinator").post("/api/partners/", body, content_type="application/json")
    assert response.status_code == 422
    errors = {tuple(e["loc"]): e for e in response.json()["errors"]}
    assert any(e["msg"] == "Phải là số nguyên." and e["msg_en"] for e in errors.values())
    assert any(e["msg"] == "Trường này là bắt buộc." for e in errors.values())
