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
        from apps.activities.models import Commitment
        from apps.core import pickers

        pickers.register(
            pickers.Picker("activities.agreement", Agreement, label=agreement_label, ordering=("-signed_on", "-id"))
        )
        pickers.register(
            pickers.Picker(
                "activities.commitment",
                Commitment,
                source=commitments_of_visible_agreements,
                label=commitment_label,
                ordering=("agreement_id", "id"),
                related=("agreement",),
            )
        )
        from apps.activities import imports  # noqa: F401  (registers the import job)


def agreement_label(agreement) -> str:
    if agreement.signed_on:
        return "{} ({})".format(agreement.title, agreement.signed_on.strftime("%d/%m/%Y"))
    return agreement.title


def commitment_label(commitment) -> str:
    """A commitment with the agreement it belongs to (two agreements may promise alike)."""
    return "{} — {}".format(commitment.agreement.title[:80], commitment)


def commitments_of_visible_agreements(user):
    """What the activity form accepts: the commitments of every agreement the user may see
    (an agreement shared with their unit included)."""
    from apps.activities.models import Agreement, Commitment
    from apps.core.querysets import VIEW

    return Commitment.objects.filter(agreement__in=Agreement.objects.for_user(user, VIEW).values("pk"))
