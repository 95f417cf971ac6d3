from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Dashboards (``dashboards.py``, ``dashboard_views.py``) and the review report
    (``review.py``, ``review_views.py``): everything that sums up the other apps' records."""

    name = "apps.reports"
    label = "reports"
    verbose_name = _("Dashboards and reports")
