"""Writing member organisations, their yearly counts, congresses, leaders and awards. Pages, the
API and the demo call these; permission is checked here (``by=None`` is the system)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Unit
from apps.core.querysets import CHANGE, VIEW
from apps.members.models import Award, Congress, Leader, MemberOrganisation, MembershipCount

ORGANISATION_FIELDS = ("kind", "founded_on", "description")
AWARD_FIELDS = ("kind", "level", "name", "issuer", "year", "decision", "person", "person_position", "reason")


def _check_unit(by, unit: Unit) -> None:
    if by is not None and not Unit.objects.for_user(by, CHANGE).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not record this for “{}”.").format(unit))


def _check_organisation(by, organisation: MemberOrganisation) -> None:
    if by is not None and not MemberOrganisation.objects.for_user(by, CHANGE).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("You may not change “{}”.").format(organisation))


def _check_decision(by, decision) -> None:
    if by is None or decision is None:
        return
    from apps.documents.models import Document

    if not Document.objects.for_user(by, VIEW).filter(pk=decision.pk).exists():
        raise ValidationError({"decision": _("No document with ID {} that you may see.").format(decision.pk)})


@transaction.atomic
def organisation_save(*, by, unit: Unit, countries=None, instance: MemberOrganisation | None = None, **fields):
    """Create (``instance=None``) or update a member organisation of ``unit``."""
    _check_unit(by, unit)
    if instance is None:
        if MemberOrganisation.objects.filter(unit=unit).exists():
            raise ValidationError({"unit": _("“{}” is already a member organisation.").format(unit)})
        organisation = MemberOrganisation(unit=unit)
    else:
        organisation = MemberOrganisation.objects.select_for_update().get(pk=instance.pk)
        _check_organisation(by, organisation)
        if organisation.unit_id != unit.pk:
            raise ValidationError({"unit": _("The unit of a member organisation cannot change.")})
    for name, value in fields.items():
        if name not in ORGANISATION_FIELDS:
            raise TypeError(name)
        setattr(organisation, name, value.strip() if isinstance(value, str) else value)
    organisation.full_clean()
    organisation.save()
    if countries is not None:
        organisation.countries.set(countries)
    return organisation


@transaction.atomic
def organisation_delete(*, by, organisation: MemberOrganisation) -> None:
    _check_organisation(by, organisation)
    organisation.countries.clear()
    organisation.delete()


@transaction.atomic
def membership_record(*, by, organisation: MemberOrganisation, year: int, members: int, note: str = ""):
    """Record (or correct) the number of members at the end of ``year``."""
    _check_organisation(by, organisation)
    row = MembershipCount.objects.select_for_update().filter(organisation=organisation, year=year).first()
    row = row or MembershipCount(organisation=organisation, year=year)
    row.members, row.note = members, (note or "").strip()
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def congress_record(*, by, organisation: MemberOrganisation, **fields) -> Congress:
    _check_organisation(by, organisation)
    congress = Congress(organisation=organisation, **fields)
    congress.full_clean()
    congress.save()
    return congress


@transaction.atomic
def leader_record(*, by, organisation: MemberOrganisation, **fields) -> Leader:
    _check_organisation(by, organisation)
    leader = Leader(organisation=organisation, **fields)
    leader.full_clean()
    leader.save()
    return leader


@transaction.atomic
def child_delete(*, by, row) -> None:
    """Remove a yearly count, congress or leader (a mistake); it stays in the change log."""
    _check_organisation(by, row.organisation)
    row.delete()


@transaction.atomic
def award_save(*, by, unit: Unit, instance: Award | None = None, **fields) -> Award:
    _check_unit(by, unit)
    _check_decision(by, fields.get("decision"))
    if instance is None:
        award = Award(unit=unit)
    else:
        award = Award.objects.select_for_update().get(pk=instance.pk)
        if by is not None and not Award.objects.for_user(by, CHANGE).filter(pk=award.pk).exists():
            raise PermissionDenied(_("You may not change “{}”.").format(award))
        award.unit = unit
    for name, value in fields.items():
        if name not in AWARD_FIELDS:
            raise TypeError(name)
        setattr(award, name, value.strip() if isinstance(value, str) else value)
    award.full_clean()
    award.save()
    return award


@transaction.atomic
def award_delete(*, by, award: Award) -> None:
    if by is not None and not Award.objects.for_user(by, CHANGE).filter(pk=award.pk).exists():
        raise PermissionDenied(_("You may not change “{}”.").format(award))
    award.delete()
