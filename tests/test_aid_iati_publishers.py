"""The IATI mapping against what real publishers write: de-obligations, revised budgets, incoming
commitments, money for other countries, IATI 1.x words, sectors given per transaction or rounded
to 99.99 %, provinces named as they were before the 2025 reform — and the command's exit status
for files that cannot be read to their end."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from lxml import etree

from apps.aid import iati, iati_read, reference
from apps.aid.iati_read import Mapper, decimal_of
from apps.aid.models import AidItem
from apps.partners.models import Partner


def record(xml, *, country=None):
    el = etree.fromstring(xml)
    ident, line, digest, notes, item = Mapper(country=country, today=date(2026, 1, 1)).record(el, "en")
    return item, [msgid.format(*args) for msgid, args in notes]


def activity(body, *, currency="USD", ident="XM-TEST-1"):
    return (
        '<iati-activity default-currency="{}"><iati-identifier>{}</iati-identifier>'
        "<title><narrative>Nước sạch</narrative></title>"
        '<participating-org role="1" ref="US-GOV-1"><narrative>USAID</narrative></participating-org>'
        '<recipient-country code="VN"/>{}</iati-activity>'
    ).format(currency, ident, body)


def tx(code, value, day="2025-02-01", currency="", extra=""):
    cur = ' currency="{}"'.format(currency) if currency else ""
    return (
        '<transaction><transaction-type code="{}"/><transaction-date iso-date="{}"/><value{}>{}</value>{}</transaction>'
    ).format(code, day, cur, value, extra)


def budget(value, start, end, kind="1"):
    return (
        '<budget type="{}"><period-start iso-date="{}"/><period-end iso-date="{}"/>'
        '<value value-date="{}">{}</value></budget>'
    ).format(kind, start, end, start, value)


def test_a_de_obligation_reduces_the_committed_value_and_a_refund_stays_a_transaction():
    item, notes = record(activity(tx("2", "5000000") + tx("2", "-1500000") + tx("3", "800") + tx("3", "-200")))
    assert item["committed_amount"] == "3500000.00"
    assert [t[2] for t in item["transactions"]] == ["5000000.00", "-1500000.00", "800.00", "-200.00"]
    assert notes == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,000,000.50", Decimal("1000000.50")),
        (" 300 ", Decimal("300.00")),
        ("1e6", Decimal("1000000.00")),
        ("-1500", Decimal("-1500.00")),
        ("2500,75", None),  # a decimal comma: a guess would be 100 times off
        ("1.234,56", None),  # European thousands: 1,000 times off
        ("12,34", None),
        ("1 000", None),
    ],
)
def test_values_are_xsd_decimals_or_unambiguous_thousands(text, expected):
    assert decimal_of(text) == expected


def test_a_value_with_a_decimal_comma_is_left_out_with_a_note_not_misread():
    item, notes = record(activity(tx("2", "2500,75") + tx("2", "1000")))
    assert item["committed_amount"] == "1000.00"
    assert any("without a usable value" in n for n in notes)


def test_incoming_commitments_are_not_added_to_the_outgoing_ones():
    item, notes = record(activity(tx("11", "500000") + tx("1", "500000") + tx("2", "800000"), currency="GBP"))
    assert (item["committed_amount"], item["currency"]) == ("800000.00", "GBP")
    assert [t[0] for t in item["transactions"]] == ["commitment"]
    assert any("2 transaction(s) of other types" in n for n in notes)


def test_a_revised_budget_replaces_the_original_of_its_period():
    item, _notes = record(
        activity(
            budget("1000000", "2025-01-01", "2025-12-31", kind="1")
            + budget("1200000", "2025-01-01", "2025-12-31", kind="2")
            + budget("900000", "2026-01-01", "2026-12-31", kind="1")
        )
    )
    assert item["committed_amount"] == "2100000.00"
    assert [b[2] for b in item["budgets"]] == ["1200000.00", "900000.00"]


def test_a_negative_budget_is_left_out():
    item, notes = record(
        activity(budget("-500", "2025-01-01", "2025-12-31") + budget("700", "2026-01-01", "2026-12-31"))
    )
    assert item["committed_amount"] == "700.00" and len(item["budgets"]) == 1
    assert any("1 budget(s) or transaction(s)" in n for n in notes)


def test_only_vietnam_s_transactions_are_kept_when_the_import_is_for_vietnam():
    vn = '<recipient-country code="VN"/>'
    kh = '<recipient-country code="KH"/>'
    xml = activity(tx("2", "100000", extra=vn) + tx("2", "900000", extra=kh) + tx("3", "400000", extra=kh))
    item, notes = record(xml, country="VN")
    assert item["committed_amount"] == "100000.00" and len(item["transactions"]) == 1
    assert any("2 transaction(s) for other countries than VN" in n for n in notes)
    everything, _ = record(xml)  # without --country the activity is taken whole
    assert everything["committed_amount"] == "1000000.00"


def test_vietnam_s_share_of_a_multi_country_activity_is_named():
    xml = activity(budget("1000", "2025-01-01", "2025-12-31")).replace(
        '<recipient-country code="VN"/>',
        '<recipient-country code="VN" percentage="50"/><recipient-country code="LA" percentage="50"/>',
    )
    _item, notes = record(xml, country="VN")
    assert any("VN has 50.00 per cent of the activity" in n for n in notes)


def test_a_commitment_in_another_currency_than_the_default_is_not_lost():
    item, notes = record(activity(tx("2", "3000000", currency="USD") + tx("3", "100000"), currency="EUR"))
    assert (item["committed_amount"], item["currency"]) == ("3000000.00", "USD")
    assert notes == []
    mixed, notes = record(activity(tx("2", "1000", currency="USD") + tx("2", "500"), currency="EUR"))
    assert (mixed["committed_amount"], mixed["currency"]) == ("500.00", "EUR")
    assert any("amounts in USD not added to the committed value (it is in EUR)" in n for n in notes)


@pytest.mark.parametrize(
    "sectors, expected",
    [
        (
            '<sector vocabulary="1" code="14030" percentage="33.33"/><sector vocabulary="1" code="12220" '
            'percentage="33.33"/><sector vocabulary="1" code="11220" percentage="33.33"/>',
            ["33.33", "33.33", "33.34"],
        ),
        (
            '<sector vocabulary="1" code="14030" percentage="50.01"/><sector vocabulary="1" code="12220" percentage="50"/>',
            ["50.01", "49.99"],
        ),
        ('<sector vocabulary="DAC" code="14030"/>', ["100.00"]),
    ],
)
def test_sector_shares_rounded_by_the_publisher_are_kept(sectors, expected):
    item, _notes = record(activity(sectors))
    assert [s[3] for s in item["sectors"]] == expected and item["sectors"][0][0] == "1"


def test_sectors_of_another_vocabulary_or_only_on_transactions_are_kept_with_a_note():
    item, notes = record(activity('<sector vocabulary="10" code="WASH"><narrative>Water</narrative></sector>'))
    assert [(s[0], s[1], s[3]) for s in item["sectors"]] == [("99", "WASH", "100.00")]
    assert any("vocabulary 10 kept as a local list" in n for n in notes)
    on_tx = '<sector vocabulary="1" code="14030"/>'
    item, notes = record(activity(tx("2", "10", extra=on_tx) + tx("3", "5", extra=on_tx)))
    assert [(s[1], s[3]) for s in item["sectors"]] == [("14030", "100.00")]
    assert any("sectors taken from the transactions" in n for n in notes)


def test_a_publisher_s_own_sector_code_beginning_with_7_is_not_emergency_relief():
    own, _ = record(activity('<sector vocabulary="99" code="7001"/>'))
    dac, _ = record(activity('<sector vocabulary="1" code="72010"/>'))
    assert (own["kind"], dac["kind"]) == ("project", "emergency")


def test_a_suspended_activity_is_under_way_with_a_note():
    item, notes = record(activity('<activity-status code="6"/>' + tx("3", "10")))
    assert item["status"] == "implementing" and any("suspended" in n for n in notes)


def test_iati_1_dates_and_roles_written_as_words():
    xml = (
        '<iati-activity default-currency="USD"><iati-identifier>OLD-1</iati-identifier><title>Old</title>'
        '<participating-org role="Funding" ref="GB-1">Oxfam GB</participating-org>'
        '<participating-org role="Implementing">Oxfam Vietnam</participating-org>'
        '<activity-date type="start-planned" iso-date="2012-01-01"/><activity-date type="end-actual">2014-06-30'
        "</activity-date>"
        '<transaction><transaction-type code="C"/><transaction-date iso-date="2012-01-05"/><value>10</value>'
        "</transaction></iati-activity>"
    )
    item, _notes = record(xml)
    assert (item["planned_start"], item["actual_end"]) == ("2012-01-01", "2014-06-30")
    assert item["donor"][2] == "Oxfam GB" and [o[2] for o in item["implementing"]] == ["Oxfam Vietnam"]


def test_an_over_long_identifier_is_left_out_not_cut_into_another_activity_s():
    ident, _line, _digest, notes, item = Mapper(country=None, today=date(2026, 1, 1)).record(
        etree.fromstring(activity("", ident="X" * 201)), "en"
    )
    assert item is None and notes[0][0].startswith("iati-identifier longer than")


@pytest.mark.parametrize(
    "name, province",
    [
        ("Thua Thien Hue", "Thành phố Huế"),
        ("Tỉnh Quảng Nam", "Thành phố Đà Nẵng"),
        ("Kien Giang Province", "An Giang"),
        ("Yên Bái", "Lào Cai"),
        ("Bac Giang", "Bắc Ninh"),
        ("Ba Ria - Vung Tau", "Thành phố Hồ Chí Minh"),
        ("TP. HCM", "Thành phố Hồ Chí Minh"),
        ("Tiền Giang", "Đồng Tháp"),
        ("Dong Thap", "Đồng Tháp"),
    ],
)
def test_provinces_named_as_before_the_2025_reform_are_the_province_they_joined(name, province):
    code = reference.find_province(name)
    assert code is not None and reference.provinces()[code] == province


def test_every_former_province_names_a_current_one():
    current = set(reference.provinces())
    assert len(reference.FORMER_PROVINCES) == 30
    assert all(reference.find_province(name) in current for name in reference.FORMER_PROVINCES)


# -- through the importer ------------------------------------------------------------------------------


def write(path, *activities, tail="</iati-activities>\n"):
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n' + "".join(activities) + tail
    )
    return path


@pytest.mark.django_db
def test_a_government_donor_becomes_a_government_agency_partner(province, tmp_path):
    path = write(
        tmp_path / "gov.xml",
        activity(tx("2", "10")).replace('role="1" ref="US-GOV-1"', 'role="1" ref="US-GOV-1" type="10"'),
    )
    iati.import_file(path, unit=province.union)
    partner = Partner.objects.get(iati_ref="US-GOV-1")
    assert partner.kind == "government_agency" and partner.get_kind_display() == "Cơ quan chính phủ nước ngoài"


@pytest.mark.django_db
def test_a_file_broken_halfway_keeps_what_came_before_and_exits_with_status_2(province, tmp_path):
    path = write(tmp_path / "cut.xml", activity(tx("2", "10")), tail="<iati-activity><iati-identifier>X")
    out = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("import_iati", str(path), stdout=out, stderr=io.StringIO())
    assert caught.value.code == 2
    assert "stopped at a broken part of the file" in out.getvalue() and "created 1" in out.getvalue()
    assert AidItem.objects.filter(iati_identifier="XM-TEST-1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("content", ["", "<html><body>404</body></html>", "code,title\n1,x\n"])
def test_a_file_that_is_not_iati_at_all_exits_with_status_2(province, tmp_path, content):
    path = tmp_path / "not.xml"
    path.write_text(content)
    with pytest.raises(SystemExit) as caught:
        call_command("import_iati", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert caught.value.code == 2 and not AidItem.objects.exists()


@pytest.mark.django_db
def test_strict_mode_refuses_an_empty_file_and_an_unresolved_entity_with_status_2(province, tmp_path):
    empty = write(tmp_path / "empty.xml")
    entity = tmp_path / "entity.xml"
    entity.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<iati-activities version="2.03">\n'
        + activity(tx("2", "10")).replace("Nước sạch", "&xxe;")
        + "</iati-activities>\n"
    )
    for path in (empty, entity):
        err = io.StringIO()
        with pytest.raises(SystemExit) as caught:
            call_command("import_iati", str(path), "--strict", stdout=io.StringIO(), stderr=err)
        assert caught.value.code == 2 and "Traceback" not in err.getvalue()
    assert not AidItem.objects.exists()


@pytest.mark.django_db
def test_the_same_bytes_read_by_a_new_mapping_are_imported_again(province, tmp_path, monkeypatch):
    path = write(tmp_path / "same.xml", activity(tx("2", "10")))
    assert iati.import_file(path, unit=province.union).created == 1
    assert iati.import_file(path, unit=province.union).unchanged == 1
    monkeypatch.setattr(iati_read, "MAPPING", iati_read.MAPPING + "-next")
    again = iati.import_file(path, unit=province.union)
    assert again.updated == 1  # the file was read again and every item takes the new mapping


# -- second round: what real publishers' files carry besides IATI ----------------------------------------


def test_a_publisher_s_extension_elements_are_not_read_as_iati_elements():
    xml = activity(
        tx("2", "5000000") + '<akvo:transaction xmlns:akvo="http://akvo.org/iati-activity"><transaction-type code="2"/>'
        '<transaction-date iso-date="2025-01-01"/><value>5000000</value></akvo:transaction>'
        '<usg:sector xmlns:usg="http://usaid.gov" vocabulary="1" code="12220" percentage="100"/>'
        '<sector vocabulary="1" code="14030" percentage="100"/>'
    ).replace("<title>", '<usg:title xmlns:usg="http://usaid.gov"><narrative>Not this</narrative></usg:title><title>')
    item, notes = record(xml)
    assert item["committed_amount"] == "5000000.00" and len(item["transactions"]) == 1
    assert [s[1] for s in item["sectors"]] == ["14030"] and item["title_vi"] == "Nước sạch"


@pytest.mark.parametrize(
    "flag, sectors, kind",
    [
        (' humanitarian="0"', [("74020", "100")], "project"),  # the publisher says it is not
        ("", [("74020", "40"), ("41010", "60")], "project"),  # one relief sector among others
        ("", [("72010", "60"), ("12220", "40")], "emergency"),  # mostly relief
        (' humanitarian="1"', [("12220", "100")], "emergency"),
    ],
)
def test_emergency_relief_is_the_publisher_s_flag_or_mostly_relief_sectors(flag, sectors, kind):
    body = "".join('<sector vocabulary="1" code="{}" percentage="{}"/>'.format(c, p) for c, p in sectors)
    item, _notes = record(activity(body).replace("<iati-activity ", "<iati-activity{} ".format(flag)))
    assert item["kind"] == kind


def test_a_secondary_reporter_is_not_the_donor_and_vietnamese_implementers_are_not_partners():
    xml = (
        '<iati-activity default-currency="USD"><iati-identifier>XM-OCHA-1</iati-identifier>'
        '<reporting-org ref="XM-OCHA-CERF" type="40" secondary-reporter="1"><narrative>CERF</narrative></reporting-org>'
        "<title><narrative>Lũ lụt</narrative></title>"
        '<participating-org role="4" ref="VN-MARD" type="10"><narrative>Bộ Nông nghiệp và PTNT</narrative>'
        "</participating-org>"
        '<participating-org role="4" ref="gb-chc-202918" type="21"><narrative>Oxfam GB</narrative>'
        "</participating-org></iati-activity>"
    )
    item, notes = record(xml)
    assert item["donor"] is None and any("no donor" in n for n in notes)
    assert item["managing_agency"] == "Bộ Nông nghiệp và PTNT"
    assert [o[0] for o in item["implementing"]] == ["GB-CHC-202918"]


def test_unusable_activity_dates_and_planned_disbursements_only_are_said():
    xml = activity(
        '<activity-date type="1" iso-date="2024-02-30"/><activity-date type="2" iso-date="2021-9-1"/>'
        '<planned-disbursement><period-start iso-date="2025-01-01"/><value>10</value></planned-disbursement>'
    )
    item, notes = record(xml)
    assert item["planned_start"] is None and any("2 activity date(s) not a valid" in n for n in notes)
    assert Decimal(item["committed_amount"]) == 0 and any("only 1 planned disbursement(s)" in n for n in notes)


def test_a_sector_code_too_long_for_the_column_is_not_cut_into_another():
    item, notes = record(activity('<sector vocabulary="99" code="{}"/>'.format("X" * 21)))
    assert item["sectors"] == [] and any("not valid" in n for n in notes)


def test_a_province_named_with_its_country_is_found():
    assert reference.provinces()[reference.find_province("Ha Giang province, Vietnam")] == "Tuyên Quang"
    assert reference.provinces()[reference.find_province("Tỉnh Đồng Tháp, Việt Nam")] == "Đồng Tháp"


@pytest.mark.parametrize("written", ["xm-dac-41114", "41114", " XM-DAC-41114 "])
def test_an_organisation_identifier_in_any_case_or_as_a_bare_dac_code_is_one_partner(written):
    from apps.core.text import iati_org_ref

    assert iati_org_ref(written) == "XM-DAC-41114"


@pytest.mark.django_db
def test_organisations_match_partners_by_any_spelling_of_their_ref_or_their_english_name(province, tmp_path):
    undp = Partner.objects.create(
        unit=province.union, kind="international_organisation", name="UNDP", iati_ref="xm-dac-41114"
    )
    jica = Partner.objects.create(
        unit=province.union,
        kind="government_agency",
        name="JICA",
        name_vi="Cơ quan Hợp tác Quốc tế Nhật Bản",
        name_en="Japan International Cooperation Agency",
    )
    assert Partner.objects.get(pk=undp.pk).iati_ref == "XM-DAC-41114"  # stored in the one form
    one = activity(tx("2", "10"), ident="A-1").replace(
        '<participating-org role="1" ref="US-GOV-1"><narrative>USAID</narrative></participating-org>',
        '<participating-org role="1" ref="41114"><narrative>United Nations Development Programme</narrative>'
        '</participating-org><participating-org role="4"><narrative>Japan International Cooperation Agency'
        "</narrative></participating-org>",
    )
    before = Partner.objects.count()
    report = iati.import_file(write(tmp_path / "orgs.xml", one), unit=province.union)
    assert report.partners_created == 0 and Partner.objects.count() == before
    item = AidItem.objects.get(iati_identifier="A-1")
    assert item.donor_id == undp.pk and list(item.implementing_partners.all()) == [jica]


@pytest.mark.django_db
def test_an_amount_without_a_rate_is_said_at_import(province, tmp_path):
    report = iati.import_file(write(tmp_path / "gbp.xml", activity(tx("2", "10"), currency="GBP")), unit=province.union)
    item = AidItem.objects.get(iati_identifier="XM-TEST-1")
    assert item.committed_usd is None and item.committed_vnd is None
    assert any("chưa có tỷ giá GBP" in n for o in report.outcomes for n in o.notes)


@pytest.mark.django_db
def test_a_re_import_replaces_the_file_s_transactions_and_keeps_those_entered_by_hand(province, tmp_path):
    from apps.aid import services

    path = write(tmp_path / "v1.xml", activity(tx("2", "1000") + tx("3", "100")))
    iati.import_file(path, unit=province.union)
    item = AidItem.objects.get(iati_identifier="XM-TEST-1")
    own = services.transaction_add(item=item, by=None, kind="disbursement", date=date(2025, 3, 1), amount=777)
    iati.import_file(write(tmp_path / "v2.xml", activity(tx("2", "1000") + tx("3", "250"))), unit=province.union)
    amounts = sorted(item.transactions.values_list("amount", "from_iati"))
    assert amounts == [(Decimal("250.00"), True), (Decimal("777.00"), False), (Decimal("1000.00"), True)]
    assert item.transactions.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_the_export_keeps_the_kind_of_aid_and_invents_no_commitment(province, tmp_path):
    from apps.aid import services

    for code, kind in (("K-NP", "non_project"), ("K-EM", "emergency"), ("K-PG", "programme"), ("K-PJ", "project")):
        services.aiditem_create(
            by=None,
            unit=province.union,
            code=code,
            kind=kind,
            title_vi=code,
            committed_amount=Decimal(100),
            currency="USD",
        )
    iati.import_file(
        write(tmp_path / "b.xml", activity(budget("500", "2025-01-01", "2025-12-31"), ident="WITH-BUDGET")),
        unit=province.union,
    )
    out = tmp_path / "out.xml"
    with open(out, "wb") as handle:
        iati.export_file(handle, AidItem.objects.all(), organisation="XM-DAC-VN-TEST")
    doc = etree.parse(str(out))
    iati.schema().assertValid(doc)
    budgeted = next(a for a in doc.getroot() if a.findtext("iati-identifier") == "WITH-BUDGET")
    assert budgeted.find("transaction") is None  # its committed value is its budgets'
    AidItem.objects.all().delete()
    iati.import_file(out, unit=province.union)
    kinds = dict(AidItem.objects.values_list("title_vi", "kind"))
    assert (kinds["K-NP"], kinds["K-EM"], kinds["K-PG"], kinds["K-PJ"]) == (
        "non_project",
        "emergency",
        "programme",
        "project",
    )


@pytest.mark.django_db
def test_a_rate_entered_after_the_import_computes_the_missing_equivalents(province, tmp_path):
    from apps.aid import services
    from apps.aid.models import ExchangeRate

    xml = activity(budget("1000", "2025-01-01", "2025-12-31") + tx("3", "10"), currency="GBP")
    iati.import_file(write(tmp_path / "gbp.xml", xml), unit=province.union)
    item = AidItem.objects.get(iati_identifier="XM-TEST-1")
    assert item.committed_vnd is None and item.budgets.get().amount_vnd is None
    services.rate_save(
        rate=ExchangeRate(currency="GBP", date=date(2024, 1, 1), rate_vnd=Decimal(32000), source="SBV"), by=None
    )
    item.refresh_from_db()
    assert item.committed_vnd == Decimal("32000000.00")
    assert item.budgets.get().amount_vnd == Decimal("32000000.00")
    assert item.transactions.get().amount_vnd == Decimal("320000.00")
