"""Workflow on units and people. Views, the API and commands call these; they enforce the rules."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from treebeard.exceptions import InvalidMoveToDescendant

from apps.accounts.models import RoleAssignment, Unit, User
from apps.core.changelog import snapshot
from apps.core.querysets import MANAGE

TREE_FIELDS = ["path", "depth", "numchild"]


def _check_manage(by, unit):
    if by is not None and not Unit.objects.for_user(by, MANAGE).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not manage units under “{}”.").format(unit))


@transaction.atomic
def unit_create(*, parent: Unit | None, by: User | None, **fields) -> Unit:
    """Create a unit under ``parent`` (a root only for a superuser)."""
    if parent is None:
        if by is not None and not by.is_superuser:
            raise PermissionDenied(_("Only a system administrator may create a top-level unit."))
    else:
        _check_manage(by, parent)
    unit = Unit(**fields)
    unit.full_clean(exclude=TREE_FIELDS)
    if parent is None:
        return Unit.objects.add_root(instance=unit)
    parent = Unit.objects.get(pk=parent.pk)  # treebeard needs a fresh numchild
    return Unit.objects.add_child(parent, instance=unit)


@transaction.atomic
def unit_update(*, unit: Unit, by: User | None, parent: Unit | None = None, move: bool = False, **fields) -> Unit:
    """Change a unit's fields and, when ``move`` is set, its place in the tree."""
    _check_manage(by, unit)
    stored = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(stored)
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean(exclude=TREE_FIELDS)
    current_parent = Unit.objects.get_parent(stored)
    if move and (parent.pk if parent else None) != (current_parent.pk if current_parent else None):
        if parent is None:
            raise ValidationError({"parent": _("A unit cannot be made top-level; choose a parent.")})
        _check_manage(by, parent)
        try:
            Unit.objects.move(stored, Unit.objects.get(pk=parent.pk), pos="last-child")
        except InvalidMoveToDescendant as exc:
            raise ValidationError(
                {"parent": _("A unit cannot be placed under itself or one of its own sub-units.")}
            ) from exc
        fresh = Unit.objects.get(pk=unit.pk)
        for name in TREE_FIELDS:
            setattr(unit, name, getattr(fresh, name))
    unit._prechange_snapshot = before  # the move is already stored; log against the true "before"
    unit.save()
    return unit


@transaction.atomic
def unit_delete(*, unit: Unit, by: User | None) -> None:
    """Delete a unit that nothing refers to; otherwise the user is told to end its validity."""
    _check_manage(by, unit)
    unit = Unit.objects.get(pk=unit.pk)
    if unit.numchild:
        raise ValidationError(
            _("“{}” still has sub-units. Move or delete them first, or end its validity instead.").format(unit)
        )
    if unit.roles.exists():
        raise ValidationError(
            _("People still hold roles in “{}”. Remove the roles first, or end its validity instead.").format(unit)
        )
    unit.delete()


@transaction.atomic
def user_create(*, by: User | None, password: str | None = None, **fields) -> User:
    user = User(**fields)
    user.full_clean(exclude=["password"])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User | None) -> User:
    """People are deactivated, not deleted: the change log and their records keep their name."""
    if by is not None and by.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if by is not None and not User.objects.for_user(by, MANAGE).filter(pk=user.pk).exists():
        raise PermissionDenied(_("You may not manage this person."))
    user.is_active = False
    user.save()
    return user


@transaction.atomic
def role_assign(*, user: User, unit: Unit, role: str, by: User | None) -> RoleAssignment:
    _check_manage(by, unit)
    assignment = RoleAssignment(user=user, unit=unit, role=role)
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def role_remove(*, assignment: RoleAssignment, by: User | None) -> None:
    _check_manage(by, assignment.unit)
    if by is not None and by.pk == assignment.user_id and not by.is_superuser:
        raise ValidationError(_("You cannot remove your own role; ask another administrator."))
    assignment.delete()
