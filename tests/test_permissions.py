"""The permission matrix applied to the two registries of the foundation: units and people."""

from apps.accounts import services
from apps.accounts.models import Unit, User
from tests.matrix import HIDDEN, PermissionMatrix


class TestSubUnitPermissions(PermissionMatrix):
    """A new unit under unit A. Officers see the records of their unit itself (docs/architecture.md),
    so a sub-unit is outside officer A's view; changing units takes the administrator role."""

    model = Unit
    api_list = "/api/units/"
    change_requires_manage = True
    expected = {"officer_a": HIDDEN}

    def make(self, province, unit):
        return services.unit_create(parent=unit, by=None, name="Câu lạc bộ hữu nghị thử", code="CLB-THU", kind="other")


class TestOwnUnitPermissions(PermissionMatrix):
    """Unit A itself: its officer reads it but only administrators change it."""

    model = Unit
    api_list = "/api/units/"
    change_requires_manage = True

    def make(self, province, unit):
        return unit


class TestUserPermissions(PermissionMatrix):
    """A colleague with an officer role in unit A: seen by unit A's officers, managed by administrators."""

    model = User
    api_list = "/api/users/"
    change_requires_manage = True

    def make(self, province, unit):
        colleague = services.user_create(by=None, password=None, username="dong.nghiep", full_name="Đồng Nghiệp Thử")
        services.role_assign(user=colleague, unit=unit, role="officer", by=None)
        return colleague
