from django.urls import path

from apps.documents import views

app_name = "documents"

urlpatterns = [
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/add/", views.DocumentEditView.as_view(), name="document_add"),
    path("documents/from-text/", views.ExtractView.as_view(), name="document_extract"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/edit/", views.DocumentEditView.as_view(), name="document_edit"),
    path("documents/<int:pk>/delete/", views.DocumentDeleteView.as_view(), name="document_delete"),
    path("documents/<int:pk>/links/add/", views.DocumentLinkAddView.as_view(), name="documentlink_add"),
    path("document-links/<int:pk>/delete/", views.DocumentLinkDeleteView.as_view(), name="documentlink_delete"),
]
