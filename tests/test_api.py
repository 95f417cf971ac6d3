"""The API: token and session auth, scoped units, edit conflicts, and JSON errors (never a 500)."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.accounts import services
from apps.accounts.models import APIToken, Unit
from apps.core.changelog import change_logging


def send(client, method, url, payload):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return getattr(client, method)(url, body, content_type="application/json")


def assert_error(response, status=None):
    """The error format of CONTRACTS: {"detail": "<message>", "errors": [...]}."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    if status is not None:
        assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    return body


def new_unit(province, code="API-THU", parent=None):
    with change_logging(user=None):
        return services.unit_create(
            parent=parent or province.union, by=None, name="Đơn vị thử API", code=code, kind="other"
        )


# -- authentication ----------------------------------------------------------------------------


def test_a_valid_token_authenticates(bearer, province):
    response = bearer("officer_a").get("/api/users/me/")
    assert response.status_code == 200
    assert response.json()["username"] == province.officer_a.username


def test_a_token_records_when_it_was_last_used(bearer, province):
    bearer("officer_a").get("/api/users/me/")
    assert APIToken.objects.get(user=province.officer_a).last_used is not None


@pytest.mark.parametrize(
    "header", ["Bearer hn_not-a-real-token", "Bearer ", "Bearer " + "x" * 5000, "Token abc", "Basic b2ZmaWNlcjpwdw=="]
)
def test_a_wrong_token_gets_401_json(db, header):
    body = assert_error(Client(HTTP_AUTHORIZATION=header).get("/api/units/"), 401)
    assert body["errors"] == []


def test_an_expired_token_gets_401(province):
    _token, raw = APIToken.generate(user=province.officer_a, expires=timezone.now() - timedelta(minutes=1))
    assert_error(Client(HTTP_AUTHORIZATION="Bearer " + raw).get("/api/units/"), 401)


def test_a_token_of_a_deactivated_person_gets_401(province):
    _token, raw = APIToken.generate(user=province.officer_a)
    province.officer_a.is_active = False
    province.officer_a.save()
    assert_error(Client(HTTP_AUTHORIZATION="Bearer " + raw).get("/api/units/"), 401)


def test_a_token_that_will_expire_later_still_works(province):
    _token, raw = APIToken.generate(user=province.officer_a, expires=timezone.now() + timedelta(days=1))
    assert Client(HTTP_AUTHORIZATION="Bearer " + raw).get("/api/units/").status_code == 200


def test_only_the_hash_of_a_token_is_stored(province):
    token, raw = APIToken.generate(user=province.officer_a)
    assert raw not in json.dumps(list(APIToken.objects.values()), default=str)
    assert raw.startswith(token.prefix)


def test_the_browser_session_authenticates(login, province):
    assert login("officer_a").get("/api/users/me/").json()["username"] == province.officer_a.username


def test_a_session_write_without_the_csrf_token_is_refused(province):
    client = Client(enforce_csrf_checks=True)
    client.force_login(province.admin)
    response = send(
        client, "post", "/api/units/", {"name": "X", "code": "CSRF-X", "kind": "other", "parent_id": province.union.pk}
    )
    assert_error(response, 403)
    assert not Unit.objects.filter(code="CSRF-X").exists()


def test_a_token_write_needs_no_csrf_token(province):
    _token, raw = APIToken.generate(user=province.admin)
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION="Bearer " + raw)
    response = send(
        client, "post", "/api/units/", {"name": "X", "code": "TOKEN-X", "kind": "other", "parent_id": province.union.pk}
    )
    assert response.status_code == 201


def test_create_api_token_prints_a_token_that_works(province):
    out = io.StringIO()
    call_command("create_api_token", province.officer_b.username, stdout=out)
    raw = out.getvalue().strip()
    response = Client(HTTP_AUTHORIZATION="Bearer " + raw).get("/api/users/me/")
    assert response.status_code == 200
    assert response.json()["username"] == province.officer_b.username


def test_create_api_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError):
        call_command("create_api_token", "khong.ai.ca", stdout=io.StringIO())


# -- units: scoping and permissions ------------------------------------------------------------


def test_the_unit_list_pages_without_counting(bearer, province):
    body = bearer("coordinator").get("/api/units/?limit=2").json()
    assert len(body["items"]) == 2
    assert body["page"] == {"limit": 2, "offset": 0, "next_offset": 2}
    last = bearer("coordinator").get("/api/units/?limit=2&offset=4").json()
    assert last["page"]["next_offset"] is None


def test_an_officer_lists_only_their_unit(bearer, province):
    assert [u["id"] for u in bearer("officer_a").get("/api/units/").json()["items"]] == [province.union.pk]


def test_the_unit_detail_gives_the_parent_and_the_version(bearer, province):
    body = bearer("coordinator").get(f"/api/units/{province.department.pk}/").json()
    assert body["parent_id"] == province.ubnd.pk
    assert body["version"] == province.department.version
    assert body["kind"] == "department"


@pytest.mark.parametrize("persona", ["officer_a", "officer_b", "coordinator", "leader"])
def test_only_administrators_create_units(bearer, province, persona):
    response = send(
        bearer(persona),
        "post",
        "/api/units/",
        {"name": "Mới", "code": "MOI-1", "kind": "other", "parent_id": province.union.pk},
    )
    assert response.status_code in (400, 403)  # 400 when the parent is outside what they may see
    assert_error(response)
    assert not Unit.objects.filter(code="MOI-1").exists()


def test_an_administrator_creates_a_unit_under_one_of_theirs(bearer, province):
    response = send(
        bearer("admin"),
        "post",
        "/api/units/",
        {"name": "Mới", "code": "moi-2", "kind": "commune", "parent_id": province.ubnd.pk, "valid_from": "2025-07-01"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["code"] == "MOI-2" and body["parent_id"] == province.ubnd.pk and body["valid_from"] == "2025-07-01"


def test_only_a_superuser_creates_a_top_level_unit(bearer, province):
    assert_error(
        send(bearer("admin"), "post", "/api/units/", {"name": "Tỉnh khác", "code": "TK", "kind": "province"}), 403
    )
    assert (
        send(
            bearer("superuser"), "post", "/api/units/", {"name": "Tỉnh khác", "code": "TK", "kind": "province"}
        ).status_code
        == 201
    )


def test_a_unit_one_may_not_see_is_404_for_read_change_and_delete(bearer, province):
    api = bearer("officer_b")
    url = f"/api/units/{province.union.pk}/"
    assert_error(api.get(url), 404)
    assert_error(send(api, "patch", url, {"version": province.union.version, "name": "Đổi"}), 404)
    assert_error(api.delete(url), 404)
    assert Unit.objects.get(pk=province.union.pk).name == province.union.name


@pytest.mark.parametrize("persona", ["officer_a", "coordinator", "leader"])
def test_a_unit_one_may_see_but_not_manage_is_403_for_change_and_delete(bearer, province, persona):
    api = bearer(persona)
    url = f"/api/units/{province.union.pk}/"
    assert_error(send(api, "patch", url, {"version": province.union.version, "name": "Đổi"}), 403)
    assert_error(api.delete(url), 403)
    assert Unit.objects.get(pk=province.union.pk).name == province.union.name


def test_an_administrator_patches_only_the_fields_sent(bearer, province):
    union = province.union
    response = send(
        bearer("admin"), "patch", f"/api/units/{union.pk}/", {"version": union.version, "phone": "0277 3 851 234"}
    )
    assert response.status_code == 200
    fresh = Unit.objects.get(pk=union.pk)
    assert (fresh.phone, fresh.name, fresh.code) == ("0277 3 851 234", union.name, union.code)
    assert response.json()["version"] == union.version + 1


def test_a_patch_with_a_stale_version_is_refused_with_409(bearer, province):
    union = province.union
    api = bearer("admin")
    assert (
        send(api, "patch", f"/api/units/{union.pk}/", {"version": union.version, "name": "Lần một"}).status_code == 200
    )
    body = assert_error(
        send(api, "patch", f"/api/units/{union.pk}/", {"version": union.version, "name": "Lần hai"}), 409
    )
    assert str(union.version) in body["detail"]
    assert Unit.objects.get(pk=union.pk).name == "Lần một"


def test_a_patch_without_a_version_is_refused(bearer, province):
    assert_error(send(bearer("admin"), "patch", f"/api/units/{province.union.pk}/", {"name": "Không phiên bản"}), 422)


def test_a_unit_with_sub_units_cannot_be_deleted(bearer, province):
    body = assert_error(bearer("admin").delete(f"/api/units/{province.union.pk}/"), 400)
    assert province.union.name in body["detail"]
    assert Unit.objects.filter(pk=province.union.pk).exists()


def test_a_unit_where_people_hold_roles_cannot_be_deleted(bearer, province):
    leaf = new_unit(province)
    services.role_assign(user=province.officer_b, unit=leaf, role="officer", by=None)
    assert_error(bearer("admin").delete(f"/api/units/{leaf.pk}/"), 400)
    assert Unit.objects.filter(pk=leaf.pk).exists()


def test_an_administrator_deletes_an_unused_unit(bearer, province):
    leaf = new_unit(province)
    response = bearer("admin").delete(f"/api/units/{leaf.pk}/")
    assert response.status_code == 204
    assert not Unit.objects.filter(pk=leaf.pk).exists()


def test_the_user_list_is_scoped(bearer, province):
    usernames = {u["username"] for u in bearer("officer_b").get("/api/users/").json()["items"]}
    assert usernames == {province.officer_b.username}


# -- bad input: always a 4xx with the JSON error format, never a 500 ---------------------------

BAD_CREATE = {
    "a number for the name": {"name": 123, "code": "X1", "kind": "other", "parent_id": "$union"},
    "an unknown kind": {"name": "X", "code": "X2", "kind": "vu-tru", "parent_id": "$union"},
    "a parent id of 10**30": {"name": "X", "code": "X3", "kind": "other", "parent_id": 10**30},
    "a negative parent id": {"name": "X", "code": "X3b", "kind": "other", "parent_id": -1},
    "a name of 10,000 characters": {"name": "Đ" * 10_000, "code": "X4", "kind": "other", "parent_id": "$union"},
    "a code of 10,000 characters": {"name": "X", "code": "C" * 10_000, "kind": "other", "parent_id": "$union"},
    "an impossible date": {
        "name": "X",
        "code": "X5",
        "kind": "other",
        "parent_id": "$union",
        "valid_from": "2025-02-30",
    },
    "a date in words": {"name": "X", "code": "X6", "kind": "other", "parent_id": "$union", "valid_from": "hôm qua"},
    "an end before the start": {
        "name": "X",
        "code": "X7",
        "kind": "other",
        "parent_id": "$union",
        "valid_from": "2025-07-01",
        "valid_to": "2025-01-01",
    },
    "an unknown parent": {"name": "X", "code": "X8", "kind": "other", "parent_id": 987654},
    "an unknown successor": {
        "name": "X",
        "code": "X10",
        "kind": "other",
        "parent_id": "$union",
        "successor_id": 10**30,
    },
    "a duplicate code": {"name": "X", "code": "lhhn-tn", "kind": "other", "parent_id": "$union"},
    "a blank code": {"name": "X", "code": "   ", "kind": "other", "parent_id": "$union"},
    "a bad e-mail": {"name": "X", "code": "X11", "kind": "other", "parent_id": "$union", "email": "khong-phai-thu"},
    "a list instead of an object": ["name", "code"],
    "nothing": {},
    "a boolean for the kind": {"name": "X", "code": "X12", "kind": True, "parent_id": "$union"},
    "an object for the parent": {"name": "X", "code": "X13", "kind": "other", "parent_id": {"id": 1}},
}


def resolve(payload, province):
    """Replace "$union" and friends by the ids of the persona province."""
    if isinstance(payload, dict):
        return {k: resolve(v, province) for k, v in payload.items()}
    if isinstance(payload, str) and payload.startswith("$"):
        return getattr(province, payload[1:]).pk
    return payload


@pytest.mark.parametrize("case", list(BAD_CREATE))
def test_a_bad_unit_is_refused_with_a_json_error(login, province, case):
    api = login("admin")
    before = Unit.objects.count()
    assert_error(send(api, "post", "/api/units/", resolve(BAD_CREATE[case], province)))
    assert Unit.objects.count() == before


@pytest.mark.parametrize(
    "body", [b"not json", b"", b"{", b"null", b"\xff\xfe", '{"name": "\\ud800", "code": "SUR", "kind": "other"}']
)
def test_a_body_that_is_not_a_unit_is_refused_with_a_json_error(login, province, body):
    assert_error(send(login("admin"), "post", "/api/units/", body))


def test_a_nul_character_never_causes_a_server_error(login, province):
    response = send(
        login("admin"),
        "post",
        "/api/units/",
        {"name": "Tên\x00lạ", "code": "NUL-1", "kind": "other", "parent_id": province.union.pk},
    )
    assert response.status_code < 500


BAD_PATCH = {
    "a version of 10**30": {"version": 10**30, "name": "X"},
    "a version in words": {"version": "một", "name": "X"},
    "an empty name": {"version": "$version", "name": ""},
    "a null name": {"version": "$version", "name": None},
    "a null code": {"version": "$version", "code": None},
    "an unknown kind": {"version": "$version", "kind": "vu-tru"},
    "a parent id of 10**30": {"version": "$version", "parent_id": 10**30},
    "no parent at all": {"version": "$version", "parent_id": None},
    "itself as parent": {"version": "$version", "parent_id": "$self"},
    "itself as successor": {"version": "$version", "successor_id": "$self"},
    "an impossible date": {"version": "$version", "valid_to": "2025-13-01"},
    "a name of 10,000 characters": {"version": "$version", "name": "x" * 10_000},
    "another unit's code": {"version": "$version", "code": "SNGV-TN"},
}


@pytest.mark.parametrize("case", list(BAD_PATCH))
def test_a_bad_patch_is_refused_with_a_json_error_and_changes_nothing(login, province, case):
    target = new_unit(province)
    payload = {
        k: (target.version if v == "$version" else target.pk if v == "$self" else v) for k, v in BAD_PATCH[case].items()
    }
    assert_error(send(login("admin"), "patch", f"/api/units/{target.pk}/", payload))
    fresh = Unit.objects.get(pk=target.pk)
    assert (fresh.version, fresh.name, fresh.path) == (target.version, target.name, target.path)


@pytest.mark.parametrize(
    "url",
    [
        "/api/units/?limit=0",
        "/api/units/?limit=100000",
        "/api/units/?offset=-1",
        "/api/units/?limit=abc",
        "/api/units/?offset=100000000000000000000",
        "/api/units/?kind=vu-tru",
        "/api/units/?parent=abc",
        "/api/units/?parent=987654",
        "/api/units/?status=mai-mai",
        "/api/users/?role=vua",
        "/api/changes/?action=xoa-sach",
        "/api/units/1000000000000000000000000000000/",
        "/api/units/abc/",
        "/api/users/-5/",
    ],
)
def test_bad_query_parameters_get_a_json_error(login, province, url):
    assert_error(login("admin").get(url))


# -- a property: whatever JSON arrives, the answer is never a 500 ------------------------------

FIELDS = [
    "name",
    "short_name",
    "code",
    "kind",
    "parent_id",
    "successor_id",
    "valid_from",
    "valid_to",
    "email",
    "phone",
    "address",
    "description",
    "is_focal_point",
    "version",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
field_values = st.one_of(
    json_values,
    st.sampled_from(
        ["association", "other", "union", "LHHN-TN", "SNGV-TN", "$union", "$association", "$department", "$self"]
    ),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(["2025-07-01", "2025-02-30", "01/07/2025", "", "9999-12-31", "0001-01-01"]),
    st.text(min_size=240, max_size=300),
    st.just("x" * 10_000),
)
# Mostly-valid units with one or two fields spoiled reach the services, not just the schema.
almost_valid = st.builds(
    lambda code, spoiled: {"name": "Đơn vị thử", "code": code, "kind": "other", "parent_id": "$union", **spoiled},
    st.from_regex(r"[A-Z]{2,6}-[0-9]{1,3}", fullmatch=True),
    st.dictionaries(st.sampled_from(FIELDS), field_values, max_size=2),
)
payloads = st.one_of(
    json_values, st.dictionaries(st.sampled_from(FIELDS + ["id", "path"]), field_values, max_size=8), almost_valid
)


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_json_sent_to_create_or_patch_a_unit_causes_a_server_error(login, province, data):
    client = login("admin")
    target = Unit.objects.filter(code="FUZZ-TARGET").first() or new_unit(province, code="FUZZ-TARGET")
    ids = {
        "$union": province.union.pk,
        "$association": province.association.pk,
        "$department": province.department.pk,
        "$self": target.pk,
    }

    def real(value):
        if isinstance(value, dict):
            return {k: real(v) for k, v in value.items()}
        return ids.get(value, value) if isinstance(value, str) else value

    created = send(client, "post", "/api/units/", real(data.draw(payloads, label="create")))
    assert created.status_code < 500
    assert created.status_code in (201, 400, 403, 404, 409, 422), created.content[:300]

    patch = real(data.draw(payloads, label="patch"))
    if isinstance(patch, dict) and data.draw(st.booleans(), label="current version"):
        patch["version"] = Unit.objects.get(pk=target.pk).version
    patched = send(client, "patch", f"/api/units/{target.pk}/", patch)
    assert patched.status_code < 500
    assert patched.status_code in (200, 400, 403, 404, 409, 422), patched.content[:300]


# -- schema, docs, health ----------------------------------------------------------------------


def test_the_openapi_schema_is_json_and_lists_the_units(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/units/" in schema["paths"]
    assert {"get", "post"} <= set(schema["paths"]["/api/units/"])
    assert {"get", "patch", "delete"} <= set(schema["paths"]["/api/units/{unit_id}/"])


def test_the_interactive_docs_render_without_any_outside_server(login, province):
    response = login("officer_a").get("/api/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "openapi.json" in body
    assert "cdn." not in body and "unpkg" not in body


def test_the_health_check_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
