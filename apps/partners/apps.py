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
        from apps.core import pickers

        pickers.register(
            pickers.Picker(
                "partners.partner",
                Partner,
                label=partner_label,
                ordering=("name_key", "id"),
                related=("country",),
            )
        )
        from apps.partners import imports  # noqa: F401  (registers the import job)


def partner_label(partner) -> str:
    """How a partner reads in a picker: its name and, to tell namesakes apart, its country."""
    country = partner.country.display_name if partner.country_id else ""
    return "{} ({})".format(partner.display_name, country) if country else partner.display_name
