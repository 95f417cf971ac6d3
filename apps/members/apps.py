from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "apps.members"
    label = "members"
    verbose_name = _("Member organisations and awards")

    def ready(self):
        from apps.core import search
        from apps.members.models import Award, MemberOrganisation

        search.register(
            search.SearchTarget(MemberOrganisation, _("Member organisations"), "members:memberorganisation_list")
        )
        search.register(search.SearchTarget(Award, _("Awards"), "members:award_list"))
