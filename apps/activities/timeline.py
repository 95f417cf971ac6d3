"""What activities and agreements contribute to a partner's timeline and to "dormant partners"
(``apps.partners.timeline``): each activity on its start date, each agreement on its signing
date. The dormant list and the last-activity column come from one aggregate query per provider."""

from functools import lru_cache

from django.db.models import DateField, Max, OuterRef, Subquery
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.partners import timeline


@lru_cache(maxsize=16)
def _kind_labels(language) -> dict[str, str]:
    """The kinds' names in ``language``, built once: ``get_kind_display`` per entry (it hashes
    the choices and translates each time) was a fifth of a busy partner's page."""
    from apps.activities.models import Activity

    return {value: str(label) for value, label in Activity.Kind.choices}


def _url_pattern(name: str) -> str:
    # One reverse() per URL name and script prefix, not one per entry: a partner may have
    # hundreds of entries.
    return _pattern(name, get_script_prefix())


@lru_cache(maxsize=16)
def _pattern(name: str, prefix: str) -> str:
    return reverse(name, args=[987654321]).replace("987654321", "{}")


class ActivityProvider(timeline.Provider):
    key = "activities"
    label = _("Activity")
    icon = "calendar-event"
    partner_path = "partners"
    date_field = "start_date"

    @property
    def model(self):
        from apps.activities.models import Activity

        return Activity

    def queryset(self, user):
        return (
            super()
            .queryset(user)
            .exclude(status="cancelled")
            .only("pk", "title", "kind", "start_date", "place_name", "status")
        )

    def active_partner_ids(self, since):
        # From the link table: its partner column is never NULL, and no activity without partners
        # comes in to be filtered out again.
        # Up to today: a visit planned for next year is not activity yet (the partner stays
        # dormant until it happens).
        return (
            self.model.partners.through.objects.filter(
                activity__start_date__gte=since, activity__start_date__lte=timezone.localdate()
            )
            .exclude(activity__status="cancelled")
            .values("partner_id")
        )

    def last_date(self):
        rows = (
            self.model._base_manager.exclude(status="cancelled")
            .filter(partners=OuterRef("pk"), start_date__lte=timezone.localdate())
            .order_by()
            .values("partners")
            .annotate(last=Max("start_date"))
            .values("last")
        )
        return Subquery(rows, output_field=DateField())

    def entry(self, row) -> timeline.Entry:
        return timeline.Entry(
            date=row.start_date,
            title=row.title,
            kind=_kind_labels(get_language()).get(row.kind, row.kind),
            url=_url_pattern("activities:activity_detail").format(row.pk),
            detail=row.place_name,
            colour="info" if row.kind in row.DELEGATION_KINDS else "primary",
        )


class AgreementProvider(timeline.Provider):
    key = "agreements"
    label = _("Agreement")
    icon = "pen"
    partner_path = "partners"
    date_field = "signed_on"

    @property
    def model(self):
        from apps.activities.models import Agreement

        return Agreement

    def entry(self, row) -> timeline.Entry:
        return timeline.Entry(
            date=row.signed_on,
            title=_("{kind} signed: {title}").format(kind=row.get_kind_display(), title=row.title),
            kind=str(_("Agreement")),
            url=_url_pattern("activities:agreement_detail").format(row.pk),
            detail=row.fields_of_cooperation,
            colour="warning",
        )


def register_providers() -> None:
    timeline.register(ActivityProvider())
    timeline.register(AgreementProvider())
