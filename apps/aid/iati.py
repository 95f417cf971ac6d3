"""IATI 2.03 activity files in and out.

Import (``import_file``): ``apps.aid.iati_read`` streams the file with ``lxml.etree.iterparse``
(entity expansion, DTD loading and network access off; ``huge_tree`` off so libxml2's own limits
stand), one ``iati-activity`` at a time, clearing what it has read, so memory stays flat whatever
the size, and maps each activity to plain column values. This module writes them, a batch at a
time, with one ``executemany`` per table. For a file of ``IATI_READER_PROCESS_MIN_BYTES`` or more,
the reading runs in a process of its own, so parsing and mapping (one core) overlap with the
database writes (the other); the messages between the two are the same either way.

- upsert by ``iati-identifier``; an activity whose mapped content has the fingerprint its item
  already carries is counted unchanged and not written; the very same file imported again with
  the same options is recognised by its SHA-256 and not even parsed;
- participating organisations become partners (matched by IATI organisation ref, then by folded
  name, else created, a batch at a time);
- transactions (2/11 commitment, 3 disbursement, 4 expenditure), budgets, sectors, locations
  (names matched to Vietnam's provinces after the 2025 reform) and dates are mapped; nothing
  optional is assumed present or in order;
- ``strict``: validated against the IATI 2.03 schema while streaming; the first problem (with its
  line) stops the import and nothing is written;
- lenient (default): each activity is checked on its own; what cannot be used is reported per
  activity (skipped, and why), the rest is imported.

Every item written gets its row in the change log (one ``executemany``), as do the partners created.

Export writes our aid items as IATI 2.03 activities with ``etree.xmlfile`` (streamed too).
"""

import hashlib
import os
import pickle
import subprocess
import sys
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from lxml import etree

from apps.aid import iati_read
from apps.aid.iati_read import XML_LANG, parser_options  # noqa: F401 — the bench reads them from here
from apps.aid.models import (
    AidItem,
    AidLocation,
    AidSector,
    AidStatus,
    Budget,
    Transaction,
)
from apps.core.text import fold_join

# The official schemas ship with the app (apps/aid/schemas/iati-2.03); IATI_SCHEMA_DIR points elsewhere.
SCHEMA_DIR = Path(getattr(settings, "IATI_SCHEMA_DIR", iati_read.SCHEMA_DIR))

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
#: our kinds of aid as OECD-DAC aid types (the import reads A/B as programme, D/E as non-project)
AID_TYPE_OUT = {
    AidItem.Kind.PROGRAMME: "B03",  # contributions to specific-purpose programmes
    AidItem.Kind.PROJECT: "C01",  # project-type interventions
    AidItem.Kind.NON_PROJECT: "D02",  # other technical assistance: goods, experts, training
    AidItem.Kind.EMERGENCY: "C01",  # with the humanitarian flag
}
ORG_KINDS = {
    "21": "foreign_ngo",
    "22": "foreign_ngo",
    "23": "foreign_ngo",
    "24": "foreign_ngo",
    "60": "foreign_ngo",
    "80": "foreign_ngo",
    "40": "international_organisation",
    "10": "government_agency",
    "11": "foreign_locality",  # a local government: for a foreign partner, its province or city
    "15": "government_agency",  # other public sector
    "70": "fdi_enterprise",
    "71": "fdi_enterprise",
    "72": "fdi_enterprise",
    "73": "fdi_enterprise",
}
#: the item columns an import sets (the others keep their defaults on creation and their values on update)
ITEM_COLUMNS = (
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
    "rate_vnd",
    "committed_usd",
    "committed_vnd",
)


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
    #: the reading process's peak resident memory (kB), when the file was read in one
    reader_peak_kb: int = 0

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


def schema() -> etree.XMLSchema:
    return iati_read.schema(SCHEMA_DIR)


# -- writing a batch ----------------------------------------------------------------------------------


def _insert_rows(model, columns: list[str], rows: list, *, ignore_conflicts: bool = False) -> None:
    """Plain ``executemany`` of column values: the ORM's per-object work (model instances, field
    preparation) was most of an import's time. Values are already what the columns take (text,
    ISO dates, decimal strings, numbers); ``ignore_conflicts``: a row already there is left as it is."""
    if not rows:
        return
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


def _say(notes) -> list[str]:
    """The reader's notes, ``(msgid, args)``, in the officer's language."""
    return [_(msgid).format(*args) for msgid, args in notes]


class _Writer:
    """Writes the reader's records: partners matched or created, items inserted or updated, their
    sectors, locations, budgets, transactions and links, and the change log — per batch."""

    def __init__(self, *, unit, user, report: Report, source: str):
        from apps.core.changelog import current_context
        from apps.core.models import ObjectChange
        from apps.partners.models import Partner

        self.unit, self.report, self.source = unit, report, source
        context = current_context()
        if user is None and context is not None:
            user = context.current_user() or context.user
        self.user_id, self.user_name = (user.pk, user.get_username()) if user else (None, "system")
        self.request_id = context.request_id if context else None
        self.request_id_db = ObjectChange._meta.get_field("request_id").get_db_prep_save(self.request_id, connection)
        self.now = timezone.now()
        self.stamp = AidItem._meta.get_field("last_updated").get_db_prep_save(self.now, connection)
        self.post = ObjectChange._meta.get_field("postchange_data")
        self.before: dict[int, dict] = {}  # the summary of the items a batch updates, as they were
        self.item_type = ContentType.objects.get_for_model(AidItem).pk
        self.partner_type = ContentType.objects.get_for_model(Partner).pk
        # a created item's row: every column but the id, the defaults prepared once
        self.item_fields = [f for f in AidItem._meta.concrete_fields if not f.primary_key]
        self.item_defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in self.item_fields}
        self.english = (get_language() or "vi").startswith("en")
        self.convert = iati_read.Converter()  # the rate table, read once
        self.by_ref: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.countries: dict[str, int | None] = {}

    # -- partners

    def _known(self, org) -> int | None:
        ref, _type, _name, key = org
        if ref:
            return self.by_ref.get(ref)
        return self.by_key.get(key) if key else None

    def _remember(self, org, pid) -> None:
        ref, _type, _name, key = org
        if ref:
            self.by_ref[ref] = pid
        if key:
            self.by_key[key] = pid

    def _country(self, ref: str):
        from apps.partners.models import Country

        prefix = ref.split("-", 1)[0].upper() if "-" in ref else ""
        if len(prefix) != 2 or prefix == "XM":
            return None
        if prefix not in self.countries:
            self.countries[prefix] = Country.objects.filter(code=prefix).values_list("pk", flat=True).first()
        return self.countries[prefix]

    def partners(self, orgs) -> None:
        """Find or create the partner of every organisation not yet known: by IATI ref, then by
        folded name (two queries for the batch), else a new partner of the importing unit — all
        the batch's new partners in one insert, each with its change-log row."""
        from apps.core.changelog import snapshots_of_new
        from apps.core.models import ObjectChange
        from apps.partners.models import Partner

        first: dict[tuple, tuple] = {}
        for o in orgs:
            if self._known(o) is None:
                first.setdefault((o[0], "" if o[0] else o[3]), o)  # the name as first written
        pending = list(first.values())
        if not pending:
            return
        refs = {o[0] for o in pending if o[0]}
        keys = {o[3] for o in pending if o[3]}
        in_db_ref, in_db_key = {}, {}
        if refs:
            # descending, so that the lowest pk is the one kept (as .first() would give)
            for ref, pk in Partner.objects.filter(iati_ref__in=refs).order_by("-pk").values_list("iati_ref", "pk"):
                in_db_ref[ref] = pk
        if keys:
            for key, pk in Partner.objects.filter(name_key__in=keys).order_by("-pk").values_list("name_key", "pk"):
                in_db_key[key] = pk
        # A partner entered by hand under its Vietnamese name keeps the name the donor publishes in
        # its English (or original) name: "Japan International Cooperation Agency" is that partner.
        names = {o[2] for o in pending if o[2] and in_db_ref.get(o[0]) is None and o[3] not in in_db_key}
        in_db_name = {}
        if names:
            for pk, name, name_en in (
                Partner.objects.filter(Q(name_en__in=names) | Q(name__in=names))
                .order_by("-pk")
                .values_list("pk", "name", "name_en")
            ):
                for known_as in (name, name_en):
                    if known_as in names:
                        in_db_name[known_as] = pk
        created = []
        for org in pending:
            if self._known(org) is not None:
                continue  # created a moment ago for an organisation of the same name
            ref, kind, name, key = org
            pid = (
                (in_db_ref.get(ref) if ref else None)
                or ((in_db_key.get(key) or self.by_key.get(key)) if key else None)
                or in_db_name.get(name)
            )
            if pid is None:
                if not (name or ref):
                    continue
                pid = Partner(
                    kind=ORG_KINDS.get(kind, "foreign_ngo"),
                    name=(name or ref)[:300],
                    iati_ref=ref,
                    unit=self.unit,
                    country_id=self._country(ref),
                    description=_("Created by the IATI import."),
                )
                pid.name_key = key
                pid.search_text = pid.build_search_text()
                created.append(pid)
            self._remember(org, pid)
        if not created:
            return
        Partner.objects.bulk_create(created)
        self.report.partners_created += len(created)
        for known in (self.by_ref, self.by_key):
            for name, value in known.items():
                if isinstance(value, Partner):
                    known[name] = value.pk
        ObjectChange.objects.bulk_create(
            ObjectChange(
                user_id=self.user_id,
                user_name=self.user_name,
                request_id=self.request_id,
                action=ObjectChange.Action.CREATE,
                changed_object_type_id=self.partner_type,
                changed_object_id=partner.pk,
                object_repr=str(partner)[:200],
                unit_id=self.unit.pk,
                postchange_data=data,
            )
            for partner, data in zip(created, snapshots_of_new(created), strict=True)
        )

    def partner_id(self, org) -> int | None:
        return self._known(org)

    # -- items

    def write(self, records: list, pairs) -> None:
        said: list[Outcome] = []
        try:
            self._write(records, pairs, said)
        finally:
            # in the order of the file, whatever became of each activity
            for outcome in sorted(said, key=lambda o: o.line or 0):
                self.report.keep(outcome)

    def _write(self, records: list, pairs, said: list) -> None:
        report = self.report
        # the last of two activities with one identifier in a batch is the one imported (as it
        # would be, had they been in different batches: the second updates the first)
        last = {r[0]: i for i, r in enumerate(records) if r[4] is not None}
        usable = []
        for index, (ident, line, digest, notes, item) in enumerate(records):
            if item is None:
                report.skipped += 1
                said.append(Outcome(ident or _("(no identifier)"), line, "skipped", _say(notes)))
            elif last[ident] != index:
                report.skipped += 1
                later = records[last[ident]][1]
                said.append(
                    Outcome(
                        ident,
                        line,
                        "skipped",
                        _say(notes)
                        + [_("the identifier appears again on line {}: that activity is imported").format(later)],
                    )
                )
            else:
                usable.append((ident, line, digest, notes, item))
        if not usable:
            return
        known = {
            i: (pk, h, v, code)
            for pk, i, h, v, code in AidItem.objects.filter(iati_identifier__in=[r[0] for r in usable]).values_list(
                "pk", "iati_identifier", "iati_hash", "version", "code"
            )
        }
        creates, updates = [], []
        for record in usable:
            ident, line, digest, notes, item = record
            found = known.get(ident)
            if found is not None and found[1] == digest:
                report.unchanged += 1
                pairs.append((ident, digest))
                if notes:
                    said.append(Outcome(ident, line, "unchanged", _say(notes)))
                continue
            pairs.append((ident, digest))
            item["rate_vnd"], item["committed_usd"], item["committed_vnd"] = self.convert(
                item["committed_amount"], item["currency"], item["rate_day"]
            )
            if item["committed_vnd"] is None and Decimal(item["committed_amount"]):
                # said, not hidden: the statistics leave such an item out of their USD/VND totals
                notes = notes + [
                    (
                        gettext_noop(
                            "no exchange rate for {} on or before {}: its equivalents stay empty until the rate is entered"
                        ),
                        (item["currency"], item["rate_day"]),
                    )
                ]
            if found is None:
                creates.append(record)
                report.created += 1
                said.append(Outcome(ident, line, "created", _say(notes)))
            else:
                updates.append((found[0], found[2] + 1, found[3], record))
                report.updated += 1
                said.append(Outcome(ident, line, "updated", _say(notes)))
        if not (creates or updates):
            return
        orgs = []
        for _ident, _line, _digest, _notes, item in creates + [u[3] for u in updates]:
            if item["donor"]:
                orgs.append(item["donor"])
            orgs += item["implementing"]
        self.partners(orgs)
        written: list[tuple[int, int, str, tuple]] = []  # (pk, version, code, record)
        if creates:
            written += self._create(creates)
        if updates:
            self._update(updates)
            written += updates
        self._children(written)

    def _create(self, creates) -> list:
        codes = [r[0][:120] for r in creates]
        taken = set(AidItem.objects.filter(code__in=codes).values_list("code", flat=True))
        rows, chosen = [], []
        for (ident, _line, digest, _notes, item), code in zip(creates, codes, strict=True):
            if code in taken:
                code = "{}~{}".format(code[:100], hashlib.sha1(ident.encode()).hexdigest()[:8])
            taken.add(code)
            chosen.append(code)
            values = dict(self.item_defaults)
            for column in ITEM_COLUMNS:
                values[column] = item[column]
            values.update(
                search_text=fold_join(code, item["title_vi"], item["title_en"], ident, item["managing_agency"]),
                code=code,
                iati_identifier=ident,
                iati_hash=digest,
                unit_id=self.unit.pk,
                donor_id=self.partner_id(item["donor"]) if item["donor"] else None,
                created=self.stamp,
                last_updated=self.stamp,
                version=1,
            )
            rows.append([values[f.attname] for f in self.item_fields])
        _insert_rows(AidItem, [f.name for f in self.item_fields], rows)
        ids = dict(AidItem.objects.filter(code__in=chosen).values_list("code", "pk"))
        return [(ids[code], 1, code, record) for code, record in zip(chosen, creates, strict=True)]

    def _update(self, updates) -> None:
        # What the change log's "before" shows: the same summary the "after" gives, read before
        # the rows are overwritten (one query per batch).
        self.before = {
            pk: {
                "title_vi": title,
                "status": status,
                "committed_amount": str(amount),
                "currency": currency,
                "transaction_count": count,
            }
            for pk, title, status, amount, currency, count in AidItem.objects.filter(pk__in=[u[0] for u in updates])
            .annotate(n=Count("transactions", filter=Q(transactions__from_iati=True)))
            .values_list("pk", "title_vi", "status", "committed_amount", "currency", "n")
        }
        ops = connection.ops
        columns = [*ITEM_COLUMNS, "search_text", "donor_id", "iati_hash", "last_updated", "version"]
        sql = "UPDATE {} SET {} WHERE {} = %s".format(
            ops.quote_name(AidItem._meta.db_table),
            ", ".join("{} = %s".format(ops.quote_name(AidItem._meta.get_field(c).column)) for c in columns),
            ops.quote_name("id"),
        )
        rows = []
        for pk, version, code, (ident, _line, digest, _notes, item) in updates:
            donor = self.partner_id(item["donor"]) if item["donor"] else None
            search = fold_join(code, item["title_vi"], item["title_en"], ident, item["managing_agency"])
            rows.append([*(item[c] for c in ITEM_COLUMNS), search, donor, digest, self.stamp, version, pk])
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        ids = [u[0] for u in updates]
        for model in (AidSector, AidLocation, Budget):
            model.objects.filter(aid_item_id__in=ids)._raw_delete(model.objects.db)
        # the file's transactions are replaced; those entered by hand stay
        Transaction.objects.filter(aid_item_id__in=ids, from_iati=True)._raw_delete(Transaction.objects.db)
        through = AidItem.implementing_partners.through
        through.objects.filter(aiditem_id__in=ids)._raw_delete(through.objects.db)

    def _children(self, written) -> None:
        from apps.core.models import ObjectChange

        stamp = self.stamp
        sectors, locations, budgets, txs, links, changes = [], [], [], [], [], []
        for pk, version, code, (ident, _line, _digest, _notes, item) in written:
            sectors += [(pk, *s) for s in item["sectors"]]
            locations += [(pk, p, None, name, share) for p, name, share in item["locations"]]
            convert = self.convert
            # (start, end, amount, currency, value date) + (usd, vnd)
            budgets += [(pk, *b, *convert(b[2], b[3], b[4])[1:]) for b in item["budgets"]]
            # (kind, date, amount, currency, value date, description) + (rate, usd, vnd)
            txs += [(stamp, stamp, 1, "", True, pk, *t, *convert(t[2], t[3], t[4])) for t in item["transactions"]]
            seen = set()
            for org in item["implementing"]:
                pid = self.partner_id(org)
                if pid and pid not in seen:
                    seen.add(pid)
                    links.append((pk, pid))
            title = item["title_en"] if self.english and item["title_en"] else item["title_vi"]
            changes.append(
                (
                    stamp,
                    self.user_id,
                    self.user_name,
                    self.request_id_db,
                    ObjectChange.Action.CREATE if version == 1 else ObjectChange.Action.UPDATE,
                    self.item_type,
                    pk,
                    "{} — {}".format(code, title)[:200],
                    self.unit.pk,
                    self.post.get_db_prep_save(self.before.get(pk), connection) if version > 1 else None,
                    self.post.get_db_prep_save(
                        {
                            "source": self.source,
                            "iati_identifier": ident,
                            "title_vi": item["title_vi"],
                            "status": item["status"],
                            "committed_amount": item["committed_amount"],
                            "currency": item["currency"],
                            "transaction_count": len(item["transactions"]),
                            "sector_shares": "; ".join("{} {}%".format(s[1], s[3]) for s in item["sectors"]),
                            "location_shares": "; ".join("{} {}%".format(x[1], x[2]) for x in item["locations"]),
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
                "from_iati",
                "aid_item",
                "kind",
                "date",
                "amount",
                "currency",
                "value_date",
                "description",
                "rate_vnd",
                "amount_usd",
                "amount_vnd",
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
                "request_id",
                "action",
                "changed_object_type",
                "changed_object_id",
                "object_repr",
                "unit",
                "prechange_data",
                "postchange_data",
            ],
            changes,
        )


# -- the import ------------------------------------------------------------------------------------


def _file_sha256(path: Path) -> str:
    digest = iati_read.fingerprint_start()
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


def reader_process_min_bytes() -> int:
    """From this size on a file is read in a process of its own (``IATI_READER_PROCESS_MIN_BYTES``;
    starting that process costs a fraction of a second, which a small upload need not pay)."""
    return int(getattr(settings, "IATI_READER_PROCESS_MIN_BYTES", 4 * 2**20))


def _messages(path: Path, size: int, options: dict):
    """The reader's messages (``apps.aid.iati_read``), from this process or from a reading process."""
    if size < reader_process_min_bytes():
        yield from iati_read.read_stream(path, **options)
        return
    # A fresh interpreter running only the reader (not multiprocessing: it would re-run the
    # caller's main module, and fork would copy whatever threads and connections this process holds).
    root = str(Path(iati_read.__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "apps.aid.iati_read"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=root,
            env=env,
        )
    except OSError:  # no interpreter to start (an embedded Python): read here, on one core
        yield from iati_read.read_stream(path, **options)
        return
    try:
        pickle.dump((str(path), options), process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        process.stdin.close()
        while True:
            try:
                message = pickle.load(process.stdout)
            except EOFError:
                # killed (out of memory, an operator): what it sent has been written
                yield ("crash", None, "exit code {}".format(process.wait(5)))
                return
            yield message
            if message[0] != "batch":
                return
    finally:
        process.stdout.close()
        if process.poll() is None:
            process.terminate()
        process.wait()


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
    name = source_name or path.name
    options = {
        "country": country,
        "strict": strict,
        "today": timezone.localdate(),
        "schema_dir": str(SCHEMA_DIR),
    }
    writer = _Writer(unit=unit, user=user, report=report, source=name)
    pairs = _Pairs()
    sha = None
    for message in _messages(path, total, options):
        kind = message[0]
        if kind == "batch":
            with transaction.atomic():
                writer.write(message[2], pairs)
            if progress:
                progress(min(message[1], total), total)
        elif kind == "done":
            sha, report.reader_peak_kb = message[1], message[2]
        elif kind == "broken":
            report.error = _("Line {}: {}").format(message[1] or "?", message[2])
            if strict:
                raise IatiError(report.error)
            # the activities completed before the break have been imported; the broken one never completed
        elif kind == "invalid":
            raise IatiError(_("Line {}: {}").format(message[1] or "?", message[2]))
        elif kind == "not_iati":
            raise IatiError(
                _("Line {}: the file is not an IATI activity file (its root is <{}>, not <iati-activities>).").format(
                    message[1], message[2]
                )
            )
        else:  # "crash": the reading process failed; what it sent has been written, the rest is not
            raise IatiError(
                _("The file could not be read to the end ({}); the activities read before that were imported.").format(
                    message[2]
                )
            )
    if sha is not None and not report.error:
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
    if item.kind == AidItem.Kind.EMERGENCY:
        el.set("humanitarian", "1")  # the import reads emergency relief back from this flag
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
    # the kind of aid as an OECD-DAC aid type (the schema's place for it: after the sectors)
    etree.SubElement(el, "default-aid-type", {"code": AID_TYPE_OUT.get(item.kind, "C01"), "vocabulary": "1"})
    budgets = list(item.budgets.all())
    for b in budgets:
        budget = etree.SubElement(el, "budget")
        etree.SubElement(budget, "period-start", {"iso-date": b.period_start.isoformat()})
        etree.SubElement(budget, "period-end", {"iso-date": b.period_end.isoformat()})
        etree.SubElement(
            budget, "value", {"currency": b.currency, "value-date": b.value_date.isoformat()}
        ).text = _money(b.amount)
    codes = {"commitment": "2", "disbursement": "3", "expenditure": "4"}
    transactions = list(item.transactions.all())
    # The committed value, when no transaction says it, is published as a commitment — unless the
    # budgets already do (an imported item's committed value may be its budgets' sum).
    if item.committed_amount and not budgets and not any(t.kind == "commitment" for t in transactions):
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
