"""The agreements and activities API: what a client script does — create an agreement with its
commitments, an activity under it, a delegation with members, mark it travelled — and that no
input, however wrong, gets a 500."""

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.activities import services
from apps.activities.models import Activity, Agreement
from apps.core.changelog import change_logging
from apps.partners import services as partner_services
from apps.partners.models import Country


def send(client, method, url, payload):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return getattr(client, method)(url, body, content_type="application/json")


def assert_error(response, status=None):
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    if status is not None:
        assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.fixture
def prey_veng(province):
    with change_logging(user=None):
        return partner_services.partner_create(
            by=None, unit=province.unit_a, kind="foreign_locality", name="Tỉnh Prey Veng",
            country=Country.objects.get(code="KH"),
        )  # fmt: skip


@pytest.fixture
def trip(province):
    with change_logging(user=None):
        return services.activity_save(
            activity=Activity(unit=province.unit_a, kind="outgoing_delegation", title="Đoàn ra Prey Veng",
                              start_date=date(2025, 4, 1)),
            by=None,
        )  # fmt: skip


def test_a_script_records_an_agreement_an_activity_under_it_and_a_delegation(bearer, province, prey_veng):
    client = bearer("officer_a")
    created = send(client, "post", "/api/agreements/", {
        "kind": "twinning", "title": "Thỏa thuận kết nghĩa", "unit_id": province.unit_a.pk,
        "partner_ids": [prey_veng.pk], "signed_on": "2024-03-15", "valid_to": "2029-03-14",
        "commitments": ["Trao đổi đoàn hằng năm", "Hợp tác y tế"],
    })  # fmt: skip
    assert created.status_code == 201, created.content
    agreement = created.json()
    assert agreement["status"] == "in_force" and [c["text"] for c in agreement["commitments"]] == [
        "Trao đổi đoàn hằng năm", "Hợp tác y tế"
    ]  # fmt: skip
    commitment_id = agreement["commitments"][0]["id"]
    visit = send(client, "post", "/api/activities/", {
        "kind": "incoming_delegation", "title": "Đoàn Prey Veng thăm Đồng Tháp", "start_date": "2025-01-20",
        "end_date": "2025-01-22", "unit_id": province.unit_a.pk, "partner_ids": [prey_veng.pk], "countries": ["KH"],
        "agreement_ids": [agreement["id"]], "commitment_ids": [commitment_id], "vn_province_code": 82,
        "vn_participants": 20, "foreign_participants": 12, "budget": "15000000", "budget_source": "state",
    })  # fmt: skip
    assert visit.status_code == 201, visit.content
    body = visit.json()
    assert body["place_name"] == "Tỉnh Đồng Tháp" and body["countries"] == ["KH"] and body["budget"] == "15000000"
    member = send(client, "post", "/api/activities/{}/members/".format(body["id"]),
                  {"name": "Ông Sok", "position": "Phó Tỉnh trưởng", "is_head": True})  # fmt: skip
    assert member.status_code == 201
    years = client.get("/api/agreements/{}/implementation/".format(agreement["id"])).json()
    assert years[0]["year"] == 2025 and years[0]["activity_ids"] == [body["id"]]
    stale = send(client, "patch", "/api/activities/{}/".format(body["id"]), {"version": 0, "title": "Khác"})
    assert_error(stale, 409)
    fresh = Activity.objects.get(pk=body["id"]).version
    patched = send(client, "patch", "/api/activities/{}/".format(body["id"]),
                   {"version": fresh, "outcome": "Ký kế hoạch hợp tác 2025", "end_date": None})  # fmt: skip
    assert patched.status_code == 200 and patched.json()["end_date"] is None
    assert patched.json()["members"][0]["name"] == "Ông Sok"


def test_marking_travelled_needs_the_approval_document(bearer, province, trip):
    from apps.documents import services as document_services

    client = bearer("officer_a")
    assert_error(send(client, "post", "/api/activities/{}/status/".format(trip.pk), {"status": "done"}), 400)
    with change_logging(user=None):
        decision = document_services.document_create(by=None, unit=province.unit_a, notation="12/QĐ-UBND")
    version = Activity.objects.get(pk=trip.pk).version
    patched = send(client, "patch", "/api/activities/{}/".format(trip.pk),
                   {"version": version, "approval_document_id": decision.pk})  # fmt: skip
    assert patched.status_code == 200, patched.content
    done = send(client, "post", "/api/activities/{}/status/".format(trip.pk), {"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"


def test_a_leader_reads_but_cannot_write(bearer, province, trip):
    client = bearer("leader")
    assert client.get("/api/activities/{}/".format(trip.pk)).status_code == 200
    version = Activity.objects.get(pk=trip.pk).version
    assert_error(send(client, "patch", "/api/activities/{}/".format(trip.pk), {"version": version, "title": "X"}), 403)
    assert_error(client.delete("/api/activities/{}/".format(trip.pk)), 403)
    assert_error(send(client, "post", "/api/activities/", {
        "kind": "other", "title": "X", "start_date": "2025-01-01", "unit_id": province.unit_a.pk}), 400)  # fmt: skip


BAD_CREATE = {
    "unknown kind": {"kind": "party", "title": "X", "start_date": "2025-01-01", "unit_id": "$unit_a"},
    "no title": {"kind": "other", "start_date": "2025-01-01", "unit_id": "$unit_a"},
    "end before start": {"kind": "other", "title": "X", "start_date": "2025-01-02", "end_date": "2025-01-01",
                         "unit_id": "$unit_a"},
    "other unit": {"kind": "other", "title": "X", "start_date": "2025-01-01", "unit_id": "$unit_b"},
    "bad date": {"kind": "other", "title": "X", "start_date": "2025-02-30", "unit_id": "$unit_a"},
    "bad country": {"kind": "other", "title": "X", "start_date": "2025-01-01", "unit_id": "$unit_a",
                    "countries": ["ZZ"]},
    "bad province": {"kind": "other", "title": "X", "start_date": "2025-01-01", "unit_id": "$unit_a",
                     "vn_province_code": 999},
    "negative budget": {"kind": "other", "title": "X", "start_date": "2025-01-01", "unit_id": "$unit_a",
                        "budget": "-5"},
    "huge budget": {"kind": "other", "title": "X", "start_date": "2025-01-01", "unit_id": "$unit_a",
                    "budget": "1e40"},
    "huge id": {"kind": "other", "title": "X", "start_date": "2025-01-01", "unit_id": 10**30},
    "unseen document": {"kind": "outgoing_delegation", "title": "X", "start_date": "2025-01-01",
                        "unit_id": "$unit_a", "approval_document_id": 987654321},
    "members on an exchange": {"kind": "other", "title": "X", "start_date": "2025-01-01", "unit_id": "$unit_a",
                               "task_ids": [0]},
}  # fmt: skip


def resolve(payload, province):
    if isinstance(payload, dict):
        return {k: resolve(v, province) for k, v in payload.items()}
    if isinstance(payload, str) and payload.startswith("$"):
        return getattr(province, payload[1:]).pk
    return payload


@pytest.mark.parametrize("case", list(BAD_CREATE))
def test_a_bad_activity_is_refused_with_a_json_error(bearer, province, case):
    before = Activity.objects.count()
    assert_error(send(bearer("officer_a"), "post", "/api/activities/", resolve(BAD_CREATE[case], province)))
    assert Activity.objects.count() == before


@pytest.mark.parametrize(
    "url",
    [
        "/api/activities/?country=ZZ",
        "/api/activities/?kind=alien",
        "/api/activities/?year=abc",
        "/api/activities/?unit=KHONG-CO",
        "/api/activities/?limit=0",
        "/api/activities/?start_after=2025-13-01",
        "/api/activities/100000000000000000000000/",
        "/api/activities/abc/",
        "/api/agreements/?status=forever",
        "/api/agreements/?expiring_within=-1",
        "/api/agreements/99999999999/",
        "/api/agreements/0/implementation/",
    ],
)
def test_bad_query_parameters_get_a_json_error(bearer, province, url):
    assert_error(bearer("officer_a").get(url))


FIELDS = ["kind", "title", "start_date", "end_date", "unit_id", "partner_ids", "countries", "budget", "status",
          "vn_province_code", "vn_ward_code", "foreign_locality", "version", "approval_document_id", "agreement_ids",
          "commitment_ids", "valid_to", "signed_on", "commitments", "other_unit_ids"]  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
field_values = st.one_of(
    json_values,
    st.sampled_from(["$unit_a", "$unit_b", "outgoing_delegation", "memorandum", "KH", "done", "2025-01-01",
                     "2024-02-30", "99999999999999999999"]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.lists(st.sampled_from(["$unit_a", "$unit_b", 0, -1, 10**30, "KH", "x"]), max_size=3),
    st.just("x" * 10_000),
)  # fmt: skip
almost_activity = st.builds(
    lambda spoiled: {"kind": "conference", "title": "Hội thảo", "start_date": "2025-01-01", "unit_id": "$unit_a",
                     **spoiled},
    st.dictionaries(st.sampled_from(FIELDS), field_values, max_size=2),
)  # fmt: skip
almost_agreement = st.builds(
    lambda spoiled: {"kind": "memorandum", "title": "Biên bản", "unit_id": "$unit_a", **spoiled},
    st.dictionaries(st.sampled_from(FIELDS), field_values, max_size=2),
)
payloads = st.one_of(json_values, st.dictionaries(st.sampled_from(FIELDS), field_values, max_size=6))


@hypothesis_settings(
    max_examples=40, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(data=st.data())
def test_no_json_sent_to_create_or_patch_causes_a_server_error(login, province, trip, data):
    client = login("officer_a")
    ids = {"$unit_a": province.unit_a.pk, "$unit_b": province.unit_b.pk}

    def real(value):
        if isinstance(value, dict):
            return {k: real(v) for k, v in value.items()}
        if isinstance(value, list):
            return [real(v) for v in value]
        return ids.get(value, value) if isinstance(value, str) else value

    ok = (200, 201, 400, 403, 404, 409, 422)
    created = send(client, "post", "/api/activities/", real(data.draw(st.one_of(payloads, almost_activity))))
    assert created.status_code in ok, created.content[:300]
    created = send(client, "post", "/api/agreements/", real(data.draw(st.one_of(payloads, almost_agreement))))
    assert created.status_code in ok, created.content[:300]
    patch = real(data.draw(payloads, label="patch"))
    if isinstance(patch, dict) and data.draw(st.booleans(), label="current version"):
        patch["version"] = Activity.objects.get(pk=trip.pk).version
    patched = send(client, "patch", "/api/activities/{}/".format(trip.pk), patch)
    assert patched.status_code in ok, patched.content[:300]


def test_the_openapi_schema_lists_the_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/agreements/", "/api/agreements/{agreement_id}/", "/api/activities/",
                 "/api/activities/{activity_id}/", "/api/activities/{activity_id}/status/",
                 "/api/activities/{activity_id}/members/", "/api/agreements/{agreement_id}/implementation/"):  # fmt: skip
        assert path in paths, path


def test_an_agreement_patch_can_terminate_it(bearer, province):
    with change_logging(user=None):
        row = services.agreement_save(
            agreement=Agreement(unit=province.unit_a, kind="memorandum", title="MoU", signed_on=date(2020, 1, 1)),
            by=None,
        )
    client = bearer("coordinator")
    patched = send(client, "patch", "/api/agreements/{}/".format(row.pk),
                   {"version": row.version, "terminated_on": "2024-06-01", "termination_reason": "Hai bên thống nhất"})  # fmt: skip
    assert patched.status_code == 200 and patched.json()["status"] == "terminated"
