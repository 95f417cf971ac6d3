"""The admin changelists the benchmark compares the list pages with.

``apps/accounts/admin.py`` registers the real ``UnitAdmin`` and ``UserAdmin``; this fallback only
registers equivalents when that module has not (an older checkout), so the benchmark always has a
changelist to measure. Its columns match the list pages' tables.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin


def ensure_registered(site=None) -> list[str]:
    """Register fallback ModelAdmins for Unit and User where none exist; returns what it added.

    Must run before the URLconf is first imported: ``admin.site.urls`` is read once, then.
    """
    from apps.accounts.models import Unit, User

    site = site or admin.site
    added = []
    if Unit not in site._registry:

        class UnitAdmin(admin.ModelAdmin):
            list_display = ("name", "code", "kind", "depth", "valid_from", "valid_to")
            search_fields = ("name", "code")

        site.register(Unit, UnitAdmin)
        added.append("Unit")
    if User not in site._registry:

        class UserAdmin(DjangoUserAdmin):
            list_display = ("username", "full_name", "email", "is_active", "last_login")
            search_fields = ("username", "full_name", "email")

        site.register(User, UserAdmin)
        added.append("User")
    return added
