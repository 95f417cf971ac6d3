from django.urls import path

from apps.aid import views

app_name = "aid"

urlpatterns = [
    path("aid/", views.AidItemListView.as_view(), name="aiditem_list"),
    path("aid/add/", views.AidItemEditView.as_view(), name="aiditem_add"),
    path("aid/statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("aid/statistics/stalled/", views.StalledView.as_view(), name="stalled"),
    path("aid/iati/import/", views.IatiImportView.as_view(), name="iati_import"),
    path("aid/iati/export/", views.IatiExportView.as_view(), name="iati_export"),
    path("aid/<int:pk>/", views.AidItemDetailView.as_view(), name="aiditem_detail"),
    path("aid/<int:pk>/edit/", views.AidItemEditView.as_view(), name="aiditem_edit"),
    path("aid/<int:pk>/delete/", views.AidItemDeleteView.as_view(), name="aiditem_delete"),
    path("aid/<int:pk>/step/", views.AidStepView.as_view(), name="aiditem_step"),
    path("aid/<int:pk>/transactions/add/", views.TransactionAddView.as_view(), name="transaction_add_for"),
    path("aid-transactions/", views.TransactionListView.as_view(), name="transaction_list"),
    path("aid-transactions/add/", views.TransactionEditView.as_view(), name="transaction_add"),
    path("aid-transactions/<int:pk>/", views.TransactionDetailView.as_view(), name="transaction_detail"),
    path("aid-transactions/<int:pk>/edit/", views.TransactionEditView.as_view(), name="transaction_edit"),
    path("aid-transactions/<int:pk>/delete/", views.TransactionDeleteView.as_view(), name="transaction_delete"),
    path("exchange-rates/", views.ExchangeRateListView.as_view(), name="exchangerate_list"),
    path("exchange-rates/add/", views.ExchangeRateEditView.as_view(), name="exchangerate_add"),
    path("exchange-rates/import/", views.ExchangeRateImportView.as_view(), name="exchangerate_import"),
    path("exchange-rates/<int:pk>/", views.ExchangeRateDetailView.as_view(), name="exchangerate_detail"),
    path("exchange-rates/<int:pk>/edit/", views.ExchangeRateEditView.as_view(), name="exchangerate_edit"),
    path("exchange-rates/<int:pk>/delete/", views.ExchangeRateDeleteView.as_view(), name="exchangerate_delete"),
]
