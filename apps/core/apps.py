from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from apps.core import signals  # noqa: F401  (connects the change-log receivers)
        from apps.core.pickers import register_core_pickers

        register_core_pickers()
