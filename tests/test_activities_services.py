"""Agreements and activities as an officer uses them: an outgoing delegation does not travel
without its approval, an agreement's status follows its dates, the lists of agreements expiring
and idle are right, the agreement page shows each year's work, the partner page and the dormant
list see activities and agreements, every change is in the change log, and the lists search,
export and stay within a few queries."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.activities import selectors, services
from apps.activities.models import Activity, Agreement, AgreementStatus, DelegationMember, derive_agreement_status
from apps.core.changelog import change_logging
from apps.core.models import ObjectChange
from apps.documents import services as document_services
from apps.partners import services as partner_services
from apps.partners import timeline
from apps.partners.models import Country, Partner
from tests.helpers import page_text

# The interface speaks Vietnamese first (msgid: "An outgoing delegation cannot be marked as travelled without its approval …").
TRAVEL_ERROR = "Đoàn ra chưa có văn bản phê duyệt thì không thể đánh dấu là đã đi"


def partner(unit, name="Tỉnh Prey Veng", code="KH"):
    with change_logging(user=None):
        return partner_services.partner_create(
            by=None, unit=unit, kind="foreign_locality", name=name, country=Country.objects.get(code=code)
        )


def agreement(unit, title="Biên bản ghi nhớ hợp tác giáo dục", partners=(), commitments=None, **fields):
    fields.setdefault("kind", "memorandum")
    fields.setdefault("signed_on", date(2023, 4, 10))
    with change_logging(user=None):
        return services.agreement_save(
            agreement=Agreement(unit=unit, title=title, **fields),
            by=None,
            partners=list(partners),
            commitments=commitments,
        )


def activity(unit, title="Giao lưu văn hóa", kind="cultural_exchange", partners=(), agreements=(), **fields):
    fields.setdefault("start_date", date(2025, 3, 2))
    with change_logging(user=None):
        return services.activity_save(
            activity=Activity(unit=unit, title=title, kind=kind, **fields),
            by=None,
            partners=list(partners),
            agreements=list(agreements),
        )


def approval(unit):
    with change_logging(user=None):
        return document_services.document_create(
            by=None, unit=unit, notation="45/QĐ-UBND", title="Quyết định cử đoàn công tác sang Campuchia"
        )


# -- the travel rule ---------------------------------------------------------------------------


def test_an_outgoing_delegation_cannot_be_marked_as_travelled_without_its_approval(province):
    trip = activity(province.unit_a, "Đoàn ra Prey Veng", kind="outgoing_delegation")
    with pytest.raises(ValidationError) as error:
        services.activity_set_status(activity=trip, status="done", by=province.officer_a)
    assert TRAVEL_ERROR in error.value.message_dict["status"][0]
    assert Activity.objects.get(pk=trip.pk).status == "planned"

    trip.approval_document = approval(province.unit_a)
    with change_logging(user=province.officer_a):
        services.activity_save(activity=trip, by=province.officer_a)
        services.activity_set_status(activity=trip, status="done", by=province.officer_a)
    assert Activity.objects.get(pk=trip.pk).status == "done"


def test_an_outgoing_delegation_cannot_be_created_as_travelled_without_approval_either(province):
    with pytest.raises(ValidationError):
        activity(province.unit_a, "Đoàn ra", kind="outgoing_delegation", status="done")
    # An incoming delegation needs no approval of ours to have come.
    assert activity(province.unit_a, "Đoàn vào", kind="incoming_delegation", status="done").status == "done"


def test_the_page_refuses_travel_without_approval_with_a_clear_message(login, province):
    trip = activity(province.unit_a, "Đoàn ra Banteay Meanchey", kind="outgoing_delegation")
    client = login("officer_a")
    page = page_text(client.get(trip.get_absolute_url()))
    assert "approval" in page or "phê duyệt" in page
    response = client.post("/activities/{}/status/".format(trip.pk), {"status": "done"}, follow=True)
    assert TRAVEL_ERROR in page_text(response) or "phê duyệt" in page_text(response)
    assert Activity.objects.get(pk=trip.pk).status == "planned"


def test_the_api_refuses_travel_without_approval_with_400(signed_in, province):
    trip = activity(province.unit_a, "Đoàn ra Salavan", kind="outgoing_delegation")
    response = signed_in("officer_a").post(
        "/api/activities/{}/status/".format(trip.pk), {"status": "done"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["loc"] == ["status"]


def test_only_a_delegation_has_members(province):
    exchange = activity(province.unit_a)
    with pytest.raises(ValidationError):
        services.member_save(member=DelegationMember(activity=exchange, name="Ông A"), by=None)


# -- agreements: status, lists, implementation --------------------------------------------------


@pytest.mark.parametrize(
    "valid_to, terminated_on, expected",
    [
        (None, None, AgreementStatus.IN_FORCE),
        (date(2026, 1, 1), None, AgreementStatus.IN_FORCE),
        (date(2025, 12, 31), None, AgreementStatus.EXPIRED),
        (date(2030, 1, 1), date(2025, 6, 1), AgreementStatus.TERMINATED),
        (date(2030, 1, 1), date(2026, 6, 1), AgreementStatus.IN_FORCE),
    ],
)
def test_an_agreements_status_follows_its_dates_in_python_and_in_sql(province, valid_to, terminated_on, expected):
    today = date(2026, 1, 1)
    assert derive_agreement_status(valid_to=valid_to, terminated_on=terminated_on, today=today) == expected
    row = agreement(province.unit_a, valid_to=valid_to, terminated_on=terminated_on)
    from apps.activities.models import agreement_status_q

    for status in AgreementStatus.values:
        found = Agreement.objects.filter(pk=row.pk).filter(agreement_status_q(status, today)).exists()
        assert found is (status == expected), status


def test_an_agreement_ending_before_it_starts_is_refused_on_the_form(login, province):
    response = login("officer_a").post(
        "/agreements/add/",
        {"kind": "twinning", "title": "Thỏa thuận kết nghĩa", "unit": province.unit_a.pk,
         "valid_from": "01/01/2025", "valid_to": "31/12/2024"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not Agreement.objects.filter(title="Thỏa thuận kết nghĩa").exists()


def test_the_form_creates_an_agreement_with_its_commitments_in_the_change_log(login, province):
    prey_veng = partner(province.unit_a)
    response = login("officer_a").post(
        "/agreements/add/",
        {"kind": "twinning", "title": "Thỏa thuận kết nghĩa Đồng Tháp – Prey Veng", "unit": province.unit_a.pk,
         "partners": [prey_veng.pk], "signed_on": "15/03/2024", "valid_from": "15/03/2024",
         "valid_to": "14/03/2029", "commitment_lines": "Trao đổi đoàn hằng năm\nHợp tác y tế biên giới"},
    )  # fmt: skip
    assert response.status_code == 302, page_text(response)[:2000]
    created = Agreement.objects.get(title__startswith="Thỏa thuận kết nghĩa Đồng Tháp")
    assert [c.text for c in created.commitments.all()] == ["Trao đổi đoàn hằng năm", "Hợp tác y tế biên giới"]
    assert list(created.partners.all()) == [prey_veng]
    assert created.signed_on == date(2024, 3, 15)
    logged = ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(Agreement),
                                         changed_object_id=created.pk)  # fmt: skip
    assert logged.filter(action="create", user=province.officer_a).exists()
    assert (
        ObjectChange.objects.filter(
            changed_object_type=ContentType.objects.get_for_model(created.commitments.first()), action="create"
        ).count()
        >= 2
    )


def test_the_expiring_and_idle_lists(login, province):
    today = timezone.localdate()
    soon = agreement(province.unit_a, "Sắp hết hạn", signed_on=today - timedelta(days=900),
                     valid_to=today + timedelta(days=30))  # fmt: skip
    later = agreement(province.unit_a, "Còn lâu", signed_on=today - timedelta(days=900),
                      valid_to=today + timedelta(days=400))  # fmt: skip
    busy = agreement(province.unit_a, "Có hoạt động", signed_on=today - timedelta(days=900))
    activity(province.unit_a, "Hoạt động gần đây", agreements=[busy], start_date=today - timedelta(days=20))
    new = agreement(province.unit_a, "Mới ký", signed_on=today - timedelta(days=10))
    client = login("officer_a")
    expiring = client.get("/agreements/?expiring_within=90").content.decode()
    assert soon.get_absolute_url() in expiring and later.get_absolute_url() not in expiring
    idle = client.get("/agreements/?idle_days=365").content.decode()
    assert soon.get_absolute_url() in idle and later.get_absolute_url() in idle
    assert busy.get_absolute_url() not in idle and new.get_absolute_url() not in idle
    api = client.get("/api/agreements/?idle_days=365").json()
    assert {row["id"] for row in api["items"]} >= {soon.pk, later.pk}


def test_the_agreement_page_shows_what_was_done_each_year(login, province, django_assert_max_num_queries):
    mou = agreement(province.unit_a, commitments=["Trao đổi đoàn", "Học bổng"])
    for year, n in ((2023, 2), (2024, 3), (2025, 1)):
        for i in range(n):
            activity(province.unit_a, "Hoạt động {} số {}".format(year, i), agreements=[mou],
                     start_date=date(year, 5, 1 + i), vn_participants=10, foreign_participants=5,
                     budget=1_000_000)  # fmt: skip
    activity(province.unit_a, "Hoạt động đã hủy", agreements=[mou], start_date=date(2025, 6, 1), status="cancelled")
    years = selectors.agreement_years(agreement=mou, user=province.officer_a)
    assert [(y["year"], y["n"], y["vn"], y["budget"]) for y in years] == [
        (2025, 1, 10, 1_000_000), (2024, 3, 30, 3_000_000), (2023, 2, 20, 2_000_000)
    ]  # fmt: skip
    client = login("officer_a")
    with django_assert_max_num_queries(25):
        response = client.get(mou.get_absolute_url())
    text = page_text(response)
    assert "Hoạt động 2024 số 2" in text and "Hoạt động đã hủy" not in text and "Học bổng" in text


def test_an_agreement_with_activities_is_not_deleted(province):
    mou = agreement(province.unit_a)
    activity(province.unit_a, agreements=[mou])
    with pytest.raises(ValidationError):
        services.agreement_delete(agreement=mou, by=province.officer_a)
    assert Agreement.objects.filter(pk=mou.pk).exists()


def test_a_commitment_an_activity_implements_cannot_be_dropped(province):
    mou = agreement(province.unit_a, commitments=["Trao đổi đoàn"])
    commitment = mou.commitments.get()
    with change_logging(user=None):
        services.activity_save(
            activity=Activity(unit=province.unit_a, kind="incoming_delegation", title="Đoàn vào", start_date=date(2025, 1, 1)),
            by=None, agreements=[mou], commitments=[commitment],
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.commitments_replace(agreement=mou, texts=["Khác"], by=None)


# -- permissions in services -------------------------------------------------------------------


def test_an_officer_cannot_file_an_activity_under_another_unit(province):
    with pytest.raises(PermissionDenied):
        services.activity_save(
            activity=Activity(unit=province.unit_b, kind="other", title="X", start_date=date(2025, 1, 1)),
            by=province.officer_a,
        )


def test_an_officer_cannot_link_a_partner_they_cannot_see(province):
    hidden = partner(province.unit_b, "Đối tác của sở")
    with pytest.raises(ValidationError):
        services.activity_save(
            activity=Activity(unit=province.unit_a, kind="other", title="X", start_date=date(2025, 1, 1)),
            by=province.officer_a,
            partners=[hidden],
        )


# -- places ------------------------------------------------------------------------------------


def test_a_place_in_vietnam_is_a_commune_of_its_province_after_the_2025_reform(province):
    from apps.activities import places

    ward_code, ward_name = places.wards(82)[0]
    held = activity(province.unit_a, vn_province_code=82, vn_ward_code=ward_code)
    assert held.place_name == "{}, Tỉnh Đồng Tháp".format(ward_name)
    hanoi_ward = places.wards(1)[0][0]
    with pytest.raises(ValidationError) as error:
        activity(province.unit_a, vn_province_code=82, vn_ward_code=hanoi_ward)
    assert "vn_ward_code" in error.value.message_dict
    with pytest.raises(ValidationError):
        activity(province.unit_a, vn_province_code=82, foreign_locality="Phnom Penh")


def test_the_ward_options_follow_the_province(login):
    response = login("officer_a").get("/activities/wards/?vn_province_code=82")
    assert "Phường Mỹ Tho" in response.content.decode()
    assert login("officer_a").get("/activities/wards/?vn_province_code=abc").status_code == 200


# -- the partner's timeline and dormant partners ------------------------------------------------


def test_the_partner_page_shows_its_activities_and_agreements(login, province):
    prey_veng = partner(province.unit_a)
    mou = agreement(province.unit_a, "Biên bản hợp tác với Prey Veng", partners=[prey_veng], signed_on=date(2024, 2, 1))
    visit = activity(province.unit_a, "Đoàn Prey Veng thăm Đồng Tháp", kind="incoming_delegation",
                     partners=[prey_veng], agreements=[mou], start_date=date(2025, 1, 20))  # fmt: skip
    entries = timeline.entries_for(prey_veng, province.officer_a)
    assert [e.url for e in entries][:2] == [visit.get_absolute_url(), mou.get_absolute_url()]
    text = page_text(login("officer_a").get(prey_veng.get_absolute_url()))
    assert "Đoàn Prey Veng thăm Đồng Tháp" in text and "Biên bản hợp tác với Prey Veng" in text
    assert "20/01/2025" in text


def test_a_hidden_activity_is_not_on_the_timeline_of_a_shared_partner(province):
    shared = Partner.objects.get(pk=partner(province.unit_b, "Tỉnh Salavan", "LA").pk)
    shared.shared_units.add(province.unit_a)
    activity(province.unit_b, "Hoạt động riêng của sở", partners=[shared])
    assert timeline.entries_for(shared, province.officer_a) == [] or all(
        "riêng" not in e.title for e in timeline.entries_for(shared, province.officer_a)
    )


def test_dormant_partners_count_activities_but_not_cancelled_ones(province):
    today = timezone.localdate()
    active = partner(province.unit_a, "Tỉnh Champasak", "LA")
    quiet = partner(province.unit_a, "Thành phố Nasushiobara", "JP")
    activity(province.unit_a, "Giao lưu gần đây", partners=[active], start_date=today - timedelta(days=30))
    activity(province.unit_a, "Giao lưu đã hủy", partners=[quiet], start_date=today - timedelta(days=30),
             status="cancelled")  # fmt: skip
    activity(province.unit_a, "Giao lưu xưa", partners=[quiet], start_date=today - timedelta(days=700))
    dormant = timeline.dormant(Partner.objects.filter(pk__in=[active.pk, quiet.pk]), today - timedelta(days=365))
    assert list(dormant) == [quiet]
    last = timeline.with_last_activity(Partner.objects.filter(pk__in=[active.pk, quiet.pk])).in_bulk()
    assert last[active.pk].last_activity == today - timedelta(days=30)
    assert last[quiet.pk].last_activity == today - timedelta(days=700)


def test_merging_partners_moves_their_activities_and_agreements(province):
    survivor = partner(province.unit_a, "Tỉnh Prey Veng")
    duplicate = partner(province.unit_a, "Prey Veng Province")
    visit = activity(province.unit_a, partners=[duplicate])
    mou = agreement(province.unit_a, partners=[duplicate])
    with change_logging(user=None):
        partner_services.partner_merge(survivor=survivor, duplicate=duplicate, by=None)
    assert list(visit.partners.all()) == [survivor] and list(mou.partners.all()) == [survivor]


# -- lists: search, export, queries -------------------------------------------------------------


def test_the_list_finds_an_activity_whatever_the_accents_and_filters_by_country_and_year(login, province):
    laos = Country.objects.get(code="LA")
    held = activity(province.unit_a, "Hội nghị hợp tác Đồng Tháp – Salavan", kind="conference",
                    start_date=date(2024, 9, 9))  # fmt: skip
    held.countries.add(laos)
    other = activity(province.unit_a, "Giao lưu thể thao", kind="sports_exchange", start_date=date(2025, 9, 9))
    client = login("officer_a")
    for query in ("hoi nghi hop tac dong thap", "HỘI NGHỊ", "salavan"):
        assert held.get_absolute_url() in client.get("/activities/?q=" + query).content.decode(), query
    found = client.get("/activities/?country=LA&year=2024").content.decode()
    assert held.get_absolute_url() in found and other.get_absolute_url() not in found
    assert client.get("/activities/?country=ZZ").status_code == 200
    api = client.get("/api/activities/?country=LA&year=2024").json()
    assert [row["id"] for row in api["items"]] == [held.pk] and api["items"][0]["countries"] == ["LA"]
    assert "Hội nghị hợp tác" in page_text(client.get("/search/?q=hoi+nghi+hop+tac"))


def test_the_lists_export_to_excel_and_csv(login, province):
    prey_veng = partner(province.unit_a)
    activity(province.unit_a, "Giao lưu văn hóa biên giới", partners=[prey_veng])
    agreement(province.unit_a, "Biên bản ghi nhớ y tế", partners=[prey_veng])
    client = login("officer_a")
    body = b"".join(client.get("/activities/?export=csv").streaming_content).decode()
    assert "Giao lưu văn hóa biên giới" in body and "Tỉnh Prey Veng" in body
    body = b"".join(client.get("/agreements/?export=csv").streaming_content).decode()
    assert "Biên bản ghi nhớ y tế" in body
    response = client.get("/activities/?export=xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')


def test_the_activity_list_runs_a_few_queries_however_many_activities(login, province, django_assert_max_num_queries):
    prey_veng = partner(province.unit_a)
    laos = Country.objects.get(code="LA")
    for i in range(30):
        row = activity(province.unit_a, "Hoạt động số {}".format(i), partners=[prey_veng])
        row.countries.add(laos)
    client = login("officer_a")
    with django_assert_max_num_queries(15):
        assert client.get("/activities/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/api/activities/").status_code == 200


def test_every_change_to_an_activity_is_in_the_change_log(login, province):
    from apps.activities.models import DelegationMember

    prey_veng = partner(province.unit_a)
    client = login("officer_a")
    response = client.post(
        "/activities/add/",
        {"kind": "incoming_delegation", "title": "Đoàn Prey Veng", "status": "planned", "start_date": "02/03/2025",
         "pillar": "people", "unit": province.unit_a.pk, "partners": [prey_veng.pk]},
    )  # fmt: skip
    assert response.status_code == 302, page_text(response)[:1500]
    visit = Activity.objects.get(title="Đoàn Prey Veng")
    client.post("/activities/{}/members/add/".format(visit.pk), {"name": "Ông Sok", "order": 0})
    member = DelegationMember.objects.get(activity=visit)
    client.post("/activities/{}/status/".format(visit.pk), {"status": "done"})
    client.post("/delegation-members/{}/delete/".format(member.pk))
    activity_type = ContentType.objects.get_for_model(Activity)
    actions = list(
        ObjectChange.objects.filter(changed_object_type=activity_type, changed_object_id=visit.pk)
        .order_by("id")
        .values_list("action", "user_name")
    )
    assert actions[0] == ("create", province.officer_a.username)
    assert ("update", province.officer_a.username) in actions  # the partners link and the status
    member_type = ContentType.objects.get_for_model(DelegationMember)
    assert set(
        ObjectChange.objects.filter(changed_object_type=member_type, changed_object_id=member.pk).values_list(
            "action", flat=True
        )
    ) == {"create", "delete"}
    client.post("/activities/{}/delete/".format(visit.pk))
    assert ObjectChange.objects.filter(
        changed_object_type=activity_type, changed_object_id=visit.pk, action="delete"
    ).exists()


def test_the_activity_list_rows_show_each_cell_escaped(login, province):
    prey_veng = partner(province.unit_a)
    activity(
        province.unit_a,
        title="<i>Giao lưu</i> thanh niên",
        partners=[prey_veng],
        start_date=date(2025, 3, 2),
        end_date=date(2025, 3, 4),
        vn_participants=1200,
        foreign_participants=30,
    )
    body = login("officer_a").get("/activities/?q=thanh+nien").content.decode()
    row = body[body.index("<tbody") : body.index("</tbody>")]
    assert "<i>Giao lưu</i>" not in row and "&lt;i&gt;Giao lưu&lt;/i&gt; thanh niên" in row
    assert "02/03/2025<br>– 04/03/2025" in row
    assert "Giao lưu văn hóa" in row  # the kind, in Vietnamese
    assert "Tỉnh Prey Veng" in row
    assert ">1230<" in row  # participants, Vietnamese and foreign together


def test_a_busy_partners_timeline_opens_on_its_latest_entries_and_brings_older_ones(login, province):
    from apps.partners.timeline import PAGE

    prey_veng = partner(province.unit_a)
    first = date(2020, 1, 1)
    for i in range(PAGE + 10):
        activity(
            province.unit_a,
            title="Hoạt động số {:03d}".format(i),
            partners=[prey_veng],
            start_date=first + timedelta(days=i),
        )
    client = login("officer_a")
    page = client.get(prey_veng.get_absolute_url()).content.decode()
    shown = page.count('class="mb-3 position-relative timeline-entry"')
    assert shown == PAGE
    assert "Hoạt động số {:03d}".format(PAGE + 9) in page  # the newest
    assert "Hoạt động số 009" not in page and "Xem các mục cũ hơn" in page
    # htmx: only the next entries, and no button when nothing older is left
    older = client.get(prey_veng.get_absolute_url() + "?timeline_offset={}".format(PAGE), HTTP_HX_REQUEST="true")
    text = older.content.decode()
    assert text.count('class="mb-3 position-relative timeline-entry"') == 10
    assert "Hoạt động số 000" in text and "Xem các mục cũ hơn" not in text and "<html" not in text
    # without JavaScript: the page again, with the longer timeline
    longer = client.get(prey_veng.get_absolute_url() + "?tab=timeline&timeline_offset={}".format(PAGE)).content.decode()
    assert longer.count('class="mb-3 position-relative timeline-entry"') == PAGE + 10
    # a nonsense offset is the first page, never an error
    assert client.get(prey_veng.get_absolute_url() + "?timeline_offset=abc").status_code == 200


def test_another_units_officer_gets_no_older_entries_of_a_partner_they_may_not_see(login, province):
    prey_veng = partner(province.unit_a)
    activity(province.unit_a, title="Bí mật", partners=[prey_veng])
    response = login("officer_b").get(prey_veng.get_absolute_url() + "?timeline_offset=0", HTTP_HX_REQUEST="true")
    assert response.status_code == 404 and "Bí mật" not in response.content.decode()
