from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Dashboards (``dashboards.py``, ``dashboard_views.py``) and the review report
    (``review.py``, ``review_services.py``, ``review_views.py``): everything that sums up the
    other apps' records."""

    name = "apps.reports"
    label = "reports"
    verbose_name = _("Dashboards and reports")

    def ready(self):
        from apps.reports import review_services  # noqa: F401  registers the final-DOCX job
