from django.urls import include, path

app_name = "reports"

# Two halves kept in their own modules: the dashboards and the review report.
urlpatterns = [
    path("", include("apps.reports.dashboard_urls")),
    path("", include("apps.reports.review_urls")),
]
