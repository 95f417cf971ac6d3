"""Workflow on aid: enter and change aid items with their sectors and locations, record
transactions, keep the exchange-rate table, and move an item through the approval steps.

Every function is keyword-only, checks the caller's right through ``for_user``, calls
``full_clean()`` before writing, and runs in a transaction; the change log records what they do.
The approval steps are rows of ``WorkflowStep`` (what a decree says), not branches here."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Unit, User
from apps.accounts.scoping import get_scope
from apps.aid import reference
from apps.aid.models import (
    APPROVED_STATUSES,
    AidItem,
    AidLocation,
    AidSector,
    AidStatus,
    ApprovalEvent,
    Budget,
    ExchangeRate,
    Transaction,
    WorkflowStep,
)
from apps.aid.money import RateBook, decimal_shape, format_decimal, format_share
from apps.core.changelog import snapshot
from apps.core.querysets import CHANGE

HUNDRED = Decimal(100)

# -- permissions -------------------------------------------------------------------------------


def _check_unit(by: User | None, unit: Unit) -> None:
    if by is not None and not Unit.objects.for_user(by, CHANGE).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not keep aid items for “{}”.").format(unit))


def _check_item(by: User | None, item: AidItem) -> None:
    if by is not None and not AidItem.objects.for_user(by, CHANGE).filter(pk=item.pk).exists():
        raise PermissionDenied(_("You may not change the aid item “{}”.").format(item.code))


def _is_coordinator_over(by: User | None, unit: Unit) -> bool:
    if by is None:
        return True
    scope = get_scope(by)
    if scope.is_superuser:
        return True
    return any(unit.path.startswith(path) for path in scope.subtree_paths(CHANGE))


def _check_reference(by: User | None) -> None:
    if by is not None and not (get_scope(by).is_superuser or get_scope(by).subtree_paths(CHANGE)):
        raise PermissionDenied(_("Only a coordinator or an administrator may change exchange rates."))


# -- money -------------------------------------------------------------------------------------


def rate_day(item: AidItem) -> date | None:
    """The day the committed value is converted on: the one given, else approval, else start."""
    return (
        item.rate_date
        or item.approved_on
        or item.planned_start
        or item.actual_start
        or (item.created.date() if item.created else timezone.localdate())
    )


#: the equivalents' columns hold 20 digits before the decimal point
EQUIVALENT_LIMIT = Decimal(10) ** 20


def _equivalent(book, amount, currency, day, field: str):
    """The equivalents of an amount; a ValidationError on ``field`` when they cannot be held (an
    amount times a rate beyond the columns, or beyond Decimal's precision) — stored, such a row
    could not even be read back."""
    try:
        eq = (book or RateBook()).convert(amount, currency, day)
    except InvalidOperation:
        eq = None
    if eq is None or any(v is not None and abs(v) >= EQUIVALENT_LIMIT for v in (eq.usd, eq.vnd)):
        raise ValidationError({field: _("The amount is too large: its VND equivalent would have more than 20 digits.")})
    return eq


def compute_item(item: AidItem, book: RateBook | None = None) -> None:
    eq = _equivalent(book, item.committed_amount, item.currency, rate_day(item), "committed_amount")
    item.rate_vnd, item.committed_usd, item.committed_vnd = eq.rate_vnd, eq.usd, eq.vnd


def compute_transaction(tx: Transaction, book: RateBook | None = None) -> None:
    eq = _equivalent(book, tx.amount, tx.currency, tx.value_date or tx.date, "amount")
    tx.rate_vnd, tx.amount_usd, tx.amount_vnd = eq.rate_vnd, eq.usd, eq.vnd


@transaction.atomic
def rate_save(*, rate: ExchangeRate, by: User | None) -> ExchangeRate:
    """Save a rate, then recompute the equivalents it affects (amounts in that currency — or any
    amount, for USD — dated from this rate's day on). A corrected rate also affects what its old
    day and currency covered: amounts that used it fall back to another rate."""
    _check_reference(by)
    rate.currency = (rate.currency or "").strip().upper()
    rate.full_clean()
    before = None
    if rate.pk is not None:
        before = ExchangeRate.objects.filter(pk=rate.pk).values_list("currency", "date").first()
    rate.save()
    affected = {rate.currency: rate.date}
    if before is not None and before[1] is not None:
        old_currency, old_day = before
        affected[old_currency] = min(old_day, affected.get(old_currency, old_day))
    if "USD" in affected:
        # USD recomputes every currency (USD equivalents go through it): once, from the earliest day
        affected = {"USD": min(affected.values())}
    for currency, since in affected.items():
        recompute_from(currency=currency, since=since)
    return rate


@transaction.atomic
def rate_delete(*, rate: ExchangeRate, by: User | None) -> None:
    _check_reference(by)
    currency, since = rate.currency, rate.date
    rate.delete()
    recompute_from(currency=currency, since=since)


def recompute_from(*, currency: str, since: date) -> int:
    """Recompute stored equivalents touched by a change of ``currency``'s rates from ``since`` on.
    Bulk updates (no change-log rows: a rate change is logged once, on the rate)."""
    book = RateBook()
    changed = 0
    # A transaction is converted on its value date when it has one, else on its date: a rate
    # entered between the two changes it (dated in March, valued in April, rate of mid-March).
    on_or_after = Q(value_date__gte=since) | Q(value_date__isnull=True, date__gte=since)
    txs = (
        Transaction.objects.filter(on_or_after)
        if currency == "USD"
        else Transaction.objects.filter(on_or_after, currency=currency)
    )
    batch = []
    for tx in txs.iterator(chunk_size=2000):
        try:
            compute_transaction(tx, book)
        except ValidationError:  # the new rate makes it too large to convert: no equivalent
            tx.rate_vnd = tx.amount_usd = tx.amount_vnd = None
        batch.append(tx)
        if len(batch) >= 2000:
            Transaction.objects.bulk_update(batch, ["rate_vnd", "amount_usd", "amount_vnd"])
            changed += len(batch)
            batch = []
    if batch:
        Transaction.objects.bulk_update(batch, ["rate_vnd", "amount_usd", "amount_vnd"])
        changed += len(batch)
    items = AidItem.objects.all() if currency == "USD" else AidItem.objects.filter(currency=currency)
    batch = []
    for item in items.iterator(chunk_size=2000):
        day = rate_day(item)
        if day is not None and day < since:
            continue
        try:
            compute_item(item, book)
        except ValidationError:
            item.rate_vnd = item.committed_usd = item.committed_vnd = None
        batch.append(item)
        if len(batch) >= 2000:
            AidItem.objects.bulk_update(batch, ["rate_vnd", "committed_usd", "committed_vnd"])
            changed += len(batch)
            batch = []
    if batch:
        AidItem.objects.bulk_update(batch, ["rate_vnd", "committed_usd", "committed_vnd"])
        changed += len(batch)
    # budgets (read from IATI files) carry equivalents too, taken on their value date
    budgets = Budget.objects.filter(value_date__gte=since)
    if currency != "USD":
        budgets = budgets.filter(currency=currency)
    batch = []
    for budget in budgets.iterator(chunk_size=2000):
        try:
            eq = _equivalent(book, budget.amount, budget.currency, budget.value_date, "amount")
            budget.amount_usd, budget.amount_vnd = eq.usd, eq.vnd
        except ValidationError:
            budget.amount_usd = budget.amount_vnd = None
        batch.append(budget)
    Budget.objects.bulk_update(batch, ["amount_usd", "amount_vnd"], batch_size=2000)
    return changed + len(batch)


def _parse_day(text) -> date | None:
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    text = str(text or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _parse_decimal(text) -> Decimal | None:
    from apps.core.sheets import parse_number

    return parse_number(text)  # 24.250 (Vietnamese) and 24,250.00 (English) alike: 24250


#: what the rate column holds (ExchangeRate.rate_vnd: 20 digits, 6 of them after the point)
RATE_PLACES = ExchangeRate._meta.get_field("rate_vnd").decimal_places
RATE_WHOLE_DIGITS = ExchangeRate._meta.get_field("rate_vnd").max_digits - RATE_PLACES


def read_rate_rows(name: str, data: bytes) -> list[list]:
    """Rows of a rates file (.csv in UTF-8, or .xlsx): currency, date, rate, source."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(_("“{}” is not a readable Excel workbook.").format(name)) from exc
        # the first visible sheet (the active one may be a notes sheet the file was saved on)
        sheet = next((s for s in book.worksheets if getattr(s, "sheet_state", "visible") == "visible"), None)
        if sheet is None:
            raise ValidationError(_("“{}” has no visible sheet.").format(name))
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("“{}” is not UTF-8 text.").format(name)) from exc
    try:
        dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;\t") if text.strip() else csv.excel
    except csv.Error:
        # one column, or no separator the sniffer can tell: read it as the usual comma file, and
        # let the rows' checks say what is missing
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


@transaction.atomic
def rates_import(*, rows: list[list], by: User | None, source: str = "") -> dict:
    """Import rates from a table (first row headers: currency, date, rate[, source]). The whole
    table is checked first; only a clean table is written (updating the rate of an existing day)."""
    _check_reference(by)
    errors, parsed = [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = [c for c in (row or [])] + [None] * 4
        if not any(c not in (None, "") for c in cells[:4]):
            continue
        currency = str(cells[0] or "").strip().upper()
        day = _parse_day(cells[1])
        rate = _parse_decimal(cells[2])
        row_source = str(cells[3] or "").strip() or source
        if len(currency) != 3 or not currency.isalpha():
            errors.append(_("Row {}, column A: “{}” is not a currency code (e.g. USD).").format(number, cells[0]))
        if day is None:
            errors.append(_("Row {}, column B: “{}” is not a date (dd/mm/yyyy).").format(number, cells[1]))
        if rate is None or rate <= 0:
            errors.append(_("Row {}, column C: “{}” is not a positive rate.").format(number, cells[2]))
        else:
            # What the column cannot hold is said here, with its row — not by the model's check
            # in the write loop, which knows no row.
            whole, places = decimal_shape(rate)
            if places > RATE_PLACES:
                errors.append(
                    _("Row {}, column C: “{}” has {} decimal places; a rate has at most {}.").format(
                        number, cells[2], places, RATE_PLACES
                    )
                )
            elif whole > RATE_WHOLE_DIGITS:
                errors.append(
                    _(
                        "Row {}, column C: “{}” is too large for a rate (at most {} digits before the decimal point)."
                    ).format(number, cells[2], RATE_WHOLE_DIGITS)
                )
            else:
                rate = rate.quantize(Decimal(1).scaleb(-RATE_PLACES))
        if not row_source:
            errors.append(_("Row {}, column D: say where the rate comes from.").format(number))
        elif len(row_source) > 200:
            errors.append(
                _("Row {}, column D: the source is {} characters long; write at most 200.").format(
                    number, len(row_source)
                )
            )
        parsed.append((currency, day, rate, row_source))
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("The file has no rate under its header row: nothing to import."))
    created = updated = 0
    earliest: dict[str, date] = {}
    for currency, day, rate, row_source in parsed:
        existing = ExchangeRate.objects.filter(currency=currency, date=day).first()
        if existing is None:
            existing = ExchangeRate(currency=currency, date=day)
            created += 1
        elif existing.rate_vnd == rate and existing.source == row_source:
            continue
        else:
            updated += 1
        existing.rate_vnd, existing.source = rate, row_source
        existing.full_clean()
        existing.save()
        earliest[currency] = min(day, earliest.get(currency, day))
    for currency, since in earliest.items():
        recompute_from(currency=currency, since=since)
    return {"created": created, "updated": updated}


# -- aid items ---------------------------------------------------------------------------------


def _clean_shares(rows, what: str) -> None:
    """The shares add up to 100 — as stored: each has at most two decimals (``_check_share``), so
    what passes here still adds up to 100 once saved."""
    if not rows:
        return
    total = sum((Decimal(r["percentage"]) for r in rows), Decimal(0))
    if total != HUNDRED:
        raise ValidationError(
            {
                what: _("The percentages of the {} add up to {}; they must add up to 100.").format(
                    _("sectors") if what == "sectors" else _("locations"), format_share(total)
                )
            }
        )


def _too_precise(percentage: Decimal) -> bool:
    """More than two decimals: 33.335 would be stored as 33.34 (the column's two places), and
    three shares that add up to 100 here would not once saved."""
    return decimal_shape(percentage)[1] > 2


def check_sectors(rows: list[dict]) -> list[dict]:
    out = []
    seen = set()
    for row in rows:
        vocabulary = str(row.get("vocabulary") or "1").strip()
        code = str(row.get("code") or "").strip()
        percentage = _parse_decimal(row.get("percentage"))
        vocabularies = dict(AidSector.VOCABULARIES)
        if vocabulary not in vocabularies:
            # stored, it would be a sector no list names and no page or export can read
            raise ValidationError(
                {
                    "sectors": _("Sector {code}: “{vocabulary}” is not a sector vocabulary; use {known}.").format(
                        code=code or "?",
                        vocabulary=vocabulary,
                        known=", ".join("{} ({})".format(k, v) for k, v in vocabularies.items()),
                    )
                }
            )
        if vocabulary == "1" and not (len(code) == 5 and code.isdecimal()):
            raise ValidationError({"sectors": _("“{}” is not an OECD-DAC purpose code (five digits).").format(code)})
        if vocabulary == "2" and not (len(code) == 3 and code.isdecimal()):
            raise ValidationError(
                {"sectors": _("“{}” is not an OECD-DAC sector category (three digits).").format(code)}
            )
        if not code:
            raise ValidationError({"sectors": _("A sector needs a code.")})
        if percentage is None or percentage <= 0 or percentage > HUNDRED:
            raise ValidationError({"sectors": _("The share of sector {} must be between 0 and 100.").format(code)})
        if _too_precise(percentage):
            raise ValidationError(
                {
                    "sectors": _("The share of sector {code} is {share}: write it with at most two decimals.").format(
                        code=code, share=format_share(percentage)
                    )
                }
            )
        if (vocabulary, code) in seen:
            raise ValidationError({"sectors": _("Sector {} is listed twice.").format(code)})
        seen.add((vocabulary, code))
        out.append(
            {
                "vocabulary": vocabulary,
                "code": code,
                "percentage": percentage,
                "name": (row.get("name") or reference.sector_name(vocabulary, code))[:200],
            }
        )
    _clean_shares(out, "sectors")
    return out


def check_locations(rows: list[dict]) -> list[dict]:
    out = []
    for row in rows:
        try:
            province = int(row.get("province_code"))
        except (TypeError, ValueError):
            province = reference.find_province(str(row.get("province_code") or row.get("name") or ""))
        names = reference.provinces()
        if province not in names:
            raise ValidationError(
                {
                    "locations": _("“{}” is not a province of Vietnam after 1 July 2025.").format(
                        row.get("province_code") or row.get("name")
                    )
                }
            )
        ward = row.get("ward_code")
        name = names[province]
        if ward not in (None, ""):
            try:
                ward = int(ward)
            except (TypeError, ValueError):
                ward = -1
            wards = reference.wards(province)
            if ward not in wards:
                raise ValidationError(
                    {"locations": _("Ward or commune {} is not in {}.").format(row.get("ward_code"), name)}
                )
            name = "{}, {}".format(wards[ward], name)
        else:
            ward = None
        percentage = _parse_decimal(row.get("percentage"))
        if percentage is None or percentage <= 0 or percentage > HUNDRED:
            raise ValidationError({"locations": _("The share of {} must be between 0 and 100.").format(name)})
        if _too_precise(percentage):
            raise ValidationError(
                {
                    "locations": _("The share of {place} is {share}: write it with at most two decimals.").format(
                        place=name, share=format_share(percentage)
                    )
                }
            )
        out.append({"province_code": province, "ward_code": ward, "name": name[:300], "percentage": percentage})
    _clean_shares(out, "locations")
    return out


def _set_children(item: AidItem, sectors, locations) -> None:
    if sectors is not None:
        item.sectors.all().delete()
        AidSector.objects.bulk_create([AidSector(aid_item=item, **row) for row in sectors])
    if locations is not None:
        item.locations.all().delete()
        AidLocation.objects.bulk_create([AidLocation(aid_item=item, **row) for row in locations])


@transaction.atomic
def aiditem_create(
    *, by: User | None, unit: Unit, sectors=None, locations=None, implementing_partners=(), **fields
) -> AidItem:
    """Enter an aid item (as a draft). Sectors and locations are lists of dicts whose shares add
    up to 100; the VND and USD equivalents come from the rate table."""
    _check_unit(by, unit)
    sectors = check_sectors(sectors) if sectors is not None else None
    locations = check_locations(locations) if locations is not None else None
    item = AidItem(unit=unit, **fields)
    item.currency = (item.currency or "").upper()
    compute_item(item)
    item.full_clean()
    item.save()
    if sectors or locations:
        item._prechange_snapshot = snapshot(item)
        _set_children(item, sectors, locations)
        item.save()
    if implementing_partners:
        item.implementing_partners.set(implementing_partners)
    return item


@transaction.atomic
def aiditem_update(
    *, item: AidItem, by: User | None, sectors=None, locations=None, implementing_partners=None
) -> AidItem:
    """Save the changed fields of ``item`` (and its sectors and locations when given)."""
    _check_item(by, item)
    _check_unit(by, item.unit)
    sectors = check_sectors(sectors) if sectors is not None else None
    locations = check_locations(locations) if locations is not None else None
    item.currency = (item.currency or "").upper()
    compute_item(item)
    item.full_clean()
    current = AidItem._base_manager.filter(pk=item.pk).first()
    if current is not None:
        item._prechange_snapshot = snapshot(current)
    _set_children(item, sectors, locations)
    item.save()
    if implementing_partners is not None:
        item.implementing_partners.set(implementing_partners)
    return item


@transaction.atomic
def aiditem_delete(*, item: AidItem, by: User | None) -> None:
    """Only an item never approved may be deleted; an approved one is counted by reports —
    revoke it instead."""
    _check_item(by, item)
    if _was_approved(item):
        raise ValidationError(
            _("“{}” has been approved and is counted in reports; revoke it instead of deleting it.").format(item.code)
        )
    item.delete()


# -- transactions --------------------------------------------------------------------------------

MONEY_OUT = (Transaction.Kind.DISBURSEMENT, Transaction.Kind.EXPENDITURE)


def _check_transaction_rules(tx: Transaction) -> None:
    item = tx.aid_item
    if tx.kind in MONEY_OUT and item.status not in APPROVED_STATUSES:
        raise ValidationError(
            {
                "kind": _("No disbursement or expenditure before the aid item is approved (it is “{}”).").format(
                    item.get_status_display()
                )
            }
        )
    if tx.kind in MONEY_OUT and item.approved_on and tx.date and tx.date < item.approved_on:
        raise ValidationError(
            {
                "date": _("A disbursement cannot be dated before the approval ({}).").format(
                    item.approved_on.strftime("%d/%m/%Y")
                )
            }
        )


@transaction.atomic
def transaction_add(
    *,
    item: AidItem,
    by: User | None,
    kind: str,
    date,
    amount,
    currency: str = "USD",
    value_date=None,
    description: str = "",
) -> Transaction:
    _check_item(by, item)
    tx = Transaction(
        aid_item=item,
        kind=kind,
        date=date,
        amount=amount,
        currency=(currency or "").upper(),
        value_date=value_date,
        description=description,
    )
    return transaction_save(tx=tx, by=by)


@transaction.atomic
def transaction_save(*, tx: Transaction, by: User | None) -> Transaction:
    _check_item(by, tx.aid_item)
    tx.currency = (tx.currency or "").upper()
    tx.full_clean()
    _check_transaction_rules(tx)
    compute_transaction(tx)
    tx.save()
    return tx


def _was_approved(item: AidItem) -> bool:
    # revoked items were approved first (the revoke step starts from approved or implementing)
    return item.status in APPROVED_STATUSES or item.status == AidStatus.REVOKED


@transaction.atomic
def transaction_delete(*, tx: Transaction, by: User | None) -> None:
    """Only the transactions of an item not yet approved may be deleted (a draft's commitments):
    once approved, the item's money is in the statistics and the reports sent from them, and a
    deleted row would change last year's figures without a trace in them. A mistake is corrected
    by a negative transaction of the same kind."""
    _check_item(by, tx.aid_item)
    item = AidItem.objects.get(pk=tx.aid_item_id)  # its status now, not as the caller loaded it
    if _was_approved(item):
        raise ValidationError(
            _(
                "“{tx}” belongs to “{item}”, which has been approved: its money is counted in the statistics and "
                "cannot be deleted. Enter a correction instead: a {kind} of {amount} {currency}."
            ).format(
                tx=tx,
                item=item.code,
                kind=tx.get_kind_display().lower(),
                amount=format_decimal(-tx.amount, 2) if tx.amount is not None else "",
                currency=tx.currency,
            )
        )
    tx.delete()


# -- the approval workflow -----------------------------------------------------------------------


def available_steps(item: AidItem, by: User | None = None) -> list[WorkflowStep]:
    """The steps that may be taken on ``item`` now (by ``by``, when given)."""
    steps = [s for s in WorkflowStep.objects.filter(is_active=True) if item.status in (s.from_statuses or [])]
    if by is not None:
        may_change = AidItem.objects.for_user(by, CHANGE).filter(pk=item.pk).exists()
        steps = [s for s in steps if may_change and (not s.coordinators_only or _is_coordinator_over(by, item.unit))]
    return steps


@transaction.atomic
def aid_step(
    *,
    item: AidItem,
    action: str,
    by: User | None,
    on: date | None = None,
    document=None,
    reason: str = "",
    agency: str = "",
    opinion: str = "",
    favourable: bool | None = None,
    approving_authority: str = "",
) -> ApprovalEvent:
    """Take the workflow step ``action`` on ``item``: checked against the step's row (from which
    statuses, what it needs, who may take it), recorded as an ``ApprovalEvent`` with who and when,
    and the item's status moved."""
    _check_item(by, item)
    item = AidItem.objects.select_for_update().get(pk=item.pk)
    step = WorkflowStep.objects.filter(action=action, is_active=True).first()
    if step is None:
        raise ValidationError(_("There is no workflow step “{}” in force.").format(action))
    if item.status not in (step.from_statuses or []):
        raise ValidationError(
            _("“{}” cannot be taken while the aid item is “{}”.").format(step.name, item.get_status_display())
        )
    if step.coordinators_only and not _is_coordinator_over(by, item.unit):
        raise PermissionDenied(
            _("Only a coordinator or administrator over {} may take the step “{}”.").format(item.unit, step.name)
        )
    on = on or timezone.localdate()
    errors = {}
    if step.requires_document:
        if document is None:
            errors["document"] = _("“{}” needs its decision document.").format(step.name)
        elif by is not None:
            from apps.documents.models import Document

            if not Document.objects.for_user(by).filter(pk=document.pk).exists():
                errors["document"] = _("No such document that you may see.")
    if step.requires_reason and not (reason or "").strip():
        errors["reason"] = _("“{}” needs a reason.").format(step.name)
    if step.requires_opinion:
        if agency not in ApprovalEvent.Agency.values:
            errors["agency"] = _("Say which agency gives the opinion.")
        if not (opinion or "").strip():
            errors["opinion"] = _("Write the opinion.")
    # An opinion is on record when an event carries its text; naming an agency on a step that
    # records no opinion (approve …) is not one — else typing "police" would pass for its opinion.
    given_now = agency if step.requires_opinion and (opinion or "").strip() else None
    missing = [
        a
        for a in (step.required_opinions or [])
        if a != given_now and not item.events.filter(agency=a).exclude(opinion="").exists()
    ]
    if missing:
        labels = dict(ApprovalEvent.Agency.choices)
        errors["agency"] = _("Opinions still missing: {}.").format(", ".join(str(labels.get(a, a)) for a in missing))
    to = step.to_status or item.status
    errors.update(_step_date_errors(item, to, on))
    if errors:
        raise ValidationError(errors)
    before = item.status
    event = ApprovalEvent(
        aid_item=item,
        step=step,
        action=step.action,
        from_status=before,
        to_status=to,
        by=by,
        on=on,
        agency=agency or "",
        favourable=favourable,
        opinion=opinion or "",
        reason=reason or "",
        document=document,
    )
    event.full_clean()
    event.save()
    if to != before or step.requires_document:
        item._prechange_snapshot = snapshot(item)
        item.status = to
        if to == AidStatus.APPROVED:
            item.approved_on = on
            item.approval_document = document
            item.approving_authority = (
                approving_authority or (document.issuer if document is not None else "") or item.approving_authority
            )
            compute_item(item)
        elif to == AidStatus.IMPLEMENTING and item.actual_start is None:
            item.actual_start = on
        elif to == AidStatus.COMPLETED and item.actual_end is None:
            item.actual_end = on
        elif to in (AidStatus.REJECTED, AidStatus.REVOKED):
            item.closing_reason = reason
        item.full_clean()
        item.save()
    return event


def _step_date_errors(item: AidItem, to: str, on: date) -> dict:
    """The dates a step would write must follow the item's own: it starts on or after its
    approval and ends on or after its start. Saved, an end before the start would also make
    every later edit of the item fail its check."""

    def day(value):
        return value.strftime("%d/%m/%Y")

    if to == AidStatus.IMPLEMENTING and item.approved_on and on < item.approved_on:
        return {"on": _("The start date ({}) is before the approval date ({}).").format(day(on), day(item.approved_on))}
    if to == AidStatus.COMPLETED and item.actual_start and on < item.actual_start:
        return {
            "on": _("The completion date ({}) is before the actual start ({}).").format(day(on), day(item.actual_start))
        }
    if to == AidStatus.COMPLETED and item.approved_on and on < item.approved_on:
        return {
            "on": _("The completion date ({}) is before the approval date ({}).").format(day(on), day(item.approved_on))
        }
    return {}


def stalled_items(queryset=None, today: date | None = None, months: int = 6):
    """Approved items with no sign of implementation (no disbursement, never moved to
    implementing) for ``months`` months since approval — the alert of issue 5."""
    from django.db.models import Exists, OuterRef

    today = today or timezone.localdate()
    month = today.month - months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    try:
        limit = today.replace(year=year, month=month)
    except ValueError:
        limit = today.replace(year=year, month=month, day=28)
    queryset = queryset if queryset is not None else AidItem.objects.all()
    spent = Transaction.objects.filter(aid_item=OuterRef("pk"), kind__in=MONEY_OUT)
    return queryset.filter(status=AidStatus.APPROVED, approved_on__lte=limit).exclude(Exists(spent))
