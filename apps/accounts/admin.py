"""Django admin for system administrators (superusers). Daily work happens in the app's pages;
the admin is the operator's tool and the benchmark's reference changelist."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from apps.accounts.models import APIToken, RoleAssignment, Unit, User


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    form = movenodeform_factory(Unit, exclude=["search_text", "version"])
    list_display = ("name", "code", "kind", "depth", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "code")


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "email", "is_active", "last_login")
    search_fields = ("username", "full_name", "email")
    inlines = [RoleInline]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("HữuNghị"), {"fields": ("full_name", "position", "phone")}),)


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "description", "created", "last_used", "expires")
    readonly_fields = ("prefix", "last_used")
    exclude = ("key_hash",)
