"""Partners as an officer uses them: duplicates are caught whatever the accents and spelling,
NGO certificates keep to their legal length, a merge leaves nothing behind, frameworks keep their
history, the partner page tells the partner's story, and dormant partners are found."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core.changelog import change_logging
from apps.core.models import Attachment, JournalEntry, ObjectChange
from apps.core.services import attachment_create
from apps.partners import services, timeline
from apps.partners.models import (
    Contact,
    Country,
    NgoRegistration,
    Partner,
    PartnershipFramework,
    Relationship,
    name_key,
)
from tests.helpers import page_text


def country(code):
    return Country.objects.get(code=code)


def partner(unit, name, kind="foreign_locality", **fields):
    with change_logging(user=None):
        return services.partner_create(by=None, unit=unit, kind=kind, name=name, **fields)


# -- duplicates --------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["TỈNH PREY VENG", "tinh prey-veng", "Tỉnh  Prey   Veng.", "tỉnh prey veng"])
def test_names_equal_once_accents_case_and_punctuation_are_folded_are_the_same_key(written):
    assert name_key(written) == name_key("Tỉnh Prey Veng") == "tinh prey veng"


def test_duplicate_detection_finds_the_same_name_and_a_very_close_one_but_not_another(province):
    cambodia = country("KH")
    prey_veng = partner(province.unit_a, "ខេត្តព្រៃវែង", name_vi="Tỉnh Prey Veng", country=cambodia)
    partner(province.unit_a, "Tỉnh Kampot", country=cambodia)

    same = services.partner_duplicates(name="TINH PREY-VENG", country=cambodia, user=province.officer_a)
    assert [(d.partner, d.exact) for d in same] == [(prey_veng, True)]

    close = services.partner_duplicates(name="Prey Veeng Province", country=cambodia, user=province.officer_a)
    assert [d.partner for d in close] == [prey_veng] and not close[0].exact

    assert services.partner_duplicates(name="Tỉnh Takeo", country=cambodia, user=province.officer_a) == []


def test_duplicate_detection_never_reveals_a_partner_the_user_may_not_see(province):
    partner(province.unit_a, "Tỉnh Prey Veng", country=country("KH"))
    assert services.partner_duplicates(name="Tỉnh Prey Veng", country=country("KH"), user=province.officer_b) == []


def test_the_form_warns_of_a_duplicate_and_saves_only_once_confirmed(login, province):
    existing = partner(province.unit_a, "Tỉnh Salavan", country=country("LA"))
    client = login("officer_a")
    data = {"kind": "foreign_locality", "name": "TỈNH SALAVAN", "country": country("LA").pk,
            "status": "active", "unit": province.unit_a.pk}  # fmt: skip
    response = client.post("/partners/add/", data)
    assert response.status_code == 400
    text = page_text(response)
    assert "Tỉnh Salavan" in text and 'href="{}"'.format(existing.get_absolute_url()) in response.content.decode()
    assert Partner.objects.filter(country__code="LA").count() == 1

    response = client.post("/partners/add/", {**data, "confirm_distinct": "on"})
    assert response.status_code == 302
    assert Partner.objects.filter(country__code="LA").count() == 2


def test_a_partner_without_a_name_gets_a_message_naming_the_field(login, province):
    response = login("officer_a").post(
        "/partners/add/", {"kind": "foreign_ngo", "name": "", "unit": province.unit_a.pk, "status": "active"}
    )
    assert response.status_code == 400
    assert "field-error" in response.content.decode()


# -- NGO registrations -------------------------------------------------------------------------


def registration(ngo, kind, issued, expires, number="12/ĐK-BNG"):
    return NgoRegistration(partner=ngo, kind=kind, number=number, issued_on=issued, expires_on=expires)


def test_an_activity_registration_is_valid_for_at_most_three_years(province):
    ngo = partner(province.unit_a, "Oxfam", kind="foreign_ngo")
    services.registration_save(registration=registration(ngo, "activity", date(2024, 3, 1), date(2027, 3, 1)), by=None)
    with pytest.raises(ValidationError) as problem:
        services.registration_save(
            registration=registration(ngo, "activity", date(2024, 3, 1), date(2027, 3, 2), "13/ĐK"), by=None
        )
    assert "expires_on" in problem.value.message_dict
    assert "01/03/2027" in problem.value.message_dict["expires_on"][0]


def test_a_representative_office_may_run_for_five_years(province):
    ngo = partner(province.unit_a, "Oxfam", kind="foreign_ngo")
    saved = services.registration_save(
        registration=registration(ngo, "representative_office", date(2024, 2, 29), date(2029, 2, 28)), by=None
    )
    assert saved.pk


def test_a_registration_that_expires_before_it_is_issued_is_refused_on_the_form(login, province):
    ngo = partner(province.unit_a, "Oxfam", kind="foreign_ngo")
    response = login("officer_a").post(
        "/partners/{}/registrations/add/".format(ngo.pk),
        {"kind": "activity", "number": "1", "issued_on": "01/06/2025", "expires_on": "01/01/2025", "issuer": "BNG"},
    )
    assert response.status_code == 400
    assert not NgoRegistration.objects.exists()


def test_only_a_foreign_ngo_carries_a_registration(province):
    city = partner(province.unit_a, "Nasushiobara")
    with pytest.raises(ValidationError) as problem:
        services.registration_save(
            registration=registration(city, "activity", date(2025, 1, 1), date(2026, 1, 1)), by=None
        )
    assert "partner" in problem.value.message_dict


def test_the_expiring_list_shows_what_expires_soon_and_not_what_is_far_off(login, province):
    ngo = partner(province.unit_a, "Oxfam", kind="foreign_ngo")
    today = timezone.localdate()
    soon = services.registration_save(
        registration=registration(ngo, "activity", today - timedelta(days=700), today + timedelta(days=20), "A"),
        by=None,
    )
    later = services.registration_save(
        registration=registration(ngo, "activity", today - timedelta(days=10), today + timedelta(days=700), "B"),
        by=None,
    )
    response = login("officer_a").get("/ngo-registrations/?within=90")
    assert soon.get_absolute_url() in response.content.decode()
    assert later.get_absolute_url() not in response.content.decode()
    assert list(services.registrations_expiring(user=province.officer_a, within_days=90)) == [soon]


# -- merge -------------------------------------------------------------------------------------


@pytest.fixture
def pair(province):
    """Two records of Prey Veng, each with its links; both units' relationships overlap once."""
    cambodia = country("KH")
    keep = partner(province.unit_a, "ខេត្តព្រៃវែង", name_vi="Tỉnh Prey Veng", country=cambodia)
    dup = partner(
        province.unit_a, "Prey Veng Province", country=cambodia, website="https://preyveng.gov.kh",
        tags=services.tags_from_names(["biên giới"]), shared_units=[province.unit_b],
    )  # fmt: skip
    with change_logging(user=None):
        services.contact_save(contact=Contact(partner=dup, name="Ông Sok"), by=None)
        services.relationship_save(
            relationship=Relationship(partner=keep, unit=province.unit_a, kind="twinning"), by=None
        )
        services.relationship_save(
            relationship=Relationship(partner=dup, unit=province.unit_a, kind="twinning"), by=None
        )
        services.relationship_save(
            relationship=Relationship(partner=dup, unit=province.unit_b, kind="cooperation"), by=None
        )
        ct = ContentType.objects.get_for_model(Partner)
        JournalEntry.objects.create(object_type=ct, object_id=dup.pk, comments="Đã gặp đoàn Prey Veng")
        attachment_create(parent=dup, upload=SimpleUploadedFile("bien-ban.txt", "Biên bản".encode()), by=None)
    return keep, dup


def test_a_merge_moves_every_link_to_the_survivor_and_deletes_the_duplicate(province, pair):
    keep, dup = pair
    dup_pk = dup.pk
    with change_logging(user=province.officer_a):
        services.partner_merge(survivor=keep, duplicate=dup, by=province.officer_a)
    assert not Partner.objects.filter(pk=dup_pk).exists()
    keep.refresh_from_db()
    assert [c.name for c in keep.contacts.all()] == ["Ông Sok"]
    # the twinning of unit A existed on both: kept once; unit B's cooperation moved
    assert sorted((r.unit_id, r.kind) for r in keep.relationships.all()) == sorted(
        [(province.unit_a.pk, "twinning"), (province.unit_b.pk, "cooperation")]
    )
    ct = ContentType.objects.get_for_model(Partner)
    notes = JournalEntry.objects.filter(object_type=ct, object_id=keep.pk)
    assert any("Đã gặp đoàn Prey Veng" in n.comments for n in notes)
    assert any("Prey Veng Province" in n.comments for n in notes)  # the merge note names the duplicate
    assert Attachment.objects.filter(object_type=ct, object_id=keep.pk).count() == 1
    assert [t.name for t in keep.tags.all()] == ["biên giới"]
    assert list(keep.shared_units.all()) == [province.unit_b]
    assert keep.website == "https://preyveng.gov.kh"  # an empty field filled from the duplicate
    assert keep.name_vi == "Tỉnh Prey Veng"  # a filled one kept


def test_a_merge_is_in_the_change_log(province, pair):
    keep, dup = pair
    dup_pk = dup.pk
    with change_logging(user=province.officer_a):
        services.partner_merge(survivor=keep, duplicate=dup, by=province.officer_a)
    ct = ContentType.objects.get_for_model(Partner)
    deleted = ObjectChange.objects.get(changed_object_type=ct, changed_object_id=dup_pk, action="delete")
    assert deleted.user == province.officer_a
    assert ObjectChange.objects.filter(changed_object_type=ct, changed_object_id=keep.pk, action="update").exists()
    moved = ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(Contact), action="update")
    assert moved.exists()


def test_the_merge_finds_links_itself_so_later_apps_are_merged_too(pair):
    keep, dup = pair
    found = {rel.related_model for rel in services._relations()}
    assert {Contact, Relationship, NgoRegistration} <= found


def test_the_merge_page_previews_then_merges(login, province, pair):
    keep, dup = pair
    client = login("officer_a")
    response = client.get("/partners/{}/merge/".format(keep.pk))
    assert response.status_code == 200
    assert "?other={}".format(dup.pk) in response.content.decode()  # suggested as a duplicate
    response = client.get("/partners/{}/merge/?other={}".format(keep.pk, dup.pk))
    text = page_text(response)
    assert "merge-preview" in response.content.decode() and "Prey Veng Province" in text
    response = client.post("/partners/{}/merge/".format(keep.pk), {"other": dup.pk})
    assert response.status_code == 302 and response["Location"] == keep.get_absolute_url()
    assert not Partner.objects.filter(pk=dup.pk).exists()


def test_an_officer_of_another_unit_may_not_merge(province, pair):
    keep, dup = pair
    with pytest.raises(PermissionDenied):
        services.partner_merge(survivor=keep, duplicate=dup, by=province.officer_b)
    assert Partner.objects.filter(pk=dup.pk).exists()


def test_a_partner_cannot_be_merged_into_itself(province, pair):
    keep, _dup = pair
    with pytest.raises(ValidationError):
        services.partner_merge(survivor=keep, duplicate=keep, by=province.officer_a)


# -- frameworks --------------------------------------------------------------------------------


def test_a_new_framework_step_becomes_the_current_framework_and_deleting_it_restores_the_old(province):
    finland = country("FI")
    first = services.framework_save(
        framework=PartnershipFramework(country=finland, level="comprehensive", established_on=date(2020, 1, 1),
                                       precision="year", source="Tuyên bố chung (thử nghiệm)"),
        by=province.admin,
    )  # fmt: skip
    newer = services.framework_save(
        framework=PartnershipFramework(country=finland, level="strategic", established_on=date(2025, 6, 1),
                                       source="Tuyên bố chung (thử nghiệm)"),
        by=province.admin,
    )  # fmt: skip
    finland.refresh_from_db()
    assert (finland.framework_level, finland.framework_since) == ("strategic", date(2025, 6, 1))
    services.framework_delete(framework=newer, by=province.admin)
    finland.refresh_from_db()
    assert (finland.framework_level, finland.framework_since) == ("comprehensive", first.established_on)


def test_only_an_administrator_changes_frameworks(province):
    with pytest.raises(PermissionDenied):
        services.framework_save(
            framework=PartnershipFramework(country=country("FI"), level="strategic", established_on=date(2025, 1, 1),
                                           source="x"),
            by=province.coordinator,
        )  # fmt: skip


def test_a_framework_without_a_source_is_refused(province):
    with pytest.raises(ValidationError) as problem:
        services.framework_save(
            framework=PartnershipFramework(country=country("FI"), level="strategic", established_on=date(2025, 1, 1)),
            by=province.admin,
        )
    assert "source" in problem.value.message_dict


# -- the partner page, dormant partners, search, export ----------------------------------------


def test_the_partner_page_tells_its_history(login, province):
    ngo = partner(province.unit_a, "Oxfam", kind="foreign_ngo", country=country("GB"))
    with change_logging(user=None):
        services.relationship_save(
            relationship=Relationship(partner=ngo, unit=province.unit_a, kind="donor", since=date(2019, 5, 1)), by=None
        )
        services.registration_save(
            registration=registration(ngo, "representative_office", date(2023, 1, 1), date(2027, 12, 31)), by=None
        )
        services.contact_save(contact=Contact(partner=ngo, name="Ms Jane Doe", role="Country director"), by=None)
    response = login("officer_a").get(ngo.get_absolute_url())
    text = page_text(response)
    assert "Ms Jane Doe" in text and "Country director" in text
    assert "01/05/2019" in text and "01/01/2023" in text and "31/12/2027" in text
    entries = timeline.entries_for(ngo, province.officer_a)
    assert [e.date for e in entries] == [date(2023, 1, 1), date(2019, 5, 1)]


def test_timeline_lines_escape_what_people_typed_and_shorten_long_details(login, province):
    ngo = partner(province.unit_a, "Oxfam", kind="foreign_ngo", country=country("GB"))
    with change_logging(user=None):
        services.relationship_save(
            relationship=Relationship(
                partner=ngo,
                unit=province.unit_a,
                kind="donor",
                since=date(2020, 3, 2),
                description="<script>alert(1)</script> " + "x" * 300,
            ),
            by=None,
        )
    response = login("officer_a").get(ngo.get_absolute_url())
    body = response.content.decode()
    timeline_html = body[body.index('id="timeline"') :]
    assert "<script>alert(1)</script>" not in timeline_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in timeline_html
    assert "x" * 300 not in timeline_html and "…" in timeline_html
    assert "02/03/2020" in timeline_html


def test_dormant_partners_are_those_with_nothing_on_their_timeline_for_the_months_asked(login, province):
    today = timezone.localdate()
    quiet = partner(province.unit_a, "Đối tác im lặng")
    busy = partner(province.unit_a, "Đối tác sôi nổi", kind="foreign_ngo")
    with change_logging(user=None):
        services.relationship_save(
            relationship=Relationship(partner=quiet, unit=province.unit_a, kind="friendship",
                                      since=today - timedelta(days=800)),
            by=None,
        )  # fmt: skip
        services.registration_save(
            registration=registration(busy, "activity", today - timedelta(days=20), today + timedelta(days=300)),
            by=None,
        )
    dormant = timeline.dormant(Partner.objects.all(), today - timedelta(days=365))
    assert quiet in dormant and busy not in dormant
    annotated = timeline.with_last_activity(Partner.objects.filter(pk__in=[quiet.pk, busy.pk])).in_bulk()
    assert annotated[quiet.pk].last_activity == today - timedelta(days=800)
    assert annotated[busy.pk].last_activity == today - timedelta(days=20)
    response = login("officer_a").get("/partners/dormant/?months=12")
    content = response.content.decode()
    assert quiet.get_absolute_url() in content and busy.get_absolute_url() not in content
    response = login("officer_a").get("/partners/dormant/?months=36")
    assert quiet.get_absolute_url() not in response.content.decode()


def test_the_list_finds_a_partner_whatever_the_accents(login, province):
    salavan = partner(province.unit_a, "ແຂວງສາລະວັນ", name_vi="Tỉnh Salavan", country=country("LA"))
    client = login("officer_a")
    for query in ("tinh salavan", "TỈNH SALAVAN", "salavan"):
        assert salavan.get_absolute_url() in client.get("/partners/?q=" + query).content.decode()
    assert "Tỉnh Salavan" in page_text(client.get("/search/?q=tinh+salavan"))


def test_the_list_exports_to_excel_and_csv(login, province):
    partner(province.unit_a, "Tỉnh Champasak", country=country("LA"), tags=services.tags_from_names(["kết nghĩa"]))
    client = login("officer_a")
    response = client.get("/partners/?export=csv")
    body = b"".join(response.streaming_content).decode()
    assert "Tỉnh Champasak" in body and "Lào" in body and "kết nghĩa" in body
    response = client.get("/partners/?export=xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')


def test_the_list_runs_a_few_queries_however_many_partners(login, province, django_assert_max_num_queries):
    for i in range(30):
        partner(province.unit_a, "Đối tác số {}".format(i), country=country("JP"),
                tags=services.tags_from_names(["nhãn {}".format(i % 3)]))  # fmt: skip
    client = login("officer_a")
    with django_assert_max_num_queries(15):
        assert client.get("/partners/").status_code == 200


def test_the_country_page_shows_the_framework_history(login, province):
    with change_logging(user=None):
        services.framework_save(
            framework=PartnershipFramework(country=country("FI"), level="comprehensive",
                                           established_on=date(2020, 1, 1), precision="year", source="Nguồn thử"),
            by=None,
        )  # fmt: skip
    text = page_text(login("leader").get(country("FI").get_absolute_url()))
    assert "2020" in text and "Nguồn thử" in text


def test_a_timeline_row_without_a_partner_does_not_hide_every_dormant_partner(province):
    """A provider over a many-to-many (like activities ↔ partners) yields NULL for rows linked to
    no partner; "NOT IN (…, NULL)" would then hide every partner from the dormant list."""
    from apps.partners.models import Tag

    class TagProvider(timeline.Provider):
        key, model, partner_path, date_field = "tags-test", Tag, "partners", "created__date"

        def entry(self, row):
            return timeline.Entry(date=row.created.date(), title=row.name)

    quiet = partner(province.unit_a, "Đối tác im lặng")
    with change_logging(user=None):
        Tag.objects.create(name="nhãn chưa gắn")  # on no partner: values("partners") gives NULL
    provider = TagProvider()
    timeline._providers.append(provider)
    try:
        assert quiet in timeline.dormant(Partner.objects.all(), timezone.localdate() - timedelta(days=1))
    finally:
        timeline._providers.remove(provider)


def test_an_activity_whose_partner_is_merged_has_its_change_in_the_log(province, pair):
    from datetime import date

    from apps.activities.models import Activity

    keep, dup = pair
    activity = Activity.objects.create(
        unit=province.unit_a, title="Đón đoàn", kind="reception", start_date=date(2026, 1, 5)
    )
    activity.partners.add(dup)
    with change_logging(user=province.officer_a):
        services.partner_merge(survivor=keep, duplicate=dup, by=province.officer_a)
    assert list(activity.partners.all()) == [keep]
    change = ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(Activity), changed_object_id=activity.pk, action="update"
    ).latest("time")
    assert change.user == province.officer_a
    assert change.prechange_data["partners"] == [dup.pk] and change.postchange_data["partners"] == [keep.pk]


def test_the_merge_preview_tells_the_aid_item_links_apart(province, pair):
    from apps.aid.models import AidItem

    keep, dup = pair
    AidItem.objects.create(unit=province.unit_a, code="D-1", kind="project", title_vi="Tài trợ", donor=dup)
    AidItem.objects.create(
        unit=province.unit_a, code="I-1", kind="project", title_vi="Thực hiện"
    ).implementing_partners.add(dup)
    links = services.partner_merge_preview(survivor=keep, duplicate=dup)["links"]
    aid = sorted(link.label for link in links if link.label.startswith("khoản viện trợ"))
    assert aid == ["khoản viện trợ (nhà tài trợ)", "khoản viện trợ (đối tác thực hiện)"]
