from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "apps.aid"
    label = "aid"
    verbose_name = _("Foreign non-governmental aid")

    def ready(self):
        from apps.aid import jobs  # noqa: F401  registers the IATI import job
        from apps.aid.models import AidItem
        from apps.core import search

        search.register(search.SearchTarget(AidItem, _("Aid items"), "aid:aiditem_list"))
        try:
            from apps.partners import timeline
        except ImportError:  # the partners app without its timeline yet
            return
        from apps.aid.timeline import register_providers

        register_providers(timeline)
