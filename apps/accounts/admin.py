"""Django admin for system administrators (superusers). Daily work happens in the app's pages;
the admin is the operator's tool and the benchmark's reference changelist."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import APIToken, RoleAssignment, Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Units are added and moved in the app, whose services keep the tree consistent; the admin
    only corrects fields."""

    list_display = ("name", "code", "kind", "depth", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    ordering = ("path",)
    readonly_fields = ("path", "depth", "numchild")
    exclude = ("search_text",)

    def has_add_permission(self, request):
        return False


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
