from django.urls import path

from apps.reports import review_views as views

urlpatterns = [
    path("review-reports/", views.ReviewReportListView.as_view(), name="reviewreport_list"),
    path("review-reports/add/", views.ReviewReportAddView.as_view(), name="reviewreport_add"),
    path("review-reports/<int:pk>/", views.ReviewReportDetailView.as_view(), name="reviewreport_detail"),
    path("review-reports/<int:pk>/edit/", views.ReviewReportSaveView.as_view(), name="reviewreport_edit"),
    path("review-reports/<int:pk>/delete/", views.ReviewReportDeleteView.as_view(), name="reviewreport_delete"),
    path("review-reports/<int:pk>/final/", views.ReviewReportFinalView.as_view(), name="reviewreport_final"),
    path("review-reports/<int:pk>/reset/<slug:key>/", views.ReviewReportResetView.as_view(), name="reviewreport_reset"),
    path(
        "review-reports/<int:pk>/download.<str:fmt>",
        views.ReviewReportDownloadView.as_view(),
        name="reviewreport_download",
    ),
]
