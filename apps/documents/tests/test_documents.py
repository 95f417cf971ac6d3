"""Documents: permissions, entering and linking, forgiving search, the cascade, entry from text."""

from pathlib import Path

import pytest

from apps.core.models import ObjectChange
from apps.documents import services
from apps.documents.models import Document, DocumentLink
from tests.matrix import PermissionMatrix

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


class TestDocumentPermissions(PermissionMatrix):
    """A document kept by unit A: officers of A see and change it, another unit's officer does not."""

    model = Document
    api_list = "/api/documents/"

    def make(self, province, unit):
        return services.document_create(by=None, unit=unit, notation="15/KH-LHHN", title="Kế hoạch thử nghiệm")


@pytest.fixture
def directive(province):
    return services.document_create(
        by=None,
        unit=province.province,
        notation="12- CT/TW",
        issued_on="2022-01-05",
        issuer="Ban Bí thư",
        title="Về nâng cao hiệu quả công tác đối ngoại nhân dân trong tình hình mới",
    )


def test_entering_a_document_reads_type_number_and_issuer_from_its_notation(directive):
    assert directive.notation == "12-CT/TW"
    assert directive.system == "party"
    assert (directive.type_code, directive.type_name, directive.number, directive.issuer_code) == (
        "CT",
        "Chỉ thị",
        "12",
        "TW",
    )


def test_a_normative_notation_keeps_its_year(province):
    decision = services.document_create(by=None, unit=province.ubnd, notation="12/2021/QĐ-UBND")
    assert (decision.system, decision.year, decision.type_name) == ("state", 2021, "Quyết định")


@pytest.mark.parametrize("query", ["12-CT/TW", "12/CT-TW", "12-ct/tw", "CT 12", "chi thi 12", "Chỉ thị số 12"])
def test_searching_by_notation_is_forgiving(client, province, directive, query):
    services.document_create(by=None, unit=province.province, notation="112-CT/TW", title="Khác")
    client.force_login(province.coordinator)
    rows = client.get("/documents/", {"q": query}).content.decode()
    assert "/documents/{}/".format(directive.pk) in rows
    assert "112-CT/TW" not in rows


def test_the_global_search_finds_a_document_by_a_loose_notation(client, province, directive):
    client.force_login(province.coordinator)
    assert directive.get_absolute_url() in client.get("/search/", {"q": "chi thi 12"}).content.decode()


def test_a_cited_document_is_a_placeholder_until_it_is_entered_and_then_keeps_its_links(province, directive):
    plan = services.document_create(by=None, unit=province.province, notation="108-KH/TU", issued_on="2022-05-20")
    programme = services.document_placeholder(notation="1830/LHHN-VP", unit=province.union, by=None)
    services.document_link(source=programme, target=plan, kind="implements", by=None)
    assert programme.is_placeholder

    entered = services.document_create(
        by=None, unit=province.union, notation="1830/LHHN-VP", type_name="Chương trình", title="Chương trình hành động"
    )
    assert entered.pk == programme.pk and not entered.is_placeholder
    assert DocumentLink.objects.filter(source=entered, target=plan, kind="implements").exists()


def test_a_document_entered_twice_is_refused(province, directive):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.document_create(by=None, unit=province.province, notation="12-CT/TW", issued_on="2022-01-05")


def test_the_cascade_shows_what_implements_a_directive_and_rolls_progress_up(client, province, directive):
    plan = services.document_create(by=None, unit=province.province, notation="108-KH/TU", issued_on="2022-05-20")
    services.document_link(source=plan, target=directive, kind="implements", by=None)
    programme = services.document_create(by=None, unit=province.union, notation="1830/LHHN-VP", title="Chương trình")
    services.document_link(source=programme, target=plan, kind="implements", by=None)

    client.force_login(province.coordinator)
    page = client.get(directive.get_absolute_url()).content.decode()
    assert "108-KH/TU" in page and "1830/LHHN-VP" in page
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "12-CT/TW" in page  # what it implements, upwards


def test_a_document_with_links_pointing_to_it_cannot_be_deleted(client, province, directive):
    plan = services.document_create(by=None, unit=province.province, notation="108-KH/TU")
    services.document_link(source=plan, target=directive, kind="implements", by=None)
    client.force_login(province.coordinator)
    client.post("/documents/{}/delete/".format(directive.pk))
    assert Document.objects.filter(pk=directive.pk).exists()


def test_links_are_added_on_the_page_and_logged(client, province, directive):
    plan = services.document_create(by=None, unit=province.union, notation="15/KH-LHHN")
    client.force_login(province.officer_a)
    response = client.post(
        "/documents/{}/links/add/".format(plan.pk), {"kind": "implements", "target": "12/CT-TW", "note": ""}
    )
    assert response.status_code == 302
    link = DocumentLink.objects.get(source=plan)
    assert link.target == directive
    assert ObjectChange.objects.filter(changed_object_id=link.pk, action="create", user=province.officer_a).exists()


def test_an_officer_cannot_link_another_units_document(client, province, directive):
    plan = services.document_create(by=None, unit=province.department, notation="20/KH-SNGV")
    client.force_login(province.officer_a)
    response = client.post("/documents/{}/links/add/".format(plan.pk), {"kind": "cites", "target": "12-CT/TW"})
    assert response.status_code == 404
    assert not DocumentLink.objects.exists()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are in ../shared/seeds")
def test_a_seed_text_is_read_checked_and_saved_with_its_citations(client, province):
    text = (SEEDS / "000_7e3bac5af2b2ea77.txt").read_text(encoding="utf-8")
    client.force_login(province.coordinator)
    review = client.post("/documents/from-text/", {"text": text})
    assert review.status_code == 200
    page = review.content.decode()
    assert 'value="2722/KH-UBND"' in page and 'value="38-CT/TW"' in page
    assert Document.objects.count() == 0  # nothing is saved before the officer confirms

    confirm = client.post(
        "/documents/from-text/",
        {
            "step": "confirm",
            "text": text,
            "unit": province.province.pk,
            "doc_notation": "2722/KH-UBND",
            "doc_type": "Kế hoạch",
            "doc_title": "Triển khai Chỉ thị 38-CT/TW",
            "ref_count": "1",
            "ref-0-include": "on",
            "ref-0-notation": "38-CT/TW",
            "ref-0-kind": "implements",
            "ref-0-issued_on": "2019-09-19",
        },
    )
    assert confirm.status_code == 302
    plan = Document.objects.get(notation="2722/KH-UBND")
    directive = Document.objects.get(notation="38-CT/TW")
    assert directive.is_placeholder and str(directive.issued_on) == "2019-09-19"
    assert DocumentLink.objects.filter(source=plan, target=directive, kind="implements").exists()


def test_a_file_that_is_not_text_is_refused_with_its_name(client, province):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(province.coordinator)
    upload = SimpleUploadedFile("chi-thi.docx", b"MZ\x90\x00binary", content_type="application/octet-stream")
    response = client.post("/documents/from-text/", {"file": upload})
    assert response.status_code == 400
    assert "chi-thi.docx" in response.content.decode()
    assert Document.objects.count() == 0


def test_a_leader_cannot_enter_documents(client, province):
    client.force_login(province.leader)
    assert client.get("/documents/from-text/").status_code == 403


def test_the_api_creates_and_patches_with_a_version_check(client, province):
    client.force_login(province.officer_a)
    created = client.post(
        "/api/documents/",
        {"notation": "15/KH-LHHN", "unit_id": province.union.pk, "title": "Kế hoạch"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["type_name"] == "Kế hoạch"
    stale = client.patch(
        "/api/documents/{}/".format(body["id"]),
        {"version": body["version"] + 5, "title": "Khác"},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["detail"]
    ok = client.patch(
        "/api/documents/{}/".format(body["id"]),
        {"version": body["version"], "title": "Kế hoạch năm 2026"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["title"] == "Kế hoạch năm 2026"


def test_the_api_refuses_a_unit_the_user_may_not_keep_documents_for(client, province):
    client.force_login(province.officer_a)
    response = client.post(
        "/api/documents/", {"notation": "1/KH-X", "unit_id": province.department.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["errors"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are in ../shared/seeds")
def test_confirming_a_text_creates_the_ticked_tasks_for_their_lead_units(client, province):
    from apps.tasks.models import Task

    text = (SEEDS / "000_7e3bac5af2b2ea77.txt").read_text(encoding="utf-8")
    client.force_login(province.coordinator)
    review = client.post("/documents/from-text/", {"text": text}).content.decode()
    assert 'name="task-0-title"' in review and 'name="task-3-title"' in review
    client.post(
        "/documents/from-text/",
        {
            "step": "confirm",
            "text": text,
            "unit": province.province.pk,
            "doc_notation": "2722/KH-UBND",
            "ref_count": "0",
            "task_count": "4",
            "task-0-include": "on",
            "task-0-title": "Tổ chức quán triệt, tuyên truyền Chỉ thị 38-CT/TW",
            "task-0-lead": province.department.pk,
            "task-1-include": "on",
            "task-1-title": "Hoàn thiện cơ sở pháp lý",
            "task-1-lead": province.union.pk,
            "task-1-due": "2026-12-31",
        },
    )
    plan = Document.objects.get(notation="2722/KH-UBND")
    tasks = Task.objects.filter(document=plan).order_by("title")
    assert [(t.title, t.lead_unit) for t in tasks] == [
        ("Hoàn thiện cơ sở pháp lý", province.union),
        ("Tổ chức quán triệt, tuyên truyền Chỉ thị 38-CT/TW", province.department),
    ]
    assert str(tasks[0].due_date) == "2026-12-31"
    # the departments with tasks now see the plan
    client.force_login(province.officer_b)
    assert client.get(plan.get_absolute_url()).status_code == 200


def test_a_ticked_task_without_a_lead_unit_saves_nothing(client, province):
    client.force_login(province.coordinator)
    client.post(
        "/documents/from-text/",
        {
            "step": "confirm",
            "text": "x",
            "unit": province.province.pk,
            "doc_notation": "5/KH-UBND",
            "ref_count": "0",
            "task_count": "1",
            "task-0-include": "on",
            "task-0-title": "Nhiệm vụ",
        },
    )
    assert not Document.objects.filter(notation="5/KH-UBND").exists()


def confirm_post(province, **extra):
    data = {
        "step": "confirm",
        "text": "Kế hoạch thực hiện Chỉ thị số 12-CT/TW ngày 05/01/2022.",
        "unit": province.province.pk,
        "doc_notation": "77/KH-UBND",
        "doc_title": "Kế hoạch đã sửa tay",
        "ref_count": "1",
        "ref-0-include": "on",
        "ref-0-notation": "12-CT/TW",
        "ref-0-kind": "implements",
        "ref-0-issued_on": "05/01/2022",
        "task_count": "1",
        "task-0-include": "on",
        "task-0-title": "Tổ chức quán triệt",
        "task-0-lead": province.union.pk,
        "task-0-due": "30/06/2026",
    }
    data.update(extra)
    return data


def test_the_review_takes_dates_as_officers_write_them(client, province):
    from apps.tasks.models import Task

    client.force_login(province.coordinator)
    review = client.post("/documents/from-text/", {"text": "Số: 77/KH-UBND\nĐồng Tháp, ngày 20 tháng 5 năm 2024\n"})
    assert 'value="20/05/2024"' in review.content.decode()
    assert client.post("/documents/from-text/", confirm_post(province, doc_issued_on="20/05/2024")).status_code == 302
    plan = Document.objects.get(notation="77/KH-UBND")
    assert str(plan.issued_on) == "2024-05-20"
    assert str(Document.objects.get(notation="12-CT/TW").issued_on) == "2022-01-05"
    assert str(Task.objects.get(document=plan).due_date) == "2026-06-30"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("doc_issued_on", "2024-02-30", "Ngày ban hành “2024-02-30” không phải là ngày (dd/mm/yyyy)."),
        ("ref-0-issued_on", "31/13/2022", "Văn bản được trích dẫn 1 (12-CT/TW): ngày “31/13/2022”"),
        ("task-0-due", "31/02/2026", "Nhiệm vụ 1: hạn “31/02/2026” không phải là ngày"),
    ],
)
def test_a_wrong_date_is_named_and_the_review_comes_back_as_the_officer_left_it(
    client, province, field, value, message
):
    client.force_login(province.coordinator)
    response = client.post("/documents/from-text/", confirm_post(province, **{field: value}))
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert "Kế hoạch đã sửa tay" in page and 'value="{}"'.format(value) in page  # nothing typed is lost
    assert not Document.objects.filter(notation="77/KH-UBND").exists()


def test_a_tampered_review_form_gets_an_answer_not_an_error(client, province):
    client.force_login(province.coordinator)
    response = client.post(
        "/documents/from-text/",
        confirm_post(province, ref_count="abc", task_count="x", unit="u", **{"task-0-lead": "z"}),
    )
    assert response.status_code == 400 and "Hãy chọn đơn vị lưu giữ văn bản này." in response.content.decode()


def test_the_review_proposes_the_supporting_units_and_saves_them_on_the_task(client, province):
    from apps.tasks.models import Task

    client.force_login(province.coordinator)
    text = "Số: 78/KH-UBND\n1. {} chủ trì, phối hợp với {} tổ chức đoàn giao lưu hữu nghị.\n".format(
        province.union.name, province.department.name
    )
    review = client.post("/documents/from-text/", {"text": text}).content.decode()
    chosen = '<option value="{}" selected>'.format(province.department.pk)
    assert 'name="task-0-supporting"' in review and chosen in review
    data = confirm_post(
        province,
        doc_notation="78/KH-UBND",
        ref_count="0",
        **{"task-0-supporting": [str(province.department.pk)], "task-0-due": ""},
    )
    assert client.post("/documents/from-text/", data).status_code == 302
    task = Task.objects.get(document__notation="78/KH-UBND")
    assert task.lead_unit == province.union and list(task.supporting_units.all()) == [province.department]
