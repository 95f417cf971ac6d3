"""The donor's side of the partner timeline: each aid item the partner gives, on its approval
date (apps.partners.timeline)."""

from django.utils.translation import gettext_lazy as _


def register_providers(timeline) -> None:
    from apps.aid.models import AidItem
    from apps.aid.money import amount_words

    class AidProvider(timeline.Provider):
        key = "aid"
        label = _("Aid")
        icon = "cash-coin"
        model = AidItem
        partner_path = "donor"
        date_field = "approved_on"

        def queryset(self, user):
            return super().queryset(user).select_related("unit")

        def entry(self, row):
            return timeline.Entry(
                date=row.approved_on,
                title=_("Aid {code} approved: {title}").format(code=row.code, title=row.title),
                url=row.get_absolute_url(),
                detail=_("{amount} to {unit}").format(
                    amount=amount_words(row.committed_amount, row.currency), unit=row.unit
                ),
                colour="success",
            )

    timeline.register(AidProvider())
