from django.contrib import admin

from apps.core.models import Job, ObjectChange


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    """Read-only: the change log is evidence and is never edited."""

    list_display = ("time", "user_name", "action", "changed_object_type", "object_repr")
    list_filter = ("action", "changed_object_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "user", "status", "created", "finished")
    list_filter = ("status", "kind")
