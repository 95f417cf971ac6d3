from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "apps.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from apps.core import search
        from apps.partners import timeline
        from apps.partners.models import Country, Partner

        search.register(search.SearchTarget(Partner, _("Partners"), "partners:partner_list"))
        search.register(search.SearchTarget(Country, _("Countries"), "partners:country_list"))
        timeline.register_own()
        from apps.partners import imports  # noqa: F401  (registers the import job)
