"""Benchmarks of issue 4 at scale (1,000,000 activities nationally): the activity list filtered by
country and year, the partner page of a partner with 2,000 activities, and the
diacritic-insensitive search — each page against the raw SQL it needs (the floor), and the search
page against the Django admin changelist searching the same rows, measured in the same
interleaved run (see run.py).

The list and search are seen by the coordinator at the last synthetic province (run.viewers());
the partner page by the superuser, who sees all 2,000 activities of the busiest synthetic partner
(its activities are organised by units of several provinces).
"""

from django.contrib import admin
from django.db import connection
from django.utils import timezone

from bench.run import PAGE_ROWS, Bench, _columns, _scope_roles_sql, page

COUNTRY = "LA"
SEARCH = "hội thảo"  # typed with diacritics; the page folds it to "hoi thao"
SUBTREE_ROLES = ("admin", "coordinator", "leader")


def ensure_admin() -> None:
    """A plain changelist of activities with search, as a Django developer would write it. Runs at
    import, before the URLconf is first read (admin.site.urls is built once)."""
    from apps.activities.models import Activity

    if Activity in admin.site._registry:
        return

    class ActivityAdmin(admin.ModelAdmin):
        list_display = ("title", "kind", "start_date", "place_name", "unit", "status")
        list_select_related = ("unit",)
        search_fields = ("title", "description", "place_name", "purpose", "outcome")
        ordering = ("-start_date", "-id")

    admin.site.register(Activity, ActivityAdmin)


ensure_admin()


def _subjects():
    from django.db.models import Count

    from apps.activities.models import Activity
    from apps.partners.models import Country, Partner

    country = Country.objects.get(code=COUNTRY)
    # The generator gives the first synthetic partner the most activities; confirm on a sample.
    busiest = Partner.objects.filter(unit__code__startswith="SYN-").order_by("pk").values_list("pk", flat=True).first()
    if busiest is None:
        raise RuntimeError("No synthetic partner: regenerate the synthetic data.")
    year = (
        Activity.objects.filter(countries=country)
        .values_list("start_date__year")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("start_date__year", flat=True)
        .first()
    ) or timezone.localdate().year
    return country, Partner.objects.get(pk=busiest), year


def _scope_sql(cursor, viewer, alias="a", unit_alias="u"):
    """The WHERE fragment and parameters of the viewer's scope, from their roles (as scoping does):
    subtrees by path prefix, own units, and rows shared with own units."""
    from apps.activities.models import Activity

    if viewer.is_superuser:
        return "1 = 1", []
    today = timezone.localdate()
    cursor.execute(_scope_roles_sql(), [viewer.pk, today, today])
    roles = cursor.fetchall()
    paths = [path for role, _unit, path in roles if role in SUBTREE_ROLES]
    own = [unit for role, unit, _path in roles if role == "officer"]
    parts, params = [], []
    for path in paths:
        parts.append(f'{unit_alias}."path" LIKE %s')
        params.append(path + "%")
    if own:
        marks = ", ".join(["%s"] * len(own))
        through = Activity.participating_units.through._meta.db_table
        parts.append(f'{alias}."unit_id" IN ({marks})')
        parts.append(
            f'EXISTS (SELECT 1 FROM "{through}" pu WHERE pu."activity_id" = {alias}."id" AND pu."unit_id" IN ({marks}))'
        )
        params += own + own
    return "(" + (" OR ".join(parts) or "1 = 0") + ")", params


def _related(cursor, ids):
    """The partners and countries of the listed activities (the two prefetches of the page)."""
    from apps.activities.models import Activity
    from apps.partners.models import Country, Partner

    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    rows = []
    cursor.execute(
        'SELECT l."activity_id", p."id", p."name", p."name_vi", p."name_en", p."name_key" FROM "{}" l '
        'JOIN "{}" p ON p."id" = l."partner_id" WHERE l."activity_id" IN ({})'.format(
            Activity.partners.through._meta.db_table, Partner._meta.db_table, marks
        ),
        ids,
    )
    rows += cursor.fetchall()
    cursor.execute(
        'SELECT l."activity_id", c."id", c."code", c."name_vi", c."name_en" FROM "{}" l '
        'JOIN "{}" c ON c."id" = l."country_id" WHERE l."activity_id" IN ({})'.format(
            Activity.countries.through._meta.db_table, Country._meta.db_table, marks
        ),
        ids,
    )
    return rows + cursor.fetchall()


def _list_floor(viewer, extra_where, extra_params):
    from apps.accounts.models import Unit
    from apps.activities.models import Activity

    # The columns the list reads (apps.activities.selectors.ACTIVITY_LIST_FIELDS).
    select = (
        'SELECT a."id", a."start_date", a."end_date", a."title", a."kind", a."place_name", a."status", '
        'a."vn_participants", a."foreign_participants", a."unit_id", u."id", u."name", u."short_name" '
        'FROM "{}" a JOIN "{}" u ON u."id" = a."unit_id" WHERE '
    ).format(Activity._meta.db_table, Unit._meta.db_table)

    def run():
        with connection.cursor() as cursor:
            scope, params = _scope_sql(cursor, viewer)
            cursor.execute(
                select + scope + " AND " + extra_where + ' ORDER BY a."start_date" DESC, a."id" DESC LIMIT %s',
                params + extra_params() + [PAGE_ROWS + 1],
            )
            rows = cursor.fetchall()
            return rows + _related(cursor, [row[0] for row in rows[:PAGE_ROWS]])

    return run


def country_year_floor(viewer, country, year):
    from datetime import date

    from apps.activities.models import Activity

    through = Activity.countries.through._meta.db_table
    where = (
        f'EXISTS (SELECT 1 FROM "{through}" ac WHERE ac."activity_id" = a."id" AND ac."country_id" = %s) '
        'AND a."start_date" BETWEEN %s AND %s'
    )
    return _list_floor(viewer, where, lambda: [country.pk, date(year, 1, 1), date(year, 12, 31)])


def search_floor(viewer, folded):
    words = [w for w in folded.split(" ") if w]
    where = " AND ".join(['a."search_text" LIKE %s'] * len(words))
    return _list_floor(viewer, where, lambda: ["%{}%".format(w) for w in words])


def partner_floor(partner):
    """What the partner page reads: the partner with its country and unit, tags, contacts,
    relationships, registrations, shared units, and the timeline — the latest entries of each
    source (activities, agreements, aid, notes; relationships and registrations by date)."""
    from django.contrib.contenttypes.models import ContentType

    from apps.accounts.models import Unit
    from apps.activities.models import Activity, Agreement
    from apps.core.models import JournalEntry
    from apps.partners.models import Contact, Country, NgoRegistration, Partner, Relationship, Tag

    p, c, u = Partner._meta.db_table, Country._meta.db_table, Unit._meta.db_table
    one = 'SELECT {}, {}, {} FROM "{}" p LEFT JOIN "{}" c ON c."id" = p."country_id" JOIN "{}" u ON u."id" = p."unit_id" WHERE p."id" = %s'.format(
        _columns(Partner, "p"), _columns(Country, "c"), _columns(Unit, "u"), p, c, u
    )
    tags = 'SELECT t."id", t."name" FROM "{}" pt JOIN "{}" t ON t."id" = pt."tag_id" WHERE pt."partner_id" = %s'.format(
        Partner.tags.through._meta.db_table, Tag._meta.db_table
    )
    shared = 'SELECT {} FROM "{}" ps JOIN "{}" u ON u."id" = ps."unit_id" WHERE ps."partner_id" = %s'.format(
        _columns(Unit, "u"), Partner.shared_units.through._meta.db_table, u
    )
    contacts = 'SELECT {} FROM "{}" x WHERE x."partner_id" = %s'.format(_columns(Contact, "x"), Contact._meta.db_table)
    relationships = 'SELECT {}, {} FROM "{}" r JOIN "{}" u ON u."id" = r."unit_id" WHERE r."partner_id" = %s ORDER BY r."since" DESC'.format(
        _columns(Relationship, "r"), _columns(Unit, "u"), Relationship._meta.db_table, u
    )
    registrations = 'SELECT {} FROM "{}" g WHERE g."partner_id" = %s ORDER BY g."expires_on" DESC'.format(
        _columns(NgoRegistration, "g"), NgoRegistration._meta.db_table
    )
    from apps.aid.models import AidItem
    from apps.partners.timeline import PAGE

    # The timeline opens on its latest PAGE entries: each source reads its newest PAGE + 1 rows
    # (apps.partners.timeline.timeline_page), the relationships and registrations in full (the
    # page lists them beside the timeline anyway).
    shown = PAGE + 1
    activities = (
        'SELECT a."id", a."title", a."kind", a."start_date", a."place_name", a."status" FROM "{}" a '
        'JOIN "{}" ap ON ap."activity_id" = a."id" WHERE ap."partner_id" = %s AND a."status" <> \'cancelled\' '
        'ORDER BY a."start_date" DESC, a."id" DESC LIMIT {}'
    ).format(Activity._meta.db_table, Activity.partners.through._meta.db_table, shown)
    agreements = (
        'SELECT {} FROM "{}" g JOIN "{}" gp ON gp."agreement_id" = g."id" WHERE gp."partner_id" = %s '
        'AND g."signed_on" IS NOT NULL ORDER BY g."signed_on" DESC, g."id" DESC LIMIT {}'
    ).format(_columns(Agreement, "g"), Agreement._meta.db_table, Agreement.partners.through._meta.db_table, shown)
    aid = (
        'SELECT {}, {} FROM "{}" i JOIN "{}" u ON u."id" = i."unit_id" WHERE i."donor_id" = %s '
        'AND i."approved_on" IS NOT NULL ORDER BY i."approved_on" DESC, i."id" DESC LIMIT {}'
    ).format(_columns(AidItem, "i"), _columns(Unit, "u"), AidItem._meta.db_table, u, shown)
    notes = (
        'SELECT {} FROM "{}" j WHERE j."object_type_id" = %s AND j."object_id" = %s '
        'ORDER BY j."created" DESC, j."id" DESC LIMIT {}'
    ).format(_columns(JournalEntry, "j"), JournalEntry._meta.db_table, shown)
    partner_type = ContentType.objects.get_for_model(Partner).pk

    def run():
        with connection.cursor() as cursor:
            rows = []
            for sql in (one, tags, shared, contacts, relationships, registrations, activities, agreements, aid):
                cursor.execute(sql, [partner.pk])
                rows += cursor.fetchall()
            cursor.execute(notes, [partner_type, partner.pk])
            return rows + cursor.fetchall()

    return run


def benches(clients: dict, coordinator, superuser) -> list[Bench]:
    from urllib.parse import quote

    from apps.core.text import fold

    country, partner, year = _subjects()
    coordinator_client, superuser_client = clients["coordinator"], clients["superuser"]
    q = quote(SEARCH)
    return [
        Bench(
            "activities.list.country_year.page",
            page(coordinator_client, "/activities/?country={}&year={}".format(country.code, year)),
            "page",
        ),
        Bench("activities.list.country_year.sql", country_year_floor(coordinator, country, year), "sql"),
        Bench("activities.partner.page", page(superuser_client, partner.get_absolute_url()), "page"),
        Bench("activities.partner.sql", partner_floor(partner), "sql"),
        Bench("activities.search.page", page(coordinator_client, "/activities/?q=" + q), "page"),
        Bench("activities.search.sql", search_floor(coordinator, fold(SEARCH)), "sql"),
        Bench("activities.search.page.superuser", page(superuser_client, "/activities/?q=" + q), "page"),
        Bench("activities.search.sql.superuser", search_floor(superuser, fold(SEARCH)), "sql"),
        Bench(
            "activities.search.admin.superuser", page(superuser_client, "/admin/activities/activity/?q=" + q), "admin"
        ),
    ]


def describe(coordinator) -> str:
    from apps.activities.models import Activity

    country, partner, year = _subjects()
    return "activities: {:,} in all; list of {} in {}; partner {} with {:,} activities; search “{}”".format(
        Activity.objects.count(), country.code, year, partner.pk, partner.activities.count(), SEARCH
    )


def targets(by_name: dict, entry) -> None:
    for name in ("activities.list.country_year", "activities.partner", "activities.search"):
        entry(f"{name}.page p95 / raw SQL p95", by_name[f"{name}.page"], by_name[f"{name}.sql"], "<= 3.0", 3.0, False)
    entry(
        "activities.search.page.superuser p95 / raw SQL p95",
        by_name["activities.search.page.superuser"],
        by_name["activities.search.sql.superuser"],
        "<= 3.0",
        3.0,
        False,
    )
    entry(
        "activities.search.page.superuser p95 / admin changelist p95",
        by_name["activities.search.page.superuser"],
        by_name["activities.search.admin.superuser"],
        "< 1.0",
        1.0,
        True,
    )
