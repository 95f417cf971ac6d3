"""Round 5 of the review of agreements, activities and partners, as an officer meets it: a typo
in a date does not take the calendar feed down, a delegation travels only on a real approval, the
map and the calendar link to lists showing what they counted, an agreement signed for later is not
in force yet, only work done counts under an agreement and for a partner, an officer saves their
own activity whatever a coordinator linked to it, exports follow the page's order, commitments can
be corrected, merges keep relationships, and blank titles are refused."""

import io
import json
import random
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.activities import ics, selectors, services
from apps.activities.models import Activity, Agreement, AgreementStatus, Commitment, derive_agreement_status
from apps.core.changelog import change_logging
from apps.core.models import JournalEntry, ObjectChange
from apps.documents import services as document_services
from apps.documents.models import Document
from apps.partners import services as partner_services
from apps.partners.models import Country, NgoRegistration, Partner, Relationship
from tests.helpers import page_text


def send(client, method, url, payload):
    return getattr(client, method)(url, json.dumps(payload), content_type="application/json")


def error_fields(response) -> dict:
    """{field: message} of an API error answer."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    return {e["loc"][-1]: e["msg"] for e in response.json()["errors"]}


def partner(unit, name="Tỉnh Prey Veng", code="KH", kind="foreign_locality"):
    with change_logging(user=None):
        return partner_services.partner_create(
            by=None, unit=unit, kind=kind, name=name, country=Country.objects.get(code=code)
        )


def agreement(unit, title="Biên bản ghi nhớ hợp tác", partners=(), other_units=(), commitments=None, **fields):
    fields.setdefault("kind", "memorandum")
    fields.setdefault("signed_on", date(2022, 1, 10))
    with change_logging(user=None):
        return services.agreement_save(
            agreement=Agreement(unit=unit, title=title, **fields),
            by=None,
            partners=list(partners),
            other_units=list(other_units),
            commitments=commitments,
        )


def activity(unit, title="Giao lưu văn hóa", kind="cultural_exchange", partners=(), agreements=(), countries=(),
             **fields):  # fmt: skip
    fields.setdefault("start_date", date(2025, 3, 2))
    with change_logging(user=None):
        return services.activity_save(
            activity=Activity(unit=unit, title=title, kind=kind, **fields),
            by=None,
            partners=list(partners),
            agreements=list(agreements),
            countries=list(countries),
        )


def form_data(unit, **changes) -> dict:
    data = {"kind": "conference", "title": "Hội thảo hợp tác", "unit": unit.pk, "status": "planned",
            "start_date": "20/12/2025", "pillar": "people"}  # fmt: skip
    data.update(changes)
    return data


def feed(client, user):
    return client.get("/feeds/activities/{}/{}.ics".format(user.pk, ics.feed_key(user)))


# -- 1. implausible dates, and a feed that survives one ---------------------------------------


def test_an_activity_ending_in_the_year_9999_is_refused_by_the_form_and_the_api(login, province):
    client = login("officer_a")
    response = client.post("/activities/add/", form_data(province.unit_a, end_date="31/12/9999"))
    assert response.status_code == 400
    message = response.context["form"].errors["end_date"][0]
    assert "31/12/9999" in message and "1900" in message and "2100" in message
    api = send(client, "post", "/api/activities/", {"kind": "reception", "title": "Tiếp khách",
               "unit_id": province.unit_a.pk, "start_date": "9999-12-31"})  # fmt: skip
    assert "31/12/9999" in error_fields(api)["start_date"]
    assert not Activity.objects.filter(unit=province.unit_a).exists()


def test_the_calendar_feed_leaves_out_a_row_it_cannot_write_instead_of_failing(client, province):
    today = timezone.localdate()
    good = activity(province.unit_a, "Đón đoàn Prey Veng", start_date=today)
    broken = activity(province.unit_a, "Hội thảo (năm gõ nhầm)", start_date=today + timedelta(days=3))
    Activity.objects.filter(pk=broken.pk).update(end_date=date(9999, 12, 31))  # entered before dates were bounded
    response = feed(client, province.officer_a)
    assert response.status_code == 200
    body = response.content.decode().replace("\r\n ", "")
    assert "UID:activity-{}@".format(good.pk) in body and "UID:activity-{}@".format(broken.pk) not in body
    assert feed(client, province.leader).status_code == 200


# -- 2. participants capped in the form --------------------------------------------------------


def test_the_form_refuses_more_participants_than_the_api_allows(login, province):
    response = login("officer_a").post(
        "/activities/add/", form_data(province.unit_a, foreign_participants="99999999999999", vn_participants="40")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "10.000.000" in errors["foreign_participants"][0] and "vn_participants" not in errors
    assert not Activity.objects.filter(unit=province.unit_a).exists()


# -- 3. travelling on a real approval, holding nothing in the future --------------------------


def test_an_outgoing_delegation_travels_only_on_an_issued_approval_dated_before_it_left(login, province):
    unit = province.unit_a
    with change_logging(user=None):
        draft = document_services.document_create(
            by=None, unit=unit, type_name="Quyết định", is_draft=True, title="Dự thảo quyết định cử đoàn"
        )
        placeholder = Document.objects.create(unit=unit, notation="99/QĐ-LHHN", is_placeholder=True, title="")
        late = document_services.document_create(
            by=None, unit=unit, notation="77/QĐ-LHHN", title="Quyết định cử đoàn", issued_on=date(2025, 12, 1)
        )
        issued = document_services.document_create(
            by=None, unit=unit, notation="45/QĐ-LHHN", title="Quyết định cử đoàn", issued_on=date(2025, 10, 20)
        )
    client = login("officer_a")
    trip = {"kind": "outgoing_delegation", "title": "Đoàn ra Prey Veng", "unit_id": unit.pk,
            "start_date": "2025-11-01", "end_date": "2025-11-03", "status": "done"}  # fmt: skip
    for document in (draft, placeholder, late):
        response = send(client, "post", "/api/activities/", dict(trip, approval_document_id=document.pk))
        # named under the field, in the officer's language ("Văn bản phê duyệt …")
        assert "Văn bản phê duyệt" in error_fields(response)["approval_document"]
    assert (
        "01/12/2025"
        in error_fields(send(client, "post", "/api/activities/", dict(trip, approval_document_id=late.pk)))[
            "approval_document"
        ]
    )
    assert not Activity.objects.filter(kind="outgoing_delegation").exists()
    made = send(client, "post", "/api/activities/", dict(trip, approval_document_id=issued.pk))
    assert made.status_code == 201 and made.json()["status"] == "done"


def test_nothing_is_marked_held_before_its_start_date(login, province):
    future = timezone.localdate() + timedelta(days=30)
    client = login("officer_a")
    response = send(client, "post", "/api/activities/", {"kind": "reception", "title": "Tiếp đoàn",
                    "unit_id": province.unit_a.pk, "start_date": future.isoformat(), "status": "done"})  # fmt: skip
    assert future.strftime("%d/%m/%Y") in error_fields(response)["status"]
    planned = activity(province.unit_a, "Tiếp đoàn tháng sau", start_date=future)
    with pytest.raises(ValidationError) as error:
        services.activity_set_status(activity=planned, status="done", by=province.officer_a)
    assert "status" in error.value.message_dict
    assert Activity.objects.get(pk=planned.pk).status == "planned"


# -- 4. counts and the lists they link to -------------------------------------------------------


def listed(client, url) -> list:
    return [row.pk for row in client.get(url).context["table"].data]


def test_the_maps_country_links_list_exactly_the_activities_it_counted(login, province):
    cambodia = Country.objects.get(code="KH")
    activity(province.unit_a, "Đoàn vào Prey Veng", kind="incoming_delegation", countries=[cambodia],
             start_date=date(2025, 4, 1))  # fmt: skip
    activity(province.unit_a, "Giao lưu Campuchia", countries=[cambodia], start_date=date(2025, 5, 1))
    activity(province.unit_a, "Tiếp đoàn (đã hủy)", kind="reception", status="cancelled", countries=[cambodia],
             start_date=date(2025, 6, 1))  # fmt: skip
    client = login("officer_a")
    for query, expected in (("year=2025", 2), ("year=2025&kind=incoming_delegation", 1)):
        rows = client.get("/activities/map/?" + query).context["rows"]
        row = next(r for r in rows if r["code"] == "KH")
        assert row["value"] == expected
        assert len(listed(client, row["url"])) == expected, row["url"]


def test_the_calendars_month_and_day_links_list_what_the_calendar_counted(login, province):
    visit = activity(province.unit_a, "Đoàn Prey Veng 29/11–02/12", kind="incoming_delegation",
                     start_date=date(2025, 11, 29), end_date=date(2025, 12, 2))  # fmt: skip
    inside = activity(province.unit_a, "Giao lưu ngày 10/12", start_date=date(2025, 12, 10))
    activity(province.unit_a, "Đã hủy", start_date=date(2025, 12, 11), status="cancelled")
    client = login("officer_a")
    response = client.get("/activities/calendar/?month=2025-12")
    assert response.context["month_total"] == 2
    assert sorted(listed(client, response.context["month_list_url"])) == sorted([visit.pk, inside.pk])
    cells = {day["day"]: day for week in response.context["weeks"] for day in week}
    for day, expected in ((date(2025, 12, 1), [visit.pk]), (date(2025, 12, 10), [inside.pk]),
                          (date(2025, 12, 11), [])):  # fmt: skip
        assert cells[day]["count"] == len(expected)
        assert listed(client, cells[day]["url"]) == expected


# -- 5. not yet in force ------------------------------------------------------------------------


def test_an_agreement_valid_from_a_later_date_is_not_yet_in_force(login, english, province):
    today = timezone.localdate()
    later = agreement(province.unit_a, "MoU hiệu lực từ năm sau", signed_on=today - timedelta(days=10),
                      valid_from=today + timedelta(days=200), valid_to=today + timedelta(days=900))  # fmt: skip
    now = agreement(province.unit_a, "MoU đang hiệu lực", signed_on=today - timedelta(days=10))
    assert later.status == AgreementStatus.NOT_YET and now.status == AgreementStatus.IN_FORCE
    assert derive_agreement_status(valid_to=None, terminated_on=None, today=today, valid_from=today) == "in_force"
    client = login("officer_a")
    for status, expected in (("not_yet_in_force", {later.pk}), ("in_force", {now.pk})):
        assert {row["id"] for row in client.get("/api/agreements/?status=" + status).json()["items"]} == expected
        assert set(listed(client, "/agreements/?status=" + status)) == expected
    assert client.get("/api/agreements/{}/".format(later.pk)).json()["status"] == "not_yet_in_force"
    assert "Not yet in force" in page_text(client.get(later.get_absolute_url()))
    assert later.pk not in listed(client, "/agreements/?expiring_within=3650")


# -- 6. work done under an agreement --------------------------------------------------------------


def test_a_planned_future_activity_is_not_work_done_under_the_agreement(login, province):
    mou = agreement(province.unit_a, "MoU Kampong Cham")
    activity(province.unit_a, "Đoàn ra Kampong Cham (dự kiến)", kind="outgoing_delegation", agreements=[mou],
             start_date=timezone.localdate() + timedelta(days=90), budget=500_000_000, vn_participants=12)  # fmt: skip
    assert selectors.agreement_years(agreement=mou, user=province.officer_a) == []
    client = login("officer_a")
    assert client.get(mou.get_absolute_url()).context["years"] == []
    assert mou.pk in listed(client, "/agreements/?idle_days=365")


def test_the_agreement_page_counts_the_work_of_every_party_without_showing_what_the_reader_cannot_see(login, province):
    today = timezone.localdate()
    mou = agreement(province.unit_a, "MoU Svay Rieng", other_units=[province.unit_b])
    theirs = activity(province.unit_b, "Khám bệnh Svay Rieng (Sở)", kind="charity", agreements=[mou],
                      start_date=today - timedelta(days=40), status="done", vn_participants=30)  # fmt: skip
    years = login("officer_a").get(mou.get_absolute_url()).context["years"]
    assert [(y["year"], y["n"], y["vn"], y["hidden"], y["activities"]) for y in years] == [
        (theirs.start_date.year, 1, 30, 1, [])
    ]
    # the idle list considers the same activities: an agreement with work done is not idle
    assert mou.pk not in listed(login("officer_a"), "/agreements/?idle_days=365")
    coordinator_years = selectors.agreement_years(agreement=mou, user=province.coordinator)
    assert coordinator_years[0]["hidden"] == 0 and coordinator_years[0]["activities"] == [theirs]


# -- 7. dormant partners and undated agreements on the timeline --------------------------------


def test_a_visit_planned_for_later_does_not_wake_a_dormant_partner(login, province):
    kampot = partner(province.unit_a, "Tỉnh Kampot")
    activity(province.unit_a, "Tiếp đoàn Kampot 2023", kind="reception", partners=[kampot],
             start_date=date(2023, 5, 1), status="done")  # fmt: skip
    client = login("officer_a")
    assert kampot.pk in listed(client, "/partners/dormant/")
    activity(province.unit_a, "Đón đoàn Kampot (dự kiến)", kind="incoming_delegation", partners=[kampot],
             start_date=timezone.localdate() + timedelta(days=400))  # fmt: skip
    rows = {row.pk: row for row in client.get("/partners/dormant/").context["table"].data}
    assert kampot.pk in rows and rows[kampot.pk].last_activity == date(2023, 5, 1)


def test_an_agreement_without_a_signing_date_is_on_the_partners_timeline(login, english, province):
    kampot = partner(province.unit_a, "Tỉnh Kampot")
    activity(province.unit_a, "Tiếp đoàn Kampot", partners=[kampot], start_date=date(2024, 5, 1))
    agreement(province.unit_a, "Biên bản ghi nhớ Kampot (chưa ghi ngày ký)", partners=[kampot], signed_on=None)
    response = login("officer_a").get(kampot.get_absolute_url())
    titles = [entry.title for entry in response.context["timeline"]]
    assert titles[0] == "Tiếp đoàn Kampot" and "chưa ghi ngày ký" in titles[-1]
    assert "undated" in page_text(response)


# -- 8. links the officer cannot see ------------------------------------------------------------


@pytest.fixture
def coordinated(province):
    """An activity of the department (officer_b) that a coordinator linked to a partner and an
    agreement of the Union, which officer_b does not see (the agreement linked before the rule
    that its organising unit must be a party)."""
    hidden_partner = partner(province.unit_a, "Đối tác của Liên hiệp")
    hidden_agreement = agreement(province.unit_a, "Thỏa thuận của Liên hiệp")
    own_partner = partner(province.unit_b, "Đối tác của sở", code="LA")
    row = activity(province.unit_b, "Tiếp đoàn", kind="reception", partners=[hidden_partner, own_partner],
                   start_date=date(2025, 10, 1))  # fmt: skip
    row.agreements.add(hidden_agreement)
    return row, hidden_partner, hidden_agreement, own_partner


def test_an_officer_saves_their_activity_whatever_a_coordinator_linked_to_it(login, province, coordinated):
    row, hidden_partner, hidden_agreement, own_partner = coordinated
    client = login("officer_b")
    form = client.get("/activities/{}/edit/".format(row.pk)).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, (list, tuple)):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    assert data["partners"] == [str(own_partner.pk)] and data["agreements"] == []
    data["title"] = "Tiếp đoàn (sửa)"
    response = client.post("/activities/{}/edit/".format(row.pk), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    row.refresh_from_db()
    assert row.title == "Tiếp đoàn (sửa)"
    assert set(row.partners.values_list("pk", flat=True)) == {hidden_partner.pk, own_partner.pk}
    assert list(row.agreements.values_list("pk", flat=True)) == [hidden_agreement.pk]


def test_the_api_shows_an_officer_only_the_links_they_may_see_and_keeps_the_others(
    login, signed_in, province, coordinated
):
    row, hidden_partner, hidden_agreement, own_partner = coordinated
    client = login("officer_b")
    body = client.get("/api/activities/{}/".format(row.pk)).json()
    assert body["partner_ids"] == [own_partner.pk] and body["agreement_ids"] == []
    listed_row = next(r for r in client.get("/api/activities/").json()["items"] if r["id"] == row.pk)
    assert listed_row["partner_ids"] == [own_partner.pk]
    patched = send(client, "patch", "/api/activities/{}/".format(row.pk),
                   {"version": body["version"], "title": "Tiếp đoàn (sửa)", "partner_ids": [], "agreement_ids": []})  # fmt: skip
    assert patched.status_code == 200, patched.content
    row.refresh_from_db()
    assert set(row.partners.values_list("pk", flat=True)) == {hidden_partner.pk}  # own one removed, hidden kept
    assert list(row.agreements.values_list("pk", flat=True)) == [hidden_agreement.pk]
    assert signed_in("coordinator").get("/api/activities/{}/".format(row.pk)).json()["agreement_ids"] == [
        hidden_agreement.pk
    ]
    # a record the officer cannot see is still not linkable anew
    other = partner(province.unit_a, "Đối tác khác của Liên hiệp", code="TH")
    refused = send(client, "patch", "/api/activities/{}/".format(row.pk),
                   {"version": row.version, "partner_ids": [other.pk]})  # fmt: skip
    assert "partner_ids" in error_fields(refused)


def test_an_activity_implements_only_agreements_its_unit_is_a_party_to(login, province):
    unions = agreement(province.unit_a, "Thỏa thuận của Liên hiệp")
    committees = agreement(province.ubnd, "Thỏa thuận của UBND tỉnh")
    client = login("coordinator")
    visit = {"kind": "reception", "title": "Tiếp đoàn", "unit_id": province.unit_b.pk, "start_date": "2025-10-01"}
    refused = send(client, "post", "/api/activities/", dict(visit, agreement_ids=[unions.pk]))
    assert "Thỏa thuận của Liên hiệp" in error_fields(refused)["agreements"]
    # the department is under the People's Committee that signed: it carries the agreement out
    made = send(client, "post", "/api/activities/", dict(visit, agreement_ids=[committees.pk]))
    assert made.status_code == 201 and made.json()["agreement_ids"] == [committees.pk]


# -- 9. exports in the page's order ---------------------------------------------------------------


def test_a_sorted_export_larger_than_one_chunk_follows_the_pages_order(login, province, monkeypatch):
    from openpyxl import load_workbook

    from apps.core import exports

    monkeypatch.setattr(exports, "CHUNK", 40)  # the rule is per chunk; 2,000 rows cost time for nothing
    rng = random.Random(5)
    Activity.objects.bulk_create(
        Activity(
            unit=province.unit_a,
            kind="reception",
            title="HĐ {:05d}".format(rng.randint(0, 99999)),
            start_date=date(2024, 1, 1) + timedelta(days=i % 300),
        )  # fmt: skip
        for i in range(150)
    )
    client = login("officer_a")
    response = client.get("/activities/?sort=title&export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(titles) == 150 and titles == sorted(titles)
    page = client.get("/activities/?sort=title")
    assert [row.record.title for row in page.context["table"].page.object_list][:5] == titles[:5]
    csv = client.get("/activities/?sort=-start_date&export=csv")
    dates = [line.split(",")[0] for line in b"".join(csv.streaming_content).decode().splitlines()[1:]]
    as_days = [date(int(d[6:10]), int(d[3:5]), int(d[0:2])) for d in dates]
    assert as_days == sorted(as_days, reverse=True)


# -- 10. correcting a commitment -----------------------------------------------------------------


def test_correcting_the_wording_of_a_commitment_keeps_the_activities_that_implement_it(login, province):
    mou = agreement(province.unit_a, commitments=["Giao lưu thanh niên hai tỉnh hằng năm", "Hợp tác y tế"])
    first = mou.commitments.get(position=0)
    with change_logging(user=None):
        done = services.activity_save(
            activity=Activity(unit=province.unit_a, kind="cultural_exchange", title="Giao lưu thanh niên",
                              start_date=date(2025, 3, 1)),  # fmt: skip
            by=None, agreements=[mou], commitments=[first],
        )  # fmt: skip
    client = login("officer_a")
    body = client.get("/api/agreements/{}/".format(mou.pk)).json()
    response = send(client, "patch", "/api/agreements/{}/".format(mou.pk), {
        "version": body["version"], "commitments": ["Giao lưu thanh niên hai tỉnh hàng năm.", "Hợp tác y tế"]
    })  # fmt: skip
    assert response.status_code == 200, response.content
    first.refresh_from_db()
    assert first.text == "Giao lưu thanh niên hai tỉnh hàng năm." and list(done.commitments.all()) == [first]
    logged = ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(Commitment), changed_object_id=first.pk, action="update"
    )
    assert logged.exists()
    # dropping it is still refused: activities implement it
    refused = send(client, "patch", "/api/agreements/{}/".format(mou.pk),
                   {"version": response.json()["version"], "commitments": ["Hợp tác y tế"]})  # fmt: skip
    assert refused.status_code == 400 and Commitment.objects.filter(pk=first.pk).exists()


# -- 11. merging keeps a relationship both partners had -------------------------------------------


def test_merging_partners_combines_the_relationship_both_had_with_the_same_unit(login, province):
    unit = province.unit_a
    survivor = partner(unit, "Tỉnh Takeo")
    duplicate = partner(unit, "Takeo Province")
    with change_logging(user=None):
        partner_services.relationship_save(
            relationship=Relationship(unit=unit, partner=survivor, kind="twinning", since=date(2015, 1, 1)), by=None
        )
        partner_services.relationship_save(
            relationship=Relationship(
                unit=unit,
                partner=duplicate,
                kind="twinning",
                since=date(2001, 3, 15),
                description="Kết nghĩa ký ngày 15/3/2001 tại Takeo",
                source="Quyết định 123/QĐ-UBND",
            ),  # fmt: skip
            by=None,
        )
    response = login("officer_a").post("/partners/{}/merge/".format(survivor.pk), {"other": duplicate.pk})
    assert response.status_code == 302
    kept = Relationship.objects.get(partner=survivor)
    assert kept.since == date(2001, 3, 15)
    assert kept.description == "Kết nghĩa ký ngày 15/3/2001 tại Takeo" and kept.source == "Quyết định 123/QĐ-UBND"
    assert ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(Relationship), changed_object_id=kept.pk, action="update"
    ).exists()
    note = JournalEntry.objects.filter(object_id=survivor.pk).latest("pk").comments
    assert str(kept) in note


# -- 12. blank titles, carriage returns, an NGO's kind ------------------------------------------------


@pytest.mark.parametrize("blank", ["   ", "---"])
def test_a_title_or_name_without_words_is_refused(login, province, blank):
    client = login("officer_a")
    unit = province.unit_a.pk
    assert "title" in error_fields(send(client, "post", "/api/agreements/",
                                        {"kind": "memorandum", "title": blank, "unit_id": unit}))  # fmt: skip
    assert "title" in error_fields(send(client, "post", "/api/activities/", {
        "kind": "reception", "title": blank, "unit_id": unit, "start_date": "2025-10-01"}))  # fmt: skip
    for confirm in (True, False):
        assert "name" in error_fields(send(client, "post", "/api/partners/", {
            "kind": "foreign_ngo", "name": blank, "unit_id": unit, "confirm_distinct": confirm}))  # fmt: skip
    assert not Agreement.objects.exists() and not Activity.objects.exists()
    assert not Partner.objects.filter(name=blank).exists()


def test_a_carriage_return_in_a_title_stays_inside_the_events_summary(client, province):
    today = timezone.localdate()
    activity(province.unit_a, "Tiếp đoàn Prey Veng\rBEGIN:VEVENT\rSUMMARY:Giả mạo", start_date=today)
    body = feed(client, province.officer_a).content
    assert body.count(b"\r") == body.count(b"\r\n")  # no lone CR
    unfolded = body.decode().replace("\r\n ", "")
    assert unfolded.split("\r\n").count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Tiếp đoàn Prey Veng\\nBEGIN:VEVENT\\nSUMMARY:Giả mạo" in unfolded


def test_a_registered_ngo_keeps_its_kind_while_it_has_registrations(login, province):
    ngo = partner(province.unit_a, "ChildFund", code="AU", kind="foreign_ngo")
    with change_logging(user=None):
        partner_services.registration_save(
            registration=NgoRegistration(
                partner=ngo,
                kind="activity",
                number="12/ĐK-BNG",
                issued_on=date(2025, 1, 1),
                expires_on=date(2027, 12, 31),
            ),  # fmt: skip
            by=None,
        )
    client = login("officer_a")
    version = client.get("/api/partners/{}/".format(ngo.pk)).json()["version"]
    response = send(
        client, "patch", "/api/partners/{}/".format(ngo.pk), {"version": version, "kind": "foreign_locality"}
    )
    assert "Nghị định 58" in error_fields(response)["kind"]
    assert Partner.objects.get(pk=ngo.pk).kind == "foreign_ngo"
