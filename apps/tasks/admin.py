"""Django admin for system administrators: tasks are assigned and reported on in the app, whose
services keep the rules; the admin reads and corrects, and is the benchmark's reference changelist."""

from django.contrib import admin

from apps.tasks.models import Notification, ProgressReport, Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    # The columns of the task list page (TaskTable), so the benchmark compares like with like.
    list_display = ("title", "document", "lead_unit", "due_date", "priority", "progress", "completed_on")
    list_filter = ("priority", "recurrence")
    list_select_related = ("lead_unit", "document")
    search_fields = ("title",)
    ordering = ("due_date", "id")
    raw_id_fields = ("document", "parent", "lead_unit", "created_by")
    filter_horizontal = ("supporting_units",)
    readonly_fields = ("progress", "completed_on")
    exclude = ("search_text",)
    show_full_result_count = False


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    """Reports are append-only: the admin shows them and changes nothing."""

    list_display = ("task", "unit", "period", "percent", "reported_on", "review_status")
    list_filter = ("review_status",)
    list_select_related = ("task", "unit")
    raw_id_fields = ("task", "unit", "reported_by", "reviewed_by")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "task", "unit_report", "kind", "key", "created", "read_at", "email_state")
    list_filter = ("kind", "email_state")
    raw_id_fields = ("user", "task", "unit_report")
    show_full_result_count = False
