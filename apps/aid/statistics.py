"""Statistics of aid by aggregate queries: for any period, unit, donor, country, sector or
locality, the count and the committed and disbursed values in USD and VND by kind — a table, the
data of a chart, and the summary sentence in the seed's style:

    "70 khoản viện trợ phi dự án với trị giá cam kết gần 26 triệu USD, tương đương 594,5 tỷ đồng
    và 15 khoản viện trợ dưới hình thức dự án với gần 12 triệu USD, tương đương 275,7 tỷ đồng"

An item counts in a period when it was approved in it (the seed counts what the People's
Committee approved); a disbursement counts when it is dated in the period, whenever its item was
approved (a project approved in December disburses the next year: that money is the next year's).
Two queries, whatever the size of the table: one GROUP BY kind over the items, one over the
disbursements of the approved items the other filters select.

An amount counts in the USD and VND totals only when both its equivalents are known: one without
an exchange rate for its date (a USD amount before the first VND rate still has its "USD
equivalent", the amount itself) is in neither total but in the warning beside them, so the
sentence never says "1 triệu USD, tương đương 0 đồng".
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.aid.models import APPROVED_STATUSES, AidItem, AidLocation, AidSector, Transaction
from apps.aid.money import amount_words

ZERO = Decimal(0)
#: the order kinds are told in, as the seed does (non-project aid first)
KIND_ORDER = [AidItem.Kind.NON_PROJECT, AidItem.Kind.PROJECT, AidItem.Kind.PROGRAMME, AidItem.Kind.EMERGENCY]


@dataclass
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    unit: object = None  # a Unit: the unit and everything under it
    donor_id: int | None = None
    country_id: int | None = None
    sector: str = ""  # a sector code
    province_code: int | None = None
    kind: str = ""


@dataclass
class Row:
    kind: str
    label: str
    count: int = 0
    committed_usd: Decimal = ZERO
    committed_vnd: Decimal = ZERO
    disbursed_usd: Decimal = ZERO
    disbursed_vnd: Decimal = ZERO


@dataclass
class Statistics:
    rows: list[Row]
    total: Row
    filters: Filters
    sentence: str = ""
    extras: dict = field(default_factory=dict)


def _filtered(queryset, filters: Filters, prefix: str = "", by_approval: bool = True):
    """``filters`` applied to aid items, or to rows reaching them through ``prefix`` ("aid_item__").
    ``by_approval=False`` leaves the period out: the rows (disbursements) are dated by themselves."""
    from apps.accounts.models import Unit

    def q(**kwargs):
        return {prefix + key: value for key, value in kwargs.items()}

    item = OuterRef(prefix + "pk") if prefix else OuterRef("pk")
    queryset = queryset.filter(**q(status__in=APPROVED_STATUSES)).order_by()
    if by_approval and filters.date_from:
        queryset = queryset.filter(**q(approved_on__gte=filters.date_from))
    if by_approval and filters.date_to:
        queryset = queryset.filter(**q(approved_on__lte=filters.date_to))
    if filters.unit is not None:
        # The subtree's unit ids as a subquery: SQLite then walks the (unit, approved_on) index
        # unit by unit instead of every item of the period (150 ms → 6 ms for a province-year
        # among 300,000 items).
        queryset = queryset.filter(
            **q(unit_id__in=Unit.objects.filter(path__startswith=filters.unit.path).values("pk"))
        )
    if filters.donor_id:
        queryset = queryset.filter(**q(donor_id=filters.donor_id))
    if filters.country_id:
        queryset = queryset.filter(**q(donor__country_id=filters.country_id))
    if filters.kind:
        queryset = queryset.filter(**q(kind=filters.kind))
    if filters.sector:
        queryset = queryset.filter(Exists(AidSector.objects.filter(aid_item=item, code=filters.sector)))
    if filters.province_code:
        queryset = queryset.filter(
            Exists(AidLocation.objects.filter(aid_item=item, province_code=filters.province_code))
        )
    return queryset


def _scope_units(user, filters: Filters):
    """The ids of the units whose items ``user`` sees, as a subquery — or None (a superuser, or
    a unit chosen in the filters, which drives the query already).

    ``for_user`` scopes by a prefix match on the unit's path through a join, which SQLite cannot
    walk an index by: the disbursements of a period (their items approved in any year) would be
    found by reading all 3,000,000 transactions, and the items of the period by reading every item
    approved in it nationally. The same scope as ``for_user`` (``units_q``), in the form of the
    unit filter: it narrows nothing, it only lets the planner start from the viewer's units."""
    from apps.accounts.models import Unit
    from apps.accounts.scoping import get_scope, units_q
    from apps.core.querysets import VIEW

    scope = get_scope(user)
    if filters.unit is not None or scope.is_superuser or not scope.is_authenticated:
        return None
    return Unit.objects.filter(units_q(scope, VIEW, "")).values("pk")


def counted_items(user, filters: Filters):
    """The approved items ``user`` may see that match ``filters`` (no ordering: aggregates only)."""
    items = _filtered(AidItem.objects.for_user(user), filters)
    units = _scope_units(user, filters)
    return items if units is None else items.filter(unit_id__in=units)


#: an amount with both equivalents: only these are in the USD and VND totals
ITEM_RATED = Q(committed_usd__isnull=False, committed_vnd__isnull=False)
ITEM_UNRATED = (Q(committed_usd__isnull=True) | Q(committed_vnd__isnull=True)) & ~Q(committed_amount=0)
PAYMENT_RATED = Q(amount_usd__isnull=False, amount_vnd__isnull=False)
PAYMENT_UNRATED = (Q(amount_usd__isnull=True) | Q(amount_vnd__isnull=True)) & ~Q(amount=0)


def compute(user, filters: Filters) -> Statistics:
    items = counted_items(user, filters)
    by_kind = {
        r["kind"]: r
        for r in items.values("kind").annotate(
            n=Count("pk"),
            usd=Sum("committed_usd", filter=ITEM_RATED),
            vnd=Sum("committed_vnd", filter=ITEM_RATED),
            # counted in the same pass: an amount with no exchange rate for its date is in no total
            unrated=Count("pk", filter=ITEM_UNRATED),
        )
    }
    # Joined, not "aid_item IN (…)": the planner then drives the aggregate from the unit's items
    # and the (item, kind, date) index of the transactions. The period applies to the
    # disbursement's own date, not to its item's approval.
    spent = _filtered(
        Transaction.objects.for_user(user).filter(kind=Transaction.Kind.DISBURSEMENT),
        filters,
        "aid_item__",
        by_approval=False,
    )
    units = _scope_units(user, filters)
    if units is not None:
        spent = spent.filter(aid_item__unit_id__in=units)
    if filters.date_from:
        spent = spent.filter(date__gte=filters.date_from)
    if filters.date_to:
        spent = spent.filter(date__lte=filters.date_to)
    disbursed = {
        r["aid_item__kind"]: r
        for r in spent.values("aid_item__kind").annotate(
            usd=Sum("amount_usd", filter=PAYMENT_RATED),
            vnd=Sum("amount_vnd", filter=PAYMENT_RATED),
            unrated=Count("pk", filter=PAYMENT_UNRATED),
        )
    }
    labels = dict(AidItem.Kind.choices)
    rows = []
    total = Row(kind="", label=_("Total"))
    for kind in KIND_ORDER:
        a, d = by_kind.get(kind, {}), disbursed.get(kind, {})
        row = Row(
            kind=kind,
            label=str(labels[kind]),
            count=a.get("n") or 0,
            committed_usd=a.get("usd") or ZERO,
            committed_vnd=a.get("vnd") or ZERO,
            disbursed_usd=d.get("usd") or ZERO,
            disbursed_vnd=d.get("vnd") or ZERO,
        )
        rows.append(row)
        for name in ("count", "committed_usd", "committed_vnd", "disbursed_usd", "disbursed_vnd"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    stats = Statistics(rows=rows, total=total, filters=filters)
    stats.sentence = sentence(rows)
    unrated_items = sum(r.get("unrated") or 0 for r in by_kind.values())
    unrated_payments = sum(r.get("unrated") or 0 for r in disbursed.values())
    if unrated_items or unrated_payments:
        # Said beside the figures, with the records behind it: the totals leave these amounts out
        # until the rate of their date is entered (entering it recomputes them). A disbursement's
        # item may have been approved before the period, so the items are looked for without it.
        stats.extras["unrated"] = {
            "items": unrated_items,
            "payments": unrated_payments,
            "examples": list(
                _filtered(AidItem.objects.for_user(user), filters, by_approval=False)
                .filter(
                    Q(pk__in=items.filter(ITEM_UNRATED).values("pk"))
                    | Q(pk__in=spent.filter(PAYMENT_UNRATED).values("aid_item_id"))
                )
                .order_by("code")
                .values_list("pk", "code")[:10]
            ),
        }
    return stats


def kind_phrase(kind: str, count: int) -> str:
    if kind == AidItem.Kind.NON_PROJECT:
        return ngettext("non-project aid item", "non-project aid items", count)
    if kind == AidItem.Kind.PROJECT:
        return ngettext("aid item in the form of a project", "aid items in the form of projects", count)
    if kind == AidItem.Kind.PROGRAMME:
        return ngettext("aid item in the form of a programme", "aid items in the form of programmes", count)
    return ngettext("emergency relief item", "emergency relief items", count)


def sentence(rows: list[Row]) -> str:
    """The seed's sentence for the kinds with items, the first with "a committed value of"."""
    parts = []
    for row in rows:
        if not row.count:
            continue
        values = {
            "count": row.count,
            "kind": kind_phrase(row.kind, row.count),
            "usd": amount_words(row.committed_usd, "USD"),
            "vnd": amount_words(row.committed_vnd, "VND"),
        }
        if not parts:
            parts.append(_("{count} {kind} with a committed value of {usd}, equivalent to {vnd}").format(**values))
        else:
            parts.append(_("{count} {kind} with {usd}, equivalent to {vnd}").format(**values))
    if not parts:
        return _("No aid item was approved in this period.")
    if len(parts) == 1:
        return parts[0]
    return _("{first} and {last}").format(first=", ".join(parts[:-1]), last=parts[-1])


def chart_data(stats: Statistics) -> dict:
    """What the ECharts bar chart draws: committed and disbursed USD by kind."""
    return {
        "labels": [r.label for r in stats.rows],
        "series": [
            {"name": _("Committed (USD)"), "values": [float(r.committed_usd) for r in stats.rows]},
            {"name": _("Disbursed (USD)"), "values": [float(r.disbursed_usd) for r in stats.rows]},
        ],
    }
