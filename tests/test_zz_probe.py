from tests.test_permissions import TestSubUnitPermissions as Base, TestUserPermissions as UB
from tests.matrix import FULL, READ_ONLY

class TestWrong(Base):
    expected = {"officer_a": READ_ONLY, "officer_b": READ_ONLY}

class TestWrongUser(UB):
    change_requires_manage = False
