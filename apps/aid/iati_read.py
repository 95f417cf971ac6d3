"""Reading an IATI 2.03 activity file: the streaming parse and the mapping of every activity to
plain values, without the database and without Django's settings.

``apps.aid.iati`` writes what this module reads. For a large file the reading runs in a process of
its own (``python -m apps.aid.iati_read``: a fresh interpreter that imports only this module, lxml
and the province list), so parsing and mapping on one core overlap with the database writes on the
other; a small file is read in the importing process. Either way the same generator,
``read_stream``, produces the same messages:

- ``("batch", bytes_read, [record, …])`` — up to ``BATCH`` activities;
- ``("broken", line, message)`` — the XML breaks there; the activities completed before it were sent;
- ``("invalid", line, message)`` — strict mode's first schema problem: nothing may be written;
- ``("not_iati", line, root_tag)`` — the root is not ``iati-activities``: nothing may be written;
- ``("done", sha256_of_file, peak_memory_kb)`` — the peak only from a reading process of its own
  (0 when read in the importing process, whose memory is its own to measure);
- ``("crash", None, text)`` — only from a reading process, when it failed unexpectedly.

The reading process never sees Django's settings nor the database.

A record is ``(identifier, line, digest, notes, item)``: ``item`` is ``None`` for an activity that
cannot be used (``notes`` says why), else a dict of column values — text, ISO dates and decimal
strings the database adapts as they are; the importer adds the exchange-rate equivalents
(``Converter``) and the folded search text, balancing the two processes' work
(from the rate rows the importer passes in) and the organisations as ``(ref, type, name, key)``
for the importer to match to partners. Notes are ``(msgid, args)`` pairs: the importer translates
them in the officer's language (the reader has no translation catalogue).

``digest`` fingerprints what the activity *maps to* (not its bytes): an activity whose mapped
content is unchanged is skipped by the importer, whatever else changed in its XML (a ``result``
element, attribute order, whitespace), and a change of the mapping itself (``MAPPING``) updates
every item once.

The XML parser has entity expansion, DTD loading and network access off; ``huge_tree`` stays off
so libxml2's own limits stand.
"""

import hashlib
import re
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext_noop
from lxml import etree

from apps.aid import reference
from apps.aid.money import CENT, RateBook, q2
from apps.core.text import iati_org_ref, name_key

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BATCH = 200
HUNDRED = Decimal(100)
LIMIT = Decimal(10) ** 17
EQUIVALENT_LIMIT = Decimal(10) ** 20  # the equivalents' columns: 20 digits before the point
#: bump when the mapping changes what an activity maps to: every item is then updated once
MAPPING = "3"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "iati-2.03"

# Outgoing money only: an incoming commitment (11) or incoming funds (1) is the publisher's own
# funding, which added to its outgoing commitments would count the same money twice.
TX_KINDS = {
    "2": "commitment",
    "3": "disbursement",
    "4": "expenditure",
    "C": "commitment",
    "D": "disbursement",
    "E": "expenditure",
}
# IATI activity status → our workflow status (values of apps.aid.models.AidStatus)
STATUS = {
    "1": "draft",
    "2": "implementing",
    "3": "implementing",
    "4": "completed",
    "5": "revoked",
    "6": "implementing",  # suspended: still under way, with a note (the workflow has no "suspended")
}
# IATI 1.x wrote activity-date types and organisation roles as words
DATE_TYPES = {"start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"}
ORG_ROLES = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
# sector vocabularies as IATI 1.x named them
VOCABULARIES = {"DAC": "1", "DAC-3": "2"}
#: a sector code longer than this (the column's size) is not cut: two codes would merge
SECTOR_CODE_MAX = 20
#: an identifier longer than this is not cut (two activities would merge): the activity is left out
IDENT_MAX = 200
# "1,000,000.50": commas only as thousands separators; "2500,75" or "1.234,56" are not xsd:decimal
# and a guess would be off by a factor of 100 or 1,000
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
# percentages that add up to 100 give or take this (3 × 33.33) are taken as 100
SHARE_SLACK = Decimal("0.1")
APPROVED_OR_LATER = ("approved", "implementing", "completed", "revoked")


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


_schemas: dict[str, etree.XMLSchema] = {}


def schema(directory: Path | str = SCHEMA_DIR) -> etree.XMLSchema:
    key = str(directory)
    if key not in _schemas:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        _schemas[key] = etree.XMLSchema(etree.parse(str(Path(directory) / "iati-activities-schema.xsd"), parser))
    return _schemas[key]


# -- small readers ------------------------------------------------------------------------------------


def local(tag) -> str:
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


def children_named(el, wanted: frozenset, ns: str = "") -> dict[str, list]:
    """The children of ``el`` whose name is in ``wanted``, by name, in one pass (on the hot path:
    a transaction's parts are looked up ten times per activity). Only children in the activity's
    own namespace ``ns`` ("" for IATI's none) count: a publisher's extension element such as
    ``<akvo:transaction>`` or ``<usg:title>`` is not an IATI element, whatever its local name."""
    found: dict[str, list] = {}
    for c in el:
        tag = c.tag
        if tag.__class__ is str:  # comments and processing instructions have a function as tag
            if ns:
                if not tag.startswith(ns):
                    continue
                name = tag[len(ns) :]
            elif tag[0] == "{":
                continue
            else:
                name = tag
            if name in wanted:
                same = found.get(name)
                if same is None:
                    found[name] = [c]
                else:
                    same.append(c)
    return found


_NONE = (None,)


def _first(found: dict, name: str):
    return found.get(name, _NONE)[0]


ACTIVITY_PARTS = frozenset(
    (
        "iati-identifier",
        "title",
        "reporting-org",
        "activity-status",
        "default-aid-type",
        "description",
        "participating-org",
        "activity-date",
        "sector",
        "location",
        "budget",
        "transaction",
        "recipient-country",
        "planned-disbursement",
    )
)
TX_PARTS = frozenset(("value", "transaction-type", "transaction-date", "description", "recipient-country", "sector"))
BUDGET_PARTS = frozenset(("value", "period-start", "period-end"))
LOCATION_PARTS = frozenset(("name", "administrative", "description"))


def text_of(el) -> str:
    """The element's text, single-spaced (its descendants' text too, should a publisher nest any)."""
    if el is None:
        return ""
    if len(el):
        return " ".join("".join(el.itertext()).split())
    return " ".join((el.text or "").split())


def narratives(el, default_lang: str) -> dict[str, str]:
    """{language: text} of an element's narratives (or its own text, as IATI 1.x wrote it)."""
    if el is None:
        return {}
    out: dict[str, str] = {}
    found = False
    for n in el:
        tag = n.tag
        if isinstance(tag, str) and tag.endswith("narrative") and local(tag) == "narrative":
            found = True
            text = text_of(n)
            if text:
                lang = n.get(XML_LANG)
                out.setdefault((lang or default_lang or "en").lower()[:2], text)
    if not found:
        text = " ".join((el.text or "").split())
        if text:
            out[(el.get(XML_LANG) or default_lang or "en").lower()[:2]] = text
    return out


def name_of(el, lang) -> str:
    if el is None:
        return ""
    if len(el) == 1:
        # the common case, one plain narrative: its text, without building the language map
        only = el[0]
        if isinstance(only.tag, str) and local(only.tag) == "narrative" and not len(only):
            return " ".join((only.text or "").split())
    names = narratives(el, lang)
    return names.get("en") or names.get("vi") or next(iter(names.values()), "")


def day_of(text) -> date | None:
    text = (text or "").strip()[:10]
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def decimal_of(text) -> Decimal | None:
    text = (text or "").strip()
    if "," in text:
        if not _THOUSANDS.match(text):
            return None
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= LIMIT:
        return None
    return q2(value)


def currency_of(text, fallback) -> str | None:
    code = (text or fallback or "").strip().upper()
    return code if len(code) == 3 and code.isalpha() else None


def split_shares(n: int) -> list[Decimal]:
    """``n`` shares of 100 with two decimals that add up to exactly 100."""
    if n <= 0:
        return []
    share = (HUNDRED / n).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    shares = [share] * n
    shares[-1] = HUNDRED - share * (n - 1)
    return shares


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


class Converter:
    """``(rate_vnd, usd, vnd)`` as text — what ``RateBook.convert`` gives — for an amount (Decimal
    or decimal text) in a currency on a day (date or ISO text), the two rate lookups done once per
    (currency, day): a file repeats its days thousands of times. ``rates``: (currency, date, rate)
    rows, or None for the database's table."""

    def __init__(self, rates=None):
        self.book = RateBook(rates)
        self.rates: dict[tuple, tuple] = {}

    def __call__(self, amount, currency: str, day) -> tuple:
        found = self.rates.get((currency, day))
        if found is None:
            if len(self.rates) > 100_000:
                self.rates.clear()
            on = date.fromisoformat(day) if isinstance(day, str) else day
            found = self.rates[(currency, day)] = (self.book.rate(currency, on), self.book.rate("USD", on))
        rate, usd_rate = found
        if isinstance(amount, str):
            amount = Decimal(amount)
        if rate is not None and abs(amount * rate) >= EQUIVALENT_LIMIT:
            return (None, None, None)  # beyond the columns: no equivalent rather than a row unreadable
        # q2 written out: this runs for every transaction of a file
        if rate is None:
            return (None, str(amount.quantize(CENT, ROUND_HALF_UP)) if currency == "USD" else None, None)
        vnd = (amount * rate).quantize(CENT, ROUND_HALF_UP)
        if currency == "USD":
            usd = amount.quantize(CENT, ROUND_HALF_UP)
        elif usd_rate:
            usd = (vnd / usd_rate).quantize(CENT, ROUND_HALF_UP)
        else:
            return (str(rate), None, str(vnd))
        return (str(rate), str(usd), str(vnd))


class Mapper:
    """Maps ``iati-activity`` elements to records. Keeps, for the whole file, what it has already
    worked out for a repeated text (folded organisation names, matched place names)."""

    def __init__(self, *, country: str | None, today: date):
        self.country = country.upper() if country else None
        self.today = today
        self.keys: dict[str, str] = {}
        self.places: dict[str, int | None] = {}
        # a file repeats its days thousands of times
        self.days: dict[str, date | None] = {}
        self.province_names = reference.provinces()

    # organisations: (ref, type, name, folded key)
    def org(self, el, lang) -> tuple[str, str, str, str]:
        ref = iati_org_ref(el.get("ref"))
        name = name_of(el, lang).strip()
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = name_key(name)[:300]
        return (ref[:100], (el.get("type") or "").strip(), name[:300], key)

    def day(self, text) -> date | None:
        if text is None:
            return None
        found = self.days.get(text, False)
        if found is False:
            if len(self.days) > 100_000:
                self.days.clear()
            found = self.days[text] = day_of(text)
        return found

    def province(self, name: str) -> int | None:
        if name not in self.places:
            self.places[name] = reference.find_province(name)
        return self.places[name]

    def record(self, el, default_lang: str):
        """``(identifier, line, digest, notes, item)`` of one ``iati-activity`` element."""
        notes: list = []
        line = el.sourceline
        tag = el.tag
        ns = tag[: tag.rfind("}") + 1] if tag[0] == "{" else ""
        parts = children_named(el, ACTIVITY_PARTS, ns)
        ident = text_of(_first(parts, "iati-identifier"))
        title, reporting = _first(parts, "title"), _first(parts, "reporting-org")
        status_el, aid_type = _first(parts, "activity-status"), _first(parts, "default-aid-type")
        descriptions, orgs, dates_el = (parts.get(n, []) for n in ("description", "participating-org", "activity-date"))
        sectors_el, locations_el, budgets_el = (parts.get(n, []) for n in ("sector", "location", "budget"))
        txs_el, countries_el = parts.get("transaction", []), parts.get("recipient-country", [])
        planned_out = len(parts.get("planned-disbursement", ()))
        if not ident:
            return ("", line, "", [(gettext_noop("no iati-identifier"), ())], None)
        if len(ident) > IDENT_MAX:
            return (
                ident[:IDENT_MAX],
                line,
                "",
                [(gettext_noop("iati-identifier longer than {} characters"), (IDENT_MAX,))],
                None,
            )
        lang = (el.get(XML_LANG) or default_lang or "en").lower()[:2]
        currency = currency_of(el.get("default-currency"), None)
        # transactions: their children once
        txs = []
        tx_sectors = []
        countries = {(c.get("code") or "").strip().upper() for c in countries_el}
        for tx in txs_el:
            parts = children_named(tx, TX_PARTS, ns)
            kind_el, date_el = _first(parts, "transaction-type"), _first(parts, "transaction-date")
            value_el, desc_el = _first(parts, "value"), _first(parts, "description")
            own = parts.get("recipient-country")
            if own:
                own = {(c.get("code") or "").strip().upper() for c in own}
                countries.update(own)
            if "sector" in parts:
                tx_sectors += parts["sector"]
            txs.append((kind_el, date_el, value_el, desc_el, own))
        countries.discard("")
        if self.country and self.country not in countries:
            return (
                ident,
                line,
                "",
                [
                    (
                        gettext_noop("not for {} (recipient countries: {})"),
                        (self.country, ", ".join(sorted(countries)) or "—"),
                    )
                ],
                None,
            )
        titles = narratives(title, lang)
        title_vi = titles.get("vi", "")
        title_en = titles.get("en") or next((t for k, t in titles.items() if k != "vi"), "")
        if not (title_vi or title_en):
            notes.append((gettext_noop("no title; the identifier stands in"), ()))
        description = ""
        for d in descriptions:
            texts = narratives(d, lang)
            if texts:
                description = texts.get("vi") or texts.get("en") or next(iter(texts.values()))
                if d.get("type", "1") == "1":
                    break
        # organisations
        donor = None
        implementing, domestic = [], []
        accountable = ""
        for o in orgs:
            role = (o.get("role") or "").strip()
            role = ORG_ROLES.get(role.lower(), role)
            if role == "1" and donor is None:
                found = self.org(o, lang)
                if found[0] or found[2]:
                    donor = found
            elif role == "4":
                found = self.org(o, lang)
                if found[0].startswith("VN-"):
                    # a Vietnamese body (a ministry, a national NGO) is not a foreign partner: it
                    # is named as the managing agency when the file names none
                    domestic.append(found[2] or found[0])
                elif found[0] or found[2]:
                    implementing.append(found)
            elif role == "2" and not accountable:
                accountable = name_of(o, lang)
        if domestic and not accountable:
            accountable = domestic[0]
        if donor is None and reporting is not None and reporting.get("secondary-reporter") not in ("1", "true"):
            # a secondary reporter publishes another's activity: it is not the donor
            found = self.org(reporting, lang)
            donor = found if (found[0] or found[2]) else None
        if donor is None:
            notes.append((gettext_noop("no funding or reporting organisation: no donor"), ()))
        # dates and status
        dates: dict[str, date] = {}
        bad_dates = 0
        for d in dates_el:
            # IATI 1.x: the type as a word, and sometimes the date as the element's text
            day = self.day(d.get("iso-date") or (d.text or "").strip() or None)
            if day is not None:
                kind = (d.get("type") or "").strip()
                dates.setdefault(DATE_TYPES.get(kind, kind), day)
            else:
                bad_dates += 1
        if bad_dates:
            notes.append((gettext_noop("{} activity date(s) not a valid YYYY-MM-DD date: left out"), (bad_dates,)))
        status_code = (status_el.get("code") or "").strip() if status_el is not None else ""
        status = STATUS.get(status_code, "implementing")
        if status_code == "6":
            notes.append((gettext_noop("the activity is suspended (IATI status 6)"), ()))
        # sectors: one vocabulary (DAC 5 preferred), shares adding up to 100
        by_voc: dict[str, list] = {}
        if not sectors_el and tx_sectors:
            # IATI 2.03 lets a publisher give sectors per transaction instead: each named one counts
            # once (the transactions' values do not say how an activity divides between them)
            seen_codes: set = set()
            for s in tx_sectors:
                key = ((s.get("vocabulary") or "1").strip(), (s.get("code") or "").strip())
                if key not in seen_codes:
                    seen_codes.add(key)
                    sectors_el.append(s)
            if sectors_el:
                notes.append((gettext_noop("sectors taken from the transactions, in equal shares"), ()))
                for s in sectors_el:
                    s.attrib.pop("percentage", None)
        for s in sectors_el:
            voc = (s.get("vocabulary") or "1").strip()
            by_voc.setdefault(VOCABULARIES.get(voc.upper(), voc), []).append(s)
        sectors = []
        # DAC 5 preferred, then DAC 3, the publisher's own lists, then any other vocabulary
        # (humanitarian clusters, SDG targets …), kept as a local list under its own codes
        voc = next((v for v in ("1", "2", "99", "98") if v in by_voc), next(iter(by_voc), None))
        if voc:
            rows = by_voc[voc]
            codes = [(r.get("code") or "").strip() for r in rows]
            valid = all(
                c
                and len(c) <= SECTOR_CODE_MAX
                and (voc not in ("1", "2") or (c.isdecimal() and len(c) == (5 if voc == "1" else 3)))
                for c in codes
            )
            shares = [decimal_of(r.get("percentage")) for r in rows]
            if not valid:
                notes.append((gettext_noop("sector codes not valid for vocabulary {}: sectors left out"), (voc,)))
            else:
                if all(s is None for s in shares):
                    shares = split_shares(len(rows))
                elif None not in shares and shares and abs(sum(shares) - HUNDRED) <= SHARE_SLACK:
                    # 3 × 33.33: the rounding publishers do; the last share takes the difference
                    shares[-1] += HUNDRED - sum(shares)
                if any(s is None or s < 0 for s in shares) or sum(shares) != HUNDRED or len(set(codes)) != len(codes):
                    notes.append(
                        (
                            gettext_noop("sector percentages add up to {}, not 100: sectors left out"),
                            (str(sum(s for s in shares if s is not None)),),
                        )
                    )
                else:
                    out_voc = voc if voc in ("1", "2") else "99"
                    if voc not in ("1", "2", "99", "98"):
                        notes.append((gettext_noop("sectors of vocabulary {} kept as a local list"), (voc,)))
                    sectors = [
                        (out_voc, c, reference.sector_name(voc, c) or name_of(r, lang)[:200], str(p))
                        for c, p, r in zip(codes, shares, rows, strict=False)
                    ]
        # locations: provinces of Vietnam named by the location (or its administrative areas)
        provinces: list[int] = []
        unmatched = 0
        for loc in locations_el:
            parts = children_named(loc, LOCATION_PARTS, ns)
            name_el, described = _first(parts, "name"), parts.get("description", [])
            names = []
            for adm in parts.get("administrative", ()):
                names += [text_of(adm), adm.get("code") or ""]
            # the location's name first, then its administrative areas, then its descriptions
            names[:0] = narratives(name_el, lang).values()
            if described:
                names += narratives(described[0], lang).values()
            code = next((p for p in (self.province(n) for n in names) if p), None)
            if code and code not in provinces:
                provinces.append(code)
            elif not code:
                unmatched += 1
        if unmatched:
            notes.append((gettext_noop("{} location(s) not matched to a province of Vietnam"), (unmatched,)))
        locations = [
            (p, self.province_names[p], str(share))
            for p, share in zip(provinces, split_shares(len(provinces)), strict=False)
        ]
        # money
        budgets, transactions, dropped, other_types, elsewhere = [], [], 0, 0, 0
        originals, revised = [], []
        for b in budgets_el:
            parts = children_named(b, BUDGET_PARTS, ns)
            value, start_el, end_el = _first(parts, "value"), _first(parts, "period-start"), _first(parts, "period-end")
            start = self.day(start_el.get("iso-date")) if start_el is not None else None
            end = self.day(end_el.get("iso-date")) if end_el is not None else None
            amount = decimal_of(text_of(value)) if value is not None else None
            cur = currency_of(value.get("currency") if value is not None else None, currency)
            if amount is None or amount < 0 or cur is None or start is None or end is None:
                dropped += 1
                continue
            row = [start, end, amount, cur, self.day(value.get("value-date")) or start]
            (revised if (b.get("type") or "").strip() == "2" else originals).append(row)
        # a revised budget replaces the original ones of its period: added up, the same money
        # would count twice
        budgets = revised + [o for o in originals if not any(r[0] <= o[1] and o[0] <= r[1] for r in revised)]
        budgets.sort(key=lambda row: (row[0], row[1]))
        for kind_el, date_el, value, desc_el, own in txs:
            kind = TX_KINDS.get((kind_el.get("code") or "").strip() if kind_el is not None else "")
            if kind is None:
                other_types += 1
                continue
            if self.country and own and self.country not in own:
                elsewhere += 1  # money of the same activity for another country
                continue
            amount = decimal_of(text_of(value)) if value is not None else None
            cur = currency_of(value.get("currency") if value is not None else None, currency)
            value_day = self.day(value.get("value-date")) if value is not None else None
            day = (self.day(date_el.get("iso-date")) if date_el is not None else None) or value_day
            # a negative value stays: a de-obligation or a refund reduces what was committed or paid
            if amount is None or cur is None or day is None:
                dropped += 1
                continue
            transactions.append([kind, day, amount, cur, value_day or day, name_of(desc_el, lang)[:500]])
        if dropped:
            notes.append(
                (
                    gettext_noop("{} budget(s) or transaction(s) without a usable value, currency or date left out"),
                    (dropped,),
                )
            )
        if other_types:
            notes.append(
                (
                    gettext_noop(
                        "{} transaction(s) of other types (incoming funds or commitments, repayments …) not mapped"
                    ),
                    (other_types,),
                )
            )
        if elsewhere:
            notes.append(
                (gettext_noop("{} transaction(s) for other countries than {} left out"), (elsewhere, self.country))
            )
        if self.country:
            share = next(
                (
                    decimal_of(c.get("percentage"))
                    for c in countries_el
                    if (c.get("code") or "").strip().upper() == self.country
                ),
                None,
            )
            if share is not None and share < HUNDRED:
                notes.append(
                    (
                        gettext_noop("{} has {} per cent of the activity; its budgets are the whole activity's"),
                        (self.country, str(share)),
                    )
                )
        # The committed value: the commitments (net of de-obligations), else the budgets, in the one
        # currency they are given in, else the activity's default currency.
        commitments = [t for t in transactions if t[0] == "commitment"]
        source = commitments or budgets
        used = {row[3] for row in source}
        money_currency = (
            next(iter(used))
            if len(used) == 1
            else currency or (transactions[0][3] if transactions else (budgets[0][3] if budgets else "USD"))
        )
        committed = max(sum((row[2] for row in source if row[3] == money_currency), Decimal(0)), Decimal(0))
        if not source and planned_out:
            notes.append(
                (
                    gettext_noop(
                        "no commitment nor budget, only {} planned disbursement(s): the committed value is left at 0"
                    ),
                    (planned_out,),
                )
            )
        if len(used) > 1:
            notes.append(
                (
                    gettext_noop("amounts in {} not added to the committed value (it is in {})"),
                    (", ".join(sorted(used - {money_currency})), money_currency),
                )
            )
        spent = any(t[0] != "commitment" for t in transactions)
        if spent and status not in ("implementing", "completed", "approved", "revoked"):
            status = "implementing"
        start = dates.get("2") or dates.get("1")
        first_money = min((t[1] for t in transactions), default=None)
        approved_on = None
        if status in APPROVED_OR_LATER:
            approved_on = min(d for d in (start, first_money) if d) if (start or first_money) else None
        # The publisher's humanitarian flag decides; without one, an activity mostly (half or more)
        # in DAC 700s (humanitarian aid) is emergency relief. A publisher's own code that begins
        # with 7 says nothing, and one 7xx sector among others does not make a project relief.
        flag = (el.get("humanitarian") or "").strip().lower()
        if flag in ("1", "true", "0", "false"):
            humanitarian = flag in ("1", "true")
        else:
            relief = sum(Decimal(s[3]) for s in sectors if s[0] in ("1", "2") and s[1].startswith("7"))
            humanitarian = relief * 2 >= HUNDRED
        aid_code = (aid_type.get("code") or "").strip().upper() if aid_type is not None else ""
        if humanitarian:
            kind = "emergency"
        elif aid_code.startswith(("A", "B")):
            kind = "programme"
        elif aid_code.startswith(("D", "E")):
            kind = "non_project"
        else:
            kind = "project"
        planned_start, actual_start = dates.get("1"), dates.get("2")
        planned_end = dates.get("3")
        if planned_start and planned_end and planned_end < planned_start:
            planned_end = None
        actual_end = dates.get("4")
        if actual_start and actual_end and actual_end < actual_start:
            actual_end = None
        item = {
            "title_vi": (title_vi or title_en or ident)[:500],
            "title_en": title_en[:500],
            "description": description,
            "managing_agency": accountable[:300],
            "status": status,
            "kind": kind,
            "planned_start": _iso(planned_start),
            "actual_start": _iso(actual_start),
            "planned_end": _iso(planned_end),
            "actual_end": _iso(actual_end),
            "approved_on": _iso(approved_on),
            "currency": money_currency,
            "committed_amount": str(committed),
            "donor": donor,
            "implementing": implementing,
            "sectors": sectors,
            "locations": locations,
            "budgets": [[_iso(b[0]), _iso(b[1]), str(b[2]), b[3], _iso(b[4])] for b in budgets],
            "transactions": [[t[0], _iso(t[1]), str(t[2]), t[3], _iso(t[4]), t[5]] for t in transactions],
        }
        # what the activity maps to, before the derived values: the fingerprint
        digest = hashlib.sha256(repr((MAPPING, ident, item)).encode("utf-8")).hexdigest()
        # derived: the day the committed value is converted on (the importer converts: it has the
        # slack — the reading is the slower half)
        item["rate_day"] = _iso(approved_on or planned_start or actual_start or self.today)
        return (ident, line, digest, notes, item)


# -- the stream ------------------------------------------------------------------------------------------


def fingerprint_start():
    """The file's fingerprint begins with the mapping's version: the same bytes read by another
    mapping are another import (an unchanged file is otherwise answered without being read)."""
    digest = hashlib.sha256()
    digest.update("iati-mapping {}\n".format(MAPPING).encode("ascii"))
    return digest


class _HashingReader:
    """The file as the parser reads it, hashed on the way (the fingerprint costs no second pass)."""

    def __init__(self, handle):
        self.handle, self.digest, self.done = handle, fingerprint_start(), 0

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        self.done += len(data)
        return data


def peak_memory_kb() -> int:
    """This process's high-water mark of resident memory (``VmHWM``), 0 where /proc has none."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _error(exc, context) -> tuple[int | None, str]:
    log = getattr(context, "error_log", None) or getattr(exc, "error_log", None)
    entry = log[0] if log else None
    if entry is not None:
        return entry.line, entry.message
    line = getattr(exc, "lineno", None) or (exc.position[0] if getattr(exc, "position", None) else None)
    return line, str(getattr(exc, "msg", None) or exc)


def read_stream(path, *, country=None, strict=False, today: date | None = None, schema_dir=None, batch=BATCH):
    """The messages of the module docstring, for the file at ``path``."""
    today = today or date.today()
    mapper = Mapper(country=country, today=today)
    validator = schema(schema_dir or SCHEMA_DIR) if strict else None
    wrapper = None
    lang = "en"
    records: list = []
    seen_root = False
    activities = 0
    with open(path, "rb") as handle:
        reader = _HashingReader(handle)
        # Events only for the root and the activities: libxml2 builds the rest without a Python
        # round trip per element.
        context = etree.iterparse(
            reader, events=("start", "end"), tag=("{*}iati-activities", "{*}iati-activity"), **parser_options()
        )
        try:
            for event, el in context:
                tag = local(el.tag)
                if event == "start":
                    if not seen_root:
                        seen_root = True
                        root = el if tag == "iati-activities" else el.getroottree().getroot()
                        if local(root.tag) != "iati-activities":
                            yield ("not_iati", root.sourceline, local(root.tag))
                            return
                        lang = (root.get(XML_LANG) or "en").lower()[:2]
                        if validator is not None:
                            wrapper = etree.Element("iati-activities", dict(root.attrib))
                    continue
                if tag != "iati-activity":
                    continue
                if validator is not None:
                    # each activity checked as it completes, inside a copy of the root, so the
                    # check streams too and libxml2 reports the original line
                    import copy

                    probe = copy.deepcopy(el)
                    wrapper.append(probe)
                    try:
                        valid = validator.validate(etree.ElementTree(wrapper))
                    except etree.XMLSchemaValidateError as exc:
                        # libxml2 gives up on what it cannot check (an unresolved entity reference
                        # in the content): for strict mode that is a file it cannot accept
                        yield ("invalid", el.sourceline, "{} (unresolved entity reference?)".format(exc))
                        return
                    wrapper.remove(probe)
                    if not valid:
                        first = validator.error_log[0]
                        yield ("invalid", first.line or el.sourceline, first.message)
                        return
                activities += 1
                records.append(mapper.record(el, lang))
                # what has been read is dropped from the tree
                el.clear(keep_tail=False)
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
                if len(records) >= batch:
                    yield ("batch", reader.done, records)
                    records = []
        except etree.XMLSyntaxError as exc:
            if records:
                yield ("batch", reader.done, records)
            line, message = _error(exc, context)
            yield ("broken", line, message)
            return
        if not seen_root and context.root is not None:
            yield ("not_iati", context.root.sourceline, local(context.root.tag))
            return
        if validator is not None and not activities:
            # the schema asks for one activity at least; libxml2 is only asked activity by activity
            yield (
                "invalid",
                context.root.sourceline if context.root is not None else 1,
                "Element 'iati-activities': Missing child element(s). Expected is ( iati-activity ).",
            )
            return
        if records:
            yield ("batch", reader.done, records)
        yield ("done", reader.digest.hexdigest(), 0)


def main() -> None:
    """``python -m apps.aid.iati_read``: the reading process. ``(path, options)`` arrive pickled on
    stdin; the messages leave pickled on stdout, one after another. An unexpected failure is sent
    too, so the importer never waits for a message that will not come."""
    import pickle
    import sys

    path, options = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    try:
        for message in read_stream(path, **options):
            if message[0] == "done":
                message = (*message[:2], peak_memory_kb())  # this process's own high-water mark
            pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
    except BaseException as exc:  # noqa: BLE001 — reported to the importer, which raises it
        pickle.dump(("crash", None, "{}: {}".format(type(exc).__name__, exc)), out)
        out.flush()


if __name__ == "__main__":
    main()
