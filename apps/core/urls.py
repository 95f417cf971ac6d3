from django.urls import path

from apps.core.views import pages

app_name = "core"

urlpatterns = [
    path("changelog/", pages.changelog_list, name="objectchange_list"),
    path("changelog/<int:pk>/", pages.changelog_detail, name="objectchange_detail"),
    path("search/", pages.search, name="search"),
    path("pick/<str:key>/", pages.picker, name="picker"),
    path("notes/<int:type_id>/<int:object_id>/add/", pages.journal_add, name="journal_add"),
    path("notes/<int:pk>/delete/", pages.journal_delete, name="journal_delete"),
    path("files/<int:type_id>/<int:object_id>/add/", pages.attachment_add, name="attachment_add"),
    path("files/<int:pk>/", pages.attachment_download, name="attachment_download"),
    path("files/<int:pk>/delete/", pages.attachment_delete, name="attachment_delete"),
    path("jobs/", pages.job_list, name="job_list"),
    path("jobs/<int:pk>/", pages.job_detail, name="job_detail"),
]
