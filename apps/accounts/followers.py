"""Who hears of a unit's deadlines: its officers; a unit without any (an association kept by the
Union, a Party committee entered for its documents) is followed by the coordinators at or above it,
so that an overdue task or an expiring certificate is never announced to nobody."""

from collections import defaultdict

from apps.accounts.models import RoleAssignment, Unit


def followers(unit_ids) -> dict[int, list]:
    """{unit id: [users]} for the given units, in a fixed order (two or three queries)."""
    unit_ids = set(unit_ids)
    people: dict[int, list] = defaultdict(list)
    rows = (
        RoleAssignment.objects.filter(unit_id__in=unit_ids, role=RoleAssignment.Role.OFFICER, user__is_active=True)
        .select_related("user")
        .order_by("unit_id", "user_id")
    )
    for role in rows:
        people[role.unit_id].append(role.user)
    alone = unit_ids - set(people)
    if alone:
        paths = dict(Unit.objects.filter(pk__in=alone).values_list("pk", "path"))
        coordinators = list(
            RoleAssignment.objects.filter(role=RoleAssignment.Role.COORDINATOR, user__is_active=True)
            .select_related("user", "unit")
            .order_by("user_id")
        )
        for unit_id, path in paths.items():
            chosen = {role.user.pk: role.user for role in coordinators if path.startswith(role.unit.path)}
            if chosen:
                people[unit_id] = list(chosen.values())
    return people
