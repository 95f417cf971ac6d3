"""The people every permission test is about, in one small province:

    DT (province) ── LHHN-DT (Union) ── HLH-NB (association)
                  └─ UBND-DT ── SNGV-DT (department)

- admin: administrator role at the province
- coordinator: coordinator at the province
- leader: leader at the province (reads everything, changes nothing)
- officer_a: officer of the Union (unit A)
- officer_b: officer of the department (unit B, "other unit")
- superuser: system administrator with no role
"""

from dataclasses import dataclass

from apps.accounts import services
from apps.accounts.models import Unit, User
from apps.core.changelog import change_logging

PASSWORD = "correct-horse-battery-staple-42"


@dataclass
class Province:
    province: Unit
    union: Unit
    association: Unit
    ubnd: Unit
    department: Unit
    admin: User
    coordinator: User
    leader: User
    officer_a: User
    officer_b: User
    superuser: User

    @property
    def unit_a(self) -> Unit:
        return self.union

    @property
    def unit_b(self) -> Unit:
        return self.department


def _user(username, **extra):
    return services.user_create(by=None, password=PASSWORD, username=username, full_name=username.title(), **extra)


def build_province() -> Province:
    with change_logging(user=None):
        province = services.unit_create(parent=None, by=None, name="Tỉnh Thử Nghiệm", code="TN", kind="province")
        union = services.unit_create(
            parent=province, by=None, name="Liên hiệp các tổ chức hữu nghị tỉnh", code="LHHN-TN", kind="union"
        )
        association = services.unit_create(
            parent=union, by=None, name="Hội hữu nghị Việt Nam – Nhật Bản", code="HLH-NB-TN", kind="association"
        )
        ubnd = services.unit_create(
            parent=province, by=None, name="Ủy ban nhân dân tỉnh", code="UBND-TN", kind="peoples_committee"
        )
        department = services.unit_create(parent=ubnd, by=None, name="Sở Ngoại vụ", code="SNGV-TN", kind="department")
        people = {}
        for username, role, unit in [
            ("admin.tn", "admin", province),
            ("coordinator.tn", "coordinator", province),
            ("leader.tn", "leader", province),
            ("officer.a", "officer", union),
            ("officer.b", "officer", department),
        ]:
            people[username] = _user(username)
            services.role_assign(user=people[username], unit=unit, role=role, by=None)
        superuser = _user("root.tn", is_superuser=True, is_staff=True)
    return Province(
        province=province,
        union=union,
        association=association,
        ubnd=ubnd,
        department=department,
        admin=people["admin.tn"],
        coordinator=people["coordinator.tn"],
        leader=people["leader.tn"],
        officer_a=people["officer.a"],
        officer_b=people["officer.b"],
        superuser=superuser,
    )
