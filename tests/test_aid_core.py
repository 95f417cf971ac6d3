"""Aid: money and rates in Decimal, the approval workflow from data, the statistics sentence."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from apps.aid import services, statistics
from apps.aid.models import AidItem, ApprovalEvent, ExchangeRate, WorkflowStep
from apps.aid.money import RateBook, amount_words
from apps.core.models import ObjectChange
from apps.documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(province):
    for currency, day, rate in [
        ("USD", date(2021, 1, 1), "23000"),
        ("USD", date(2021, 7, 1), "22900"),
        ("EUR", date(2021, 1, 1), "27500.5"),
    ]:
        services.rate_save(
            rate=ExchangeRate(currency=currency, date=day, rate_vnd=Decimal(rate), source="Vietcombank"), by=None
        )


def make_item(province, code="VT-1", amount="100000", currency="USD", kind="non_project", **extra):
    return services.aiditem_create(
        by=None,
        unit=province.union,
        code=code,
        kind=kind,
        title_vi="Viện trợ " + code,
        committed_amount=Decimal(amount),
        currency=currency,
        **extra,
    )


def approve(item, province, on=date(2021, 8, 1)):
    doc = Document.objects.create(
        unit=province.union, notation="{}/QĐ-UBND".format(item.pk), issued_on=on, issuer="UBND tỉnh"
    )
    services.aid_step(item=item, action="submit", by=province.officer_a, on=on)
    services.aid_step(item=item, action="appraise", by=province.officer_a, on=on, agency="finance", opinion="Đồng ý")
    services.aid_step(item=item, action="approve", by=province.coordinator, on=on, document=doc)
    item.refresh_from_db()
    return item


def test_amounts_are_written_as_the_seed_writes_them():
    assert amount_words(Decimal("25870000"), "USD", "vi") == "gần 26 triệu USD"
    assert amount_words(Decimal("594480000000"), "VND", "vi") == "594,5 tỷ đồng"
    assert amount_words(Decimal("12300000"), "USD", "vi") == "hơn 12 triệu USD"
    assert amount_words(Decimal("26000000"), "USD", "vi") == "26 triệu USD"
    assert amount_words(Decimal("594480000000"), "VND", "en") == "594.5 billion dong"


def test_the_rate_applied_is_the_latest_on_or_before_the_day(rates):
    book = RateBook()
    assert book.rate("USD", date(2021, 6, 30)) == Decimal("23000")
    assert book.rate("USD", date(2021, 7, 1)) == Decimal("22900")
    assert book.rate("USD", date(2020, 12, 31)) is None
    eq = book.convert(Decimal("1000"), "EUR", date(2021, 8, 1))
    assert eq.vnd == Decimal("27500500.00")
    assert eq.usd == Decimal("1200.90")  # 27,500,500 / 22,900 = 1200.895…, rounded half-up, Decimal throughout
    assert isinstance(eq.usd, Decimal)


def test_equivalents_follow_a_rate_entered_later(province):
    item = make_item(province, planned_start=date(2021, 3, 1))
    assert item.committed_vnd is None
    services.rate_save(
        rate=ExchangeRate(currency="USD", date=date(2021, 1, 1), rate_vnd=Decimal("23000"), source="SBV"), by=None
    )
    item.refresh_from_db()
    assert item.committed_vnd == Decimal("2300000000.00")
    assert item.committed_usd == Decimal("100000.00")


def test_rates_import_checks_the_whole_table_first(province):
    rows = [
        ["currency", "date", "rate", "source"],
        ["USD", "01/01/2021", "23.000,5", "SBV"],
        ["XX1", "31/02/2021", "-1", ""],
    ]
    with pytest.raises(ValidationError) as caught:
        services.rates_import(rows=rows, by=province.coordinator)
    assert any("Dòng 3" in m for m in caught.value.messages)
    assert not ExchangeRate.objects.exists()
    assert services.rates_import(rows=rows[:2], by=province.coordinator) == {"created": 1, "updated": 0}
    assert ExchangeRate.objects.get().rate_vnd == Decimal("23000.5")


def test_an_officer_may_not_change_rates(province):
    with pytest.raises(PermissionDenied):
        services.rate_save(
            rate=ExchangeRate(currency="USD", date=date(2021, 1, 1), rate_vnd=1, source="x"), by=province.officer_a
        )


def test_sector_and_location_shares_must_add_up_to_100(province):
    with pytest.raises(ValidationError, match="100"):
        make_item(province, sectors=[{"code": "12220", "percentage": "60"}, {"code": "11220", "percentage": "30"}])
    with pytest.raises(ValidationError):
        make_item(province, code="VT-2", sectors=[{"code": "122", "percentage": "100"}])
    with pytest.raises(ValidationError):
        make_item(province, code="VT-3", locations=[{"province_code": 99999, "percentage": "100"}])
    item = make_item(
        province,
        code="VT-4",
        sectors=[{"code": "12220", "percentage": "60"}, {"code": "11220", "percentage": "40"}],
        locations=[{"province_code": 82, "percentage": "100"}],
    )
    assert item.locations.get().name == "Đồng Tháp"
    assert item.sectors.count() == 2


def test_no_disbursement_before_approval(province, rates):
    item = make_item(province)
    with pytest.raises(ValidationError, match="trước khi khoản viện trợ được phê duyệt"):
        services.transaction_add(
            item=item, by=province.officer_a, kind="disbursement", date=date(2021, 8, 2), amount=Decimal(10)
        )
    services.transaction_add(
        item=item, by=province.officer_a, kind="commitment", date=date(2021, 8, 2), amount=Decimal(10)
    )


def test_a_correction_is_a_negative_amount_with_its_equivalents(province, rates):
    item = make_item(province)
    services.transaction_add(item=item, by=province.officer_a, kind="commitment", date=date(2021, 8, 2), amount=100)
    cut = services.transaction_add(
        item=item, by=province.officer_a, kind="commitment", date=date(2021, 8, 3), amount=Decimal("-40")
    )
    assert cut.amount == Decimal("-40") and cut.amount_usd == Decimal("-40.00") and cut.amount_vnd < 0
    assert sum(item.transactions.values_list("amount", flat=True)) == Decimal(60)


def test_the_workflow_follows_its_steps_and_audits_who_and_when(province, rates):
    item = make_item(province)
    with pytest.raises(ValidationError):
        services.aid_step(item=item, action="approve", by=province.coordinator)  # not appraised yet
    services.aid_step(item=item, action="submit", by=province.officer_a, on=date(2021, 7, 20))
    with pytest.raises(ValidationError):
        services.aid_step(item=item, action="appraise", by=province.officer_a)  # no opinion
    services.aid_step(
        item=item, action="appraise", by=province.officer_a, agency="police", opinion="Không có vấn đề an ninh"
    )
    with pytest.raises(PermissionDenied):
        services.aid_step(item=item, action="approve", by=province.officer_a, document=None)
    with pytest.raises(ValidationError):
        services.aid_step(item=item, action="approve", by=province.coordinator)  # no decision
    doc = Document.objects.create(unit=province.union, notation="7/QĐ-UBND", issued_on=date(2021, 8, 1))
    services.aid_step(item=item, action="approve", by=province.coordinator, document=doc, on=date(2021, 8, 1))
    item.refresh_from_db()
    assert item.status == "approved"


def test_approval_records_the_decision_and_converts_on_its_date(province, rates):
    item = approve(make_item(province), province)
    assert item.status == "approved" and item.approved_on == date(2021, 8, 1)
    assert item.approval_document.notation.endswith("QĐ-UBND")
    assert item.committed_vnd == Decimal("2290000000.00")  # the rate of 1 July 2021
    events = list(ApprovalEvent.objects.filter(aid_item=item).values_list("action", "by__username"))
    assert events == [("submit", "officer.a"), ("appraise", "officer.a"), ("approve", "coordinator.tn")]
    assert ObjectChange.objects.filter(changed_object_id=item.pk, changed_object_type__model="aiditem").count() >= 3
    with pytest.raises(ValidationError, match="reason"):
        services.aid_step(item=item, action="revoke", by=province.coordinator)
    services.aid_step(item=item, action="revoke", by=province.coordinator, reason="Nhà tài trợ rút lại")
    item.refresh_from_db()
    assert item.status == "revoked" and item.closing_reason == "Nhà tài trợ rút lại"


def test_steps_are_data_a_new_decree_changes_them(province, rates):
    WorkflowStep.objects.filter(action="appraise").update(required_opinions=["finance", "police"])
    item = make_item(province)
    services.aid_step(item=item, action="submit", by=province.officer_a)
    with pytest.raises(ValidationError, match="Còn thiếu ý kiến"):
        services.aid_step(item=item, action="appraise", by=province.officer_a, agency="finance", opinion="OK")
    services.aid_step(item=item, action="opinion", by=province.officer_a, agency="finance", opinion="OK")
    services.aid_step(item=item, action="appraise", by=province.officer_a, agency="police", opinion="OK")
    item.refresh_from_db()
    assert item.status == "appraised"


def test_an_approved_item_without_implementation_for_six_months_is_flagged(province, rates):
    item = approve(make_item(province), province, on=date(2021, 8, 1))
    assert list(services.stalled_items(today=date(2022, 3, 1))) == [item]
    assert list(services.stalled_items(today=date(2021, 12, 1))) == []
    services.transaction_add(
        item=item, by=province.officer_a, kind="disbursement", date=date(2021, 9, 1), amount=Decimal(5)
    )
    assert list(services.stalled_items(today=date(2022, 3, 1))) == []


def test_an_approved_item_cannot_be_deleted(province, rates):
    item = approve(make_item(province), province)
    with pytest.raises(ValidationError):
        services.aiditem_delete(item=item, by=province.coordinator)


def test_the_statistics_sentence_in_the_seed_style(province):
    services.rate_save(
        rate=ExchangeRate(currency="USD", date=date(2021, 1, 1), rate_vnd=Decimal("22980"), source="SBV"), by=None
    )
    for n in range(70):
        approve(make_item(province, code="NP-{}".format(n), amount="369500"), province, on=date(2021, 5, 1))
    for n in range(15):
        approve(
            make_item(province, code="DA-{}".format(n), amount="799000", kind="project"), province, on=date(2021, 6, 1)
        )
    item = approve(make_item(province, code="OLD", amount="5"), province, on=date(2020, 6, 1))
    services.transaction_add(
        item=AidItem.objects.get(code="DA-0"),
        by=None,
        kind="disbursement",
        date=date(2021, 7, 1),
        amount=Decimal("1000"),
    )
    filters = statistics.Filters(date_from=date(2021, 1, 1), date_to=date(2021, 12, 1), unit=province.province)
    with translation.override("en"):
        stats = statistics.compute(province.leader, filters)
    assert stats.total.count == 85
    assert stats.sentence == (
        "70 non-project aid items with a committed value of nearly 26 million USD, equivalent to 594.4 billion dong"
        " and 15 aid items in the form of projects with nearly 12 million USD, equivalent to 275.4 billion dong"
    )
    with translation.override("vi"):
        stats = statistics.compute(province.leader, filters)
    assert "gần 26 triệu USD" in stats.sentence and "594,4 tỷ đồng" in stats.sentence
    project = next(r for r in stats.rows if r.kind == "project")
    assert project.disbursed_usd == Decimal("1000.00")
    # officers of another unit see none of it
    assert statistics.compute(province.officer_b, filters).total.count == 0
    assert item.pk


def test_the_statistics_page_and_its_excel(login, province):
    client = login("leader")
    response = client.get("/aid/statistics/?date_from=01/01/2021&date_to=31/12/2021")
    assert response.status_code == 200
    assert b"aid-sentence" in response.content
    response = client.get("/aid/statistics/?date_from=01/01/2021&date_to=31/12/2021&export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/aid/statistics/?date_from=nonsense").status_code == 400


def test_the_pages_take_an_item_through_approval_and_disbursement(login, province, rates):
    client = login("coordinator")
    response = client.post(
        "/aid/add/",
        {
            "code": "WEB-1",
            "kind": "project",
            "title_vi": "Dự án web",
            "unit": province.union.pk,
            "committed_amount": "1000",
            "currency": "usd",
            "counterpart_amount": "0",
            "counterpart_currency": "VND",
            "sectors_text": "12220 60\n11220 40",
            "locations_text": "Đồng Tháp 100",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = AidItem.objects.get(code="WEB-1")
    assert item.currency == "USD" and item.sectors.count() == 2
    url = "/aid/{}/".format(item.pk)
    client.post(url + "step/", {"action": "submit"})
    client.post(url + "step/", {"action": "appraise", "agency": "union", "opinion": "Đồng ý"})
    client.post(url + "step/", {"action": "approve", "document": "15/QĐ-UBND", "on": "01/08/2021"})
    item.refresh_from_db()
    assert item.status == "approved" and item.approval_document.notation == "15/QĐ-UBND"
    response = client.post(
        url + "transactions/add/", {"kind": "disbursement", "date": "02/08/2021", "amount": "250", "currency": "USD"}
    )
    assert response.status_code == 302
    assert item.transactions.get().amount_vnd == Decimal("5725000.00")
    for tab in ("overview", "money", "workflow", "history"):
        assert client.get(url + "?tab=" + tab).status_code == 200
    assert client.get("/aid/?q=du+an+web").status_code == 200
    assert client.get("/aid/?export=xlsx").status_code == 200
    assert client.get("/search/?q=du+an+web").status_code == 200


def test_the_stalled_alert_is_a_fragment_of_the_statistics_page(login, province, rates):
    item = approve(make_item(province), province, on=date(2021, 8, 1))
    response = login("leader").get("/aid/statistics/stalled/")
    assert response.status_code == 200 and item.code in response.content.decode()
    assert "VT-1" not in login("officer_b").get("/aid/statistics/stalled/").content.decode()


def test_the_item_page_writes_money_as_an_officer_reads_it(login, province, rates):
    item = make_item(province, amount="3500000", planned_start=date(2021, 8, 1))
    services.transaction_add(item=item, by=None, kind="commitment", date=date(2021, 8, 2), amount=Decimal("-1500000.5"))
    page = login("coordinator").get(item.get_absolute_url()).content.decode()
    assert "3.500.000,00 USD ≈ 3.500.000,00 USD · 80.150.000.000 VND" in page
    assert "None" not in page
    money = login("coordinator").get(item.get_absolute_url() + "?tab=money").content.decode()
    assert "-1.500.000,50" in money and "None" not in money
    # an amount in USD before the first VND rate: the USD equivalent without a rate, no "None VND"
    early = make_item(province, code="VT-EARLY", amount="1000", planned_start=date(2020, 1, 1))
    page = login("coordinator").get(early.get_absolute_url()).content.decode()
    assert "1.000,00 USD ≈ 1.000,00 USD <span" in page and "chưa có tỷ giá VND cho ngày này" in page
    assert "None" not in page


def test_the_statistics_say_which_amounts_have_no_exchange_rate(login, province, rates):
    rated = approve(make_item(province, code="VT-RATED", planned_start=date(2021, 8, 1)), province)
    early = make_item(province, code="VT-2019", amount="500", planned_start=date(2019, 1, 1))
    AidItem.objects.filter(pk=early.pk).update(status="approved", approved_on=date(2021, 8, 1))
    AidItem.objects.filter(pk=early.pk).update(committed_usd=Decimal(500), committed_vnd=None, rate_vnd=None)
    page = login("leader").get("/aid/statistics/?date_from=01/01/2021&date_to=31/12/2021").content.decode()
    assert (
        'id="unrated-alert"' in page
        and "VT-2019" in page
        and "VT-RATED" not in page.split('id="unrated-alert"')[1].split("</div>")[0]
    )
    assert "chưa có tỷ giá cho ngày của chúng" in page
    AidItem.objects.filter(pk=early.pk).delete()
    assert 'id="unrated-alert"' not in login("leader").get("/aid/statistics/?date_from=01/01/2021").content.decode()
    assert rated.committed_vnd is not None
