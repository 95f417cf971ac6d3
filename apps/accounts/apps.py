from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Units and people")

    def ready(self):
        from apps.accounts import imports  # noqa: F401  (registers the import job)
        from apps.accounts.models import Unit, User
        from apps.core import search

        search.register(search.SearchTarget(Unit, _("Units"), "accounts:unit_list"))
        search.register(search.SearchTarget(User, _("Users"), "accounts:user_list"))
