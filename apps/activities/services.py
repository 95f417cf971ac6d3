"""Workflow on agreements, their commitments, activities and delegation members.

Every function is keyword-only, checks the caller's right through ``for_user``, calls
``full_clean()`` before writing, and runs in one transaction; the change log records what they do
(signals, including the many-to-many links). The one rule that is more than validation: an
outgoing delegation is not marked as travelled without the document approving it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Unit, User
from apps.activities.models import Activity, Agreement, Commitment, DelegationMember
from apps.core.querysets import CHANGE, VIEW

# -- permissions -------------------------------------------------------------------------------


def _check_unit(by: User | None, unit: Unit) -> None:
    if by is not None and not Unit.objects.for_user(by, CHANGE).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not keep records for “{}”.").format(unit))


def _check_changeable(by: User | None, obj) -> None:
    if by is None or obj.pk is None:
        return
    if not type(obj).objects.for_user(by, CHANGE).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("You may not change “{}”.").format(obj))


def _visible(by: User | None, model, rows, field: str):
    """Links only to rows the caller may see (a hidden partner or task is not linkable)."""
    rows = list(rows or [])
    if by is None or not rows:
        return rows
    ids = {r.pk for r in rows}
    seen = set(model.objects.for_user(by, VIEW).filter(pk__in=ids).values_list("pk", flat=True))
    hidden = ids - seen
    if hidden:
        raise ValidationError({field: _("You may not link records you cannot see (ID {}).").format(min(hidden))})
    return rows


def _keep_hidden(by: User | None, activity, relation: str, visible_manager, rows):
    """The links ``relation`` of ``activity`` to save: ``rows`` plus the current links ``by``
    cannot see. A coordinator may link an officer's activity to an agreement, task or partner the
    officer does not see; the officer's form and API never show those, so saving must neither
    require them again nor drop them. A new link must be visible (a hidden record is not
    linkable)."""
    if rows is None:
        return None
    rows = list(rows)
    current = set(getattr(activity, relation).values_list("pk", flat=True)) if activity.pk else set()
    if by is None:
        return rows
    model = getattr(Activity, relation).field.related_model
    manager = visible_manager if isinstance(visible_manager, models.QuerySet) else model.objects.for_user(by, VIEW)
    wanted = {r.pk for r in rows}
    seen = set(manager.filter(pk__in=wanted | current).values_list("pk", flat=True))
    hidden_new = wanted - seen - current
    if hidden_new:
        raise ValidationError({relation: _("You may not link records you cannot see (ID {}).").format(min(hidden_new))})
    kept = current - seen - wanted
    return rows + list(model._base_manager.filter(pk__in=kept)) if kept else rows


def _check_parties(activity: Activity, agreements) -> None:
    """An activity implements only agreements its organising unit is a party to — itself or
    through a unit above it (an agreement the provincial People's Committee signed is carried out
    by its departments). Checked on new links only, so activities linked before this rule still
    save."""
    current = set(activity.agreements.values_list("pk", flat=True)) if activity.pk else set()
    new = [a for a in agreements if a.pk not in current]
    if not new:
        return
    unit = activity.unit
    own = {unit.pk} | ({u.pk for u in Unit.objects.get_ancestors(unit)} if unit.depth > 1 else set())
    parties: dict[int, set] = {a.pk: {a.unit_id} for a in new}
    for agreement_id, unit_id in Agreement.other_units.through.objects.filter(
        agreement__in=[a.pk for a in new]
    ).values_list("agreement_id", "unit_id"):
        parties[agreement_id].add(unit_id)
    for agreement in new:
        if not parties[agreement.pk] & own:
            raise ValidationError(
                {
                    "agreements": _(
                        "The organising unit “{unit}” is not a party to the agreement “{agreement}”: an activity "
                        "implements only agreements its organising unit signed or is a party to."
                    ).format(unit=activity.unit, agreement=agreement)
                }
            )


# -- agreements --------------------------------------------------------------------------------


@transaction.atomic
def agreement_save(
    *, agreement: Agreement, by: User | None, other_units=None, partners=None, commitments=None
) -> Agreement:
    """Create or change an agreement. ``commitments`` (a list of texts), when given, replaces the
    agreement's commitment list while keeping the rows (and their activity links) whose text stays."""
    from apps.partners.models import Partner

    _check_changeable(by, agreement)
    _check_unit(by, agreement.unit)
    partners = _visible(by, Partner, partners, "partners") if partners is not None else None
    agreement.full_clean()
    agreement.save()
    if other_units is not None:
        agreement.other_units.set([u for u in other_units if u.pk != agreement.unit_id])
    if partners is not None:
        agreement.partners.set(partners)
    if commitments is not None:
        commitments_replace(agreement=agreement, texts=commitments, by=None)
    return agreement


@transaction.atomic
def agreement_delete(*, agreement: Agreement, by: User | None) -> None:
    """An agreement that activities implement is kept: delete those links first, or terminate it."""
    _check_changeable(by, agreement)
    if agreement.activities.exists():
        raise ValidationError(
            _(
                "“{}” cannot be deleted: activities are linked to it. Record its termination instead, "
                "or unlink the activities first."
            ).format(agreement)
        )
    try:
        agreement.delete()
    except models.ProtectedError as exc:
        raise ValidationError(_("“{}” cannot be deleted: other records still refer to it.").format(agreement)) from exc


#: how close (rapidfuzz ratio over the folded texts, 0–100) a new line must be to the commitment
#: at its position to count as a correction of it rather than another commitment
REWORDING_SIMILARITY = 70


def _rewording(old: str, new: str) -> bool:
    from rapidfuzz import fuzz

    from apps.core.text import fold

    return fuzz.ratio(fold(old), fold(new)) >= REWORDING_SIMILARITY


@transaction.atomic
def commitments_replace(*, agreement: Agreement, texts, by: User | None) -> list[Commitment]:
    """Make the agreement's commitments the given texts, in order. A row whose text is unchanged
    is kept (wherever it moved); a line whose text was corrected (``_rewording``) updates, in place,
    the row that stood at its position — so correcting the wording of a commitment that activities
    implement keeps their links, and the change log shows the old and new text. Rows left over are removed,
    refused for those that an activity implements."""
    _check_changeable(by, agreement)
    wanted = [" ".join(str(t).split()) for t in texts or []]
    wanted = [t for t in wanted if t]
    existing = list(agreement.commitments.order_by("position", "id"))
    by_text: dict[str, list[Commitment]] = {}
    for row in existing:
        by_text.setdefault(row.text, []).append(row)
    matched: list[Commitment | None] = []
    used = set()
    for text in wanted:
        same = by_text.get(text)
        row = same.pop(0) if same else None
        if row is not None:
            used.add(row.pk)
        matched.append(row)
    # A line with new text takes over the unmatched row that stood at its position when it reads
    # as a correction of it (wording, spelling, punctuation). A different commitment written over
    # it is a new row: the activities implementing the old one did not implement the new one.
    for position, row in enumerate(matched):
        if row is None and position < len(existing) and existing[position].pk not in used:
            if _rewording(existing[position].text, wanted[position]):
                matched[position] = existing[position]
                used.add(existing[position].pk)
    kept = []
    for position, (text, row) in enumerate(zip(wanted, matched, strict=True)):
        if row is None:
            row = Commitment(agreement=agreement, text=text, position=position)
        if row.pk is None or row.position != position or row.text != text:
            row.position = position
            row.text = text
            row.full_clean()
            row.save()
        kept.append(row)
    for row in existing:
        if row.pk in used:
            continue
        if row.activities.exists():
            raise ValidationError(
                {
                    "commitments": _("The commitment “{}” is implemented by activities; it cannot be removed.").format(
                        row
                    )
                }
            )
        row.delete()
    return kept


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, by: User | None, on, reason: str = "") -> Agreement:
    _check_changeable(by, agreement)
    agreement.terminated_on = on
    agreement.termination_reason = reason or ""
    agreement.full_clean()
    agreement.save()
    return agreement


# -- activities --------------------------------------------------------------------------------


def _marking_changed(activity: Activity) -> bool:
    """Whether this save marks the activity held, or changes what being held rests on (its start,
    its approval). Rows stored before these rules keep saving when an unrelated field changes."""
    if activity.pk is None:
        return True
    stored = (
        Activity._base_manager.filter(pk=activity.pk)
        .values("status", "start_date", "approval_document_id", "kind")
        .first()
    )
    return stored is None or stored != {
        "status": activity.status,
        "start_date": activity.start_date,
        "approval_document_id": activity.approval_document_id,
        "kind": activity.kind,
    }


def check_travel(activity: Activity) -> None:
    """An activity is marked held only once it has begun; an outgoing delegation is marked as
    travelled only with its approval: an issued document (not a draft, not a placeholder for a
    document cited elsewhere) not dated after the departure."""
    from django.utils import timezone

    if activity.status != Activity.Status.DONE or not _marking_changed(activity):
        return
    today = timezone.localdate()
    if activity.start_date and activity.start_date > today:
        raise ValidationError(
            {
                "status": _(
                    "It cannot be marked as held: its start date ({day}) is in the future. Keep it planned "
                    "until it has taken place, or correct the start date."
                ).format(day=activity.start_date.strftime("%d/%m/%Y"))
            }
        )
    if activity.kind != Activity.Kind.OUTGOING_DELEGATION:
        return
    if activity.approval_document_id is None:
        raise ValidationError(
            {
                "status": _(
                    "An outgoing delegation cannot be marked as travelled without its approval: "
                    "choose the document that approves the delegation first."
                )
            }
        )
    document = activity.approval_document
    if document.is_draft or document.is_placeholder:
        raise ValidationError(
            {
                "approval_document": _(
                    "The approval document “{}” is a draft or a placeholder, not an issued document: the "
                    "delegation cannot be marked as travelled on it."
                ).format(document)
            }
        )
    # An issued document whose day was not entered is accepted (its notation identifies it; older
    # records and imports often lack the day); a known day after the departure is not an approval.
    if document.issued_on is not None and activity.start_date and document.issued_on > activity.start_date:
        raise ValidationError(
            {
                "approval_document": _(
                    "The approval document “{doc}” must be dated on or before the departure ({day}); "
                    "its issue date is {issued}."
                ).format(
                    doc=document,
                    day=activity.start_date.strftime("%d/%m/%Y"),
                    issued=document.issued_on.strftime("%d/%m/%Y") if document.issued_on else "—",
                )
            }
        )


@transaction.atomic
def activity_save(
    *,
    activity: Activity,
    by: User | None,
    participating_units=None,
    partners=None,
    countries=None,
    tasks=None,
    agreements=None,
    commitments=None,
) -> Activity:
    """Create or change an activity and, for each list given, replace its links."""
    from apps.documents.models import Document
    from apps.partners.models import Partner
    from apps.tasks.models import Task

    _check_changeable(by, activity)
    _check_unit(by, activity.unit)
    if activity.approval_document_id is not None and by is not None:
        if not Document.objects.for_user(by, VIEW).filter(pk=activity.approval_document_id).exists():
            raise ValidationError({"approval_document": _("You may not link a document you cannot see.")})
    if activity.approval_document_id is not None and not activity.is_delegation:
        raise ValidationError({"approval_document": _("Only a delegation carries an approval document.")})
    partners = _keep_hidden(by, activity, "partners", Partner.objects, partners)
    tasks = _keep_hidden(by, activity, "tasks", Task.objects, tasks)
    agreements = _keep_hidden(by, activity, "agreements", Agreement.objects, agreements)
    commitments = _keep_hidden(
        by,
        activity,
        "commitments",
        Commitment.objects.filter(agreement__in=Agreement.objects.for_user(by, VIEW).values("pk"))
        if by is not None
        else Commitment.objects,
        commitments,
    )
    if agreements is not None:
        _check_parties(activity, agreements)
    if commitments:
        allowed = (
            {a.pk for a in agreements}
            if agreements is not None
            else set(activity.agreements.values_list("pk", flat=True) if activity.pk else [])
        )
        stray = [c for c in commitments if c.agreement_id not in allowed]
        if stray:
            raise ValidationError(
                {
                    "commitments": _("The commitment “{}” belongs to an agreement not linked to this activity.").format(
                        stray[0]
                    )
                }
            )
    activity.full_clean()
    check_travel(activity)
    if activity.pk is not None and not activity.is_delegation and activity.members.exists():
        raise ValidationError(
            {"kind": _("This activity has delegation members; remove them before changing its kind.")}
        )
    activity.save()
    if participating_units is not None:
        activity.participating_units.set([u for u in participating_units if u.pk != activity.unit_id])
    if partners is not None:
        activity.partners.set(partners)
    if countries is not None:
        activity.countries.set(countries)
    if tasks is not None:
        activity.tasks.set(tasks)
    if agreements is not None:
        activity.agreements.set(agreements)
        if commitments is None:
            # Commitments of agreements no longer linked go too.
            activity.commitments.remove(*activity.commitments.exclude(agreement__in=agreements))
    if commitments is not None:
        activity.commitments.set(commitments)
    return activity


@transaction.atomic
def activity_set_status(*, activity: Activity, status: str, by: User | None) -> Activity:
    """Mark an activity planned, held (travelled, for a delegation) or cancelled."""
    _check_changeable(by, activity)
    if status not in Activity.Status.values:
        raise ValidationError({"status": _("Unknown status “{}”.").format(str(status)[:40])})
    activity.status = status
    activity.full_clean()
    check_travel(activity)
    activity.save()
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by: User | None) -> None:
    _check_changeable(by, activity)
    try:
        activity.delete()
    except models.ProtectedError as exc:
        raise ValidationError(_("“{}” cannot be deleted: other records still refer to it.").format(activity)) from exc


@transaction.atomic
def member_save(*, member: DelegationMember, by: User | None) -> DelegationMember:
    if by is not None and not Activity.objects.for_user(by, CHANGE).filter(pk=member.activity_id).exists():
        raise PermissionDenied(_("You may not change “{}”.").format(member.activity))
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_delete(*, member: DelegationMember, by: User | None) -> None:
    if by is not None and not Activity.objects.for_user(by, CHANGE).filter(pk=member.activity_id).exists():
        raise PermissionDenied(_("You may not change “{}”.").format(member.activity))
    member.delete()
