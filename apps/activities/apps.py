from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "apps.activities"
    label = "activities"
    verbose_name = _("Activities and agreements")

    def ready(self):
        from apps.activities import timeline
        timeline.register_providers()
