from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "apps.activities"
    label = "activities"
    verbose_name = _("Activities and agreements")

    def ready(self):
        from apps.activities import timeline
        from apps.activities.models import Activity, Agreement
        from apps.core import search

        search.register(search.SearchTarget(Activity, _("Activities"), "activities:activity_list"))
        search.register(search.SearchTarget(Agreement, _("Agreements"), "activities:agreement_list"))
        timeline.register_providers()
        from apps.activities import imports  # noqa: F401  (registers the import job)
