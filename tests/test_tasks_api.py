"""The task API: create, read, patch with a version check, delete; reports and their review; and
JSON errors (never a 500) for whatever is sent."""

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.core.changelog import change_logging
from apps.documents.models import Document
from apps.tasks import services
from apps.tasks.models import ProgressReport, Task


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
def document(province):
    with change_logging(user=None):
        return Document.objects.create(unit=province.province, notation="1830/LHHN-VP", type_name="Chương trình")


@pytest.fixture
def task(province, document):
    with change_logging(user=None):
        return services.task_create(
            by=None,
            title="Nhiệm vụ API",
            lead_unit=province.unit_a,
            supporting_units=[province.unit_b],
            document=document,
        )


def test_an_officer_creates_a_task_for_their_unit(bearer, province, document):
    response = send(
        bearer("officer_a"),
        "post",
        "/api/tasks/",
        {
            "title": "Tổ chức Tết hữu nghị",
            "lead_unit_id": province.unit_a.pk,
            "document_id": document.pk,
            "due_date": "2026-12-31",
            "priority": "high",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["lead_unit"]["code"] == "LHHN-TN" and body["document_notation"] == "1830/LHHN-VP"
    assert body["status"] in ("not_started", "due_soon", "overdue") and body["progress"] == 0
    assert Task.objects.get(pk=body["id"]).created_by == province.officer_a


def test_an_officer_may_not_create_a_task_for_another_unit(bearer, province):
    response = send(bearer("officer_a"), "post", "/api/tasks/", {"title": "X", "lead_unit_id": province.unit_b.pk})
    assert_error(response)
    assert not Task.objects.filter(title="X").exists()


def test_the_detail_gives_units_status_and_version(bearer, province, task):
    body = bearer("officer_b").get(f"/api/tasks/{task.pk}/").json()
    assert [u["code"] for u in body["supporting_units"]] == ["SNGV-TN"]
    assert body["version"] == task.version and body["status"] == "not_started"


def test_the_list_filters_like_the_page(bearer, province, task):
    api = bearer("coordinator")
    assert [t["id"] for t in api.get("/api/tasks/?lead_unit=LHHN-TN").json()["items"]] == [task.pk]
    assert api.get("/api/tasks/?lead_unit=SNGV-TN").json()["items"] == []
    assert [t["id"] for t in api.get("/api/tasks/?document=1830/LHHN-VP&status=not_started").json()["items"]] == [
        task.pk
    ]


def test_a_patch_changes_only_what_is_sent_and_a_stale_version_gets_409(bearer, province, task):
    api = bearer("officer_a")
    response = send(api, "patch", f"/api/tasks/{task.pk}/", {"version": task.version, "priority": "high"})
    assert response.status_code == 200, response.content
    assert response.json()["priority"] == "high" and response.json()["title"] == "Nhiệm vụ API"
    assert_error(send(api, "patch", f"/api/tasks/{task.pk}/", {"version": task.version, "title": "Cũ"}), 409)
    assert Task.objects.get(pk=task.pk).title == "Nhiệm vụ API"


def test_a_supporting_officer_may_read_but_not_patch_or_delete(bearer, province, task):
    api = bearer("officer_b")
    assert_error(send(api, "patch", f"/api/tasks/{task.pk}/", {"version": task.version, "title": "Y"}), 403)
    assert_error(api.delete(f"/api/tasks/{task.pk}/"), 403)


def test_the_coordinator_reassigns_units(bearer, province, task):
    response = send(
        bearer("coordinator"),
        "patch",
        f"/api/tasks/{task.pk}/",
        {"version": task.version, "lead_unit_id": province.unit_b.pk, "supporting_unit_ids": [province.association.pk]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["lead_unit"]["id"] == province.unit_b.pk
    assert [u["id"] for u in response.json()["supporting_units"]] == [province.association.pk]


def test_delete_is_refused_once_there_are_reports(bearer, province, task):
    # The coordinator who assigned it deletes (an officer of the lead unit may not: see
    # tests/test_tasks_review_round5.py), and not once the unit has reported on it.
    api = bearer("coordinator")
    services.progress_report_submit(task=task, by=province.officer_a, percent=10, text="x")
    body = assert_error(api.delete(f"/api/tasks/{task.pk}/"), 400)
    assert task.title in body["detail"]
    with change_logging(user=None):
        empty = services.task_create(by=None, title="Trống", lead_unit=province.unit_a)
    assert api.delete(f"/api/tasks/{empty.pk}/").status_code == 204


def test_submit_and_review_a_report(bearer, province, task):
    submitted = send(
        bearer("officer_a"),
        "post",
        f"/api/tasks/{task.pk}/reports/",
        {"percent": 100, "text": "Xong", "period": "Năm 2026"},
    )
    assert submitted.status_code == 201, submitted.content
    report_id = submitted.json()["id"]
    assert submitted.json()["review_status"] == "submitted" and submitted.json()["unit"]["code"] == "LHHN-TN"
    coordinator = bearer("coordinator")
    assert_error(send(coordinator, "post", f"/api/progress-reports/{report_id}/review/", {"decision": "return"}), 400)
    returned = send(
        coordinator, "post", f"/api/progress-reports/{report_id}/review", {"decision": "return", "reason": "Thiếu ảnh"}
    )
    assert returned.status_code == 200 and returned.json()["reason"] == "Thiếu ảnh"
    listed = bearer("officer_a").get(f"/api/tasks/{task.pk}/reports/?review_status=returned").json()["items"]
    assert [(r["id"], r["reason"]) for r in listed] == [(report_id, "Thiếu ảnh")]
    assert_error(send(coordinator, "post", f"/api/progress-reports/{report_id}/review/", {"decision": "accept"}), 400)


def test_the_officer_cannot_review_and_the_leader_cannot_report(bearer, province, task):
    report = services.progress_report_submit(task=task, by=province.officer_b, percent=50, text="Phần của B")
    assert_error(
        send(bearer("officer_a"), "post", f"/api/progress-reports/{report.pk}/review/", {"decision": "accept"}), 403
    )
    assert_error(send(bearer("leader"), "post", f"/api/tasks/{task.pk}/reports/", {"percent": 5, "text": "x"}), 403)
    assert ProgressReport.objects.get(pk=report.pk).review_status == "submitted"


# -- bad input ---------------------------------------------------------------------------------

BAD_CREATE = {
    "no title": {"lead_unit_id": "$unit_a"},
    "an empty title": {"title": "", "lead_unit_id": "$unit_a"},
    "a title of 10,000 characters": {"title": "Đ" * 10_000, "lead_unit_id": "$unit_a"},
    "no lead unit": {"title": "X"},
    "a lead unit of 10**30": {"title": "X", "lead_unit_id": 10**30},
    "a negative lead unit": {"title": "X", "lead_unit_id": -1},
    "a lead unit nobody has": {"title": "X", "lead_unit_id": 987654},
    "a supporting unit of 10**30": {"title": "X", "lead_unit_id": "$unit_a", "supporting_unit_ids": [10**30]},
    "supporting units as text": {"title": "X", "lead_unit_id": "$unit_a", "supporting_unit_ids": "SNGV-TN"},
    "an unknown document": {"title": "X", "lead_unit_id": "$unit_a", "document_id": 987654},
    "a document of 10**30": {"title": "X", "lead_unit_id": "$unit_a", "document_id": 10**30},
    "an unknown parent": {"title": "X", "lead_unit_id": "$unit_a", "parent_id": 987654},
    "an impossible date": {"title": "X", "lead_unit_id": "$unit_a", "due_date": "2026-02-30"},
    "a date in words": {"title": "X", "lead_unit_id": "$unit_a", "due_date": "cuối năm"},
    "an unknown priority": {"title": "X", "lead_unit_id": "$unit_a", "priority": "gấp lắm"},
    "an unknown recurrence": {"title": "X", "lead_unit_id": "$unit_a", "recurrence": "thỉnh thoảng"},
    "a list": ["title"],
    "nothing": {},
}


def resolve(payload, province):
    if isinstance(payload, dict):
        return {k: resolve(v, province) for k, v in payload.items()}
    if isinstance(payload, list):
        return [resolve(v, province) for v in payload]
    if isinstance(payload, str) and payload.startswith("$"):
        return getattr(province, payload[1:]).pk
    return payload


@pytest.mark.parametrize("case", list(BAD_CREATE))
def test_a_bad_task_is_refused_with_a_json_error(login, province, case):
    before = Task.objects.count()
    assert_error(send(login("coordinator"), "post", "/api/tasks/", resolve(BAD_CREATE[case], province)))
    assert Task.objects.count() == before


@pytest.mark.parametrize(
    "payload",
    [
        {"percent": 101, "text": "x"},
        {"percent": -1, "text": "x"},
        {"percent": "nhiều", "text": "x"},
        {"percent": 10**30, "text": "x"},
        {"percent": 10},
        {"percent": 10, "text": ""},
        {"percent": 10, "text": "x", "unit_id": 10**30},
        {"percent": 10, "text": "x", "unit_id": "$association"},
        {"percent": 10, "text": "x", "period": "p" * 500},
        [],
    ],
)
def test_a_bad_report_is_refused_with_a_json_error(login, province, task, payload):
    assert_error(send(login("officer_a"), "post", f"/api/tasks/{task.pk}/reports/", resolve(payload, province)))
    assert not ProgressReport.objects.filter(task=task).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/tasks/?status=vui",
        "/api/tasks/?lead_unit=KHONG-CO",
        "/api/tasks/?document=999-XX/YY",
        "/api/tasks/?due_after=hom-qua",
        "/api/tasks/?priority=gap",
        "/api/tasks/?limit=0",
        "/api/tasks/?parent=-3",
        "/api/tasks/100000000000000000000000/",
        "/api/tasks/abc/",
        "/api/tasks/99999999999/reports/",
        "/api/tasks/1/reports/?review_status=xyz",
    ],
)
def test_bad_query_parameters_get_a_json_error(login, province, url):
    assert_error(login("coordinator").get(url))


@pytest.mark.parametrize(
    "body", [b"not json", b"", b"{", b"null", b"\xff\xfe", '{"title": "\\ud800", "lead_unit_id": 1}']
)
def test_a_body_that_is_not_a_task_is_refused_with_a_json_error(login, province, body):
    assert_error(send(login("coordinator"), "post", "/api/tasks/", body))


FIELDS = [
    "title",
    "description",
    "lead_unit_id",
    "supporting_unit_ids",
    "document_id",
    "parent_id",
    "due_date",
    "recurrence",
    "priority",
    "version",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
field_values = st.one_of(
    json_values,
    st.sampled_from(["$unit_a", "$unit_b", "$association", "$self", "$document", "high", "yearly", "none"]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(["2026-07-01", "2026-02-30", "01/07/2026", "", "9999-12-31"]),
    st.lists(st.sampled_from(["$unit_a", "$unit_b", "$association", 0, -1, 10**30]), max_size=3),
    st.just("x" * 10_000),
)
almost_valid = st.builds(
    lambda spoiled: {"title": "Nhiệm vụ thử", "lead_unit_id": "$unit_a", **spoiled},
    st.dictionaries(st.sampled_from(FIELDS), field_values, max_size=2),
)
payloads = st.one_of(
    json_values, st.dictionaries(st.sampled_from(FIELDS + ["id"]), field_values, max_size=6), almost_valid
)


@hypothesis_settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_json_sent_to_create_or_patch_a_task_causes_a_server_error(login, province, task, data):
    client = login("coordinator")
    ids = {
        "$unit_a": province.unit_a.pk,
        "$unit_b": province.unit_b.pk,
        "$association": province.association.pk,
        "$self": task.pk,
        "$document": task.document_id,
    }

    def real(value):
        if isinstance(value, dict):
            return {k: real(v) for k, v in value.items()}
        if isinstance(value, list):
            return [real(v) for v in value]
        return ids.get(value, value) if isinstance(value, str) else value

    created = send(client, "post", "/api/tasks/", real(data.draw(payloads, label="create")))
    assert created.status_code in (201, 400, 403, 404, 409, 422), created.content[:300]
    patch = real(data.draw(payloads, label="patch"))
    if isinstance(patch, dict) and data.draw(st.booleans(), label="current version"):
        patch["version"] = Task.objects.get(pk=task.pk).version
    patched = send(client, "patch", f"/api/tasks/{task.pk}/", patch)
    assert patched.status_code in (200, 400, 403, 404, 409, 422), patched.content[:300]
    report = send(
        client,
        "post",
        f"/api/tasks/{task.pk}/reports/",
        real(
            data.draw(
                st.dictionaries(st.sampled_from(["percent", "text", "period", "unit_id"]), field_values), label="report"
            )
        ),
    )
    assert report.status_code in (201, 400, 403, 404, 409, 422), report.content[:300]


def test_the_openapi_schema_lists_the_task_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/tasks/",
        "/api/tasks/{task_id}/",
        "/api/tasks/{task_id}/reports/",
        "/api/progress-reports/{report_id}/review/",
    ):
        assert path in paths
