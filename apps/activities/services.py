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


@transaction.atomic
def commitments_replace(*, agreement: Agreement, texts, by: User | None) -> list[Commitment]:
    """Make the agreement's commitments the given texts, in order. Rows whose text is unchanged
    are kept; removed ones that an activity implements are refused."""
    _check_changeable(by, agreement)
    wanted = [" ".join(str(t).split()) for t in texts or []]
    wanted = [t for t in wanted if t]
    existing = list(agreement.commitments.all())
    by_text = {}
    for row in existing:
        by_text.setdefault(row.text, row)
    kept = []
    for position, text in enumerate(wanted):
        row = by_text.pop(text, None)
        if row is None:
            row = Commitment(agreement=agreement, text=text, position=position)
        if row.position != position or row.pk is None:
            row.position = position
            row.full_clean()
            row.save()
        kept.append(row)
    for row in by_text.values():
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


def check_travel(activity: Activity) -> None:
    """An outgoing delegation is marked as travelled only with its approval document."""
    if (
        activity.kind == Activity.Kind.OUTGOING_DELEGATION
        and activity.status == Activity.Status.DONE
        and activity.approval_document_id is None
    ):
        raise ValidationError(
            {
                "status": _(
                    "An outgoing delegation cannot be marked as travelled without its approval: "
                    "choose the document that approves the delegation first."
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
    partners = _visible(by, Partner, partners, "partners") if partners is not None else None
    tasks = _visible(by, Task, tasks, "tasks") if tasks is not None else None
    agreements = _visible(by, Agreement, agreements, "agreements") if agreements is not None else None
    commitments = list(commitments) if commitments is not None else None
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
