"""Workflow on documents: enter one (filling a placeholder when it was already cited), link
documents into the cascade, and turn an extraction proposal into records."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from apps.accounts.models import Unit, User
from apps.core.querysets import CHANGE
from apps.documents import doctypes
from apps.documents.models import Document, DocumentLink, notation_token
from apps.documents.notation import parse, search_keys

ISSUERS = {
    # Issuer codes seen in notations → the body's name, for placeholders created from citations.
    "TW": "Ban Chấp hành Trung ương Đảng",
    "TU": "Tỉnh ủy / Thành ủy",
    "UBND": "Ủy ban nhân dân",
    "VPTW": "Văn phòng Trung ương Đảng",
    "BĐNTW": "Ban Đối ngoại Trung ương",
}


def _check_unit(by, unit):
    if by is not None and not Unit.objects.for_user(by, CHANGE).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not keep documents for “{}”.").format(unit))


def fill_from_notation(document: Document) -> None:
    """Complete system, type, number, year and issuer code from the notation where they are empty."""
    parsed = parse(document.notation) if document.notation else None
    if parsed is None:
        return
    document.notation = parsed.format()
    if document.system != Document.System.MASS:
        # The notation's shape says Party (12-CT/TW) or state (2722/KH-UBND).
        document.system = parsed.system
    document.number = document.number or parsed.number
    if parsed.year and not document.year:
        document.year = int(parsed.year)
    doc_type = parsed.doc_type
    if doc_type is not None:
        document.type_code = document.type_code or (doc_type.code or "")
        document.type_name = document.type_name or doc_type.name
    document.issuer_code = document.issuer_code or (parsed.issuer_code or "")
    if not document.issuer and parsed.issuer_code in ISSUERS:
        document.issuer = ISSUERS[parsed.issuer_code]


def _as_date(value):
    if isinstance(value, str):
        return parse_date(value)
    return value


def find_existing(notation: str | None, issued_on: date | None = None) -> Document | None:
    """The document with this notation (the same year when both dates are known); a notation
    written another way ('12/CT-TW' for '12-CT/TW') is found by its full key when only one matches."""
    if not notation:
        return None
    issued_on = _as_date(issued_on)
    candidates = list(Document.objects.filter(notation=notation))
    if not candidates:
        full_keys = [key for key in search_keys(notation) if len(key) == 3]
        if full_keys:
            loose = list(Document.objects.filter(search_text__contains=notation_token(full_keys[0]))[:2])
            candidates = loose if len(loose) == 1 else []
    if issued_on is not None:
        same_year = [d for d in candidates if d.issued_on is None or d.issued_on.year == issued_on.year]
        return same_year[0] if same_year else None
    return candidates[0] if candidates else None


@transaction.atomic
def document_create(*, by: User | None, unit: Unit, **fields) -> Document:
    """Enter a document. When a placeholder with the same notation exists, it becomes this document
    (its links stay), so citations entered earlier now point to the real record."""
    _check_unit(by, unit)
    document = Document(unit=unit, **fields)
    document.issued_on = _as_date(document.issued_on)
    fill_from_notation(document)
    existing = find_existing(document.notation, document.issued_on)
    if existing is not None:
        if not existing.is_placeholder:
            raise ValidationError({"notation": _("Document {} is already entered.").format(document.notation)})
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.unit = unit
        existing.is_placeholder = False
        fill_from_notation(existing)
        existing.full_clean()
        existing.save()
        return existing
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_update(*, document: Document, by: User | None) -> Document:
    if by is not None and not Document.objects.for_user(by, CHANGE).filter(pk=document.pk).exists():
        raise PermissionDenied(_("You may not change this document."))
    _check_unit(by, document.unit)
    fill_from_notation(document)
    existing = find_existing(document.notation, document.issued_on)
    if existing is not None and existing.pk != document.pk and not existing.is_placeholder:
        raise ValidationError({"notation": _("Document {} is already entered.").format(document.notation)})
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_placeholder(
    *, notation: str, unit: Unit, by: User | None, issued_on: date | None = None, type_name: str = ""
) -> Document:
    """The document a text cites: the existing record, or a placeholder to be completed later."""
    canonical = parse(notation)
    text = canonical.format() if canonical else notation
    issued_on = _as_date(issued_on)
    existing = find_existing(text, issued_on)
    if existing is not None:
        if issued_on and existing.issued_on is None and existing.is_placeholder:
            existing.issued_on = issued_on
            existing.save()
        return existing
    document = Document(unit=unit, notation=text, issued_on=issued_on, type_name=type_name, is_placeholder=True)
    fill_from_notation(document)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_link(*, source: Document, target: Document, kind: str, by: User | None, note: str = "") -> DocumentLink:
    if by is not None and not Document.objects.for_user(by, CHANGE).filter(pk=source.pk).exists():
        raise PermissionDenied(_("You may not change this document."))
    link = DocumentLink(source=source, target=target, kind=kind, note=note)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def document_unlink(*, link: DocumentLink, by: User | None) -> None:
    if by is not None and not Document.objects.for_user(by, CHANGE).filter(pk=link.source_id).exists():
        raise PermissionDenied(_("You may not change this document."))
    link.delete()


@transaction.atomic
def document_delete(*, document: Document, by: User | None) -> None:
    if by is not None and not Document.objects.for_user(by, CHANGE).filter(pk=document.pk).exists():
        raise PermissionDenied(_("You may not change this document."))
    if document.links_in.exists():
        raise ValidationError(_("Other documents implement or cite “{}”; remove those links first.").format(document))
    if hasattr(document, "tasks") and document.tasks.exists():
        raise ValidationError(_("Tasks were created from “{}”; it cannot be deleted.").format(document))
    document.delete()


@transaction.atomic
def document_from_extraction(
    *, by: User | None, unit: Unit, document: dict, references: list[dict], text: str = "", tasks: list[dict] = ()
) -> Document:
    """Confirm what the officer reviewed: the document itself, one 'implements' or 'cites' link per
    cited document (placeholders for those not yet entered), and the tasks it assigns."""
    fields = {k: document.get(k) for k in ("notation", "title", "issuer", "signer") if document.get(k)}
    if document.get("issued_on"):
        fields["issued_on"] = document["issued_on"]
    if document.get("type"):
        fields["type_name"] = document["type"]
    fields["is_draft"] = bool(document.get("is_draft"))
    fields["body"] = text
    created = document_create(by=by, unit=unit, **fields)
    for ref in references:
        if not ref.get("notation") or ref["notation"] == created.notation:
            continue
        target = document_placeholder(
            notation=ref["notation"], unit=unit, by=by, issued_on=ref.get("issued_on"), type_name=ref.get("type") or ""
        )
        kind = ref.get("kind") or DocumentLink.Kind.CITES
        if not DocumentLink.objects.filter(source=created, target=target, kind=kind).exists():
            document_link(source=created, target=target, kind=kind, by=by)
    if tasks:
        from apps.tasks.services import task_create

        for task in tasks:
            task_create(
                by=by,
                document=created,
                title=task["title"],
                lead_unit=task["lead_unit"],
                supporting_units=task.get("supporting_units", ()),
                due_date=task.get("due_date"),
            )
    return created


def guess_unit(names: list[str], units) -> Unit | None:
    """The unit a text names ('giao Sở Ngoại vụ chủ trì'), matched on folded names: the same name
    or short name, or the unit's short name within the text's; else the one unit whose name starts
    with the text's — a plan writes "Liên hiệp các tổ chức hữu nghị tỉnh" for "… tỉnh Đồng Tháp" —
    but only when no other unit's does (two associations both starting "Hội hữu nghị" stay unguessed)."""
    from apps.core.text import fold

    units = list(units)
    folded = [(unit, fold(unit.name), fold(unit.short_name)) for unit in units]
    for name in names or ():
        wanted = fold(name)
        if not wanted:
            continue
        for unit, full, short in folded:
            if wanted in (full, short) or (short or full) in wanted:
                return unit
        if len(wanted.split()) >= 3:
            starting = [unit for unit, full, _short in folded if full.startswith(wanted + " ")]
            if len(starting) == 1:
                return starting[0]
    return None


def type_choices():
    """(code, label) pairs for forms: both systems' type tables."""
    seen, choices = set(), []
    for doc_type in doctypes.types():
        key = (doc_type.code or "", doc_type.name)
        if key in seen:
            continue
        seen.add(key)
        choices.append(
            (doc_type.name, "{} ({})".format(doc_type.name, doc_type.code) if doc_type.code else doc_type.name)
        )
    return choices
