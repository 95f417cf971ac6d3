"""Workflow on documents: enter one (filling a placeholder when it was already cited), link
documents into the cascade, and turn an extraction proposal into records."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from apps.accounts.models import Unit, User
from apps.core.querysets import CHANGE, VIEW
from apps.documents import doctypes
from apps.documents.models import Document, DocumentLink, notation_token
from apps.documents.notation import Notation, parse_blank, parse_field, search_keys

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


def _parsed(text: str | None) -> Notation | None:
    """A notation as stored or typed: a full one, or a draft's with its number left blank."""
    return (parse_field(text) or parse_blank(text)) if text else None


def _said_by(parsed: Notation | None) -> list[doctypes.DocType]:
    """The types the notation's code may stand for (Party QĐ: Quyết định or Quy định); with no type
    code, the type the form itself says (a state công văn), if any."""
    if parsed is None:
        return []
    if parsed.type_code:
        key = doctypes.code_key(parsed.type_code)
        return [t for t in doctypes.types(parsed.system) if key in {doctypes.code_key(c) for c in t.codes}]
    return [parsed.doc_type] if parsed.doc_type is not None else []


def _names_one_of(type_name: str, types: list[doctypes.DocType]) -> bool:
    """Whether ``type_name`` is one of ``types``, by name or alias, or a longer name of one of them
    ("Chương trình hành động" is a Chương trình)."""
    from apps.core.text import fold

    wanted = fold(type_name).strip()
    if not wanted:
        return False
    for doc_type in types:
        name = fold(doc_type.name)
        if wanted == name or wanted.startswith(name + " "):
            return True
    found = doctypes.by_name(type_name)
    return found is not None and any(found.name == t.name for t in types)


def type_fits(type_name: str, parsed: Notation | None) -> bool:
    """A type agrees with a notation unless the notation has a type code that stands for another type
    ("79/KH-UBND" is a Kế hoạch, never a Chỉ thị); without a code the type is the officer's word
    ("Chương trình hành động số 1830/LHHN-VP")."""
    if not type_name or parsed is None or not parsed.type_code:
        return True
    return _names_one_of(type_name, _said_by(parsed))


def read_notation(document: Document, field: str = "notation") -> Notation | None:
    """Check the typed notation and write it in canonical form. A draft whose number is still blank
    ("/KH-UBND", "Số:    /KH-UBND") keeps an empty notation — two such drafts are not one document —
    but its codes still say the type and issuer. Raises a ValidationError naming ``field``."""
    text = (document.notation or "").strip()
    if not text:
        document.notation = ""
        return None
    parsed = parse_field(text)
    if parsed is not None:
        if not parsed.identity[0].strip("0"):
            raise ValidationError(
                {field: _("“{}”: the number in a notation cannot be 0; write the number of the document.").format(text)}
            )
        _check_lengths(parsed, text, field)
        document.notation = parsed.format()
        return parsed
    blank = parse_blank(text)
    if blank is not None:
        if not document.is_draft:
            raise ValidationError(
                {
                    field: _(
                        "“{}” has no number. Write the number, or mark the document as a draft if it is not numbered yet."
                    ).format(text)
                }
            )
        document.notation = ""
        return blank
    raise ValidationError(
        {
            field: _(
                "“{}” is not a document notation. Write it as in the document, for example 12-CT/TW, "
                "2722/KH-UBND or 12/2021/QĐ-UBND."
            ).format(text[:100])
        }
    )


def _check_lengths(parsed: Notation, text: str, field: str) -> None:
    """The codes are kept in their own columns too: one longer than its column is a typing error in
    the notation, said of the notation rather than of a column the officer never sees."""
    for code, name in ((parsed.type_code, "type_code"), (parsed.issuer_code, "issuer_code")):
        limit = Document._meta.get_field(name).max_length
        if code and len(code) > limit:
            raise ValidationError(
                {
                    field: _(
                        "“{text}”: the code “{code}” is longer than {limit} characters; check the notation."
                    ).format(text=text[:100], code=code[:30], limit=limit)
                }
            )


def fill_from_notation(document: Document, parsed: Notation | None = None, previous: Document | None = None) -> None:
    """Derive system, number, year, type code and issuer code from the notation — always, so that a
    corrected notation never keeps the old number or year. The type and the issuing body are the
    officer's to write: they are filled from the notation when empty, and follow a changed notation
    when they were what the old notation said (``previous``: the row as stored before this change)."""
    if parsed is None and document.notation:
        parsed = _parsed(document.notation)
    blank = parsed is not None and not document.notation
    document.number = parsed.number if parsed is not None and not blank else ""
    document.year = int(parsed.year) if parsed is not None and parsed.year else None
    if parsed is None:
        if previous is not None and previous.notation:
            # The notation was removed: the codes it gave go with it. A draft entered with a blank
            # number ("/KH-UBND") stores no notation, so its codes are kept while it stays blank.
            document.type_code = document.issuer_code = ""
        return
    document.type_code = parsed.type_code or ""
    document.issuer_code = parsed.issuer_code or ""
    if document.system != Document.System.MASS:
        # The notation's shape says Party (12-CT/TW) or state (2722/KH-UBND).
        document.system = parsed.system
    old = _parsed(previous.notation) if previous is not None else None
    changed = old is None or old.identity != parsed.identity
    said = _said_by(parsed)
    type_name = document.type_name or ""
    kept = previous is not None and changed and type_name == previous.type_name
    if not type_name or (kept and (_names_one_of(type_name, _said_by(old)) or not type_fits(type_name, parsed))):
        # Empty, or left as the old notation said it: the new notation says the type.
        document.type_name = said[0].name if said else ""
    issuer = document.issuer or ""
    old_issuer = ISSUERS.get(old.issuer_code or "", "") if old is not None else ""
    if not issuer or (changed and previous is not None and issuer == previous.issuer and issuer == old_issuer):
        document.issuer = ISSUERS.get(parsed.issuer_code or "", "")


def _check_type(document: Document, parsed: Notation | None) -> None:
    if not type_fits(document.type_name, parsed):
        raise ValidationError(
            {
                "type_name": _(
                    "The document type “{type}” does not agree with the notation {notation}: its code {code} "
                    "stands for {expected}. Correct the type or the notation."
                ).format(
                    type=document.type_name,
                    notation=document.notation or parsed.format(),
                    code=parsed.type_code,
                    expected=" / ".join(t.name for t in _said_by(parsed)),
                )
            }
        )


def _as_date(value):
    if isinstance(value, str):
        return parse_date(value)
    return value


def _records_of(notation: str | None, issued_on: date | None = None, queryset=None) -> list[Document]:
    """Every record of the document ``notation`` names, in ``queryset`` (all documents by default):
    the same number, year and codes however written ('12/CT-TW' is '12-CT/TW', '5-CT/TW' stored
    before numbers were padded is '05-CT/TW', Party QĐ is QĐi). A notation with a year
    (12/2021/QĐ-UBND) names one document whatever its date; one without (2722/KH-UBND, numbered anew
    each year) names the one of the same year when both dates are known. Exact spellings first."""
    if not notation:
        return []
    queryset = Document.objects.all() if queryset is None else queryset
    parsed = parse_field(notation)
    if parsed is None:
        return list(queryset.filter(notation=notation))
    canonical = parsed.format()
    keys = search_keys(canonical)
    longest = max((len(k) for k in keys), default=0)
    wanted = Q(notation=canonical) | Q(notation=notation)
    for key in keys:
        if len(key) == longest:
            wanted |= Q(search_text__contains=notation_token(key))
    issued_on = _as_date(issued_on)
    same = []
    for pk, stored, day in queryset.filter(wanted).values_list("pk", "notation", "issued_on"):
        other = parse_field(stored)
        if other is None or other.identity != parsed.identity:
            continue
        if not parsed.year and issued_on is not None and day is not None and day.year != issued_on.year:
            continue
        same.append((stored != canonical, pk))
    if not same:
        return []
    rows = Document.objects.in_bulk([pk for _other, pk in same])
    return [
        rows[pk]
        for _other, pk in sorted(
            same, key=lambda row: (row[0], -(rows[row[1]].issued_on or date.min).toordinal(), -row[1])
        )
    ]


def find_existing(notation: str | None, issued_on: date | None = None, *, user: User | None = None) -> Document | None:
    """The record of the document ``notation`` names (see :func:`_records_of`); with ``user``, only
    among the documents that user may see — a document kept out of their sight is not found."""
    queryset = Document.objects.for_user(user, VIEW) if user is not None else None
    found = _records_of(notation, issued_on, queryset)
    return found[0] if found else None


def link_target(*, notation: str, user: User | None) -> Document:
    """The document a link typed on a page or sent to the API points to: one the user may see.

    A document not entered and one kept out of the user's sight get the same answer, word for word —
    a different one would tell that the hidden document exists — and neither gets a placeholder: a
    second record beside a real one would split its links and tasks."""
    text = (notation or "").strip()
    if not text:
        raise ValidationError({"target": _("Write the notation of the linked document, for example 12-CT/TW.")})
    parsed = parse_field(text)
    if parsed is None:
        raise ValidationError(
            {
                "target": _(
                    "“{}” is not a document notation. Write it as in the document, for example 12-CT/TW, "
                    "2722/KH-UBND or 12/2021/QĐ-UBND."
                ).format(text[:100])
            }
        )
    found = find_existing(parsed.format(), user=user)
    if found is None:
        raise ValidationError(
            {"target": _("No document {} that you may see: enter it first, then link to it.").format(parsed.format())}
        )
    return found


def _absorb_placeholder(*, placeholder: Document, document: Document, by: User | None) -> None:
    """Move everything that hangs on ``placeholder`` — links both ways, tasks, any other record that
    names it, notes and files, the units following it — onto ``document``, then delete it, each row
    saved on its own so that the change log shows where it went. A link ``document`` already has,
    or one that would link it to itself, is deleted (logged) rather than doubled."""
    from django.contrib.contenttypes.models import ContentType

    from apps.core.models import Attachment, JournalEntry

    for side, other in (("target", "source"), ("source", "target")):
        for link in DocumentLink.objects.filter(**{side: placeholder}):
            other_id = getattr(link, other + "_id")
            duplicate = DocumentLink.objects.filter(**{side: document, other + "_id": other_id, "kind": link.kind})
            if other_id == document.pk or duplicate.exists():
                link.delete()
            else:
                setattr(link, side, document)
                link.save(update_fields=[side])
    moved_tasks = 0
    for rel in Document._meta.get_fields(include_hidden=True):
        # Every foreign key to Document from any app (tasks, aid, activities, members …): found, not
        # listed, so a record added later moves too; the links are done above, the sharing below.
        if not (rel.one_to_many and rel.auto_created) or rel.related_model in (DocumentLink,):
            continue
        if rel.related_model._meta.auto_created:
            continue
        name = rel.field.name
        for row in rel.related_model._base_manager.filter(**{name: placeholder}):
            setattr(row, name, document)
            row.save(update_fields=[rel.field.attname])
            moved_tasks += rel.related_name == "tasks"
    document_type = ContentType.objects.get_for_model(Document)
    for model in (JournalEntry, Attachment):
        for row in model.objects.filter(object_type=document_type, object_id=placeholder.pk):
            row.object_id, row.unit_id = document.pk, document.unit_id
            row.save(update_fields=["object_id", "unit"])
    document.shared_units.add(*placeholder.shared_units.exclude(pk=document.unit_id))
    if document.issued_on is None and placeholder.issued_on is not None:
        document.issued_on = placeholder.issued_on
    described = "#{} {}".format(placeholder.pk, placeholder)
    placeholder.delete()
    JournalEntry.objects.create(
        object_type=document_type,
        object_id=document.pk,
        unit_id=document.unit_id,
        created_by=by,
        kind=JournalEntry.Kind.INFO,
        comments=_(
            "The placeholder {placeholder}, kept for the citations of this notation, was merged into this "
            "document: its links, {tasks} task(s), notes and files now belong here."
        ).format(placeholder=described, tasks=moved_tasks),
    )


def _prepare(document: Document, previous: Document | None = None) -> tuple[Notation | None, list[Document]]:
    """Check and derive what the notation gives, then the records of the same document already kept:
    a real one is refused (the document is entered once); placeholders are returned to be merged."""
    parsed = read_notation(document)
    fill_from_notation(document, parsed, previous)
    _check_type(document, parsed)
    others = [d for d in _records_of(document.notation, document.issued_on) if d.pk != document.pk]
    if any(not d.is_placeholder for d in others):
        raise ValidationError({"notation": _("Document {} is already entered.").format(document.notation)})
    return parsed, others


@transaction.atomic
def document_create(*, by: User | None, unit: Unit, **fields) -> Document:
    """Enter a document. When a placeholder with the same notation exists, it becomes this document
    (its links stay), so citations entered earlier now point to the real record."""
    _check_unit(by, unit)
    document = Document(unit=unit, **fields)
    document.issued_on = _as_date(document.issued_on)
    _parsed_notation, placeholders = _prepare(document)
    if placeholders:
        existing = placeholders[0]
        for name in {*fields, "type_name", "issuer"}:
            value = getattr(document, name)
            # What the officer left empty keeps what the citation said (its date, its type word).
            if value not in (None, "") or getattr(existing, name) in (None, ""):
                setattr(existing, name, value)
        for name in ("notation", "system", "number", "year", "type_code", "issuer_code"):
            setattr(existing, name, getattr(document, name))
        existing.unit = unit
        existing.is_placeholder = False
        existing.full_clean()
        existing.save()
        return existing
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_update(*, document: Document, by: User | None) -> Document:
    """Save a changed document. A notation given to a draft (or corrected) that a placeholder already
    has merges the placeholder into this document, as entering it does: the citations, tasks and
    files gathered on the placeholder follow it, and one record of the document remains."""
    if by is not None and not Document.objects.for_user(by, CHANGE).filter(pk=document.pk).exists():
        raise PermissionDenied(_("You may not change this document."))
    _check_unit(by, document.unit)
    previous = Document._base_manager.filter(pk=document.pk).first()
    _parsed_notation, placeholders = _prepare(document, previous)
    document.full_clean()
    if placeholders:
        _absorb_placeholder(placeholder=placeholders[0], document=document, by=by)
        document.full_clean()  # the placeholder may have brought the date it was cited with
    document.save()
    return document


@transaction.atomic
def document_placeholder(
    *, notation: str, unit: Unit, by: User | None, issued_on: date | None = None, type_name: str = ""
) -> Document:
    """The document a text cites: the existing record, or a placeholder to be completed later.

    With ``by``, only a record that user may see is used; one kept out of their sight is refused
    (linking to it would show it, and a second record beside it would split its links)."""
    issued_on = _as_date(issued_on)
    probe = Document(notation=notation, is_draft=True)
    parsed = read_notation(probe)
    if probe.notation == "":
        raise ValidationError(
            {"notation": _("“{}”: a cited document needs its number, for example 12-CT/TW.").format(notation)}
        )
    existing, hidden = _cited(probe.notation, issued_on, by)
    if hidden:
        raise ValidationError({"notation": _("No document {} that you may see.").format(probe.notation)})
    if existing is not None:
        found = existing
        if issued_on and found.issued_on is None and found.is_placeholder:
            found.issued_on = issued_on
            found.full_clean()
            found.save()
        return found
    if not type_fits(type_name, parsed):
        type_name = ""  # the text's word for it disagrees with its code: the code says the type
    document = Document(
        unit=unit, notation=probe.notation, issued_on=issued_on, type_name=type_name, is_placeholder=True
    )
    fill_from_notation(document, parsed)
    document.full_clean()
    document.save()
    return document


def _cited(notation: str, issued_on, by: User | None) -> tuple[Document | None, bool]:
    """(the record of a cited document that ``by`` may see, or None; whether records of it exist
    that ``by`` may not see — and none that they may)."""
    records = _records_of(notation, issued_on)
    if not records or by is None:
        return (records[0] if records else None), False
    seen = set(Document.objects.for_user(by, VIEW).filter(pk__in=[d.pk for d in records]).values_list("pk", flat=True))
    visible = [d for d in records if d.pk in seen]
    return (visible[0] if visible else None), not visible


#: relations whose links may not go round in a circle (a plan implementing what implements it)
ACYCLIC_KINDS = (DocumentLink.Kind.IMPLEMENTS, DocumentLink.Kind.REPLACES)
#: how far the loop check follows links (real cascades are 3–5 levels deep)
LOOP_DEPTH = 50


def _loop(source: Document, target: Document, kind: str) -> list[int]:
    """The ids of the documents from ``target`` back to ``source`` through links of ``kind``, when
    one exists (then ``source → target`` would close a circle); one query per level."""
    came_from = {target.pk: None}
    frontier = [target.pk]
    for _level in range(LOOP_DEPTH):
        if not frontier:
            break
        links = DocumentLink.objects.filter(source_id__in=frontier, kind=kind).values_list("source_id", "target_id")
        frontier = []
        for from_id, to_id in links:
            if to_id in came_from:
                continue
            came_from[to_id] = from_id
            if to_id == source.pk:
                path, step = [], to_id
                while step is not None:
                    path.append(step)
                    step = came_from[step]
                return list(reversed(path))
            frontier.append(to_id)
    return []


def _loop_error(source, target, kind, path, by) -> ValidationError:
    ids = [source.pk, *path]
    documents = Document.objects.in_bulk(ids)
    seen = set(Document.objects.for_user(by, VIEW).filter(pk__in=ids).values_list("pk", flat=True)) if by else set(ids)
    labels = [str(documents[i]) if i in seen else _("(a document you may not see)") for i in ids]
    return ValidationError(
        {
            "target": _(
                "The link “{source} {relation} {target}” would close a circle: {path}. Remove one of those links first."
            ).format(
                source=source,
                relation=DocumentLink.Kind(kind).label,
                target=target,
                path=" → ".join(labels),
            )
        }
    )


@transaction.atomic
def document_link(*, source: Document, target: Document, kind: str, by: User | None, note: str = "") -> DocumentLink:
    if by is not None and not Document.objects.for_user(by, CHANGE).filter(pk=source.pk).exists():
        raise PermissionDenied(_("You may not change this document."))
    if source.pk == target.pk:
        raise ValidationError({"target": _("A document cannot be linked to itself.")})
    if kind in ACYCLIC_KINDS:
        path = _loop(source, target, kind)
        if path:
            raise _loop_error(source, target, kind, path, by)
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
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import ProtectedError

    from apps.core.models import Attachment

    if by is not None and not Document.objects.for_user(by, CHANGE).filter(pk=document.pk).exists():
        raise PermissionDenied(_("You may not change this document."))
    if document.links_in.exists():
        raise ValidationError(_("Other documents implement or cite “{}”; remove those links first.").format(document))
    if hasattr(document, "tasks") and document.tasks.exists():
        raise ValidationError(_("Tasks were created from “{}”; it cannot be deleted.").format(document))
    # Files would stay behind, stored and pointing at a record that is gone: the officer removes them
    # (each removal in the change log) and so decides what is kept elsewhere.
    files = Attachment.objects.filter(object_type=ContentType.objects.get_for_model(Document), object_id=document.pk)
    count = files.count()
    if count:
        raise ValidationError(
            _("“{document}” has {count} attached file(s); remove the files first, then delete the document.").format(
                document=document, count=count
            )
        )
    try:
        document.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("Other records (aid items, activities, awards …) refer to “{}”; it cannot be deleted.").format(document)
        ) from exc


@transaction.atomic
def document_from_extraction(
    *, by: User | None, unit: Unit, document: dict, references: list[dict], text: str = "", tasks: list[dict] = ()
) -> Document:
    """Confirm what the officer reviewed: the document itself, one 'implements' or 'cites' link per
    cited document (placeholders for those not yet entered), and the tasks it assigns.

    A cited document kept out of the officer's sight is not linked, and no placeholder stands in for
    it (two records of one document): it is left out without a word, as if the text had not cited it."""
    fields = {k: document.get(k) for k in ("notation", "title", "issuer", "signer") if document.get(k)}
    if document.get("issued_on"):
        fields["issued_on"] = document["issued_on"]
    if document.get("type"):
        fields["type_name"] = document["type"]
    fields["is_draft"] = bool(document.get("is_draft"))
    fields["body"] = text
    created = document_create(by=by, unit=unit, **fields)
    own = parse_field(created.notation) if created.notation else None
    for index, ref in enumerate(references):
        cited = parse_field(ref.get("notation"))
        if not ref.get("notation") or (own is not None and cited is not None and cited.identity == own.identity):
            continue
        try:
            if cited is not None and _cited(cited.format(), _as_date(ref.get("issued_on")), by)[1]:
                continue  # kept out of the officer's sight
            target = document_placeholder(
                notation=ref["notation"],
                unit=unit,
                by=by,
                issued_on=ref.get("issued_on"),
                type_name=ref.get("type") or "",
            )
            kind = ref.get("kind") or DocumentLink.Kind.CITES
            if not DocumentLink.objects.filter(source=created, target=target, kind=kind).exists():
                document_link(source=created, target=target, kind=kind, by=by)
        except ValidationError as exc:
            raise ValidationError(
                _("Cited document {} ({}): {}").format(index + 1, ref["notation"], " ".join(exc.messages))
            ) from exc
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
