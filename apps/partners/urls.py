from django.urls import path

from apps.partners import views

app_name = "partners"

urlpatterns = [
    path("partners/", views.PartnerListView.as_view(), name="partner_list"),
    path("partners/add/", views.PartnerEditView.as_view(), name="partner_add"),
    path("partners/import/", views.PartnerImportView.as_view(), name="partner_import"),
    path("partners/dormant/", views.DormantListView.as_view(), name="partner_dormant"),
    path("partners/alerts/read/", views.RegistrationAlertsReadView.as_view(), name="registration_alerts_read"),
    path("partners/<int:pk>/", views.PartnerDetailView.as_view(), name="partner_detail"),
    path("partners/<int:pk>/edit/", views.PartnerEditView.as_view(), name="partner_edit"),
    path("partners/<int:pk>/delete/", views.PartnerDeleteView.as_view(), name="partner_delete"),
    path("partners/<int:pk>/merge/", views.PartnerMergeView.as_view(), name="partner_merge"),
    path("partners/<int:partner>/contacts/add/", views.ContactEditView.as_view(), name="contact_add"),
    path("partners/<int:partner>/relationships/add/", views.RelationshipEditView.as_view(), name="relationship_add"),
    path("partners/<int:partner>/registrations/add/", views.RegistrationEditView.as_view(), name="ngoregistration_add"),
    path("contacts/", views.ContactListView.as_view(), name="contact_list"),
    path("contacts/<int:pk>/edit/", views.ContactEditView.as_view(), name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.ContactDeleteView.as_view(), name="contact_delete"),
    path("relationships/", views.RelationshipListView.as_view(), name="relationship_list"),
    path("relationships/<int:pk>/edit/", views.RelationshipEditView.as_view(), name="relationship_edit"),
    path("relationships/<int:pk>/delete/", views.RelationshipDeleteView.as_view(), name="relationship_delete"),
    path("ngo-registrations/", views.RegistrationListView.as_view(), name="ngoregistration_list"),
    path("ngo-registrations/<int:pk>/edit/", views.RegistrationEditView.as_view(), name="ngoregistration_edit"),
    path("ngo-registrations/<int:pk>/delete/", views.RegistrationDeleteView.as_view(), name="ngoregistration_delete"),
    path("countries/", views.CountryListView.as_view(), name="country_list"),
    path("countries/add/", views.CountryEditView.as_view(), name="country_add"),
    path("countries/<int:pk>/", views.CountryDetailView.as_view(), name="country_detail"),
    path("countries/<int:pk>/edit/", views.CountryEditView.as_view(), name="country_edit"),
    path("countries/<int:pk>/delete/", views.CountryDeleteView.as_view(), name="country_delete"),
    path("countries/<int:country>/frameworks/add/", views.FrameworkEditView.as_view(), name="partnershipframework_add"),
    path("frameworks/<int:pk>/edit/", views.FrameworkEditView.as_view(), name="partnershipframework_edit"),
    path("frameworks/<int:pk>/delete/", views.FrameworkDeleteView.as_view(), name="partnershipframework_delete"),
]
