from django.urls import path

from apps.tasks import views

app_name = "tasks"

urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/overdue/", views.TaskOverdueView.as_view(), name="task_overdue"),
    path("tasks/calendar/", views.CalendarView.as_view(), name="task_calendar"),
    path("tasks/scorecard/", views.ScorecardView.as_view(), name="task_scorecard"),
    path("tasks/add/", views.TaskEditView.as_view(), name="task_add"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/delete/", views.TaskDeleteView.as_view(), name="task_delete"),
    path("tasks/<int:pk>/reports/add/", views.ProgressReportAddView.as_view(), name="progressreport_add"),
    path("progress-reports/<int:pk>/review/", views.ProgressReportReviewView.as_view(), name="progressreport_review"),
    path("reporting-periods/", views.ReportingPeriodListView.as_view(), name="reportingperiod_list"),
    path("reporting-periods/add/", views.ReportingPeriodEditView.as_view(), name="reportingperiod_add"),
    path("reporting-periods/<int:pk>/", views.ReportingPeriodDetailView.as_view(), name="reportingperiod_detail"),
    path("reporting-periods/<int:pk>/edit/", views.ReportingPeriodEditView.as_view(), name="reportingperiod_edit"),
    path(
        "reporting-periods/<int:pk>/delete/", views.ReportingPeriodDeleteView.as_view(), name="reportingperiod_delete"
    ),
    path("reporting-periods/<int:pk>/state/", views.ReportingPeriodStateView.as_view(), name="reportingperiod_state"),
    path(
        "reporting-periods/<int:pk>/consolidated.docx",
        views.ReportingPeriodDocxView.as_view(),
        name="reportingperiod_docx",
    ),
    path("reporting-periods/<int:pk>/prepare/", views.UnitReportPrepareView.as_view(), name="unitreport_prepare"),
    path("unit-reports/<int:pk>/", views.UnitReportDetailView.as_view(), name="unitreport_detail"),
    path("unit-reports/<int:pk>/save/", views.UnitReportSaveView.as_view(), name="unitreport_save"),
    path("unit-reports/<int:pk>/review/", views.UnitReportReviewView.as_view(), name="unitreport_review"),
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("notifications/read/", views.NotificationReadView.as_view(), name="notification_read"),
]
