from django.urls import path

from apps.members import views

app_name = "members"

urlpatterns = [
    path("member-organisations/", views.MemberOrganisationListView.as_view(), name="memberorganisation_list"),
    path("member-organisations/add/", views.MemberOrganisationEditView.as_view(), name="memberorganisation_add"),
    path(
        "member-organisations/<int:pk>/", views.MemberOrganisationDetailView.as_view(), name="memberorganisation_detail"
    ),
    path(
        "member-organisations/<int:pk>/edit/",
        views.MemberOrganisationEditView.as_view(),
        name="memberorganisation_edit",
    ),
    path(
        "member-organisations/<int:pk>/delete/",
        views.MemberOrganisationDeleteView.as_view(),
        name="memberorganisation_delete",
    ),
    path("member-organisations/<int:pk>/<str:kind>/add/", views.OrganisationRowAddView.as_view(), name="row_add"),
    path(
        "member-organisations/rows/<str:kind>/<int:pk>/delete/",
        views.OrganisationRowDeleteView.as_view(),
        name="row_delete",
    ),
    path("awards/", views.AwardListView.as_view(), name="award_list"),
    path("awards/add/", views.AwardEditView.as_view(), name="award_add"),
    path("awards/<int:pk>/", views.AwardDetailView.as_view(), name="award_detail"),
    path("awards/<int:pk>/edit/", views.AwardEditView.as_view(), name="award_edit"),
    path("awards/<int:pk>/delete/", views.AwardDeleteView.as_view(), name="award_delete"),
]
