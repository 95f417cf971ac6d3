"""Aid, review round 5: what an officer saw go wrong, and sees right now — disbursements counted in
the year they were made, totals that agree with the missing-rate warning, numbers typed the
Vietnamese way, equivalents kept fresh when a rate moves, shares that add up once stored, sectors
kept as stored, refused steps that leave nothing behind, required opinions and step dates that
hold, filters that answer a form error, amounts in words, and counted money that is corrected,
never deleted."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from apps.aid import services, statistics
from apps.aid.forms import AidItemForm, ExchangeRateForm, LocalDecimalField, TransactionForm
from apps.aid.models import AidItem, AidSector, ExchangeRate, Transaction, WorkflowStep
from apps.aid.money import amount_words, format_share
from apps.core.models import ObjectChange
from apps.documents.models import Document
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def rate(currency, day, value, by=None):
    return services.rate_save(
        rate=ExchangeRate(currency=currency, date=day, rate_vnd=Decimal(value), source="Vietcombank"), by=by
    )


@pytest.fixture
def rates(province):
    rate("USD", date(2021, 1, 1), "23000")
    rate("EUR", date(2021, 1, 1), "27000")


def make_item(province, code="VT-R5", amount="100000", currency="USD", kind="project", **extra):
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


def approve(item, province, on):
    doc = Document.objects.create(unit=province.union, notation="{}/QĐ-UBND".format(item.pk), issued_on=on)
    officer = province.officer_a if item.unit_id == province.union.pk else province.coordinator
    services.aid_step(item=item, action="submit", by=officer, on=on)
    services.aid_step(item=item, action="appraise", by=officer, on=on, agency="finance", opinion="Đồng ý")
    services.aid_step(item=item, action="approve", by=province.coordinator, on=on, document=doc)
    item.refresh_from_db()
    return item


def disburse(item, day, amount, currency="USD", **extra):
    return services.transaction_add(
        item=item, by=None, kind="disbursement", date=day, amount=Decimal(amount), currency=currency, **extra
    )


def year(province, y, **extra):
    return statistics.Filters(date_from=date(y, 1, 1), date_to=date(y, 12, 31), unit=province.province, **extra)


def row(stats, kind):
    return next(r for r in stats.rows if r.kind == kind)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# -- 1. disbursements by their own date ---------------------------------------------------------


def test_a_disbursement_counts_in_the_year_it_is_made_not_the_year_its_item_was_approved(login, province, rates):
    item = approve(make_item(province, amount="500000"), province, on=date(2024, 12, 20))
    disburse(item, date(2024, 12, 28), "40000")
    disburse(item, date(2025, 3, 1), "100000")

    last_year = statistics.compute(province.leader, year(province, 2024))
    assert row(last_year, "project").count == 1
    assert row(last_year, "project").disbursed_usd == Decimal("40000.00")

    this_year = statistics.compute(province.leader, year(province, 2025))
    assert row(this_year, "project").count == 0  # approved last year: not counted again
    assert row(this_year, "project").disbursed_usd == Decimal("100000.00")
    assert this_year.total.disbursed_vnd == Decimal("2300000000.00")

    # the API and the page say the same
    client = login("leader")
    api = client.get(
        "/api/aid-items/statistics/", {"date_from": "2025-01-01", "date_to": "2025-12-31", "kind": "project"}
    ).json()
    assert Decimal(api["total"]["disbursed_usd"]) == Decimal("100000")
    page = page_text(client.get("/aid/statistics/?date_from=01/01/2025&date_to=31/12/2025"))
    assert "100.000" in page.split('id="statistics-table"')[1]

    # the other filters still apply to the disbursement's item
    assert statistics.compute(province.leader, year(province, 2025, kind="non_project")).total.disbursed_usd == 0
    assert statistics.compute(province.officer_b, year(province, 2025)).total.disbursed_usd == 0


def test_a_viewer_without_a_unit_filter_gets_the_figures_of_their_own_units(province, rates):
    ours = approve(make_item(province, code="VT-OURS"), province, on=date(2024, 3, 1))
    theirs = services.aiditem_create(
        by=None, unit=province.department, code="VT-THEIRS", kind="project", title_vi="x", committed_amount=7
    )
    theirs = approve(theirs, province, on=date(2024, 3, 1))
    disburse(ours, date(2025, 2, 1), "30")
    disburse(theirs, date(2025, 2, 1), "70")
    everything = statistics.Filters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
    assert statistics.compute(province.coordinator, everything).total.disbursed_usd == Decimal("100.00")
    assert statistics.compute(province.superuser, everything).total.disbursed_usd == Decimal("100.00")
    assert statistics.compute(province.officer_a, everything).total.disbursed_usd == Decimal("30.00")
    assert statistics.compute(province.officer_b, everything).total.disbursed_usd == Decimal("70.00")
    only_union = statistics.Filters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31), unit=province.union)
    assert statistics.compute(province.coordinator, only_union).total.disbursed_usd == Decimal("30.00")


# -- 2. an amount without a rate is in neither total ----------------------------------------------


def test_an_amount_without_a_rate_is_in_neither_total_as_the_warning_says(login, province):
    rate("EUR", date(2020, 1, 1), "26000")
    rate("USD", date(2021, 1, 1), "23000")
    in_usd = approve(make_item(province, code="VT-USD-2020", amount="1000000"), province, on=date(2020, 6, 1))
    in_eur = approve(make_item(province, code="VT-EUR-2020", amount="1000", currency="EUR"), province, date(2020, 6, 1))
    # each has one equivalent and lacks the other: USD before the first VND rate, EUR before USD's
    assert (in_usd.committed_usd, in_usd.committed_vnd) == (Decimal("1000000.00"), None)
    assert in_eur.committed_usd is None and in_eur.committed_vnd == Decimal("26000000.00")
    disburse(in_usd, date(2020, 7, 1), "5000")

    with translation.override("en"):
        stats = statistics.compute(province.leader, year(province, 2020))
    assert stats.total.count == 2
    assert (stats.total.committed_usd, stats.total.committed_vnd) == (0, 0)
    assert (stats.total.disbursed_usd, stats.total.disbursed_vnd) == (0, 0)
    assert "1 million USD" not in stats.sentence and "26 million" not in stats.sentence
    assert stats.extras["unrated"]["items"] == 2 and stats.extras["unrated"]["payments"] == 1
    assert {code for _pk, code in stats.extras["unrated"]["examples"]} == {"VT-USD-2020", "VT-EUR-2020"}

    # a rated item beside them is counted in both
    approve(make_item(province, code="VT-2021", amount="1000"), province, on=date(2021, 3, 1))
    both = statistics.compute(
        province.leader, statistics.Filters(date_from=date(2020, 1, 1), date_to=date(2021, 12, 31))
    )
    assert (both.total.committed_usd, both.total.committed_vnd) == (Decimal("1000.00"), Decimal("23000000.00"))

    page = login("leader").get("/aid/statistics/?date_from=01/01/2020&date_to=31/12/2020").content.decode()
    alert = page.split('id="unrated-alert"')[1].split("</div>")[0]
    assert "VT-USD-2020" in alert and "VT-EUR-2020" in alert


def test_a_disbursement_of_an_item_approved_earlier_without_a_rate_is_linked_from_the_warning(province):
    rate("USD", date(2021, 1, 1), "23000")
    item = approve(make_item(province, code="VT-JPY", amount="100", currency="JPY"), province, on=date(2021, 3, 1))
    disburse(item, date(2022, 2, 1), "50", currency="JPY")  # no JPY rate at all
    stats = statistics.compute(province.leader, year(province, 2022))
    assert stats.extras["unrated"]["payments"] == 1
    assert [code for _pk, code in stats.extras["unrated"]["examples"]] == ["VT-JPY"]


# -- 3. numbers typed the Vietnamese way ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("25.400", "25400"),
        ("25400", "25400"),
        ("25.400,5", "25400.5"),
        ("25,400.5", "25400.5"),
        ("1,5", "1.5"),
        ("24.3", "24.3"),
        ("0,125", "0.125"),
        (" 25 400 ", "25400"),
    ],
)
def test_the_rate_form_reads_a_rate_as_offices_type_it(login, province, typed, stored):
    response = login("coordinator").post(
        "/exchange-rates/add/", {"currency": "USD", "date": "02/06/2025", "rate_vnd": typed, "source": "Vietcombank"}
    )
    assert response.status_code == 302, page_text(response)[-600:]
    assert ExchangeRate.objects.get(currency="USD", date=date(2025, 6, 2)).rate_vnd == Decimal(stored)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("25,400", "VND per unit: “25,400” can be read as 25.400 or as 25,4; write one of these."),
        ("abc", "VND per unit: “abc” is not a number; write it as 25.400 or 25.400,5."),
        ("1e5", "VND per unit: “1e5” is not a number"),
        ("2.54,5", "VND per unit: “2.54,5” is not a number"),
        ("25400,1234567", "VND per unit: “25400,1234567” has 7 decimal places; at most 6."),
        ("123.456.789.012.345.678", "at most 14 digits before the decimal point"),
    ],
)
def test_the_rate_form_refuses_what_it_cannot_read_naming_the_field(login, english, province, typed, says):
    response = login("coordinator").post(
        "/exchange-rates/add/", {"currency": "USD", "date": "02/06/2025", "rate_vnd": typed, "source": "Vietcombank"}
    )
    assert response.status_code == 400
    assert says in page_text(response)
    assert not ExchangeRate.objects.exists()


def test_the_rate_box_is_text_with_a_decimal_keypad_and_shows_the_rate_back_as_typed(login, province):
    client = login("coordinator")
    page = client.get("/exchange-rates/add/").content.decode()
    box = page.split('name="rate_vnd"')[0].rsplit("<input", 1)[1] + page.split('name="rate_vnd"')[1].split(">")[0]
    assert 'type="text"' in box and 'inputmode="decimal"' in box
    saved = rate("USD", date(2025, 6, 2), "25400.5")
    form = ExchangeRateForm(instance=saved, user=province.coordinator)
    with translation.override("vi"):
        assert form["rate_vnd"].value() == "25.400,5"
    # saved again unchanged, it stays the same rate
    data = {"currency": "USD", "date": "02/06/2025", "source": "Vietcombank", "_version": saved.version}
    with translation.override("vi"):
        data["rate_vnd"] = ExchangeRateForm(instance=saved, user=province.coordinator)["rate_vnd"].value()
    assert client.post("/exchange-rates/{}/edit/".format(saved.pk), data).status_code == 302
    assert ExchangeRate.objects.get(pk=saved.pk).rate_vnd == Decimal("25400.5")


@pytest.mark.parametrize("value", ["25400", "25400.5", "12.345", "0.125", "-1500000.5", "1000000", "33.33"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_number_shown_in_a_box_reads_back_as_the_same_number(value, language):
    field = LocalDecimalField(max_digits=20, decimal_places=6, label="x")
    with translation.override(language):
        shown = field.prepare_value(Decimal(value))
    assert "E" not in shown
    assert field.clean(shown) == Decimal(value)


def test_an_amount_typed_with_thousands_dots_is_read_as_thousands(login, province, rates):
    item = approve(make_item(province), province, on=date(2021, 8, 1))
    client = login("officer_a")
    response = client.post(
        "/aid/{}/transactions/add/".format(item.pk),
        {"kind": "disbursement", "date": "02/08/2021", "amount": "5.000", "currency": "USD"},
    )
    assert response.status_code == 302
    assert item.transactions.get().amount == Decimal("5000")
    form = TransactionForm(
        {"kind": "commitment", "date": "02/08/2021", "amount": "1.500.000,50", "currency": "USD"},
        user=province.officer_a,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("1500000.50")


# -- 4. equivalents follow a rate that is entered or moved ---------------------------------------


def test_a_rate_entered_between_a_transactions_date_and_its_value_date_is_applied(province, rates):
    item = approve(make_item(province, currency="EUR", amount="1000"), province, on=date(2021, 8, 1))
    tx = disburse(item, date(2021, 9, 10), "1000", currency="EUR", value_date=date(2021, 9, 20))
    assert tx.rate_vnd == Decimal("27000")
    rate("EUR", date(2021, 9, 15), "28000")
    tx.refresh_from_db()
    assert tx.rate_vnd == Decimal("28000")
    assert tx.amount_vnd == Decimal("28000000.00")
    # one valued before the new rate keeps its own
    early = disburse(item, date(2021, 9, 16), "10", currency="EUR", value_date=date(2021, 9, 1))
    rate("EUR", date(2021, 9, 5), "27500")
    early.refresh_from_db()
    assert early.rate_vnd == Decimal("27000")  # valued on 1 September: before the new rate
    tx.refresh_from_db()
    assert tx.rate_vnd == Decimal("28000")


def test_moving_a_rate_to_another_day_recomputes_what_used_it(province, rates):
    jpy = rate("JPY", date(2025, 6, 1), "170")
    rate("JPY", date(2025, 1, 1), "162.5")
    item = approve(make_item(province, code="VT-JPY", currency="JPY", amount="1000000"), province, date(2025, 7, 1))
    assert item.rate_vnd == Decimal("170")
    jpy = ExchangeRate.objects.get(pk=jpy.pk)
    jpy.date = date(2025, 9, 1)  # a typo corrected: 01/06 was 01/09
    services.rate_save(rate=jpy, by=province.coordinator)
    item.refresh_from_db()
    assert item.rate_vnd == Decimal("162.5") and item.committed_vnd == Decimal("162500000.00")


def test_moving_a_rate_on_its_edit_page_recomputes_what_used_it(login, province, rates):
    moved = rate("JPY", date(2025, 10, 1), "180")
    rate("JPY", date(2025, 1, 1), "170")
    item = approve(make_item(province, code="VT-JPY", currency="JPY", amount="1000"), province, date(2025, 10, 15))
    assert item.rate_vnd == Decimal("180")
    response = login("coordinator").post(
        "/exchange-rates/{}/edit/".format(moved.pk),
        {"currency": "JPY", "date": "01/11/2025", "rate_vnd": "180", "source": "VCB", "_version": moved.version},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.rate_vnd == Decimal("170") and item.committed_vnd == Decimal("170000.00")
    assert ObjectChange.objects.filter(changed_object_type__model="exchangerate", changed_object_id=moved.pk).exists()


def test_changing_a_rates_currency_leaves_the_old_currency_without_it(province, rates):
    wrong = rate("GBP", date(2021, 1, 1), "31000")
    item = approve(make_item(province, code="VT-GBP", currency="GBP", amount="10"), province, date(2021, 8, 1))
    assert item.committed_vnd == Decimal("310000.00")
    wrong = ExchangeRate.objects.get(pk=wrong.pk)
    wrong.currency = "CHF"  # it was the franc's rate
    services.rate_save(rate=wrong, by=province.coordinator)
    item.refresh_from_db()
    assert item.rate_vnd is None and item.committed_vnd is None and item.committed_usd is None


# -- 5. shares with more than two decimals --------------------------------------------------------


def test_shares_with_more_than_two_decimals_are_refused_naming_the_share(login, english, province):
    client = login("officer_a")
    body = {
        "code": "VT-SHARES",
        "kind": "project",
        "title_vi": "Chia ngành",
        "unit_id": province.union.pk,
        "sectors": [
            {"code": "11220", "percentage": "33.335"},
            {"code": "12220", "percentage": "33.335"},
            {"code": "14030", "percentage": "33.33"},
        ],
    }
    response = client.post("/api/aid-items/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"loc": ["sectors"], "msg": "The share of sector 11220 is 33.335: write it with at most two decimals."}
    ]
    body["sectors"] = [{"code": "11220", "percentage": 100}]
    body["locations"] = [{"province_code": 82, "percentage": "50.005"}, {"province_code": 79, "percentage": "49.995"}]
    response = client.post("/api/aid-items/", body, content_type="application/json")
    assert response.status_code == 400
    assert "The share of Đồng Tháp is 50.005: write it with at most two decimals." in response.json()["detail"]
    assert not AidItem.objects.filter(code="VT-SHARES").exists()
    # what publishers write, rounded to two places, is accepted and stays 100 once stored
    body["locations"] = [{"province_code": 82, "percentage": "33.33"}, {"province_code": 79, "percentage": "66.670"}]
    assert client.post("/api/aid-items/", body, content_type="application/json").status_code == 201
    item = AidItem.objects.get(code="VT-SHARES")
    assert sum(item.locations.values_list("percentage", flat=True)) == 100


def test_an_item_saved_with_rounded_shares_can_be_saved_again_unchanged(login, province):
    item = make_item(
        province,
        sectors=[
            {"code": "11220", "percentage": "33.33"},
            {"code": "12220", "percentage": "33.33"},
            {"code": "14030", "percentage": "33.34"},
        ],
    )
    response = login("officer_a").post("/aid/{}/edit/".format(item.pk), edit_form(item, province))
    assert response.status_code == 302, page_text(response)[-800:]
    assert sorted(item.sectors.values_list("percentage", flat=True)) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]


# -- 6. sectors stay as stored when the form is saved ----------------------------------------------


def edit_form(item, province, **changes) -> dict:
    """What the edit form posts for ``item`` as it shows it, with ``changes`` typed in."""
    item = AidItem.objects.get(pk=item.pk)
    form = AidItemForm(instance=item, user=province.officer_a)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name == "implementing_partners":
            data[name] = [str(p) for p in value or []]
        elif value is not None:
            data[name] = value
    data["sectors_text"] = form.fields["sectors_text"].initial or ""
    data["locations_text"] = form.fields["locations_text"].initial or ""
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_saving_the_edit_form_keeps_the_sectors_as_stored(login, province):
    item = make_item(
        province,
        sectors=[
            {"code": "121", "vocabulary": "2", "percentage": 60},
            {"code": "12220", "vocabulary": "1", "percentage": 40},
        ],
    )
    before = sorted(item.sectors.values_list("vocabulary", "code", "name", "percentage"))
    client = login("officer_a")
    response = client.post("/aid/{}/edit/".format(item.pk), edit_form(item, province, title_en="Health"))
    assert response.status_code == 302, page_text(response)[-800:]
    assert sorted(item.sectors.values_list("vocabulary", "code", "name", "percentage")) == before

    # a publisher's list kept as a local list, with the publisher's name
    AidSector.objects.filter(aid_item=item).delete()
    AidSector.objects.create(aid_item=item, vocabulary="99", code="HEA", name="Health cluster (IASC)", percentage=100)
    response = client.post("/aid/{}/edit/".format(item.pk), edit_form(item, province, title_en="Health 2"))
    assert response.status_code == 302
    assert list(item.sectors.values_list("vocabulary", "code", "name")) == [("99", "HEA", "Health cluster (IASC)")]

    # a code added in the form gets its vocabulary from its shape; the kept one keeps its own
    response = client.post("/aid/{}/edit/".format(item.pk), edit_form(item, province, sectors_text="HEA 50\n12220 50"))
    assert response.status_code == 302
    assert sorted(item.sectors.values_list("vocabulary", "code", "name")) == [
        ("1", "12220", "Chăm sóc sức khỏe cơ bản"),
        ("99", "HEA", "Health cluster (IASC)"),
    ]


# -- 7. a refused step leaves no document -----------------------------------------------------------


def test_a_refused_approval_leaves_no_placeholder_document(login, province, rates):
    item = make_item(province)
    services.aid_step(item=item, action="submit", by=province.officer_a)
    documents = Document.objects.count()

    # not appraised yet: refused with a message
    response = login("coordinator").post(
        "/aid/{}/step/".format(item.pk), {"action": "approve", "on": "10/11/2025", "document": "1520/QĐ-UBND"}
    )
    assert response.status_code == 302 and messages_of(response)
    assert Document.objects.count() == documents
    assert not Document.objects.filter(notation="1520/QĐ-UBND").exists()

    # an officer may not approve: 403, and nothing either
    services.aid_step(item=item, action="appraise", by=province.officer_a, agency="finance", opinion="Đồng ý")
    response = login("officer_a").post(
        "/aid/{}/step/".format(item.pk), {"action": "approve", "on": "10/11/2025", "document": "1777/QĐ-UBND"}
    )
    assert response.status_code == 403
    assert Document.objects.count() == documents
    item.refresh_from_db()
    assert item.status == "appraised"

    # taken, the step keeps its decision
    response = login("coordinator").post(
        "/aid/{}/step/".format(item.pk), {"action": "approve", "on": "10/11/2025", "document": "1520/QĐ-UBND"}
    )
    item.refresh_from_db()
    assert item.status == "approved" and item.approval_document.notation == "1520/QĐ-UBND"


# -- 8. a required opinion is an opinion on record ------------------------------------------------


def test_naming_an_agency_on_the_approval_is_not_its_opinion(login, province, rates):
    WorkflowStep.objects.filter(action="approve").update(required_opinions=["finance", "police"])
    item = make_item(province)
    # an agency named on a step that records no opinion is not an opinion on record either
    services.aid_step(item=item, action="submit", by=province.officer_a, agency="police")
    services.aid_step(item=item, action="appraise", by=province.officer_a, agency="finance", opinion="Đồng ý")
    doc = Document.objects.create(unit=province.union, notation="8/QĐ-UBND", issued_on=date(2025, 11, 1))

    with translation.override("en"), pytest.raises(ValidationError, match="Opinions still missing: Police"):
        services.aid_step(item=item, action="approve", by=province.coordinator, document=doc, agency="police")
    response = login("coordinator").post(
        "/api/aid-items/{}/steps/".format(item.pk),
        {"action": "approve", "document_id": doc.pk, "agency": "police"},
        content_type="application/json",
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == "appraised"

    # the police's opinion recorded, the approval goes through
    services.aid_step(item=item, action="opinion", by=province.officer_a, agency="police", opinion="Không vướng")
    services.aid_step(item=item, action="approve", by=province.coordinator, document=doc)
    item.refresh_from_db()
    assert item.status == "approved"


def test_an_opinion_given_on_the_step_that_needs_it_counts(province, rates):
    WorkflowStep.objects.filter(action="appraise").update(required_opinions=["finance", "police"])
    item = make_item(province)
    services.aid_step(item=item, action="submit", by=province.officer_a)
    services.aid_step(item=item, action="opinion", by=province.officer_a, agency="finance", opinion="Đồng ý")
    services.aid_step(item=item, action="appraise", by=province.officer_a, agency="police", opinion="Không vướng")
    item.refresh_from_db()
    assert item.status == "appraised"


# -- 9. step dates -------------------------------------------------------------------------------------


def test_a_step_cannot_be_dated_before_what_it_follows(province, rates):
    item = approve(make_item(province), province, on=date(2025, 1, 10))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.aid_step(item=item, action="start", by=province.officer_a, on=date(2025, 1, 5))
    assert caught.value.message_dict == {
        "on": ["The start date (05/01/2025) is before the approval date (10/01/2025)."]
    }
    services.aid_step(item=item, action="start", by=province.officer_a, on=date(2025, 6, 1))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.aid_step(item=item, action="complete", by=province.officer_a, on=date(2025, 3, 1))
    assert caught.value.message_dict == {
        "on": ["The completion date (01/03/2025) is before the actual start (01/06/2025)."]
    }
    item.refresh_from_db()
    assert item.status == "implementing" and item.actual_end is None
    assert list(item.events.values_list("action", flat=True)) == ["submit", "appraise", "approve", "start"]

    services.aid_step(item=item, action="complete", by=province.officer_a, on=date(2025, 12, 1))
    item.refresh_from_db()
    assert (item.actual_start, item.actual_end) == (date(2025, 6, 1), date(2025, 12, 1))
    item.title_en = "Still editable"
    services.aiditem_update(item=item, by=province.officer_a)


def test_the_step_page_says_which_date_is_wrong(login, english, province, rates):
    item = approve(make_item(province), province, on=date(2025, 1, 10))
    response = login("officer_a").post("/aid/{}/step/".format(item.pk), {"action": "start", "on": "05/01/2025"})
    assert messages_of(response) == ["The start date (05/01/2025) is before the approval date (10/01/2025)."]


# -- 10. over-long IDs in filters -------------------------------------------------------------------


def test_an_over_long_id_in_a_filter_is_a_form_error_not_a_500(login, english, province):
    client = login("officer_a")
    response = client.get("/aid/statistics/", {"donor": "99999999999999999999"})
    assert response.status_code == 400
    assert "Donor (ID): no record has a number this large." in page_text(response)
    assert client.get("/aid/statistics/", {"donor": str(2**63 - 1)}).status_code == 200
    for url, says in (
        ("/aid/?donor=99999999999999999999", "Donor (ID): no record has a number this large."),
        ("/aid/?province=99999999999999999999", "Province code: no record has a number this large."),
        ("/aid-transactions/?aid_item=99999999999999999999", "Aid item (ID): no record has a number this large."),
    ):
        response = client.get(url)
        assert response.status_code == 200 and says in page_text(response), url
    response = client.get("/api/aid-transactions/?aid_item=99999999999999999999")
    assert response.status_code == 400 and set(response.json()) == {"detail", "errors"}


# -- 11. amounts in words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "currency", "words"),
    [
        ("999999.99", "USD", "1 triệu USD"),
        ("999600", "USD", "gần 1 triệu USD"),
        ("999960000", "VND", "1 tỷ đồng"),
        ("999960000000", "VND", "1.000 tỷ đồng"),  # no unit above tỷ in use: a thousand tỷ
        ("12345678901234", "VND", "12.345,7 tỷ đồng"),
        ("999.6", "USD", "gần 1 nghìn USD"),
        ("950", "USD", "950 USD"),
        ("25870000", "USD", "gần 26 triệu USD"),
        ("25400000", "USD", "hơn 25 triệu USD"),
        ("594480000000", "VND", "594,5 tỷ đồng"),
        ("-25960000", "USD", "gần -26 triệu USD"),
    ],
)
def test_amounts_in_words_take_the_scale_after_rounding(value, currency, words):
    assert amount_words(Decimal(value), currency, "vi") == words


def test_amounts_in_words_in_english_too():
    assert amount_words(Decimal("999999.99"), "USD", "en") == "1 million USD"
    assert amount_words(Decimal("999960000"), "VND", "en") == "1 billion dong"


# -- 12. shares shown as numbers -------------------------------------------------------------------


def test_shares_are_shown_as_people_write_them(login, province):
    item = make_item(
        province,
        sectors=[{"code": "11220", "percentage": "100"}],
        locations=[{"province_code": 82, "percentage": "66.67"}, {"province_code": 79, "percentage": "33.33"}],
    )
    page = page_text(login("officer_a").get("/aid/{}/edit/".format(item.pk)))
    assert "11220 100<" in page
    assert "82 66,67" in page and "79 33,33" in page
    assert "E+" not in page
    with translation.override("en"):
        assert format_share(Decimal("33.33")) == "33.33"
        assert format_share(Decimal("100.00")) == "100"
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        make_item(
            province, code="VT-110", sectors=[{"code": "11220", "percentage": 60}, {"code": "12220", "percentage": 50}]
        )
    assert caught.value.messages == ["The percentages of the sectors add up to 110; they must add up to 100."]


def test_the_total_of_shares_in_the_message_is_a_number(login, province):
    response = login("officer_a").post(
        "/aid/add/",
        {
            "code": "VT-WEB",
            "kind": "project",
            "title_vi": "x",
            "unit": province.union.pk,
            "committed_amount": "1000",
            "currency": "USD",
            "counterpart_amount": "0",
            "counterpart_currency": "VND",
            "sectors_text": "11220 60\n12220 50,5",
        },
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "110,5" in text and "E+" not in text


# -- 13. a rate file names the row ---------------------------------------------------------------------


def test_a_rate_file_names_the_row_of_a_rate_the_table_cannot_hold(province):
    rows = [
        ["currency", "date", "rate", "source"],
        ["AUD", "01/03/2025", "16500", "VCB"],
        ["CHF", "01/03/2025", "28700.1234567", "VCB"],
        ["KRW", "01/03/2025", "123456789012345678", "VCB"],
        ["SEK", "01/03/2025", "2400", "x" * 250],
    ]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.rates_import(rows=rows, by=province.coordinator)
    assert caught.value.messages == [
        "Row 3, column C: “28700.1234567” has 7 decimal places; a rate has at most 6.",
        "Row 4, column C: “123456789012345678” is too large for a rate (at most 14 digits before the decimal point).",
        "Row 5, column D: the source is 250 characters long; write at most 200.",
    ]
    assert not ExchangeRate.objects.exists()
    # trailing zeros are not decimals: 6 significant places are kept
    result = services.rates_import(rows=[rows[0], ["CHF", "01/03/2025", "28700.1234560", "VCB"]], by=None)
    assert result == {"created": 1, "updated": 0}
    assert ExchangeRate.objects.get(currency="CHF").rate_vnd == Decimal("28700.123456")


def test_the_import_page_shows_the_row(login, english, province):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b"currency,date,rate,source\nAUD,01/03/2025,16500,VCB\nCHF,01/03/2025,28700.1234567,VCB\n"
    response = login("coordinator").post("/exchange-rates/import/", {"file": SimpleUploadedFile("r.csv", data)})
    assert response.status_code == 400
    assert "Row 3, column C: “28700.1234567” has 7 decimal places; a rate has at most 6." in page_text(response)


# -- 14. unknown sector vocabulary -----------------------------------------------------------------------


def test_an_unknown_sector_vocabulary_is_refused_naming_the_sector(login, english, province):
    response = login("officer_a").post(
        "/api/aid-items/",
        {
            "code": "VT-VOC",
            "kind": "project",
            "title_vi": "x",
            "unit_id": province.union.pk,
            "sectors": [{"code": "ABC", "percentage": 100, "vocabulary": "7"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["loc"] == ["sectors"]
    assert error["msg"].startswith("Sector ABC: “7” is not a sector vocabulary; use 1 (OECD-DAC 5), 2 (OECD-DAC 3)")
    assert not AidItem.objects.filter(code="VT-VOC").exists()
    for vocabulary, code in (("1", "12220"), ("2", "121"), ("99", "ABC")):
        make_item(
            province, code="VT-" + vocabulary, sectors=[{"code": code, "vocabulary": vocabulary, "percentage": 100}]
        )


# -- 15. counted money is corrected, not deleted ----------------------------------------------------------


def test_a_transaction_of_an_approved_item_cannot_be_deleted_only_corrected(login, english, province, rates):
    item = approve(make_item(province), province, on=date(2021, 8, 1))
    tx = disburse(item, date(2021, 9, 1), "250")
    counted = statistics.compute(province.leader, year(province, 2021)).total.disbursed_usd
    assert counted == Decimal("250.00")

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.transaction_delete(tx=tx, by=province.officer_a)
    assert "Enter a correction instead: a disbursement of -250.00 USD." in caught.value.messages[0]

    client = login("officer_a")
    response = client.post("/aid-transactions/{}/delete/".format(tx.pk))
    assert response.status_code == 302
    assert Transaction.objects.filter(pk=tx.pk).exists()
    assert "cannot be deleted" in messages_of(response)[0]
    response = login("coordinator").delete("/api/aid-transactions/{}/".format(tx.pk))
    assert response.status_code == 400 and "Enter a correction instead" in response.json()["detail"]
    assert statistics.compute(province.leader, year(province, 2021)).total.disbursed_usd == counted

    # the correction: a negative disbursement, in the change log like any entry
    fix = disburse(item, date(2021, 9, 2), "-250")
    assert statistics.compute(province.leader, year(province, 2021)).total.disbursed_usd == 0
    assert ObjectChange.objects.filter(changed_object_type__model="transaction", changed_object_id=fix.pk).exists()

    # revoked, it was still approved: its money stays on record
    services.aid_step(item=item, action="revoke", by=province.coordinator, reason="Nhà tài trợ rút lại")
    with pytest.raises(ValidationError):
        services.transaction_delete(tx=Transaction.objects.get(pk=tx.pk), by=province.coordinator)


def test_a_drafts_commitment_may_still_be_deleted(login, province, rates):
    item = make_item(province)
    tx = services.transaction_add(
        item=item, by=province.officer_a, kind="commitment", date=date(2021, 8, 2), amount=Decimal("10")
    )
    response = login("officer_a").post("/aid-transactions/{}/delete/".format(tx.pk))
    assert response.status_code == 302
    assert not Transaction.objects.filter(pk=tx.pk).exists()
    assert ObjectChange.objects.filter(
        changed_object_type__model="transaction", changed_object_id=tx.pk, action="delete"
    ).exists()
    with pytest.raises(PermissionDenied):
        services.transaction_delete(
            tx=services.transaction_add(
                item=item, by=None, kind="commitment", date=date(2021, 8, 3), amount=Decimal("5")
            ),
            by=province.officer_b,
        )


def test_the_benchmarks_floor_computes_the_pages_numbers(province, rates):
    """bench/bench_aid.py measures the page against raw SQL: the SQL must count what the page does."""
    from bench.bench_aid import statistics_floor

    early = approve(make_item(province, code="VT-2024", kind="project"), province, on=date(2024, 12, 20))
    disburse(early, date(2025, 3, 1), "100")
    now = approve(make_item(province, code="VT-2025", kind="non_project", amount="50"), province, date(2025, 2, 1))
    disburse(now, date(2025, 4, 1), "20")
    AidItem.objects.filter(pk=now.pk).update(committed_vnd=None)  # no rate: in neither total

    rows = statistics_floor(province.coordinator, province.province, 2025)()
    floor = {}
    for r in rows:
        entry = floor.setdefault(r[0], {})
        if len(r) == 5:  # items: kind, count, usd, vnd, without a rate
            entry.update(count=r[1], committed_usd=r[2] or 0, committed_vnd=r[3] or 0)
        else:  # disbursements: kind, usd, vnd, without a rate
            entry.update(disbursed_usd=r[1] or 0, disbursed_vnd=r[2] or 0)
    stats = statistics.compute(province.coordinator, year(province, 2025))
    for r in stats.rows:
        expected = floor.get(r.kind, {})
        for name in ("count", "committed_usd", "committed_vnd", "disbursed_usd", "disbursed_vnd"):
            assert Decimal(str(expected.get(name, 0))) == getattr(r, name), (r.kind, name)
    assert row(stats, "project").disbursed_usd == Decimal("100.00")
    assert row(stats, "non_project").count == 1 and row(stats, "non_project").committed_usd == 0


def test_a_rate_is_named_as_people_write_it():
    """The rate's title and the saved message read 27.450 VND, not the column's 27450.000000."""
    from datetime import date as day
    from decimal import Decimal as D

    from django.utils import translation

    from apps.aid.models import ExchangeRate

    rate = ExchangeRate(currency="EUR", date=day(2026, 12, 5), rate_vnd=D("27450.000000"))
    with translation.override("vi"):
        assert str(rate) == "EUR 05/12/2026 = 27.450 VND"
    with translation.override("en"):
        assert str(ExchangeRate(currency="JPY", date=day(2026, 12, 5), rate_vnd=D("172.5"))) == (
            "JPY 05/12/2026 = 172.5 VND"
        )
