from django.urls import path

from apps.tasks import views

app_name = "tasks"

urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/overdue/", views.TaskOverdueView.as_view(), name="task_overdue"),
    path("tasks/scorecard/", views.ScorecardView.as_view(), name="task_scorecard"),
    path("tasks/add/", views.TaskEditView.as_view(), name="task_add"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/delete/", views.TaskDeleteView.as_view(), name="task_delete"),
    path("tasks/<int:pk>/reports/add/", views.ProgressReportAddView.as_view(), name="progressreport_add"),
    path("progress-reports/<int:pk>/review/", views.ProgressReportReviewView.as_view(), name="progressreport_review"),
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("notifications/read/", views.NotificationReadView.as_view(), name="notification_read"),
]
