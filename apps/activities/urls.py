from django.urls import path

from apps.activities import views

app_name = "activities"

urlpatterns = [
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/add/", views.ActivityEditView.as_view(), name="activity_add"),
    path("activities/wards/", views.WardOptionsView.as_view(), name="wards"),
    path("activities/import/", views.ActivityImportView.as_view(), name="activity_import"),
    path("activities/map/", views.MapView.as_view(), name="activity_map"),
    path("activities/calendar/", views.CalendarView.as_view(), name="activity_calendar"),
    # Outside the login wall on purpose: calendar clients have no session; the key is the secret.
    path("feeds/activities/<int:user_id>/<str:key>.ics", views.ActivityFeedView.as_view(), name="activity_feed"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path("activities/<int:pk>/status/", views.ActivityStatusView.as_view(), name="activity_status"),
    path("activities/<int:activity>/members/add/", views.MemberEditView.as_view(), name="delegationmember_add"),
    path("delegation-members/<int:pk>/edit/", views.MemberEditView.as_view(), name="delegationmember_edit"),
    path("delegation-members/<int:pk>/delete/", views.MemberDeleteView.as_view(), name="delegationmember_delete"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/add/", views.AgreementEditView.as_view(), name="agreement_add"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.AgreementEditView.as_view(), name="agreement_edit"),
    path("agreements/<int:pk>/delete/", views.AgreementDeleteView.as_view(), name="agreement_delete"),
]
