"""IATI 2.03 activity files in and out.

Import streams the file with ``lxml.etree.iterparse`` (entity expansion, DTD loading and network
access off; ``huge_tree`` off so libxml2's own limits stand), one ``iati-activity`` at a time,
clearing what it has read, so memory stays flat whatever the size. Activities are written in
batches: a batch asks the database once for the content hashes of its identifiers, so an activity
that has not changed since the last import is skipped before it is even mapped.

- upsert by ``iati-identifier``; participating organisations become partners (matched by IATI
  organisation ref, then by folded name, else created);
- transactions (2/11 commitment, 3 disbursement, 4 expenditure), budgets, sectors, locations
  (names matched to Vietnam's provinces after the 2025 reform) and dates are mapped; nothing
  optional is assumed present or in order;
- ``strict``: validated against the IATI 2.03 schema while streaming; the first problem (with its
  line) stops the import and nothing is written;
- lenient (default): each activity is checked on its own; what cannot be used is reported per
  activity (skipped, and why), the rest is imported.

Export writes our aid items as IATI 2.03 activities with ``etree.xmlfile`` (streamed too).
"""

import hashlib
import os
import zlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from apps.aid import reference
from apps.aid.models import (
    AidItem,
    AidLocation,
    AidSector,
    AidStatus,
    Budget,
    Transaction,
)
from apps.aid.money import RateBook, q2

# The official schemas ship with the app (apps/aid/schemas/iati-2.03); IATI_SCHEMA_DIR points elsewhere.
SCHEMA_DIR = Path(getattr(settings, "IATI_SCHEMA_DIR", Path(__file__).resolve().parent / "schemas" / "iati-2.03"))
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BATCH = 200
HUNDRED = Decimal(100)

TX_KINDS = {
    "2": "commitment",
    "11": "commitment",
    "3": "disbursement",
    "4": "expenditure",
    "C": "commitment",
    "D": "disbursement",
    "E": "expenditure",
}
STATUS = {
    "1": AidStatus.DRAFT,
    "2": AidStatus.IMPLEMENTING,
    "3": AidStatus.IMPLEMENTING,
    "4": AidStatus.COMPLETED,
    "5": AidStatus.REVOKED,
    "6": AidStatus.APPROVED,
}
STATUS_OUT = {
    AidStatus.DRAFT: "1",
    AidStatus.SUBMITTED: "1",
    AidStatus.APPRAISED: "1",
    AidStatus.APPROVED: "1",
    AidStatus.IMPLEMENTING: "2",
    AidStatus.COMPLETED: "4",
    AidStatus.REJECTED: "5",
    AidStatus.REVOKED: "5",
}
ORG_KINDS = {
    "21": "foreign_ngo",
    "22": "foreign_ngo",
    "23": "foreign_ngo",
    "24": "foreign_ngo",
    "60": "foreign_ngo",
    "80": "foreign_ngo",
    "40": "international_organisation",
    "10": "international_organisation",
    "11": "international_organisation",
    "15": "international_organisation",
    "70": "fdi_enterprise",
}


class IatiError(Exception):
    """A file that cannot be imported at all (strict-mode schema error, not XML, unreadable)."""


@dataclass
class Outcome:
    identifier: str
    line: int | None
    action: str  # created | updated | unchanged | skipped
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    partners_created: int = 0
    #: the activities worth a word (skipped, or imported with notes), the first KEEP of them: an
    #: import of a million activities does not keep a million outcomes in memory
    outcomes: list[Outcome] = field(default_factory=list)
    error: str = ""

    KEEP = 10_000

    def keep(self, outcome: Outcome) -> None:
        if (outcome.notes or outcome.action == "skipped") and len(self.outcomes) < self.KEEP:
            self.outcomes.append(outcome)

    def as_dict(self, limit: int = 500) -> dict:
        noted = [o for o in self.outcomes if o.notes or o.action == "skipped"]
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "partners_created": self.partners_created,
            "error": self.error,
            "notes": [
                {"identifier": o.identifier, "line": o.line, "action": o.action, "notes": o.notes}
                for o in noted[:limit]
            ],
        }


def parser_options() -> dict:
    return {
        "resolve_entities": False,
        "no_network": True,
        "huge_tree": False,
        "load_dtd": False,
        "dtd_validation": False,
        "remove_pis": True,
        "remove_comments": True,
    }


_schema = None


def schema() -> etree.XMLSchema:
    global _schema
    if _schema is None:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd"), parser))
    return _schema


# -- reading one activity -------------------------------------------------------------------------


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el, name):
    return [c for c in el if _local(c.tag) == name]


def _first(el, name):
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _group(el) -> dict[str, list]:
    """An element's children by local name (one pass, instead of a scan per name asked)."""
    out: dict[str, list] = {}
    for c in el:
        tag = c.tag
        if isinstance(tag, str):
            out.setdefault(tag.rsplit("}", 1)[-1] if "}" in tag else tag, []).append(c)
    return out


def _all(group: dict, name: str):
    return group.get(name, ())


def _one(group: dict, name: str):
    found = group.get(name)
    return found[0] if found else None


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def narratives(el, default_lang: str) -> dict[str, str]:
    """{language: text} of an element's narratives (or its own text, as IATI 1.x wrote it)."""
    if el is None:
        return {}
    out = {}
    found = _children(el, "narrative")
    for n in found:
        text = _text(n)
        if text:
            out.setdefault((n.get(XML_LANG) or default_lang or "en").lower()[:2], text)
    if not found:
        text = " ".join((el.text or "").split())
        if text:
            out[(el.get(XML_LANG) or default_lang or "en").lower()[:2]] = text
    return out


def _name(el, lang) -> str:
    names = narratives(el, lang)
    return names.get("en") or names.get("vi") or next(iter(names.values()), "")


def _date(text) -> date | None:
    text = (text or "").strip()[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _decimal(text) -> Decimal | None:
    text = (text or "").strip().replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 17:
        return None
    return q2(value)


def _currency(text, fallback) -> str | None:
    code = (text or fallback or "").strip().upper()
    return code if len(code) == 3 and code.isalpha() else None


def _split(n: int) -> list[Decimal]:
    """``n`` shares of 100 with two decimals that add up to exactly 100."""
    if n <= 0:
        return []
    share = (HUNDRED / n).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    shares = [share] * n
    shares[-1] = HUNDRED - share * (n - 1)
    return shares


def read_activity(el, *, default_lang: str = "en", country: str | None = None) -> tuple[dict | None, list[str]]:
    """The aid item an ``iati-activity`` element describes, as plain values, and notes on what
    was left out. ``None`` with the reason when the activity cannot be used at all."""
    notes: list[str] = []
    g = _group(el)
    ident = _text(_one(g, "iati-identifier"))
    if not ident:
        return None, [_("no iati-identifier")]
    lang = (el.get(XML_LANG) or default_lang or "en").lower()[:2]
    currency = _currency(el.get("default-currency"), None)
    countries = {(c.get("code") or "").strip().upper() for c in _all(g, "recipient-country")}
    txs = [(tx, _group(tx)) for tx in _all(g, "transaction")]
    for _tx, tg in txs:
        countries |= {(c.get("code") or "").strip().upper() for c in _all(tg, "recipient-country")}
    countries.discard("")
    if country and country.upper() not in countries:
        return None, [
            _("not for {} (recipient countries: {})").format(country.upper(), ", ".join(sorted(countries)) or "—")
        ]
    titles = narratives(_one(g, "title"), lang)
    title_vi = titles.get("vi", "")
    title_en = titles.get("en") or next((t for k, t in titles.items() if k != "vi"), "")
    if not (title_vi or title_en):
        notes.append(_("no title; the identifier stands in"))
    description = ""
    for d in _all(g, "description"):
        texts = narratives(d, lang)
        if texts:
            description = texts.get("vi") or texts.get("en") or next(iter(texts.values()))
            if d.get("type", "1") == "1":
                break
    # organisations
    reporting = _one(g, "reporting-org")
    orgs = []
    for org in _all(g, "participating-org"):
        orgs.append(
            {
                "role": (org.get("role") or "").strip(),
                "ref": (org.get("ref") or "").strip(),
                "type": (org.get("type") or "").strip(),
                "name": _name(org, lang),
            }
        )
    funders = [o for o in orgs if o["role"] == "1" and (o["ref"] or o["name"])]
    donor = funders[0] if funders else None
    if donor is None and reporting is not None:
        donor = {
            "role": "reporting",
            "ref": (reporting.get("ref") or "").strip(),
            "type": (reporting.get("type") or "").strip(),
            "name": _name(reporting, lang),
        }
        if not (donor["ref"] or donor["name"]):
            donor = None
    if donor is None:
        notes.append(_("no funding or reporting organisation: no donor"))
    implementing = [o for o in orgs if o["role"] == "4" and (o["ref"] or o["name"])]
    accountable = next((o["name"] for o in orgs if o["role"] == "2" and o["name"]), "")
    # dates and status
    dates = {}
    for d in _all(g, "activity-date"):
        day = _date(d.get("iso-date"))
        if day is not None:
            dates.setdefault((d.get("type") or "").strip(), day)
    status_el = _one(g, "activity-status")
    status = STATUS.get((status_el.get("code") or "").strip() if status_el is not None else "", AidStatus.IMPLEMENTING)
    # sectors: one vocabulary (DAC 5 preferred), shares adding up to 100
    sectors_by_voc: dict[str, list] = {}
    for s in _all(g, "sector"):
        sectors_by_voc.setdefault((s.get("vocabulary") or "1").strip(), []).append(s)
    sectors = []
    voc = next((v for v in ("1", "2", "99", "98") if v in sectors_by_voc), None)
    if voc:
        rows = sectors_by_voc[voc]
        codes = [(r.get("code") or "").strip() for r in rows]
        valid = all(
            c and (voc not in ("1", "2") or (c.isdigit() and len(c) == (5 if voc == "1" else 3))) for c in codes
        )
        shares = [_decimal(r.get("percentage")) for r in rows]
        if not valid:
            notes.append(_("sector codes not valid for vocabulary {}: sectors left out").format(voc))
        else:
            if all(s is None for s in shares):
                shares = _split(len(rows))
            if any(s is None for s in shares) or sum(shares) != HUNDRED or len(set(codes)) != len(codes):
                notes.append(
                    _("sector percentages add up to {}, not 100: sectors left out").format(
                        sum(s for s in shares if s is not None)
                    )
                )
            else:
                sectors = [
                    {
                        "vocabulary": voc if voc in ("1", "2") else "99",
                        "code": c[:20],
                        "percentage": p,
                        "name": reference.sector_name(voc, c) or _name(r, lang)[:200],
                    }
                    for c, p, r in zip(codes, shares, rows, strict=False)
                ]
    # locations: provinces of Vietnam named by the location (or its administrative areas)
    provinces = []
    unmatched = 0
    for loc in _all(g, "location"):
        names = list(narratives(_first(loc, "name"), lang).values())
        for adm in _children(loc, "administrative"):
            names += [_text(adm), adm.get("code") or ""]
        names += list(narratives(_first(loc, "description"), lang).values())
        code = next((p for p in (reference.find_province(n) for n in names) if p), None)
        if code and code not in provinces:
            provinces.append(code)
        elif not code:
            unmatched += 1
    if unmatched:
        notes.append(_("{} location(s) not matched to a province of Vietnam").format(unmatched))
    names = reference.provinces()
    locations = [
        {"province_code": p, "ward_code": None, "name": names[p], "percentage": share}
        for p, share in zip(provinces, _split(len(provinces)), strict=False)
    ]
    # money
    budgets, transactions, dropped, other_types = [], [], 0, 0
    for b in _all(g, "budget"):
        bg = _group(b)
        value = _one(bg, "value")
        start, end = (
            _date(getattr(_one(bg, "period-start"), "get", lambda k: None)("iso-date")),
            _date(getattr(_one(bg, "period-end"), "get", lambda k: None)("iso-date")),
        )
        amount = _decimal(_text(value)) if value is not None else None
        cur = _currency(value.get("currency") if value is not None else None, currency)
        if amount is None or cur is None or start is None or end is None:
            dropped += 1
            continue
        budgets.append(
            {
                "period_start": start,
                "period_end": end,
                "amount": amount,
                "currency": cur,
                "value_date": _date(value.get("value-date")) or start,
            }
        )
    for _t, tg in txs:
        type_el = _one(tg, "transaction-type")
        kind = TX_KINDS.get((type_el.get("code") or "").strip() if type_el is not None else "")
        if kind is None:
            other_types += 1
            continue
        value = _one(tg, "value")
        amount = _decimal(_text(value)) if value is not None else None
        cur = _currency(value.get("currency") if value is not None else None, currency)
        date_el = _one(tg, "transaction-date")
        day = _date(date_el.get("iso-date") if date_el is not None else None) or (
            _date(value.get("value-date")) if value is not None else None
        )
        if amount is None or cur is None or day is None or amount < 0:
            dropped += 1
            continue
        transactions.append(
            {
                "kind": kind,
                "date": day,
                "amount": amount,
                "currency": cur,
                "value_date": _date(value.get("value-date")) or day,
                "description": _name(_one(tg, "description"), lang)[:500],
            }
        )
    if dropped:
        notes.append(
            _("{} budget(s) or transaction(s) without a usable value, currency or date left out").format(dropped)
        )
    if other_types:
        notes.append(
            _("{} transaction(s) of other types (incoming funds, repayments …) not mapped").format(other_types)
        )
    commitments = [t for t in transactions if t["kind"] == "commitment"]
    money_currency = currency or (
        transactions[0]["currency"] if transactions else (budgets[0]["currency"] if budgets else "USD")
    )
    committed = sum((t["amount"] for t in commitments if t["currency"] == money_currency), Decimal(0))
    if not committed:
        committed = sum((b["amount"] for b in budgets if b["currency"] == money_currency), Decimal(0))
    spent = any(t["kind"] in ("disbursement", "expenditure") for t in transactions)
    if spent and status not in (AidStatus.IMPLEMENTING, AidStatus.COMPLETED, AidStatus.APPROVED, AidStatus.REVOKED):
        status = AidStatus.IMPLEMENTING
    start = dates.get("2") or dates.get("1")
    first_money = min((t["date"] for t in transactions), default=None)
    approved_on = None
    if status in (AidStatus.APPROVED, AidStatus.IMPLEMENTING, AidStatus.COMPLETED, AidStatus.REVOKED):
        approved_on = min(d for d in (start, first_money) if d) if (start or first_money) else None
        if first_money and approved_on and first_money < approved_on:
            approved_on = first_money
    humanitarian = el.get("humanitarian") in ("1", "true") or any(s["code"].startswith("7") for s in sectors)
    aid_type = _one(g, "default-aid-type")
    aid_code = (aid_type.get("code") or "").strip().upper() if aid_type is not None else ""
    if humanitarian:
        kind = AidItem.Kind.EMERGENCY
    elif aid_code.startswith(("A", "B")):
        kind = AidItem.Kind.PROGRAMME
    elif aid_code.startswith(("D", "E")):
        kind = AidItem.Kind.NON_PROJECT
    else:
        kind = AidItem.Kind.PROJECT
    return {
        "identifier": ident[:200],
        "title_vi": (title_vi or title_en or ident)[:500],
        "title_en": title_en[:500],
        "description": description,
        "donor": donor,
        "implementing": implementing,
        "managing_agency": accountable[:300],
        "status": status,
        "kind": kind,
        "planned_start": dates.get("1"),
        "actual_start": dates.get("2"),
        "planned_end": dates.get("3") if not (dates.get("1") and dates.get("3") and dates["3"] < dates["1"]) else None,
        "actual_end": dates.get("4") if not (dates.get("2") and dates.get("4") and dates["4"] < dates["2"]) else None,
        "approved_on": approved_on,
        "currency": money_currency,
        "committed_amount": committed,
        "sectors": sectors,
        "locations": locations,
        "budgets": budgets,
        "transactions": transactions,
    }, notes


# -- partners ---------------------------------------------------------------------------------------


class PartnerMatcher:
    """Organisation → partner: by IATI org ref, then by folded name, else a new partner (kept by
    the importing unit). Remembers its answers for the whole file."""

    def __init__(self, unit, report: Report):
        self.unit, self.report = unit, report
        self.by_ref: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.keys: dict[str, str] = {}  # name as written → folded key (folding is the costly part)

    def __call__(self, org: dict) -> int | None:
        from apps.partners.models import Country, Partner, name_key

        ref, name = org.get("ref") or "", (org.get("name") or "").strip()
        if ref and ref in self.by_ref:
            return self.by_ref[ref]
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = name_key(name)
        if not ref and key and key in self.by_key:
            return self.by_key[key]
        found = Partner.objects.filter(iati_ref=ref).values_list("pk", flat=True).first() if ref else None
        if found is None and key:
            found = Partner.objects.filter(name_key=key).values_list("pk", flat=True).first()
        if found is None:
            if not (name or ref):
                return None
            prefix = ref.split("-", 1)[0].upper() if "-" in ref else ""
            country = Country.objects.filter(code=prefix).first() if len(prefix) == 2 and prefix != "XM" else None
            partner = Partner(
                kind=ORG_KINDS.get(org.get("type") or "", "foreign_ngo"),
                name=(name or ref)[:300],
                iati_ref=ref[:100],
                unit=self.unit,
                country=country,
                description=_("Created by the IATI import."),
            )
            partner.full_clean(exclude=["website", "email"])
            partner.save()
            self.report.partners_created += 1
            found = partner.pk
        if ref:
            self.by_ref[ref] = found
        if key:
            self.by_key[key] = found
        return found


# -- writing a batch ----------------------------------------------------------------------------------


def _insert_rows(model, columns: list[str], rows: list[tuple], *, ignore_conflicts: bool = False) -> None:
    """Plain ``executemany`` of column values: the ORM's per-object work (model instances, field
    preparation) was most of an import's time. Values are already Python values of the columns;
    the driver adapts dates and decimals (Django registers SQLite's adapters: ISO text and text).
    ``ignore_conflicts``: a row already there is left as it is (each database's own wording)."""
    if not rows:
        return
    from django.db import connection
    from django.db.models.constants import OnConflict

    ops = connection.ops
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    fields = [model._meta.get_field(c) for c in columns]
    sql = "{} {} ({}) VALUES ({}) {}".format(
        ops.insert_statement(on_conflict=on_conflict),
        ops.quote_name(model._meta.db_table),
        ", ".join(ops.quote_name(f.column) for f in fields),
        ", ".join(["%s"] * len(columns)),
        ops.on_conflict_suffix_sql(fields, on_conflict, None, None) or "",
    ).strip()
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _item_identifier(el) -> str:
    for c in el:
        if _local(c.tag) == "iati-identifier":
            return _text(c)
    return ""


def _write_batch(batch, *, unit, user, book, matcher, report, source_name, default_lang, country, pairs):
    """``batch``: [(activity element, hash, line)]. One query for the known hashes of the batch's
    identifiers: an unchanged activity stops there, before it is even read; the others are read,
    mapped and written with one ``executemany`` per table."""
    from django.db import connection

    from apps.aid.services import compute_item
    from apps.core.models import ObjectChange

    idents = [_item_identifier(el)[:200] for el, _digest, _line in batch]
    known = {
        i: (pk, h, v)
        for pk, i, h, v in AidItem.objects.filter(iati_identifier__in=[i for i in idents if i]).values_list(
            "pk", "iati_identifier", "iati_hash", "version"
        )
    }
    now = timezone.now()
    creates, updates, outcomes = [], [], []
    children: list[tuple[AidItem, dict]] = []
    for ident, (el, digest, line) in zip(idents, batch, strict=True):
        if ident and ident in known and known[ident][1] == digest:
            report.unchanged += 1
            pairs.append((ident, digest))
            continue
        data, notes = read_activity(el, default_lang=default_lang, country=country)
        ident = data["identifier"] if data else (ident or _("(no identifier)"))
        outcome = Outcome(ident, line, "skipped", list(notes))
        outcomes.append(outcome)
        if data is None:
            report.skipped += 1
            continue
        pairs.append((ident, digest))
        values = {
            k: data[k]
            for k in (
                "title_vi",
                "title_en",
                "description",
                "managing_agency",
                "status",
                "kind",
                "planned_start",
                "actual_start",
                "planned_end",
                "actual_end",
                "approved_on",
                "currency",
                "committed_amount",
            )
        }
        donor_id = matcher(data["donor"]) if data["donor"] else None
        if ident in known:
            item = AidItem(pk=known[ident][0], iati_identifier=ident, unit=unit, version=known[ident][2] + 1, **values)
            updates.append(item)
            outcome.action = "updated"
            report.updated += 1
        else:
            item = AidItem(iati_identifier=ident, code=ident[:120], unit=unit, **values)
            creates.append(item)
            outcome.action = "created"
            report.created += 1
        item.donor_id = donor_id
        item.iati_hash = digest
        item.search_text = item.build_search_text()
        item.last_updated = now
        item.created = item.created or now
        compute_item(item, book)
        children.append((item, data))
    for outcome in outcomes:
        report.keep(outcome)
    if creates:
        taken = set(AidItem.objects.filter(code__in=[i.code for i in creates]).values_list("code", flat=True))
        for item in creates:
            if item.code in taken:
                item.code = "{}~{}".format(item.code[:100], hashlib.sha1(item.iati_identifier.encode()).hexdigest()[:8])
        AidItem.objects.bulk_create(creates)
    if updates:
        fields = [
            "title_vi",
            "title_en",
            "description",
            "managing_agency",
            "status",
            "kind",
            "planned_start",
            "actual_start",
            "planned_end",
            "actual_end",
            "approved_on",
            "currency",
            "committed_amount",
            "donor",
            "iati_hash",
            "search_text",
            "last_updated",
            "version",
            "rate_vnd",
            "committed_usd",
            "committed_vnd",
        ]
        AidItem.objects.bulk_update(updates, fields)
        ids = [i.pk for i in updates]
        for model in (AidSector, AidLocation, Budget, Transaction):
            model.objects.filter(aid_item_id__in=ids)._raw_delete(model.objects.db)
        through = AidItem.implementing_partners.through
        through.objects.filter(aiditem_id__in=ids)._raw_delete(through.objects.db)
    if not children:
        return
    stamp = AidItem._meta.get_field("last_updated").get_db_prep_save(now, connection)
    post = ObjectChange._meta.get_field("postchange_data")
    item_type = ContentType.objects.get_for_model(AidItem).pk
    user_id, user_name = (user.pk, user.get_username()) if user else (None, "system")
    sectors, locations, budgets, txs, links, changes = [], [], [], [], [], []
    for item, data in children:
        pk = item.pk
        sectors += [(pk, s["vocabulary"], s["code"], s["name"], s["percentage"]) for s in data["sectors"]]
        locations += [(pk, x["province_code"], x["ward_code"], x["name"], x["percentage"]) for x in data["locations"]]
        for b in data["budgets"]:
            eq = book.convert(b["amount"], b["currency"], b["value_date"])
            budgets.append(
                (
                    pk,
                    b["period_start"],
                    b["period_end"],
                    b["amount"],
                    b["currency"],
                    b["value_date"],
                    eq.usd,
                    eq.vnd,
                )
            )
        for t in data["transactions"]:
            eq = book.convert(t["amount"], t["currency"], t["value_date"])
            txs.append(
                (
                    stamp,
                    stamp,
                    1,
                    "",
                    pk,
                    t["kind"],
                    t["date"],
                    t["amount"],
                    t["currency"],
                    t["value_date"],
                    eq.rate_vnd,
                    eq.usd,
                    eq.vnd,
                    t["description"],
                )
            )
        seen = set()
        for org in data["implementing"]:
            pid = matcher(org)
            if pid and pid not in seen:
                seen.add(pid)
                links.append((pk, pid))
        changes.append(
            (
                stamp,
                user_id,
                user_name,
                ObjectChange.Action.CREATE if item.version == 1 else ObjectChange.Action.UPDATE,
                item_type,
                pk,
                str(item)[:200],
                unit.pk,
                post.get_db_prep_save(
                    {
                        "source": source_name,
                        "iati_identifier": item.iati_identifier,
                        "title_vi": item.title_vi,
                        "status": item.status,
                        "committed_amount": str(item.committed_amount),
                        "currency": item.currency,
                        "transaction_count": len(data["transactions"]),
                        "sector_shares": "; ".join(
                            "{} {}%".format(s["code"], s["percentage"]) for s in data["sectors"]
                        ),
                        "location_shares": "; ".join(
                            "{} {}%".format(x["name"], x["percentage"]) for x in data["locations"]
                        ),
                    },
                    connection,
                ),
            )
        )
    _insert_rows(AidSector, ["aid_item", "vocabulary", "code", "name", "percentage"], sectors)
    _insert_rows(AidLocation, ["aid_item", "province_code", "ward_code", "name", "percentage"], locations)
    _insert_rows(
        Budget,
        ["aid_item", "period_start", "period_end", "amount", "currency", "value_date", "amount_usd", "amount_vnd"],
        budgets,
    )
    _insert_rows(
        Transaction,
        [
            "created",
            "last_updated",
            "version",
            "search_text",
            "aid_item",
            "kind",
            "date",
            "amount",
            "currency",
            "value_date",
            "rate_vnd",
            "amount_usd",
            "amount_vnd",
            "description",
        ],
        txs,
    )
    # a link already there is fine
    _insert_rows(AidItem.implementing_partners.through, ["aiditem", "partner"], links, ignore_conflicts=True)
    _insert_rows(
        ObjectChange,
        [
            "time",
            "user",
            "user_name",
            "action",
            "changed_object_type",
            "changed_object_id",
            "object_repr",
            "unit",
            "postchange_data",
        ],
        changes,
    )


# -- the import ------------------------------------------------------------------------------------


class _HashingReader:
    """The file as the parser reads it, hashed on the way (the fingerprint costs no second pass)."""

    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Pairs:
    """(identifier, hash) of every activity imported, compressed as they come (a file of a million
    activities would otherwise keep a hundred MB of strings until the end)."""

    def __init__(self):
        self.count, self._zip, self._parts = 0, zlib.compressobj(6), []

    def append(self, pair) -> None:
        self.count += 1
        self._parts.append(self._zip.compress("{}\t{}\n".format(*pair).encode("utf-8")))

    def packed(self) -> bytes:
        return b"".join(self._parts) + self._zip.flush()


def _unpack(blob) -> list[tuple[str, str]]:
    text = zlib.decompress(bytes(blob)).decode("utf-8") if blob else ""
    return [tuple(line.split("\t", 1)) for line in text.splitlines() if "\t" in line]


def _same_file(path: Path, size: int, *, unit, country, strict):
    """The record of an earlier import of these very bytes with these options (a strict import
    stands for a lenient one too) whose aid items all still carry the hashes it left — or None.
    The file is hashed only when an earlier import of the same size exists."""
    from apps.aid.models import IatiFile

    candidates = IatiFile.objects.filter(size=size, unit=unit, country=(country or "").upper())
    if strict:
        candidates = candidates.filter(strict=True)
    if not candidates.exists():
        return None
    sha = _file_sha256(path)
    for record in candidates.filter(sha256=sha).order_by("-imported_at", "-pk")[:3]:
        pairs = dict(_unpack(record.pairs))
        idents = list(pairs)
        intact = True
        for start in range(0, len(idents), 500):
            chunk = idents[start : start + 500]
            found = dict(AidItem.objects.filter(iati_identifier__in=chunk).values_list("iati_identifier", "iati_hash"))
            if any(found.get(i) != pairs[i] for i in chunk):
                intact = False
                break
        if intact:
            return record
    return None


def import_file(
    path,
    *,
    unit,
    user=None,
    country: str | None = None,
    strict: bool = False,
    progress=None,
    source_name: str | None = None,
) -> Report:
    """Import an IATI activity file into aid items kept by ``unit``. ``progress(done, total)`` is
    called with bytes read. Raises ``IatiError`` when the file cannot be imported at all — in
    strict mode, the first schema problem (then nothing is written)."""
    if strict:
        with transaction.atomic():
            return _import(
                Path(path),
                unit=unit,
                user=user,
                country=country,
                strict=True,
                progress=progress,
                source_name=source_name,
            )
    return _import(
        Path(path), unit=unit, user=user, country=country, strict=False, progress=progress, source_name=source_name
    )


def _import(path: Path, *, unit, user, country, strict, progress, source_name) -> Report:
    from apps.aid.models import IatiFile

    report = Report()
    total = os.path.getsize(path)
    same = _same_file(path, total, unit=unit, country=country, strict=strict)
    if same is not None:
        # The very same bytes, already imported with these options, every item still as it left
        # them: nothing to parse. The notes of that import are repeated.
        report.unchanged, report.skipped = same.activities, same.skipped
        for note in same.notes:
            action = "skipped" if note.get("action") == "skipped" else "unchanged"
            report.keep(Outcome(note.get("identifier", ""), note.get("line"), action, list(note.get("notes", []))))
        if progress:
            progress(total, total)
        return report
    book = RateBook()
    matcher = PartnerMatcher(unit, report)
    name = source_name or path.name
    options = parser_options()
    # Strict: each activity is validated as it completes, wrapped in a copy of the root, so the
    # check streams too and libxml2 reports the original line of the offending element.
    validator = schema() if strict else None
    wrapper = None
    batch: list = []
    pairs = _Pairs()
    state = {"lang": "en"}

    def flush():
        if batch:
            with transaction.atomic():
                _write_batch(
                    batch,
                    unit=unit,
                    user=user,
                    book=book,
                    matcher=matcher,
                    report=report,
                    source_name=name,
                    default_lang=state["lang"],
                    country=country,
                    pairs=pairs,
                )
            # what has been written is dropped from the tree (the current element goes next time)
            last = batch[-1][0]
            for el, _digest, _line in batch:
                el.clear(keep_tail=False)
            parent = last.getparent()
            if parent is not None:
                while last.getprevious() is not None:
                    del parent[0]
            batch.clear()

    def not_iati(el):
        return IatiError(
            _("Line {}: the file is not an IATI activity file (its root is <{}>, not <iati-activities>).").format(
                el.sourceline, _local(el.tag)
            )
        )

    with open(path, "rb") as handle:
        reader = _HashingReader(handle)
        # Events only for the root and the activities: libxml2 builds the rest without a Python
        # round trip per element.
        context = etree.iterparse(
            reader, events=("start", "end"), tag=("{*}iati-activities", "{*}iati-activity"), **options
        )
        seen_root = False
        try:
            for event, el in context:
                tag = _local(el.tag)
                if event == "start":
                    if not seen_root:
                        seen_root = True
                        root = el if tag == "iati-activities" else el.getroottree().getroot()
                        if _local(root.tag) != "iati-activities":
                            raise not_iati(root)
                        state["lang"] = (root.get(XML_LANG) or "en").lower()[:2]
                        wrapper = etree.Element("iati-activities", dict(root.attrib))
                    continue
                if tag != "iati-activity":
                    continue
                if validator is not None:
                    import copy

                    probe = copy.deepcopy(el)
                    wrapper.append(probe)
                    valid = validator.validate(etree.ElementTree(wrapper))
                    wrapper.remove(probe)
                    if not valid:
                        first = validator.error_log[0]
                        raise IatiError(_("Line {}: {}").format(first.line or el.sourceline, first.message))
                batch.append((el, hashlib.sha256(etree.tostring(el)).hexdigest(), el.sourceline))
                if len(batch) >= BATCH:
                    flush()
                    if progress:
                        progress(handle.tell(), total)
        except etree.XMLSyntaxError as exc:
            report.error = describe(exc, context)
            if strict:
                raise IatiError(report.error) from exc
            # Activities read in full before the break are imported; the broken one never completed.
        else:
            if not seen_root and context.root is not None:
                raise not_iati(context.root)
            flush()
            sha = reader.digest.hexdigest()
    if report.error and not strict:
        flush()
    elif not report.error:
        IatiFile.objects.create(
            sha256=sha,
            size=total,
            unit=unit,
            country=(country or "").upper(),
            strict=strict,
            imported_at=timezone.now(),
            activities=pairs.count,
            skipped=report.skipped,
            notes=report.as_dict()["notes"],
            pairs=pairs.packed(),
        )
    if progress:
        progress(total, total)
    return report


def describe(exc: etree.XMLSyntaxError, context=None) -> str:
    """The first problem of a file, with its line."""
    log = getattr(context, "error_log", None) or getattr(exc, "error_log", None)
    entry = log[0] if log else None
    line = (
        entry.line
        if entry is not None
        else (exc.lineno if getattr(exc, "lineno", None) else (exc.position[0] if exc.position else "?"))
    )
    message = entry.message if entry is not None else str(exc.msg if hasattr(exc, "msg") else exc)
    return _("Line {}: {}").format(line, message)


# -- export --------------------------------------------------------------------------------------------


def default_organisation() -> str:
    return getattr(settings, "IATI_ORGANISATION_REF", "XM-DAC-VN-HUUNGHI")


def export_file(out, queryset, *, organisation: str | None = None, organisation_name: str = "") -> int:
    """Write ``queryset``'s aid items as IATI 2.03 activities to the binary file ``out``."""
    from apps.aid.models import AidItem as Model

    organisation = organisation or default_organisation()
    organisation_name = organisation_name or "HữuNghị"
    count = 0
    queryset = queryset.select_related("donor", "unit").prefetch_related(
        "sectors", "locations", "transactions", "budgets", "implementing_partners"
    )
    today = timezone.localdate().isoformat()
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(
            "iati-activities",
            {"version": "2.03", "generated-datetime": timezone.now().replace(microsecond=0).isoformat()},
        ):
            for item in queryset.iterator(chunk_size=500):
                xf.write(activity_element(item, organisation, organisation_name, today))
                count += 1
    del Model
    return count


def _narrative(parent, text, lang=None):
    n = etree.SubElement(parent, "narrative")
    if lang:
        n.set(XML_LANG, lang)
    n.text = text
    return n


def _money(value: Decimal) -> str:
    return format(Decimal(value).quantize(Decimal("0.01")), "f")


def activity_element(item, organisation: str, organisation_name: str, today: str):
    el = etree.Element(
        "iati-activity",
        {
            "default-currency": item.currency,
            "last-updated-datetime": item.last_updated.replace(microsecond=0).isoformat(),
        },
    )
    el.set(XML_LANG, "vi")
    etree.SubElement(el, "iati-identifier").text = item.iati_identifier or "{}-{}".format(organisation, item.code)
    rep = etree.SubElement(el, "reporting-org", {"ref": organisation, "type": "10"})
    _narrative(rep, organisation_name)
    title = etree.SubElement(el, "title")
    _narrative(title, item.title_vi)
    if item.title_en:
        _narrative(title, item.title_en, "en")
    description = etree.SubElement(el, "description", {"type": "1"})
    _narrative(description, item.description or item.title_vi)
    if item.donor is not None:
        org = etree.SubElement(el, "participating-org", {"role": "1"})
        if item.donor.iati_ref:
            org.set("ref", item.donor.iati_ref)
        _narrative(org, item.donor.name)
    for partner in item.implementing_partners.all():
        org = etree.SubElement(el, "participating-org", {"role": "4"})
        if partner.iati_ref:
            org.set("ref", partner.iati_ref)
        _narrative(org, partner.name)
    org = etree.SubElement(el, "participating-org", {"role": "2"})
    _narrative(org, item.managing_agency or str(item.unit))
    etree.SubElement(el, "activity-status", {"code": STATUS_OUT.get(item.status, "1")})
    wrote_date = False
    for code, day in (
        ("1", item.planned_start),
        ("2", item.actual_start),
        ("3", item.planned_end),
        ("4", item.actual_end),
    ):
        if day:
            etree.SubElement(el, "activity-date", {"type": code, "iso-date": day.isoformat()})
            wrote_date = True
    if not wrote_date:
        etree.SubElement(
            el, "activity-date", {"type": "1", "iso-date": (item.approved_on or item.created.date()).isoformat()}
        )
    etree.SubElement(el, "recipient-country", {"code": "VN", "percentage": "100"})
    for loc in item.locations.all():
        location = etree.SubElement(el, "location")
        name = etree.SubElement(location, "name")
        _narrative(name, loc.name)
    sectors = list(item.sectors.all())
    for s in sectors:
        attrs = {
            "vocabulary": s.vocabulary if s.vocabulary in ("1", "2") else "99",
            "code": s.code,
            "percentage": format(s.percentage.normalize(), "f"),
        }
        sector = etree.SubElement(el, "sector", attrs)
        if s.name:
            _narrative(sector, s.name)
    for b in item.budgets.all():
        budget = etree.SubElement(el, "budget")
        etree.SubElement(budget, "period-start", {"iso-date": b.period_start.isoformat()})
        etree.SubElement(budget, "period-end", {"iso-date": b.period_end.isoformat()})
        etree.SubElement(
            budget, "value", {"currency": b.currency, "value-date": b.value_date.isoformat()}
        ).text = _money(b.amount)
    codes = {"commitment": "2", "disbursement": "3", "expenditure": "4"}
    transactions = list(item.transactions.all())
    if item.committed_amount and not any(t.kind == "commitment" for t in transactions):
        day = item.approved_on or item.planned_start or item.created.date()
        tx = etree.SubElement(el, "transaction")
        etree.SubElement(tx, "transaction-type", {"code": "2"})
        etree.SubElement(tx, "transaction-date", {"iso-date": day.isoformat()})
        etree.SubElement(tx, "value", {"currency": item.currency, "value-date": day.isoformat()}).text = _money(
            item.committed_amount
        )
    for t in sorted(transactions, key=lambda t: (t.date, t.pk)):
        tx = etree.SubElement(el, "transaction")
        etree.SubElement(tx, "transaction-type", {"code": codes[t.kind]})
        etree.SubElement(tx, "transaction-date", {"iso-date": t.date.isoformat()})
        etree.SubElement(
            tx, "value", {"currency": t.currency, "value-date": (t.value_date or t.date).isoformat()}
        ).text = _money(t.amount)
        if t.description:
            _narrative(etree.SubElement(tx, "description"), t.description)
    return el
