from django.urls import path

from apps.reports import dashboard_views

# The home page ("/", apps.core.views.pages.home) shows the dashboard of each role; these are the
# year at a glance alone and the XLSX export of any dashboard table.
urlpatterns = [
    path("dashboard/year/", dashboard_views.year_page, name="dashboard_year"),
    path("dashboard/export.xlsx", dashboard_views.export_xlsx, name="dashboard_xlsx"),
]
