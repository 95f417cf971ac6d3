"""The partners API: what a client script does with partners, contacts, relationships, NGO
registrations and countries — and that no input, however wrong, gets a 500."""

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.core.changelog import change_logging
from apps.partners import services
from apps.partners.models import Contact, Country, NgoRegistration, Partner, Relationship


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
def ngo(province):
    with change_logging(user=None):
        return services.partner_create(
            by=None, unit=province.unit_a, kind="foreign_ngo", name="Oxfam", country=Country.objects.get(code="GB")
        )


def test_an_officer_creates_a_partner_with_tags_and_reads_it_back(bearer, province):
    client = bearer("officer_a")
    response = send(client, "post", "/api/partners/", {
        "kind": "foreign_locality", "name": "ແຂວງຈຳປາສັກ", "name_vi": "Tỉnh Champasak", "country": "la",
        "tags": ["kết nghĩa", "Kết nghĩa"], "unit_id": province.unit_a.pk, "shared_unit_ids": [province.unit_b.pk],
    })  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["country"] == "LA" and body["tags"] == ["kết nghĩa"] and body["shared_unit_ids"] == [province.unit_b.pk]
    assert client.get("/api/partners/{}/".format(body["id"])).json()["name_vi"] == "Tỉnh Champasak"
    listed = client.get("/api/partners/?q=tinh+champasak&country=LA").json()["items"]
    assert [p["id"] for p in listed] == [body["id"]]


def test_a_duplicate_gets_409_naming_the_existing_partner_until_confirmed(bearer, province, ngo):
    client = bearer("officer_a")
    payload = {"kind": "foreign_ngo", "name": "OXFAM.", "country": "GB", "unit_id": province.unit_a.pk}
    body = assert_error(send(client, "post", "/api/partners/", payload), 409)
    assert body["errors"][0]["id"] == ngo.pk and body["errors"][0]["exact"] is True
    assert send(client, "post", "/api/partners/", {**payload, "confirm_distinct": True}).status_code == 201
    found = client.get("/api/partners/duplicates/?name=oxfam&country=GB").json()
    assert len(found) == 2


def test_a_patch_changes_what_is_sent_and_a_stale_version_gets_409(bearer, province, ngo):
    client = bearer("officer_a")
    response = send(
        client, "patch", "/api/partners/{}/".format(ngo.pk), {"version": ngo.version, "iati_ref": "GB-CHC-202918"}
    )
    assert response.status_code == 200 and response.json()["iati_ref"] == "GB-CHC-202918"
    assert response.json()["name"] == "Oxfam"
    assert_error(send(client, "patch", "/api/partners/{}/".format(ngo.pk), {"version": ngo.version, "phone": "1"}), 409)


def test_contacts_relationships_and_registrations_over_the_api(bearer, province, ngo):
    client = bearer("officer_a")
    contact = send(
        client,
        "post",
        "/api/partners/{}/contacts/".format(ngo.pk),
        {"name": "Ms Jane Doe", "email": "jane@oxfam.example"},
    )
    assert contact.status_code == 201
    relationship = send(client, "post", "/api/relationships/", {
        "unit_id": province.unit_a.pk, "partner_id": ngo.pk, "kind": "donor", "since": "2019-05-01"})  # fmt: skip
    assert relationship.status_code == 201
    registration = send(client, "post", "/api/partners/{}/registrations/".format(ngo.pk), {
        "kind": "activity", "number": "05/BNG-ĐK", "issued_on": "2025-01-01", "expires_on": "2028-01-02"})  # fmt: skip
    body = assert_error(registration, 400)
    assert body["errors"][0]["loc"] == ["expires_on"]
    registration = send(client, "post", "/api/partners/{}/registrations/".format(ngo.pk), {
        "kind": "activity", "number": "05/BNG-ĐK", "issued_on": "2025-01-01", "expires_on": "2027-12-31"})  # fmt: skip
    assert registration.status_code == 201 and registration.json()["expires_on"] == "2027-12-31"
    assert Contact.objects.filter(partner=ngo).count() == 1
    assert Relationship.objects.filter(partner=ngo).count() == 1
    assert NgoRegistration.objects.filter(partner=ngo).count() == 1
    within = client.get("/api/ngo-registrations/?within=3650").json()["items"]
    assert [r["number"] for r in within] == ["05/BNG-ĐK"]


def test_merge_over_the_api(bearer, province, ngo):
    with change_logging(user=None):
        dup = services.partner_create(by=None, unit=province.unit_a, kind="foreign_ngo", name="Oxfam GB")
        services.contact_save(contact=Contact(partner=dup, name="Ông A"), by=None)
    response = send(bearer("officer_a"), "post", "/api/partners/{}/merge/".format(ngo.pk), {"duplicate_id": dup.pk})
    assert response.status_code == 200, response.content
    assert not Partner.objects.filter(pk=dup.pk).exists()
    assert Contact.objects.get().partner == ngo
    assert_error(
        send(bearer("officer_b"), "post", "/api/partners/{}/merge/".format(ngo.pk), {"duplicate_id": ngo.pk}), 404
    )


def test_countries_by_code_and_frameworks_for_administrators_only(bearer, province):
    assert bearer("officer_b").get("/api/countries/KH/").json()["name_vi"] == "Campuchia"
    payload = {"level": "strategic", "established_on": "2025-01-01", "source": "Nguồn thử"}
    assert_error(send(bearer("coordinator"), "post", "/api/countries/FI/frameworks/", payload), 403)
    created = send(bearer("admin"), "post", "/api/countries/FI/frameworks/", payload)
    assert created.status_code == 201
    assert bearer("leader").get("/api/countries/FI/").json()["framework_level"] == "strategic"
    assert bearer("leader").get("/api/countries/?framework_level=strategic").json()["items"][0]["code"] == "FI"


BAD_CREATE = {
    "no name": {"kind": "foreign_ngo", "unit_id": "$unit_a"},
    "empty name": {"kind": "foreign_ngo", "name": "", "unit_id": "$unit_a"},
    "unknown kind": {"kind": "alien", "name": "X", "unit_id": "$unit_a"},
    "unknown country": {"kind": "foreign_ngo", "name": "X", "country": "ZZ", "unit_id": "$unit_a"},
    "country too long": {"kind": "foreign_ngo", "name": "X", "country": "KHMER", "unit_id": "$unit_a"},
    "bad e-mail": {"kind": "foreign_ngo", "name": "X", "email": "không phải", "unit_id": "$unit_a"},
    "bad website": {"kind": "foreign_ngo", "name": "X", "website": "ht!tp//", "unit_id": "$unit_a"},
    "other unit": {"kind": "foreign_ngo", "name": "X", "unit_id": "$unit_b"},
    "huge unit": {"kind": "foreign_ngo", "name": "X", "unit_id": 10**30},
    "too long": {"kind": "foreign_ngo", "name": "x" * 301, "unit_id": "$unit_a"},
    "shared with nowhere": {"kind": "foreign_ngo", "name": "X", "unit_id": "$unit_a", "shared_unit_ids": [10**9]},
    "too many tags": {"kind": "foreign_ngo", "name": "X", "unit_id": "$unit_a", "tags": ["t"] * 21},
    "not an object": [],
}


def resolve(payload, province):
    if isinstance(payload, dict):
        return {k: resolve(v, province) for k, v in payload.items()}
    if isinstance(payload, str) and payload.startswith("$"):
        return getattr(province, payload[1:]).pk
    return payload


@pytest.mark.parametrize("case", list(BAD_CREATE))
def test_a_bad_partner_is_refused_with_a_json_error(bearer, province, case):
    before = Partner.objects.count()
    assert_error(send(bearer("officer_a"), "post", "/api/partners/", resolve(BAD_CREATE[case], province)))
    assert Partner.objects.count() == before


@pytest.mark.parametrize(
    "url",
    [
        "/api/partners/?country=ZZ",
        "/api/partners/?kind=alien",
        "/api/partners/?unit=KHONG-CO",
        "/api/partners/?limit=0",
        "/api/partners/100000000000000000000000/",
        "/api/partners/abc/",
        "/api/partners/duplicates/",
        "/api/countries/QQ/",
        "/api/countries/999999999/",
        "/api/ngo-registrations/?within=-5",
        "/api/relationships/?kind=enemy",
    ],
)
def test_bad_query_parameters_get_a_json_error(bearer, province, url):
    assert_error(bearer("officer_a").get(url))


FIELDS = ["kind", "name", "name_vi", "country", "email", "website", "tags", "status", "unit_id", "shared_unit_ids",
          "version", "confirm_distinct"]  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
field_values = st.one_of(
    json_values,
    st.sampled_from(["$unit_a", "$unit_b", "foreign_ngo", "KH", "kh", "ended", "a@b.example", "https://x.example"]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.lists(st.sampled_from(["$unit_a", "$unit_b", 0, -1, 10**30]), max_size=3),
    st.just("x" * 10_000),
)
almost_valid = st.builds(
    lambda spoiled: {"kind": "foreign_ngo", "name": "Tổ chức thử", "unit_id": "$unit_a", **spoiled},
    st.dictionaries(st.sampled_from(FIELDS), field_values, max_size=2),
)
payloads = st.one_of(json_values, st.dictionaries(st.sampled_from(FIELDS), field_values, max_size=6), almost_valid)


@hypothesis_settings(
    max_examples=40, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(data=st.data())
def test_no_json_sent_to_create_or_patch_a_partner_causes_a_server_error(login, province, ngo, data):
    client = login("officer_a")
    ids = {"$unit_a": province.unit_a.pk, "$unit_b": province.unit_b.pk}

    def real(value):
        if isinstance(value, dict):
            return {k: real(v) for k, v in value.items()}
        if isinstance(value, list):
            return [real(v) for v in value]
        return ids.get(value, value) if isinstance(value, str) else value

    created = send(client, "post", "/api/partners/", real(data.draw(payloads, label="create")))
    assert created.status_code in (201, 400, 403, 404, 409, 422), created.content[:300]
    patch = real(data.draw(payloads, label="patch"))
    if isinstance(patch, dict) and data.draw(st.booleans(), label="current version"):
        patch["version"] = Partner.objects.get(pk=ngo.pk).version
    patched = send(client, "patch", "/api/partners/{}/".format(ngo.pk), patch)
    assert patched.status_code in (200, 400, 403, 404, 409, 422), patched.content[:300]
    registration = send(client, "post", "/api/partners/{}/registrations/".format(ngo.pk), real(data.draw(
        st.dictionaries(st.sampled_from(["kind", "number", "issued_on", "expires_on"]),
                        st.one_of(field_values, st.sampled_from(["activity", "2025-01-01", "2031-02-30"]))),
        label="registration")))  # fmt: skip
    assert registration.status_code in (201, 400, 403, 404, 409, 422), registration.content[:300]


def test_the_openapi_schema_lists_the_partner_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/partners/", "/api/partners/{partner_id}/", "/api/partners/{partner_id}/merge/",
                 "/api/contacts/", "/api/relationships/", "/api/ngo-registrations/", "/api/countries/",
                 "/api/countries/{ref}/frameworks/"):  # fmt: skip
        assert path in paths, path


def test_dates_are_iso_in_the_api(bearer, province, ngo):
    with change_logging(user=None):
        services.relationship_save(
            relationship=Relationship(partner=ngo, unit=province.unit_a, kind="donor", since=date(2019, 5, 1)), by=None
        )
    items = bearer("leader").get("/api/relationships/?partner={}".format(ngo.pk)).json()["items"]
    assert items[0]["since"] == "2019-05-01"
