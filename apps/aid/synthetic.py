"""Deterministic synthetic aid for ``generate_synthetic`` and ``bench/``: aid items of synthetic
units (codes ``SYN-VT-…``) with their transactions, in USD at a fixed rate.

Rows go in with plain ``executemany`` of column values and explicit ids (the national scale is
300,000 items and 3,000,000 transactions: model instances would cost minutes of ORM overhead);
nothing passes through ``save()`` or the change log — synthetic data is nobody's edit."""

import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from apps.aid.models import AidItem, AidLocation, AidSector, ExchangeRate, Transaction
from apps.core.text import fold_join

#: aid items and transactions per scale (DESIGN.md: 300,000 items with 3,000,000 transactions nationally)
SIZES = {"small": (300, 3_000), "province": (3_000, 30_000), "national": (300_000, 3_000_000)}
PREFIX = "SYN-VT-"
RATE = Decimal("25000")
FIRST, LAST = date(2020, 1, 1), date(2026, 6, 30)
BATCH = 10_000
KINDS = ["non_project"] * 5 + ["project"] * 3 + ["programme", "emergency"]
STATUSES = ["approved", "implementing", "implementing", "completed", "completed", "completed", "draft", "submitted"]
TITLES = [
    "Thiết bị y tế",
    "Học bổng",
    "Nước sạch",
    "Sinh kế",
    "Nhà tình thương",
    "Cứu trợ lũ lụt",
    "Tập huấn",
    "Trường học",
]
SECTORS = ["12220", "11220", "14030", "43040", "72010", "16010"]


def synthetic_aid():
    return AidItem.objects.filter(code__startswith=PREFIX)


@transaction.atomic
def delete_synthetic_aid() -> int:
    ids = synthetic_aid().values("pk")
    for model in (Transaction, AidSector, AidLocation):
        qs = model.objects.filter(aid_item__in=ids)
        qs._raw_delete(qs.db)
    qs = synthetic_aid()
    count = qs.count()
    qs._raw_delete(qs.db)
    return count


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(table, names, ", ".join(["%s"] * len(columns)))
    stamp = (
        model._meta.get_field("created").get_db_prep_save(timezone.now(), connection)
        if columns[1:2] == ["created"]
        else None
    )

    def adapt(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, datetime):
            return stamp
        if isinstance(value, date):
            return value.isoformat()
        return value

    with connection.cursor() as cursor:
        cursor.executemany(sql, [tuple(adapt(v) for v in row) for row in rows])


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _transaction(tx_id, now, item_id, approved, amount, count, n) -> tuple:
    """The ``n``-th transaction of an item approved on ``approved`` with ``count`` transactions drawn."""
    tx_day = approved + timedelta(days=15 * (n + 1))
    value = (amount / max(count, 1)).quantize(Decimal("0.01"))
    tx_kind = "commitment" if n == 0 else ("disbursement" if n % 4 else "expenditure")
    return (tx_id, now, now, 1, "", item_id, tx_kind, tx_day, value, "USD", tx_day, RATE, value, value * RATE, "")


def generate_aid(*, unit_ids: list[int], items: int, transactions: int, seed: int = 2025, report=print) -> dict:
    """``items`` aid items kept by ``unit_ids`` with at least ``transactions`` transactions in all
    (a little more at most). The same seed and inputs give the same rows."""
    if not unit_ids or not items:
        return {"items": 0, "transactions": 0}
    rng = random.Random(seed)
    unit_ids = sorted(unit_ids)
    provinces = list(range(1, 97))
    now = timezone.now()
    span = (LAST - FIRST).days
    # Only approved items carry transactions; the mean per approved item is recomputed from what
    # is still to be made, so the total lands on ``transactions`` (the last batch tops it up).
    approved_share = sum(1 for s in STATUSES if s not in ("draft", "submitted")) / len(STATUSES)
    item_id, tx_id = _next_id(AidItem), _next_id(Transaction)
    item_cols = [
        "id",
        "created",
        "last_updated",
        "version",
        "search_text",
        "code",
        "kind",
        "form",
        "title_vi",
        "title_en",
        "description",
        "unit",
        "managing_agency",
        "status",
        "planned_start",
        "iati_identifier",
        "iati_hash",
        "committed_amount",
        "currency",
        "rate_vnd",
        "committed_usd",
        "committed_vnd",
        "counterpart_amount",
        "counterpart_currency",
        "approving_authority",
        "approved_on",
        "closing_reason",
    ]
    tx_cols = [
        "id",
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
    ]
    made_items = made_tx = 0
    last_approved = None
    started = time.perf_counter()
    with transaction.atomic():
        if not ExchangeRate.objects.filter(currency="USD", date=FIRST).exists():
            # bulk_create: no signal, so no change-log row (synthetic data is nobody's edit)
            ExchangeRate.objects.bulk_create(
                [
                    ExchangeRate(
                        currency="USD", date=FIRST, rate_vnd=RATE, source="synthetic", search_text="usd | synthetic"
                    )
                ]
            )
        for first in range(0, items, BATCH):
            item_rows, tx_rows, sector_rows, location_rows = [], [], [], []
            for index in range(first, min(first + BATCH, items)):
                kind = rng.choice(KINDS)
                status = rng.choice(STATUSES)
                day = FIRST + timedelta(days=rng.randint(0, span))
                amount = Decimal(rng.randint(2_000, 800_000))
                code = "{}{}".format(PREFIX, index)
                title = "{} số {}".format(rng.choice(TITLES), index)
                approved = day if status not in ("draft", "submitted") else None
                item_rows.append(
                    (
                        item_id,
                        now,
                        now,
                        1,
                        fold_join(code, title),
                        code,
                        kind,
                        "",
                        title,
                        "",
                        "",
                        rng.choice(unit_ids),
                        "",
                        status,
                        day,
                        "",
                        "",
                        amount,
                        "USD",
                        RATE,
                        amount,
                        amount * RATE,
                        Decimal(0),
                        "VND",
                        "",
                        approved,
                        "",
                    )
                )
                sector_rows.append((item_id, "1", rng.choice(SECTORS), "", Decimal(100)))
                location_rows.append((item_id, rng.choice(provinces), None, "", Decimal(100)))
                count = 0
                if approved:
                    still = max(transactions - made_tx - len(tx_rows), 0)
                    count = rng.randint(0, round(2 * still / max((items - index) * approved_share, 1)))
                    last_approved = (item_id, approved, amount, count)
                for n in range(count):
                    tx_rows.append(_transaction(tx_id, now, item_id, approved, amount, count, n))
                    tx_id += 1
                item_id += 1
            if first + BATCH >= items and last_approved and made_tx + len(tx_rows) < transactions:
                # the last draws fell short: the last approved item takes the rest
                owner, approved, amount, count = last_approved
                for n in range(count, count + transactions - made_tx - len(tx_rows)):
                    tx_rows.append(_transaction(tx_id, now, owner, approved, amount, count, n))
                    tx_id += 1
            _insert(AidItem, item_cols, item_rows)
            _insert(AidSector, ["aid_item", "vocabulary", "code", "name", "percentage"], sector_rows)
            _insert(AidLocation, ["aid_item", "province_code", "ward_code", "name", "percentage"], location_rows)
            _insert(Transaction, tx_cols, tx_rows)
            made_items += len(item_rows)
            made_tx += len(tx_rows)
            report(
                "aid: {}/{} items ({} transactions) in {:.1f} s".format(
                    made_items, items, made_tx, time.perf_counter() - started
                )
            )
    return {"items": made_items, "transactions": made_tx}


# -- the generate_synthetic extension interface (apps/accounts/management/commands/generate_synthetic.py)


def generate_synthetic(*, scale: str, seed: int, report=print) -> dict[str, int]:
    """Aid items and transactions of ``scale`` for the synthetic units (and their donors: none —
    synthetic aid has no donor, so the partners' synthetic data stays independent)."""
    from apps.accounts.models import Unit

    items, transactions = SIZES[scale]
    unit_ids = list(Unit.objects.filter(code__startswith="SYN-", valid_to__isnull=True).values_list("pk", flat=True))
    counts = generate_aid(unit_ids=unit_ids, items=items, transactions=transactions, seed=seed, report=report)
    return {"aid items": counts["items"], "aid transactions": counts["transactions"]}


def is_complete(scale: str) -> bool:
    items, transactions = SIZES[scale]
    if synthetic_aid().count() != items:
        return False
    # a database generated before the transactions were retuned to the full size is regenerated
    return Transaction.objects.filter(aid_item__code__startswith=PREFIX).count() >= transactions


def delete_synthetic() -> int:
    return delete_synthetic_aid()
