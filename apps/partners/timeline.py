"""The partner's timeline: dated entries that any app contributes through a provider.

An app registers a provider once (in its ``AppConfig.ready``)::

    from apps.partners import timeline

    class ActivityProvider(timeline.Provider):
        key = "activities"
        label = _("Activities")
        model = Activity           # the model whose rows are the entries
        partner_path = "partners"  # from that model to Partner (FK or many-to-many)
        date_field = "start_date"

        def entry(self, row): ...  # -> timeline.Entry

    timeline.register(ActivityProvider())

The default ``entries``/``active_partner_ids``/``last_date`` read ``model``, ``partner_path`` and
``date_field``; a provider overrides them when its rows are not that simple. "Dormant partners"
asks every provider which partners were active since a day — one query per provider, never a loop
over partners — so activities and aid join in by registering, nothing else.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date

from django.db.models import DateField, F, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.querysets import VIEW


@dataclass
class Entry:
    date: date | None  # None: the record has no date (an agreement whose signing day is unknown)
    title: str
    kind: str = ""  # the provider's label, filled in by ``entries_for``
    url: str | None = None
    icon: str = "circle"
    detail: str = ""
    colour: str = "secondary"


class Provider(ABC):
    """One source of dated entries on a partner's page; a subclass names its model and says how a
    row reads (``entry``)."""

    key = ""
    label = ""
    icon = "circle"
    model = None
    partner_path = "partner"
    date_field = "date"
    #: whether rows count as activity for "dormant partners" (notes and files do not)
    counts_as_activity = True
    #: most entries one call reads from this provider when no limit is asked
    limit = 200

    def queryset(self, user):
        return self.model.objects.for_user(user, VIEW)

    @abstractmethod
    def entry(self, row) -> Entry:
        """How one row of ``model`` reads on the timeline."""

    def entries(self, *, partner, user, limit: int | None = None) -> list[Entry]:
        """The partner's latest ``limit`` entries from this provider, newest first, then the
        undated ones (a record without its date is still part of the partner's history)."""
        newest = "-" + self.date_field
        if self.model._meta.get_field(self.date_field).null:
            # NULLS LAST only where there can be NULLs: the plain order keeps its index elsewhere
            newest = F(self.date_field).desc(nulls_last=True)
        rows = self.queryset(user).filter(**{self.partner_path: partner}).order_by(newest, "-pk")[: limit or self.limit]
        return [self.entry(row) for row in rows]

    def active_partner_ids(self, since: date):
        """A queryset of the ids of partners with an entry on or after ``since``, as one
        ``.values(…)`` column, never NULL: "pk NOT IN (…, NULL)" would exclude every partner.
        An override keeps that promise (``dormant`` relies on it)."""
        # Up to today: a record dated in the future (a visit planned for next year) is not
        # activity yet, and would hide a dormant partner until then.
        return self.model._base_manager.filter(
            **{
                self.date_field + "__gte": since,
                self.date_field + "__lte": timezone.localdate(),
                self.partner_path + "__isnull": False,
            }
        ).values(self.partner_path)

    def last_date(self):
        """An expression: the date of a partner's latest entry (for ``OuterRef('pk')``)."""
        rows = (
            self.model._base_manager.filter(
                **{self.partner_path: OuterRef("pk"), self.date_field + "__lte": timezone.localdate()}
            )
            .order_by()
            .values(self.partner_path)
            .annotate(last=Max(self.date_field))
            .values("last")
        )
        return Subquery(rows, output_field=DateField())


_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if all(p.key != provider.key for p in _providers):
        _providers.append(provider)


def providers() -> list[Provider]:
    return list(_providers)


#: entries of a timeline drawn at once; "older entries" brings the next ones
PAGE = 50


def entries_for(partner, user, *, offset: int = 0, count: int | None = None) -> list[Entry]:
    """Every provider's entries for ``partner`` that ``user`` may see, newest first: all of them
    up to each provider's limit, or the ``count`` entries after the first ``offset``."""
    return timeline_page(partner, user, offset=offset, count=count)[0]


def timeline_page(partner, user, *, offset: int = 0, count: int | None = None) -> tuple[list[Entry], bool]:
    """(the entries ``offset`` … ``offset + count`` of the merged timeline, whether older ones
    exist). Each provider reads only its newest ``offset + count + 1`` rows: no entry further down
    can reach that window. A partner with thousands of activities opens on its latest ``PAGE``."""
    limit = offset + count + 1 if count is not None else None
    out = []
    for provider in _providers:
        for entry in provider.entries(partner=partner, user=user, limit=limit):
            entry.kind = entry.kind or str(provider.label)
            entry.icon = entry.icon if entry.icon != "circle" else provider.icon
            out.append(entry)
    # Newest first, undated entries last (as each provider reads them); stable: ties keep
    # provider order, then newest row.
    out.sort(key=lambda e: (e.date is not None, e.date or date.min), reverse=True)
    if count is None:
        return out, False
    return out[offset : offset + count], len(out) > offset + count


def dormant(queryset, since: date):
    """The partners of ``queryset`` with no activity on or after ``since``."""
    for provider in _providers:
        if provider.counts_as_activity:
            # ``active_partner_ids`` never lists a NULL (see its contract). Excluding NULLs again here
            # cost a correlated subquery per row of a many-to-many list: 5 s nationally.
            queryset = queryset.exclude(pk__in=provider.active_partner_ids(since))
    return queryset


def with_last_activity(queryset):
    """Annotate ``last_activity``: the latest activity date over every provider (None if never)."""
    expressions = [p.last_date() for p in _providers if p.counts_as_activity]
    if not expressions:
        return queryset.annotate(last_activity=Value(None, output_field=DateField()))
    if len(expressions) == 1:
        return queryset.annotate(last_activity=expressions[0])
    # GREATEST is NULL as soon as one argument is on SQLite: compare with a floor, then drop it.
    from django.db.models.functions import Greatest, NullIf

    floor = Value(date(1, 1, 1))
    latest = Greatest(*(Coalesce(e, floor) for e in expressions), output_field=DateField())
    return queryset.annotate(last_activity=NullIf(latest, floor))


# -- the partners app's own providers ---------------------------------------------------------


class RelationshipProvider(Provider):
    key = "relationships"
    label = _("Relationship")
    icon = "link-45deg"
    date_field = "since"

    @property
    def model(self):
        from apps.partners.models import Relationship

        return Relationship

    def queryset(self, user):
        return super().queryset(user).select_related("unit")

    def entry(self, row) -> Entry:
        return Entry(
            date=row.since,
            title=_("{kind} with {unit} began").format(kind=row.get_kind_display(), unit=row.unit),
            url=row.get_absolute_url(),
            detail=row.description,
            colour="primary",
        )


class RegistrationProvider(Provider):
    key = "registrations"
    label = _("NGO registration")
    icon = "patch-check"
    date_field = "issued_on"

    @property
    def model(self):
        from apps.partners.models import NgoRegistration

        return NgoRegistration

    def entry(self, row) -> Entry:
        return Entry(
            date=row.issued_on,
            title=_("{kind} certificate {number} issued, valid until {day}").format(
                kind=row.get_kind_display(), number=row.number, day=row.expires_on.strftime("%d/%m/%Y")
            ),
            url=row.get_absolute_url(),
            detail=row.permitted_fields,
            colour="success",
        )


class JournalProvider(Provider):
    """Notes written on the partner's page: on the timeline, but not "activity"."""

    key = "notes"
    label = _("Note")
    icon = "journal-text"
    counts_as_activity = False
    limit = 50

    def entries(self, *, partner, user, limit: int | None = None) -> list[Entry]:
        from django.contrib.contenttypes.models import ContentType

        from apps.core.models import JournalEntry

        ct = ContentType.objects.get_for_model(type(partner))
        rows = JournalEntry.objects.filter(object_type=ct, object_id=partner.pk).order_by("-created", "-pk")[
            : limit or self.limit
        ]
        return [self.entry(row) for row in rows]

    def entry(self, row) -> Entry:
        from django.urls import reverse

        return Entry(
            date=row.created.date(),
            title=(row.comments[:140] + "…") if len(row.comments) > 140 else row.comments,
            url="{}?tab=journal".format(reverse("partners:partner_detail", args=[row.object_id])),
            colour=row.kind if row.kind != "info" else "secondary",
        )


def register_own() -> None:
    register(RelationshipProvider())
    register(RegistrationProvider())
    register(JournalProvider())
