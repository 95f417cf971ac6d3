"""IATI import (streamed, lenient and strict) and export (valid against the 2.03 schema)."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree

from apps.aid import iati, services
from apps.aid.models import AidItem, ExchangeRate, Transaction
from apps.core.models import ObjectChange
from apps.partners.models import Partner

FIXTURES = Path(__file__).parent / "fixtures" / "iati"
ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["in this process", "in a reading process"])
def reader(request, settings):
    """Every import test runs twice: the file read in the importing process (small uploads) and in
    a reading process of its own (large files, ``python -m apps.aid.iati_read``)."""
    settings.IATI_READER_PROCESS_MIN_BYTES = 0 if request.param == "in a reading process" else 2**40
    return request.param


def activity(ident, *, title="Dự án", donor_ref="", donor="Donor", implementer="", amount="1000", country="VN"):
    ref = ' ref="{}"'.format(donor_ref) if donor_ref else ""
    implementing = (
        '<participating-org role="4"><narrative>{}</narrative></participating-org>'.format(implementer)
        if implementer
        else ""
    )
    return (
        '<iati-activity default-currency="USD"><iati-identifier>{ident}</iati-identifier>'
        "<title><narrative>{title}</narrative></title>"
        '<participating-org role="1"{ref}><narrative>{donor}</narrative></participating-org>{implementing}'
        '<activity-status code="2"/><activity-date type="1" iso-date="2025-01-01"/>'
        '<recipient-country code="{country}"/>'
        '<transaction><transaction-type code="2"/><transaction-date iso-date="2025-01-05"/>'
        "<value>{amount}</value></transaction></iati-activity>\n"
    ).format(**locals())


def iati_file(path, *activities, tail="</iati-activities>\n"):
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n' + "".join(activities) + tail
    )
    return path


def test_a_messy_file_imports_what_is_usable_and_says_why_the_rest_was_skipped(province):
    existing = Partner.objects.create(unit=province.union, kind="foreign_ngo", name="Water Friends UK")
    report = iati.import_file(FIXTURES / "messy.xml", unit=province.union, country="VN")
    assert (report.created, report.skipped) == (2, 2)
    notes = {o.identifier: o for o in report.outcomes}
    assert "không dành cho VN" in notes["XM-DAC-41114-KH-7"].notes[0]
    assert notes["(không có mã định danh)"].action == "skipped"
    water = AidItem.objects.get(iati_identifier="GB-CHC-123456-VN-001")
    assert water.title_vi == "Nước sạch cho các xã Đồng Tháp" and water.title_en.startswith("Clean water")
    assert water.donor_id == existing.pk  # matched by folded name (no partner had the ref yet)
    assert water.currency == "EUR" and water.committed_amount == Decimal("120000.00")
    assert water.status == "implementing" and water.actual_start == date(2024, 2, 15)
    assert sorted(water.sectors.values_list("code", "percentage")) == [
        ("12261", Decimal("30.00")),
        ("14030", Decimal("70.00")),
    ]
    assert list(water.locations.values_list("name", flat=True)) == ["Đồng Tháp"]
    assert sorted(Transaction.objects.filter(aid_item=water).values_list("kind", flat=True)) == [
        "commitment",
        "disbursement",
    ]
    assert water.budgets.count() == 1
    assert water.implementing_partners.get().name == "Hội Chữ thập đỏ tỉnh Đồng Tháp"
    assert any("chưa được ánh xạ" in n for n in notes["GB-CHC-123456-VN-001"].notes)
    flood = AidItem.objects.get(iati_identifier="US-EIN-999-FLOOD")
    assert flood.kind == "emergency" and flood.sectors.count() == 0  # 60 + 60 is not 100
    assert any("tổng tỷ lệ lĩnh vực là 120" in n for n in notes["US-EIN-999-FLOOD"].notes)
    assert flood.donor.iati_ref == "US-EIN-999"  # reporting-org created as a partner
    assert ObjectChange.objects.filter(changed_object_type__model="aiditem", changed_object_id=water.pk).exists()


def test_reimporting_an_unchanged_file_changes_nothing(province):
    iati.import_file(FIXTURES / "messy.xml", unit=province.union)
    before = (
        AidItem.objects.count(),
        Transaction.objects.count(),
        ObjectChange.objects.count(),
        Partner.objects.count(),
    )
    versions = dict(AidItem.objects.values_list("pk", "version"))
    report = iati.import_file(FIXTURES / "messy.xml", unit=province.union)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert (
        AidItem.objects.count(),
        Transaction.objects.count(),
        ObjectChange.objects.count(),
        Partner.objects.count(),
    ) == before
    assert dict(AidItem.objects.values_list("pk", "version")) == versions


def test_a_changed_activity_is_updated_in_place(province, tmp_path):
    iati.import_file(FIXTURES / "valid.xml", unit=province.union)
    changed = tmp_path / "changed.xml"
    changed.write_text((FIXTURES / "valid.xml").read_text().replace(">10000<", ">12500<"))
    report = iati.import_file(changed, unit=province.union)
    assert report.updated == 1
    item = AidItem.objects.get()
    assert item.committed_amount == Decimal("12500.00") and item.transactions.count() == 1
    # the change log shows what the value was and what it became
    change = ObjectChange.objects.filter(changed_object_id=item.pk, action="update").latest("time")
    assert change.prechange_data["committed_amount"] == "10000.00"
    assert change.postchange_data["committed_amount"] == "12500.00"


def test_entity_expansion_and_external_entities_are_not_resolved(province):
    report = iati.import_file(FIXTURES / "bomb.xml", unit=province.union)
    item = AidItem.objects.filter(iati_identifier="BOMB-1").first()
    if item is not None:
        assert "lol" not in item.title_vi and "root:" not in item.title_vi
    else:
        assert report.error


def test_strict_mode_names_the_first_problem_and_its_line_and_writes_nothing(province):
    with pytest.raises(iati.IatiError) as caught:
        iati.import_file(FIXTURES / "invalid.xml", unit=province.union, strict=True)
    assert "Dòng 5" in str(caught.value) and "reporting-org" in str(caught.value)
    assert not AidItem.objects.exists()
    report = iati.import_file(FIXTURES / "valid.xml", unit=province.union, strict=True)
    assert report.created == 1


def test_the_command_exits_with_status_2_in_strict_mode(province):
    with pytest.raises(SystemExit) as caught:
        call_command(
            "import_iati", str(FIXTURES / "invalid.xml"), "--strict", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert caught.value.code == 2
    out = io.StringIO()
    call_command("import_iati", str(FIXTURES / "messy.xml"), "--country", "VN", stdout=out, stderr=io.StringIO())
    assert "created 2" in out.getvalue() and "không dành cho VN" in out.getvalue()


def test_not_xml_at_all_is_a_clear_error(province, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<iati-activities><iati-activity><iati-identifier>X</iati")
    report = iati.import_file(bad, unit=province.union)
    assert report.error.startswith("Dòng 1")
    other = tmp_path / "other.xml"
    other.write_bytes(b"<html><body/></html>")
    with pytest.raises(iati.IatiError):
        iati.import_file(other, unit=province.union)


def test_the_export_is_valid_against_the_schema_and_reimports(province, tmp_path):
    services.rate_save(
        rate=ExchangeRate(currency="USD", date=date(2021, 1, 1), rate_vnd=Decimal("23000"), source="SBV"), by=None
    )
    donor = Partner.objects.create(unit=province.union, kind="foreign_ngo", name="Donor", iati_ref="GB-CHC-1")
    item = services.aiditem_create(
        by=None,
        unit=province.union,
        code="VT-X",
        kind="project",
        title_vi="Dự án <thử> & nghiệm",
        committed_amount=Decimal("1000.50"),
        currency="USD",
        donor=donor,
        sectors=[{"code": "12220", "percentage": "100"}],
        locations=[{"province_code": 82, "percentage": "100"}],
    )
    AidItem.objects.filter(pk=item.pk).update(status="approved", approved_on=date(2021, 5, 1))
    services.transaction_add(
        item=AidItem.objects.get(pk=item.pk), by=None, kind="disbursement", date=date(2021, 6, 1), amount=Decimal(300)
    )
    iati.import_file(FIXTURES / "messy.xml", unit=province.union)
    out = tmp_path / "export.xml"
    call_command("export_iati", "--output", str(out), "--organisation", "XM-DAC-VN-TEST", stdout=io.StringIO())
    doc = etree.parse(str(out), etree.XMLParser(resolve_entities=False, no_network=True))
    iati.schema().assertValid(doc)
    assert len(doc.getroot()) == AidItem.objects.count()
    report = iati.import_file(out, unit=province.union, strict=True)
    assert report.skipped == 0


def test_the_download_page_and_the_upload_job(login, province, settings, tmp_path):
    client = login("officer_a")
    response = client.get("/aid/iati/export/")
    assert response.status_code == 200 and response.content.startswith(b"<?xml")
    with open(FIXTURES / "valid.xml", "rb") as handle:
        response = client.post("/aid/iati/import/", {"file": handle, "unit": province.union.pk, "only_vietnam": "on"})
    assert response.status_code == 302
    from apps.core.jobs import run_job_now
    from apps.core.models import Job

    job = run_job_now(Job.objects.get(kind="aid.import_iati"))
    assert job.status == "completed", job.error
    assert job.result["created"] == 1


def test_reimporting_the_same_file_after_its_item_was_deleted_creates_it_again(province):
    first = iati.import_file(FIXTURES / "valid.xml", unit=province.union)
    assert first.created == 1
    again = iati.import_file(FIXTURES / "valid.xml", unit=province.union)
    assert (again.created, again.unchanged) == (0, 1)  # the same bytes: not even parsed
    AidItem.objects.filter(iati_identifier="NL-KVK-1234-VN-9").delete()
    third = iati.import_file(FIXTURES / "valid.xml", unit=province.union)
    assert third.created == 1 and AidItem.objects.filter(iati_identifier="NL-KVK-1234-VN-9").exists()


def test_an_identifier_twice_in_a_file_keeps_the_later_activity_and_says_so(province, tmp_path):
    path = iati_file(
        tmp_path / "twice.xml",
        activity("DUP-1", title="Bản đầu", amount="100"),
        activity("OTHER-1"),
        activity("DUP-1", title="Bản sau", amount="250"),
    )
    report = iati.import_file(path, unit=province.union)
    assert (report.created, report.skipped) == (2, 1)
    item = AidItem.objects.get(iati_identifier="DUP-1")
    assert item.title_vi == "Bản sau" and item.committed_amount == Decimal("250.00")
    first = next(o for o in report.outcomes if o.identifier == "DUP-1")
    assert first.action == "skipped" and first.line == 3 and "dòng 5" in first.notes[-1]


def test_organisations_become_partners_once_matched_by_ref_then_by_name(province, tmp_path, settings):
    by_ref = Partner.objects.create(unit=province.union, kind="foreign_ngo", name="Tên khác", iati_ref="GB-CHC-7")
    by_name = Partner.objects.create(unit=province.union, kind="foreign_ngo", name="Hội Bạn bè Đồng Tháp")
    path = iati_file(
        tmp_path / "orgs.xml",
        activity("ORG-1", donor_ref="GB-CHC-7", donor="Friends UK", implementer="Hội Chữ thập đỏ tỉnh Đồng Tháp"),
        activity("ORG-2", donor="HOI BAN BE DONG THAP", implementer="Hội Chữ thập đỏ tỉnh Đồng Tháp"),
        activity(
            "ORG-3", donor_ref="DE-CR-99", donor="Brot für die Welt", implementer="hoi chu thap do tinh dong thap"
        ),
    )
    before = Partner.objects.count()
    report = iati.import_file(path, unit=province.union)
    assert report.created == 3
    donors = dict(AidItem.objects.values_list("iati_identifier", "donor_id"))
    assert donors["ORG-1"] == by_ref.pk and donors["ORG-2"] == by_name.pk
    created = Partner.objects.exclude(pk__in=[by_ref.pk, by_name.pk])
    # the Red Cross written twice with diacritics and once without is one partner; Brot für die Welt is new
    assert report.partners_created == 2 == Partner.objects.count() - before
    red_cross = created.get(name="Hội Chữ thập đỏ tỉnh Đồng Tháp")
    assert set(red_cross.aid_implemented.values_list("iati_identifier", flat=True)) == {"ORG-1", "ORG-2", "ORG-3"}
    brot = created.get(iati_ref="DE-CR-99")
    assert brot.country.code == "DE" and brot.unit == province.union and brot.name_key == "brot fur die welt"
    assert Partner.objects.filter(search_text__contains="brot fur die welt").exists()
    logged = ObjectChange.objects.filter(
        changed_object_type__model="partner", changed_object_id__in=[red_cross.pk, brot.pk]
    )
    assert logged.count() == 2 and all(c.postchange_data["name"] for c in logged)


def test_a_file_broken_halfway_imports_what_came_before_the_break(province, tmp_path):
    path = iati_file(
        tmp_path / "broken.xml", activity("OK-1"), activity("OK-2"), "<iati-activity><iati-identifier>HALF", tail=""
    )
    seen = []
    report = iati.import_file(path, unit=province.union, progress=lambda done, total: seen.append((done, total)))
    assert report.created == 2 and report.error.startswith("Dòng 5")
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)
    with pytest.raises(iati.IatiError):
        iati.import_file(path, unit=province.union, strict=True)


def test_the_change_log_names_who_imported(province, tmp_path):
    from apps.core.changelog import change_logging

    path = iati_file(tmp_path / "who.xml", activity("WHO-1"))
    with change_logging(user=province.officer_a):
        iati.import_file(path, unit=province.union)
    change = ObjectChange.objects.get(changed_object_type__model="aiditem")
    assert change.user == province.officer_a and change.action == "create" and change.request_id
    assert change.postchange_data["iati_identifier"] == "WHO-1" and change.postchange_data["source"] == "who.xml"


def test_the_job_page_says_what_the_upload_did_and_what_was_skipped(login, province, vietnamese):
    from apps.core.jobs import run_job_now
    from apps.core.models import Job

    client = login("officer_a")
    with open(FIXTURES / "messy.xml", "rb") as handle:
        response = client.post("/aid/iati/import/", {"file": handle, "unit": province.union.pk, "only_vietnam": "on"})
    job = run_job_now(Job.objects.get(kind="aid.import_iati"))
    assert job.status == "completed", job.error
    page = client.get(job.get_absolute_url()).content.decode()
    assert "2 khoản viện trợ được tạo" in page and "2 hoạt động bị bỏ qua" in page
    assert "XM-DAC-41114-KH-7: bỏ qua — không dành cho VN" in page
    assert "dòng 26 · (không có mã định danh): bỏ qua" in page
    lines = [page.index("dòng {} ·".format(n)) for n in (4, 21, 26, 30)]
    assert lines == sorted(lines)  # in the order of the file
    assert 'href="/aid/"' in page
    assert response.status_code == 302


def test_a_reading_process_that_fails_is_reported_not_waited_for(province, tmp_path, reader):
    if reader != "in a reading process":
        pytest.skip("only a reading process can fail on its own")
    missing = tmp_path / "gone.xml"  # the size is taken first; the file vanishes before it is read
    messages = list(iati._messages(missing, 10**9, {"country": None}))
    assert messages[-1][0] == "crash" and "FileNotFoundError" in messages[-1][2]


def test_a_failed_reading_keeps_what_was_written_and_says_so(province, monkeypatch, tmp_path):
    path = iati_file(tmp_path / "two.xml", activity("KEPT-1"), activity("KEPT-2"))
    real = iati._messages

    def failing(*args):
        for message in real(*args):
            if message[0] == "batch":
                yield ("batch", message[1], message[2][:1])
                yield ("crash", None, "MemoryError")
                return

    monkeypatch.setattr(iati, "_messages", failing)
    with pytest.raises(iati.IatiError) as caught:
        iati.import_file(path, unit=province.union)
    assert "Không đọc được đến hết tệp" in str(caught.value) and "MemoryError" in str(caught.value)
    assert list(AidItem.objects.values_list("iati_identifier", flat=True)) == ["KEPT-1"]


def test_imported_money_carries_its_vnd_and_usd_equivalents(province, tmp_path):
    for currency, rate in (("USD", "25000"), ("EUR", "27500")):
        ExchangeRate.objects.create(currency=currency, date=date(2024, 1, 1), rate_vnd=Decimal(rate), source="SBV")
    path = iati_file(tmp_path / "money.xml", activity("MONEY-1", amount="1000.50"))
    path.write_text(path.read_text().replace('default-currency="USD"', 'default-currency="EUR"'))
    iati.import_file(path, unit=province.union)
    item = AidItem.objects.get(iati_identifier="MONEY-1")
    # 1,000.50 EUR × 27,500 = 27,513,750 đồng; ÷ 25,000 = 1,100.55 USD (on the activity's start, 2025-01-01)
    assert (item.rate_vnd, item.committed_vnd, item.committed_usd) == (
        Decimal("27500"),
        Decimal("27513750.00"),
        Decimal("1100.55"),
    )
    tx = item.transactions.get()
    assert (tx.amount, tx.amount_vnd, tx.amount_usd) == (Decimal("1000.50"), Decimal("27513750.00"), Decimal("1100.55"))


def test_the_import_converts_money_as_the_rate_book_does():
    import random

    from apps.aid.iati_read import Converter
    from apps.aid.money import RateBook

    rows = [("USD", date(2015, 1, 1), Decimal("23000")), ("EUR", date(2020, 1, 1), Decimal("27500.5"))]
    book, convert = RateBook(rows), Converter(rows)
    rng = random.Random(2025)
    for _ in range(2000):
        amount = Decimal(rng.randrange(0, 10**9)) / 100
        currency = rng.choice(["USD", "EUR", "GBP", "VND"])
        day = date(rng.randrange(2014, 2026), rng.randrange(1, 13), rng.randrange(1, 28))
        eq = book.convert(amount, currency, day)
        expected = tuple(None if v is None else str(v) for v in (eq.rate_vnd, eq.usd, eq.vnd))
        assert convert(str(amount), currency, day.isoformat()) == expected, (amount, currency, day)


def test_an_item_whose_code_is_taken_gets_its_own_and_the_change_log_names_it(province, tmp_path):
    iati.import_file(iati_file(tmp_path / "first.xml", activity("CODE-1")), unit=province.union)
    AidItem.objects.filter(iati_identifier="CODE-1").update(iati_identifier="")  # a hand-made item keeps the code
    iati.import_file(iati_file(tmp_path / "again.xml", activity("CODE-1", title="Lần hai")), unit=province.union)
    item = AidItem.objects.get(iati_identifier="CODE-1")
    assert item.code.startswith("CODE-1~") and item.code.lower() in item.search_text
    change = ObjectChange.objects.filter(changed_object_type__model="aiditem", changed_object_id=item.pk).get()
    assert change.object_repr.startswith(item.code + " — ")
