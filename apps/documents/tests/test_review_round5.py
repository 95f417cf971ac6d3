"""Review round 5 of documents: what an officer checks after the fixes.

Visibility of link targets, notations corrected after entry, placeholders merged into the real
record, the year of a normative notation, the two spellings of a Party Quy định, loops in the
cascade, notations that are not notations, files left behind by a deletion, the cascade of a viewer
who may not see a document in the middle, and types that contradict their code.

Messages are compared with what the catalogue gives (``said``), so the tests hold before and after
the Vietnamese translations are added.
"""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from apps.core.models import Attachment, JournalEntry, ObjectChange
from apps.documents import services
from apps.documents.models import Document, DocumentLink
from apps.documents.selectors import document_cascade
from tests.helpers import page_text

NOT_A_NOTATION = (
    "“{}” is not a document notation. Write it as in the document, for example 12-CT/TW, "
    "2722/KH-UBND or 12/2021/QĐ-UBND."
)
NO_SUCH_TARGET = "No document {} that you may see: enter it first, then link to it."


def said(msgid: str, *args, **kwargs) -> str:
    """What the officer reads for ``msgid`` in the site's language, formatted as the code does."""
    with translation.override("vi"):
        return translation.gettext(msgid).format(*args, **kwargs)


def api(client, method, url, data=None):
    return getattr(client, method)(url, data, content_type="application/json")


def error_fields(response) -> list[str]:
    return [e["loc"][-1] for e in response.json()["errors"]]


def changes(obj, action):
    return ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(type(obj)), changed_object_id=obj.pk, action=action
    )


def attach_file(document, by):
    from apps.core.services import attachment_create

    return attachment_create(parent=document, upload=SimpleUploadedFile("scan.txt", b"noi dung\n", "text/plain"), by=by)


@pytest.fixture
def signed_in(province):
    """``signed_in("officer_b")`` → a client of its own, signed in as that persona."""

    def make(who):
        client = Client()
        client.force_login(getattr(province, who))
        return client

    return make


@pytest.fixture
def secret(province):
    """A plan the Union keeps; the department's officer (officer_b) may not see it."""
    return services.document_create(
        by=None, unit=province.union, notation="77/KH-LHHN", title="Kế hoạch đoàn ra", issued_on=date(2024, 3, 1)
    )


@pytest.fixture
def own_b(province):
    return services.document_create(by=None, unit=province.department, notation="15/SNgV-VP", title="Công văn")


# -- 1. a link never reaches a document the user may not see -----------------------------------------


def test_the_api_refuses_a_link_to_a_hidden_document_exactly_as_to_an_unknown_one(signed_in, province, secret, own_b):
    client = signed_in("officer_b")
    assert client.get("/api/documents/{}/".format(secret.pk)).status_code == 404
    hidden = api(client, "post", "/api/documents/{}/links/".format(own_b.pk), {"target": "77/KH-LHHN", "kind": "cites"})
    unknown = api(
        client, "post", "/api/documents/{}/links/".format(own_b.pk), {"target": "78/KH-LHHN", "kind": "cites"}
    )
    assert hidden.status_code == unknown.status_code == 400
    assert error_fields(hidden) == error_fields(unknown) == ["target"]
    assert hidden.json()["detail"] == said(NO_SUCH_TARGET, "77/KH-LHHN")
    assert unknown.json()["detail"] == said(NO_SUCH_TARGET, "78/KH-LHHN")
    # nothing was linked, and no placeholder stands beside the hidden plan
    assert not DocumentLink.objects.exists()
    assert list(Document.objects.filter(number__in=["77", "78"]).values_list("pk", flat=True)) == [secret.pk]


def test_the_link_form_says_the_same_for_a_hidden_and_an_unknown_document(signed_in, province, secret, own_b):
    client = signed_in("officer_b")
    url = "/documents/{}/links/add/".format(own_b.pk)
    hidden = page_text(client.post(url, {"kind": "cites", "target": "77/KH-LHHN"}, follow=True))
    unknown = page_text(client.post(url, {"kind": "cites", "target": "79/KH-LHHN"}, follow=True))
    assert said(NO_SUCH_TARGET, "77/KH-LHHN") in hidden
    assert said(NO_SUCH_TARGET, "79/KH-LHHN") in unknown
    assert not DocumentLink.objects.exists() and not Document.objects.filter(is_placeholder=True).exists()


def test_an_officer_still_links_to_a_document_he_may_see(signed_in, province, own_b):
    directive = services.document_create(by=None, unit=province.province, notation="12-CT/TW")
    response = api(signed_in("officer_b"), "post", "/api/documents/{}/links/".format(own_b.pk), {"target": "12/ct-tw"})
    assert response.status_code == 201 and response.json()["target_id"] == directive.pk


def test_confirming_a_text_does_not_link_a_cited_document_the_officer_may_not_see(signed_in, province, secret):
    directive = services.document_create(by=None, unit=province.province, notation="12-CT/TW")
    response = signed_in("officer_b").post(
        "/documents/from-text/",
        {
            "step": "confirm",
            "text": "Thực hiện Chỉ thị số 12-CT/TW và Kế hoạch số 77/KH-LHHN …",
            "unit": province.department.pk,
            "doc_notation": "20/KH-SNgV",
            "ref_count": "3",
            **{"ref-0-include": "on", "ref-0-notation": "12-CT/TW", "ref-0-kind": "implements"},
            **{"ref-1-include": "on", "ref-1-notation": "77/KH-LHHN", "ref-1-kind": "cites"},
            **{"ref-2-include": "on", "ref-2-notation": "80/KH-LHHN", "ref-2-kind": "cites"},
        },
    )
    assert response.status_code == 302
    plan = Document.objects.get(notation="20/KH-SNgV")
    assert {(link.target.notation, link.target_id == directive.pk) for link in plan.links_out.all()} == {
        ("12-CT/TW", True),
        ("80/KH-LHHN", False),  # never entered: a placeholder, as before
    }
    assert not secret.links_in.exists()
    assert Document.objects.filter(number="77").count() == 1  # no second record of the hidden plan


def test_finding_a_document_for_a_user_keeps_to_what_they_may_see(province, secret):
    assert services.find_existing("77/KH-LHHN") == secret
    assert services.find_existing("77/KH-LHHN", user=province.officer_a) == secret
    assert services.find_existing("77/KH-LHHN", user=province.officer_b) is None


# -- 2. a corrected notation brings its number, year, type and issuer code -------------------------------


def test_correcting_the_notation_on_the_form_derives_everything_again(signed_in, province):
    decision = services.document_create(
        by=None, unit=province.ubnd, notation="12/2021/QĐ-UBND", issued_on=date(2021, 3, 1), title="t"
    )
    response = signed_in("coordinator").post(
        "/documents/{}/edit/".format(decision.pk),
        {
            "notation": "15/2022/NQ-HĐND",
            "system": "state",
            "type_name": "Quyết định",  # as the form showed it: the officer only corrected the notation
            "issued_on": "01/03/2022",
            "title": "t",
            "unit": province.ubnd.pk,
            "_version": decision.version,
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.notation, decision.number, decision.year, decision.type_code) == (
        "15/2022/NQ-HĐND",
        "15",
        2022,
        "NQ",
    )
    assert (decision.type_name, decision.issuer_code) == ("Nghị quyết", "HĐND")


def test_correcting_the_notation_over_the_api_derives_everything_again(signed_in, province):
    decision = services.document_create(by=None, unit=province.ubnd, notation="12/2021/QĐ-UBND")
    client = signed_in("coordinator")
    response = api(
        client,
        "patch",
        "/api/documents/{}/".format(decision.pk),
        {"version": decision.version, "notation": "108-KH/TU"},
    )
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("system", "number", "year", "type_code", "type_name", "issuer_code")} == {
        "system": "party",
        "number": "108",
        "year": None,
        "type_code": "KH",
        "type_name": "Kế hoạch",
        "issuer_code": "TU",
    }
    assert client.get("/api/documents/", {"type_code": "QĐ"}).json()["items"] == []


def test_a_type_the_officer_wrote_stays_when_the_corrected_notation_agrees(province):
    programme = services.document_create(
        by=None, unit=province.union, notation="1830/LHHN-VP", type_name="Chương trình hành động"
    )
    programme.notation = "15-CTr/TU"
    services.document_update(document=programme, by=None)
    programme.refresh_from_db()
    assert (programme.type_code, programme.type_name, programme.issuer_code) == ("CTr", "Chương trình hành động", "TU")


# -- 3. numbering a draft that was already cited merges the placeholder ----------------------------------


def test_numbering_a_draft_merges_the_placeholder_cited_under_that_number(signed_in, province):
    from apps.tasks import services as tasks

    citing = services.document_from_extraction(
        by=None,
        unit=province.ubnd,
        document={"notation": "605/KH-UBND"},
        references=[{"notation": "700/KH-UBND", "kind": "implements"}],
    )
    placeholder = Document.objects.get(notation="700/KH-UBND")
    task = tasks.task_create(
        by=None, title="Nhiệm vụ từ văn bản được trích dẫn", lead_unit=province.department, document=placeholder
    )
    scan = attach_file(placeholder, province.coordinator)
    draft = services.document_create(by=None, unit=province.ubnd, title="Kế hoạch (dự thảo)", is_draft=True)

    response = api(
        signed_in("coordinator"),
        "patch",
        "/api/documents/{}/".format(draft.pk),
        {"version": draft.version, "notation": "700/KH-UBND", "is_draft": False, "issued_on": "2024-05-01"},
    )
    assert response.status_code == 200, response.content
    assert list(Document.objects.filter(notation="700/KH-UBND").values_list("pk", flat=True)) == [draft.pk]
    link = DocumentLink.objects.get(source=citing)
    task.refresh_from_db()
    scan.refresh_from_db()
    assert (link.target_id, task.document_id, scan.object_id) == (draft.pk, draft.pk, draft.pk)
    assert province.department in Document.objects.get(pk=draft.pk).shared_units.all()  # the task's unit follows it
    # every move is in the change log, and so is the placeholder's end
    assert changes(link, "update").exists() and changes(task, "update").exists() and changes(scan, "update").exists()
    assert changes(placeholder, "delete").exists()
    # and the document's notes say where its citations came from
    note = JournalEntry.objects.get(object_id=draft.pk, object_type=ContentType.objects.get_for_model(Document))
    assert "#{}".format(placeholder.pk) in note.comments


# -- 4. the year in a normative notation identifies the document --------------------------------------------


@pytest.fixture
def decision_2021(province):
    return services.document_create(
        by=None, unit=province.ubnd, notation="12/2021/QĐ-UBND", issued_on=date(2021, 3, 1), title="QĐ 2021"
    )


def test_citing_the_same_number_of_another_year_links_to_another_document(province, decision_2021):
    plan = services.document_from_extraction(
        by=None,
        unit=province.ubnd,
        document={"notation": "600/KH-UBND"},
        references=[{"notation": "12/2022/QĐ-UBND", "kind": "implements"}],
    )
    target = plan.links_out.get().target
    assert target.pk != decision_2021.pk and (target.notation, target.year) == ("12/2022/QĐ-UBND", 2022)


def test_the_same_number_of_another_year_is_entered_without_a_date(signed_in, province, decision_2021):
    response = api(
        signed_in("coordinator"),
        "post",
        "/api/documents/",
        {"notation": "12/2022/QĐ-UBND", "unit_id": province.ubnd.pk},
    )
    assert response.status_code == 201 and response.json()["year"] == 2022


def test_the_same_decision_entered_again_with_a_date_of_another_year_is_refused(signed_in, province, decision_2021):
    response = signed_in("coordinator").post(
        "/documents/add/",
        {
            "notation": "12/2021/QĐ-UBND",
            "system": "state",
            "issued_on": "05/01/2022",
            "title": "t",
            "unit": province.ubnd.pk,
        },
    )
    assert response.status_code == 400
    assert "issued_on" in response.context["form"].errors
    assert Document.objects.filter(notation="12/2021/QĐ-UBND").count() == 1


def test_an_issue_date_outside_the_notations_year_is_refused_under_the_date(signed_in, province):
    response = signed_in("coordinator").post(
        "/documents/add/",
        {
            "notation": "20/2021/QĐ-UBND",
            "system": "state",
            "issued_on": "10/10/2019",
            "title": "t",
            "unit": province.ubnd.pk,
        },
    )
    assert response.status_code == 400
    message = " ".join(response.context["form"].errors["issued_on"])
    assert "10/10/2019" in message and "2021" in message
    assert not Document.objects.filter(notation="20/2021/QĐ-UBND").exists()


def test_searching_a_normative_notation_keeps_to_its_year(signed_in, province, decision_2021):
    services.document_create(by=None, unit=province.ubnd, notation="12/2022/QĐ-UBND", title="QĐ 2022")
    items = signed_in("coordinator").get("/api/documents/", {"q": "12/2022/QĐ-UBND"}).json()["items"]
    assert [i["notation"] for i in items] == ["12/2022/QĐ-UBND"]


# -- 5. a Party Quy định written QĐi or QĐ is one document ------------------------------------------------


def test_both_spellings_of_a_party_regulation_are_one_document(signed_in, province):
    for number, spelling in (("601", "05-QĐi/TW"), ("602", "05-QĐ/TW")):
        services.document_from_extraction(
            by=None,
            unit=province.ubnd,
            document={"notation": "{}/KH-UBND".format(number)},
            references=[{"notation": spelling, "type": "Quy định"}],
        )
    assert Document.objects.filter(is_placeholder=True).count() == 1
    real = services.document_create(by=None, unit=province.province, notation="05-QĐi/TW", issued_on=date(2023, 1, 10))
    assert not real.is_placeholder and real.links_in.count() == 2
    client = signed_in("coordinator")
    for query in ("05-QĐ/TW", "05-QĐi/TW", "5-qđ/tw"):
        assert [i["id"] for i in client.get("/api/documents/", {"q": query}).json()["items"]] == [real.pk]


# -- 6. links: no loops, one message for a self-link, and unlinking over the API ---------------------------


@pytest.fixture
def chain(province):
    """A implements B, B implements C."""
    a, b, c = (
        services.document_create(by=None, unit=province.ubnd, notation="{}/KH-UBND".format(n)) for n in (100, 101, 102)
    )
    services.document_link(source=a, target=b, kind="implements", by=None)
    services.document_link(source=b, target=c, kind="implements", by=None)
    return a, b, c


def test_a_link_closing_a_circle_is_refused_and_names_the_documents(signed_in, province, chain):
    a, b, c = chain
    client = signed_in("coordinator")
    for source, target in ((c, a), (b, a)):
        response = api(client, "post", "/api/documents/{}/links/".format(source.pk), {"target": target.notation})
        assert response.status_code == 400 and error_fields(response) == ["target"]
        assert all(d.notation in response.json()["detail"] for d in (source, target))
    assert DocumentLink.objects.count() == 2
    # citing back is no loop of implementation
    assert (
        api(
            client, "post", "/api/documents/{}/links/".format(c.pk), {"target": a.notation, "kind": "cites"}
        ).status_code
        == 201
    )


def test_a_self_link_is_refused_with_one_message(signed_in, province, chain):
    a, _b, _c = chain
    response = api(signed_in("coordinator"), "post", "/api/documents/{}/links/".format(a.pk), {"target": "100-kh/ubnd"})
    assert response.status_code == 400 and len(response.json()["errors"]) == 1
    assert response.json()["detail"] == said("A document cannot be linked to itself.")


@pytest.mark.parametrize(
    "who, status",
    [(None, 401), ("officer_b", 404), ("leader", 403), ("officer_a", 204), ("coordinator", 204), ("admin", 204)],
)
def test_a_link_is_removed_over_the_api_by_who_may_link_the_document(client, signed_in, province, who, status):
    plan = services.document_create(by=None, unit=province.union, notation="15/KH-LHHN")
    directive = services.document_create(by=None, unit=province.province, notation="12-CT/TW")
    link = services.document_link(source=plan, target=directive, kind="implements", by=None)
    user = client if who is None else signed_in(who)
    response = user.delete("/api/documents/{}/links/{}/".format(plan.pk, link.pk))
    assert response.status_code == status
    assert DocumentLink.objects.filter(pk=link.pk).exists() == (status != 204)
    if status == 204:
        assert changes(link, "delete").get().user == getattr(province, who)


def test_removing_a_link_takes_one_of_the_documents_own_links(signed_in, province):
    plan = services.document_create(by=None, unit=province.union, notation="15/KH-LHHN")
    other = services.document_create(by=None, unit=province.union, notation="16/KH-LHHN")
    directive = services.document_create(by=None, unit=province.province, notation="12-CT/TW")
    link = services.document_link(source=other, target=directive, kind="implements", by=None)
    response = signed_in("officer_a").delete("/api/documents/{}/links/{}/".format(plan.pk, link.pk))
    assert response.status_code == 404 and DocumentLink.objects.filter(pk=link.pk).exists()


def test_the_page_removes_a_link_too(signed_in, province):
    plan = services.document_create(by=None, unit=province.union, notation="15/KH-LHHN")
    directive = services.document_create(by=None, unit=province.province, notation="12-CT/TW")
    link = services.document_link(source=plan, target=directive, kind="implements", by=None)
    assert signed_in("officer_a").post("/document-links/{}/delete/".format(link.pk)).status_code == 302
    assert not DocumentLink.objects.filter(pk=link.pk).exists() and changes(link, "delete").exists()


# -- 7. a notation must be a notation; a draft's blank number is no notation ---------------------------------


@pytest.mark.parametrize("text", ["12-CT", "CT/TW", "hello world", "xin chào", "12-CT/TW và 13-CT/TW"])
def test_text_that_is_not_a_notation_is_refused_naming_the_field(signed_in, province, text):
    client = signed_in("coordinator")
    response = api(client, "post", "/api/documents/", {"notation": text, "unit_id": province.ubnd.pk})
    assert response.status_code == 400 and error_fields(response) == ["notation"]
    assert response.json()["detail"] == said(NOT_A_NOTATION, text)
    page = client.post("/documents/add/", {"notation": text, "system": "state", "title": "t", "unit": province.ubnd.pk})
    assert page.status_code == 400 and page.context["form"].errors["notation"] == [said(NOT_A_NOTATION, text)]
    assert not Document.objects.exists()


@pytest.mark.parametrize("text", ["   ", "xin chào", "CT/TW"])
def test_text_that_is_not_a_notation_is_no_link_target(signed_in, province, text):
    plan = services.document_create(by=None, unit=province.union, notation="15/KH-LHHN")
    response = api(signed_in("officer_a"), "post", "/api/documents/{}/links/".format(plan.pk), {"target": text})
    assert response.status_code == 400 and error_fields(response) == ["target"]
    assert Document.objects.count() == 1 and not DocumentLink.objects.exists()


@pytest.mark.parametrize("text", ["/KH-UBND", "Số:    /KH-UBND", "…/KH-UBND"])
def test_a_drafts_blank_number_is_kept_as_no_notation_and_two_drafts_are_not_one(province, text):
    first = services.document_create(by=None, unit=province.ubnd, notation=text, title="Dự thảo 1", is_draft=True)
    second = services.document_create(by=None, unit=province.ubnd, notation=text, title="Dự thảo 2", is_draft=True)
    assert first.pk != second.pk
    for draft in (first, second):
        assert (draft.notation, draft.number, draft.type_code, draft.type_name) == ("", "", "KH", "Kế hoạch")


def test_a_blank_number_on_a_document_that_is_not_a_draft_is_refused(province):
    with pytest.raises(ValidationError) as refused:
        services.document_create(by=None, unit=province.ubnd, notation="/KH-UBND", title="t")
    assert list(refused.value.message_dict) == ["notation"]


# -- 8. a document with files is not deleted ------------------------------------------------------------


def test_a_document_with_files_is_not_deleted_until_they_are_removed(signed_in, province):
    document = services.document_create(by=None, unit=province.union, notation="300/LHHN-VP", title="có tệp")
    scan = attach_file(document, province.officer_a)
    client = signed_in("officer_a")
    response = client.post("/documents/{}/delete/".format(document.pk), follow=True)
    assert Document.objects.filter(pk=document.pk).exists() and Attachment.objects.filter(pk=scan.pk).exists()
    assert document.notation in page_text(response)
    api_answer = client.delete("/api/documents/{}/".format(document.pk))
    assert api_answer.status_code == 400 and Document.objects.filter(pk=document.pk).exists()
    # removing the file first, then the document
    assert client.post("/files/{}/delete/".format(scan.pk)).status_code == 302
    assert client.delete("/api/documents/{}/".format(document.pk)).status_code == 204
    assert changes(scan, "delete").exists() and changes(document, "delete").exists()


# -- 9. the cascade passes through a document the viewer may not see ----------------------------------------


@pytest.fixture
def cascade(province):
    """Directive (province) ← plan (People's Committee) ← programme (Union), with the Union's task.
    The Union's officer sees the directive (kept above) and the programme, not the plan."""
    from apps.tasks import services as tasks

    directive = services.document_create(by=None, unit=province.province, notation="12-CT/TW", title="Chỉ thị")
    plan = services.document_create(
        by=None, unit=province.ubnd, notation="2722/KH-UBND", title="Kế hoạch riêng của UBND"
    )
    programme = services.document_create(by=None, unit=province.union, notation="1830/LHHN-VP", title="Chương trình")
    services.document_link(source=plan, target=directive, kind="implements", by=None)
    services.document_link(source=programme, target=plan, kind="implements", by=None)
    task = tasks.task_create(by=None, title="Tổ chức giao lưu hữu nghị", lead_unit=province.union, document=programme)
    return directive, plan, programme, task


def test_the_viewers_branch_shows_under_the_directive_without_the_hidden_plan(signed_in, province, cascade):
    directive, plan, programme, task = cascade
    _ancestors, root = document_cascade(document=directive, user=province.officer_a)
    [veil] = root.children
    assert veil.veiled and veil.document is None
    assert [child.document for child in veil.children] == [programme]
    assert root.task_count == 1 and veil.children[0].tasks == [task]
    page = page_text(signed_in("officer_a").get(directive.get_absolute_url()))
    assert programme.notation in page and task.title in page
    assert plan.notation not in page and plan.title not in page
    # from the programme upwards: the directive, with the plan left unnamed
    ancestors, _root = document_cascade(document=programme, user=province.officer_a)
    assert ancestors == [directive, None]
    page = page_text(signed_in("officer_a").get(programme.get_absolute_url()))
    assert directive.notation in page and plan.notation not in page


def test_who_may_see_the_whole_cascade_sees_it_as_before(province, cascade):
    directive, plan, programme, _task = cascade
    _ancestors, root = document_cascade(document=directive, user=province.coordinator)
    assert [c.document for c in root.children] == [plan] and [c.document for c in root.children[0].children] == [
        programme
    ]
    assert not any(node.veiled for node in (root, *root.children))


def test_the_cascade_costs_the_same_queries_however_many_documents_are_hidden(province, cascade):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    directive, plan, _programme, _task = cascade

    def branches(numbers):
        # each: a plan of the People's Committee (hidden from the Union) with the Union's document under it
        for n in numbers:
            hidden = services.document_create(by=None, unit=province.ubnd, notation="{}/KH-UBND".format(3000 + n))
            services.document_link(source=hidden, target=plan, kind="implements", by=None)
            mine = services.document_create(by=None, unit=province.union, notation="{}/LHHN-VP".format(4000 + n))
            services.document_link(source=mine, target=hidden, kind="implements", by=None)

    def cost():
        document_cascade(document=directive, user=province.officer_a)  # warm what is cached per process
        with CaptureQueriesContext(connection) as captured:
            _ancestors, root = document_cascade(document=directive, user=province.officer_a)
        return len(captured), root

    branches(range(1))
    few, root = cost()
    branches(range(1, 30))
    many, root = cost()
    assert many == few  # a query per level, none per document
    assert len(root.children[0].children) == 31  # the programme and the 30 documents of the Union


# -- 10. the type must agree with the type code ---------------------------------------------------------------


def test_a_type_contradicting_the_code_is_refused_naming_the_type(signed_in, province):
    client = signed_in("coordinator")
    response = api(
        client,
        "post",
        "/api/documents/",
        {"notation": "79/KH-UBND", "type_name": "Chỉ thị", "unit_id": province.ubnd.pk},
    )
    assert response.status_code == 400 and error_fields(response) == ["type_name"]
    page = client.post(
        "/documents/add/",
        {
            "notation": "86/2024/QĐ-UBND",
            "type_name": "Kế hoạch",
            "system": "state",
            "title": "t",
            "unit": province.ubnd.pk,
        },
    )
    assert page.status_code == 400 and "Kế hoạch" in " ".join(page.context["form"].errors["type_name"])
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "notation, type_name",
    [
        ("83-QĐ/TW", "Quy định"),
        ("83-QĐ/TW", "Quyết định"),
        ("15-CTr/TU", "Chương trình hành động"),
        ("1830/LHHN-VP", "Chương trình"),
    ],
)
def test_a_type_the_code_allows_is_kept(province, notation, type_name):
    document = services.document_create(by=None, unit=province.province, notation=notation, type_name=type_name)
    assert document.type_name == type_name
