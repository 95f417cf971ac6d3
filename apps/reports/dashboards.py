"""Selectors of the home dashboards: what each role acts on, by aggregate queries only.

- officer: the tasks their own unit leads that are due soon or overdue, and the reports returned to
  it (progress reports not yet followed by a new one; unit reports of open periods);
- coordinator (and administrator): units that have not reported in open reporting periods, overdue
  tasks by lead unit, agreements and NGO registrations expiring;
- leader (and coordinator, administrator, superuser — they read everything under their unit): the
  year at a glance — activities by kind and month, delegations in and out by country, partners by
  country, aid committed and disbursed, task completion by unit.

Every figure is a COUNT or SUM with a GROUP BY in the database, never a loop over records, and
every figure carries the address of the list page that shows the records behind it (the list's own
FilterSet reproduces the figure). A section reads what ``Model.objects.for_user`` lets the person
see, so a figure and the list it links to always agree.

The sections come as ``Table`` objects: the page draws each as an HTML table (the accessible view,
also without JavaScript) and a chart, and the XLSX export writes the same rows.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.accounts.scoping import get_scope
from apps.core.querysets import VIEW

#: agreements and NGO registrations ending within this many days are "expiring"
EXPIRY_DAYS = 90
#: rows of a list (tasks, reports, agreements) shown on the home page; the link opens the rest
LIST_ROWS = 10
#: units shown in a by-unit chart (the table holds them all)
CHART_UNITS = 15
#: rows of a by-unit table drawn on the page: a national viewer's table has thousands of units
#: (3.6 MB of home page); the Excel file of the table and the full list carry every row
TABLE_ROWS = 50

SECTION_OFFICER, SECTION_COORDINATOR, SECTION_YEAR = "officer", "coordinator", "year"


# -- the shape every section is drawn from ------------------------------------------------------


@dataclass
class Cell:
    """A value as the page shows it (``text``, Vietnamese number format), as the workbook stores
    it (``value``), and the list page of the records behind it (``url``)."""

    value: object
    url: str = ""
    text: str = ""

    def __post_init__(self):
        if not self.text:
            self.text = _number(self.value) if isinstance(self.value, int | float | Decimal) else str(self.value or "")

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, int | float | Decimal)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    footer: list[Cell] | None = None
    note: str = ""
    more_url: str = ""  # the full list, when the table shows only its first rows
    chart: dict | None = None  # what dashboard.js draws (json_script)

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def shown_rows(self) -> list[list[Cell]]:
        return self.rows[:TABLE_ROWS]

    @property
    def hidden_rows(self) -> int:
        return max(len(self.rows) - TABLE_ROWS, 0)


def _number(value, decimals: int = 0) -> str:
    if isinstance(value, float):
        decimals = 1
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _url(name: str, **query) -> str:
    base = reverse(name)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return "{}?{}".format(base, urlencode(query)) if query else base


def _iso(day: date) -> str:
    return day.isoformat()


# -- who sees which section ---------------------------------------------------------------------


def sections_for(user) -> list[str]:
    """The sections of each of ``user``'s roles, in page order."""
    scope = get_scope(user)
    if not scope.is_authenticated:
        return []
    sections = []
    if scope.own_unit_ids(VIEW):
        sections.append(SECTION_OFFICER)
    if scope.is_superuser or scope.has_role("coordinator", "admin"):
        sections.append(SECTION_COORDINATOR)
    if scope.is_superuser or scope.has_role("leader", "coordinator", "admin"):
        sections.append(SECTION_YEAR)
    return sections


# -- officer: what my unit must act on ----------------------------------------------------------


def officer_section(user, *, today: date | None = None) -> list[Table]:
    """The tasks the officer's own units lead that are overdue or due soon (counts per unit and the
    most urgent rows), the progress reports returned to those units and not yet followed by a new
    report, and their unit reports returned in periods still open."""
    from apps.accounts.models import Unit
    from apps.tasks.models import ProgressReport, ReportingPeriod, Task, TaskStatus, UnitReport, status_q

    today = today or timezone.localdate()
    unit_ids = get_scope(user).own_unit_ids(VIEW)
    units = list(Unit.objects.filter(pk__in=unit_ids).only("pk", "name", "short_name", "code").order_by("path"))
    tasks = Task.objects.for_user(user, VIEW).filter(lead_unit_id__in=unit_ids)
    overdue_q, soon_q = status_q(TaskStatus.OVERDUE, today), status_q(TaskStatus.DUE_SOON, today)
    counts = {
        r["lead_unit_id"]: r
        for r in tasks.filter(overdue_q | soon_q)
        .order_by()
        .values("lead_unit_id")
        .annotate(overdue=Count("pk", filter=overdue_q), due_soon=Count("pk", filter=soon_q))
    }
    summary = Table(
        "my_tasks",
        _("Tasks of my unit that need action"),
        [_("Unit"), _("Overdue"), _("Due soon")],
    )
    for unit in units:
        row = counts.get(unit.pk, {})
        summary.rows.append(
            [
                Cell(unit.name, unit.get_absolute_url()),
                Cell(
                    row.get("overdue", 0),
                    _url("tasks:task_list", status=TaskStatus.OVERDUE.value, lead_unit=unit.pk),
                ),
                Cell(
                    row.get("due_soon", 0),
                    _url("tasks:task_list", status=TaskStatus.DUE_SOON.value, lead_unit=unit.pk),
                ),
            ]
        )

    urgent = Table(
        "my_urgent_tasks",
        _("Most urgent tasks"),
        [_("Task"), _("Lead unit"), _("Due date"), _("Status")],
        note=_("Overdue first, then due soon, by due date."),
    )
    for task in tasks.filter(overdue_q | soon_q).select_related("lead_unit").order_by("due_date", "id")[:LIST_ROWS]:
        urgent.rows.append(
            [
                Cell(task.title, task.get_absolute_url()),
                Cell(task.lead_unit.short_name or task.lead_unit.name),
                Cell(task.due_date, text=task.due_date.strftime("%d/%m/%Y") if task.due_date else ""),
                Cell(str(task.status_label)),
            ]
        )
    if len(units) == 1:
        urgent.more_url = _url("tasks:task_list", lead_unit=units[0].pk)

    newer = ProgressReport.objects.filter(
        task_id=OuterRef("task_id"), unit_id=OuterRef("unit_id"), pk__gt=OuterRef("pk")
    )
    returned = (
        ProgressReport.objects.for_user(user, VIEW)
        .filter(unit_id__in=unit_ids, review_status=ProgressReport.Review.RETURNED, task__completed_on__isnull=True)
        .filter(~Exists(newer))
    )
    reports = Table(
        "returned_reports",
        _("Progress reports returned to my unit"),
        [_("Task"), _("Unit"), _("Reported on"), _("Reason for returning")],
        note=_("Each waits for a new report from the unit."),
    )
    for report in returned.select_related("task", "unit").order_by("-reviewed_at", "-id")[:LIST_ROWS]:
        reports.rows.append(
            [
                Cell(report.task.title, report.get_absolute_url()),
                Cell(report.unit.short_name or report.unit.name),
                Cell(report.reported_on, text=report.reported_on.strftime("%d/%m/%Y")),
                Cell(report.reason),
            ]
        )

    period_reports = Table(
        "returned_unit_reports",
        _("Periodic reports returned to my unit"),
        [_("Reporting period"), _("Unit"), _("Reports due"), _("Reason for returning")],
    )
    for report in (
        UnitReport.objects.for_user(user, VIEW)
        .filter(unit_id__in=unit_ids, state=UnitReport.State.RETURNED, period__state=ReportingPeriod.State.OPEN)
        .select_related("period", "unit")
        .order_by("period__due_date", "id")[:LIST_ROWS]
    ):
        period_reports.rows.append(
            [
                Cell(report.period.name, report.get_absolute_url()),
                Cell(report.unit.short_name or report.unit.name),
                Cell(report.period.due_date, text=report.period.due_date.strftime("%d/%m/%Y")),
                Cell(report.reason),
            ]
        )
    return [summary, urgent, reports, period_reports]


# -- coordinator: who is late ---------------------------------------------------------------------


def coordinator_section(user, *, today: date | None = None) -> list[Table]:
    from apps.activities.models import Agreement, AgreementStatus, agreement_status_q
    from apps.partners.models import NgoRegistration
    from apps.tasks.models import ReportingPeriod, Task, TaskStatus, UnitReport, status_q

    today = today or timezone.localdate()

    # Units asked to report in an open period that have not submitted (no report, a draft, or a
    # report returned to them): the period's roster page lists them with their state.
    through = ReportingPeriod.units.through
    filed = UnitReport.objects.filter(
        period_id=OuterRef("reportingperiod_id"),
        unit_id=OuterRef("unit_id"),
        state__in=[UnitReport.State.SUBMITTED, UnitReport.State.ACCEPTED],
    )
    missing = through.objects.filter(
        reportingperiod_id__in=ReportingPeriod.objects.for_user(user, VIEW)
        .filter(state=ReportingPeriod.State.OPEN)
        .values("pk")
    ).filter(~Exists(filed))
    not_reported = Table(
        "not_reported",
        _("Units that have not reported (open reporting periods)"),
        [_("Reporting period"), _("Reports due"), _("Units that have not reported")],
    )
    for r in (
        missing.order_by()
        .values("reportingperiod_id", "reportingperiod__name", "reportingperiod__due_date")
        .annotate(n=Count("pk"))
        .order_by("reportingperiod__due_date", "reportingperiod_id")
    ):
        url = reverse("tasks:reportingperiod_detail", args=[r["reportingperiod_id"]])
        due = r["reportingperiod__due_date"]
        not_reported.rows.append(
            [
                Cell(r["reportingperiod__name"], url),
                Cell(due, text="{}{}".format(due.strftime("%d/%m/%Y"), " ⚠" if due < today else "")),
                Cell(r["n"], url + "#roster"),
            ]
        )
    late_units = Table(
        "not_reported_units",
        _("Which units"),
        [_("Unit"), _("Reporting period")],
    )
    for row in missing.select_related("unit", "reportingperiod").order_by(
        "reportingperiod__due_date", "reportingperiod_id", "unit__path"
    )[:LIST_ROWS]:
        late_units.rows.append(
            [
                Cell(row.unit.name, row.unit.get_absolute_url()),
                Cell(row.reportingperiod.name, row.reportingperiod.get_absolute_url()),
            ]
        )

    overdue_rows = list(
        Task.objects.for_user(user, VIEW)
        .filter(status_q(TaskStatus.OVERDUE, today))
        .order_by()
        .values("lead_unit_id", "lead_unit__name", "lead_unit__short_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_unit__name")
    )
    overdue = Table(
        "overdue_by_unit",
        _("Overdue tasks by lead unit"),
        [_("Lead unit"), _("Overdue tasks")],
    )
    for r in overdue_rows:
        overdue.rows.append(
            [
                Cell(r["lead_unit__name"], reverse("accounts:unit_detail", args=[r["lead_unit_id"]])),
                Cell(r["n"], _url("tasks:task_list", status=TaskStatus.OVERDUE.value, lead_unit=r["lead_unit_id"])),
            ]
        )
    if overdue_rows:
        overdue.footer = [
            Cell(_("Total")),
            Cell(sum(r["n"] for r in overdue_rows), _url("tasks:task_list", status=TaskStatus.OVERDUE.value)),
        ]
        shown = overdue_rows[:CHART_UNITS]
        overdue.chart = {
            "type": "bars",
            "horizontal": True,
            "categories": [r["lead_unit__short_name"] or r["lead_unit__name"] for r in shown],
            "series": [
                {
                    "name": _("Overdue tasks"),
                    "colour": "#dc3545",
                    "data": [{"value": r["n"], "url": overdue.rows[i][1].url} for i, r in enumerate(shown)],
                }
            ],
        }

    horizon = today + timedelta(days=EXPIRY_DAYS)
    expiring = (
        Agreement.objects.for_user(user, VIEW)
        .filter(agreement_status_q(AgreementStatus.IN_FORCE, today))
        .filter(valid_to__gte=today, valid_to__lte=horizon)
    )
    agreements_url = _url("activities:agreement_list", expiring_within=EXPIRY_DAYS)
    agreements = Table(
        "agreements_expiring",
        _("Agreements expiring within {days} days").format(days=EXPIRY_DAYS),
        [_("Agreement"), _("Valid until")],
        more_url=agreements_url,
    )
    for agreement in expiring.only("pk", "title", "valid_to").order_by("valid_to", "id")[:LIST_ROWS]:
        agreements.rows.append(
            [
                Cell(agreement.title, agreement.get_absolute_url()),
                Cell(agreement.valid_to, text=agreement.valid_to.strftime("%d/%m/%Y")),
            ]
        )

    # The registration list's own "expiring within" filter also keeps those lapsed for 30 days.
    registrations_qs = NgoRegistration.objects.for_user(user, VIEW).filter(
        expires_on__gte=today - timedelta(days=30), expires_on__lte=horizon
    )
    registrations_url = _url("partners:ngoregistration_list", within=EXPIRY_DAYS)
    registrations = Table(
        "registrations_expiring",
        _("NGO registrations expiring within {days} days (or lapsed in the last 30)").format(days=EXPIRY_DAYS),
        [_("Partner"), _("Certificate"), _("Expiry date")],
        more_url=registrations_url,
    )
    for reg in registrations_qs.select_related("partner").order_by("expires_on", "id")[:LIST_ROWS]:
        registrations.rows.append(
            [
                Cell(str(reg.partner), reg.get_absolute_url()),
                Cell(str(reg)),
                Cell(
                    reg.expires_on,
                    text="{}{}".format(reg.expires_on.strftime("%d/%m/%Y"), " ⚠" if reg.expires_on < today else ""),
                ),
            ]
        )
    counts = {
        "agreements": expiring.count() if len(agreements.rows) >= LIST_ROWS else len(agreements.rows),
        "registrations": registrations_qs.count() if len(registrations.rows) >= LIST_ROWS else len(registrations.rows),
    }
    agreements.footer = [Cell(_("Total")), Cell(counts["agreements"], agreements_url)]
    registrations.footer = [Cell(_("Total")), Cell(""), Cell(counts["registrations"], registrations_url)]
    return [not_reported, late_units, overdue, agreements, registrations]


# -- leader: the year at a glance -----------------------------------------------------------------


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def activities_table(user, year: int) -> Table:
    """Activities starting in ``year`` by kind and month (one GROUP BY)."""
    from apps.activities.models import Activity

    start, end = year_bounds(year)
    counts: dict[tuple[str, int], int] = {}
    for r in (
        Activity.objects.for_user(user, VIEW)
        .filter(start_date__gte=start, start_date__lte=end)
        .order_by()
        .annotate(month=ExtractMonth("start_date"))
        .values("kind", "month")
        .annotate(n=Count("pk"))
    ):
        counts[(r["kind"], r["month"])] = r["n"]
    months = range(1, 13)
    table = Table(
        "activities",
        _("Activities by kind and month, {year}").format(year=year),
        [_("Kind"), *["{:02d}/{}".format(m, year) for m in months], _("Total")],
        note=_("By start date; every status (planned, held, cancelled) counts, as in the activity list."),
    )

    def month_range(month):
        return _iso(date(year, month, 1)), _iso(date(year, month, calendar.monthrange(year, month)[1]))

    kinds = [(value, label) for value, label in Activity.Kind.choices if any(counts.get((value, m)) for m in months)]
    series = []
    for value, label in kinds:
        cells = [Cell(str(label), _url("activities:activity_list", kind=value, year=year))]
        for m in months:
            after, before = month_range(m)
            cells.append(
                Cell(
                    counts.get((value, m), 0),
                    _url("activities:activity_list", kind=value, start_after=after, start_before=before),
                )
            )
        cells.append(
            Cell(
                sum(counts.get((value, m), 0) for m in months), _url("activities:activity_list", kind=value, year=year)
            )
        )
        table.rows.append(cells)
        series.append(
            {"name": str(label), "stack": "all", "data": [{"value": c.value, "url": c.url} for c in cells[1:13]]}
        )
    footer = [Cell(_("Total"), _url("activities:activity_list", year=year))]
    for m in months:
        after, before = month_range(m)
        footer.append(
            Cell(
                sum(n for (_kind, month), n in counts.items() if month == m),
                _url("activities:activity_list", start_after=after, start_before=before),
            )
        )
    footer.append(Cell(sum(counts.values()), _url("activities:activity_list", year=year)))
    table.footer = footer
    if counts:
        table.chart = {"type": "bars", "categories": table.columns[1:13], "series": series}
    return table


def delegations_table(user, year: int) -> Table:
    """Incoming and outgoing delegations starting in ``year`` by country (one GROUP BY over the
    activity–country links of the visible delegations)."""
    from apps.activities.models import Activity

    start, end = year_bounds(year)
    incoming, outgoing = Activity.Kind.INCOMING_DELEGATION, Activity.Kind.OUTGOING_DELEGATION
    delegations = (
        Activity.objects.for_user(user, VIEW)
        .filter(start_date__gte=start, start_date__lte=end, kind__in=[incoming, outgoing])
        .order_by()
    )
    links = Activity.countries.through.objects.filter(activity_id__in=delegations.values("pk"))
    rows = (
        links.order_by()
        .values("country_id", "country__code", "country__name_vi", "country__name_en")
        .annotate(
            n_in=Count("activity_id", filter=Q(activity__kind=incoming)),
            n_out=Count("activity_id", filter=Q(activity__kind=outgoing)),
        )
        .order_by("-n_in", "-n_out", "country__name_vi")
    )
    table = Table(
        "delegations",
        _("Delegations in and out by country, {year}").format(year=year),
        [_("Country"), _("Incoming delegations"), _("Outgoing delegations")],
        note=_("A delegation to several countries counts once for each."),
    )
    from django.utils.translation import get_language

    english = (get_language() or "vi").startswith("en")
    for r in rows:
        name = (r["country__name_en"] if english else r["country__name_vi"]) or r["country__code"]
        table.rows.append(
            [
                Cell(name, reverse("partners:country_detail", args=[r["country_id"]])),
                Cell(r["n_in"], _url("activities:activity_list", kind=incoming, year=year, country=r["country__code"])),
                Cell(
                    r["n_out"], _url("activities:activity_list", kind=outgoing, year=year, country=r["country__code"])
                ),
            ]
        )
    if table.rows:
        shown = table.rows[:CHART_UNITS]
        table.chart = {
            "type": "bars",
            "horizontal": True,
            "categories": [row[0].text for row in shown],
            "series": [
                {"name": _("Incoming delegations"), "data": [{"value": r[1].value, "url": r[1].url} for r in shown]},
                {"name": _("Outgoing delegations"), "data": [{"value": r[2].value, "url": r[2].url} for r in shown]},
            ],
        }
    return table


def partners_table(user) -> Table:
    """Partners on record by country (one GROUP BY), with the ISO numeric code the world map's
    shapes are keyed by."""
    import pycountry
    from django.utils.translation import get_language

    from apps.partners.models import Partner

    english = (get_language() or "vi").startswith("en")
    rows = (
        Partner.objects.for_user(user, VIEW)
        .filter(country__isnull=False)
        .order_by()
        .values("country_id", "country__code", "country__name_vi", "country__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "country__name_vi")
    )
    table = Table(
        "partners",
        _("Partners by country"),
        [_("Country"), _("Partners")],
        note=_("All partners on record, whatever the year."),
    )
    points = []
    for r in rows:
        name = (r["country__name_en"] if english else r["country__name_vi"]) or r["country__code"]
        url = _url("partners:partner_list", country=r["country_id"])
        table.rows.append([Cell(name, reverse("partners:country_detail", args=[r["country_id"]])), Cell(r["n"], url)])
        found = pycountry.countries.get(alpha_2=r["country__code"])
        if found is not None:
            points.append({"id": found.numeric, "name": name, "value": r["n"], "url": url})
    if table.rows:
        table.footer = [Cell(_("Total")), Cell(sum(row[1].value for row in table.rows), _url("partners:partner_list"))]
        table.chart = {"type": "map", "series": [{"name": _("Partners"), "data": points}]}
    return table


def aid_table(user, year: int) -> Table:
    """Aid in ``year`` by kind: the items approved in it with their committed value, and the money
    disbursed in it (whenever its item was approved) — aid.statistics' two GROUP BYs."""
    from apps.aid import statistics

    start, end = year_bounds(year)
    stats = statistics.compute(user, statistics.Filters(date_from=start, date_to=end))
    table = Table(
        "aid",
        _("Aid in {year}: committed by the items approved, and disbursed").format(year=year),
        [_("Kind"), _("Items"), _("Committed (USD)"), _("Committed (VND)"), _("Disbursed (USD)"), _("Disbursed (VND)")],
        note=stats.sentence,
        more_url=_url("aid:statistics", date_from=_iso(start), date_to=_iso(end)),
    )

    def cells(row, kind=""):
        url = _url("aid:statistics", date_from=_iso(start), date_to=_iso(end), kind=kind)
        items = _url("aid:aiditem_list", kind=kind, approved="true", approved_after=_iso(start),
                     approved_before=_iso(end))  # fmt: skip
        return [
            Cell(row.label, url),
            Cell(row.count, items),
            *(
                Cell(getattr(row, name), url)
                for name in ("committed_usd", "committed_vnd", "disbursed_usd", "disbursed_vnd")
            ),
        ]

    for row in stats.rows:
        # a kind with no item approved this year may still have disbursed money in it
        if row.count or row.disbursed_usd or row.disbursed_vnd:
            table.rows.append(cells(row, row.kind))
    if table.rows:
        table.footer = cells(stats.total)
        table.chart = {
            "type": "bars",
            "categories": [r[0].text for r in table.rows],
            "unit": "USD",
            "series": [
                {
                    "name": _("Committed (USD)"),
                    "data": [{"value": float(r[2].value), "url": r[2].url} for r in table.rows],
                },
                {
                    "name": _("Disbursed (USD)"),
                    "data": [{"value": float(r[4].value), "url": r[4].url} for r in table.rows],
                },
            ],
        }
    return table


def completion_table(user, year: int, *, today: date | None = None) -> Table:
    """Tasks due in ``year`` per lead unit: done on time, done late, overdue, still open (the
    scorecard's one conditional-count GROUP BY)."""
    from apps.tasks.models import TaskStatus
    from apps.tasks.selectors import scorecard

    start, end = year_bounds(year)
    rows = scorecard(user=user, start=start, end=end, today=today)
    rows.sort(key=lambda r: (-r.assigned, r.unit_name))
    table = Table(
        "completion",
        _("Task completion by unit: tasks due in {year}").format(year=year),
        [
            _("Lead unit"),
            _("Due in the year"),
            _("Done on time"),
            _("Done late"),
            _("Overdue"),
            _("Still open"),
            _("Done (%)"),
        ],  # fmt: skip
        more_url=_url("tasks:task_scorecard", year=year),
    )
    period = {"due_after": _iso(start), "due_before": _iso(end)}

    def link(unit_id, status=""):
        return _url("tasks:task_list", lead_unit=unit_id, status=status, **period)

    totals = [0, 0, 0, 0, 0]
    for r in rows:
        done = r.done_on_time + r.done_late
        figures = [r.assigned, r.done_on_time, r.done_late, r.overdue, r.open]
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        table.rows.append(
            [
                Cell(r.unit_name, reverse("accounts:unit_detail", args=[r.unit_id])),
                Cell(r.assigned, link(r.unit_id)),
                Cell(r.done_on_time, link(r.unit_id, TaskStatus.DONE_ON_TIME.value)),
                Cell(r.done_late, link(r.unit_id, TaskStatus.DONE_LATE.value)),
                Cell(r.overdue, link(r.unit_id, TaskStatus.OVERDUE.value)),
                Cell(r.open),  # not started, in progress or due soon: no single list filter says that
                Cell(round(done * 100 / r.assigned, 1) if r.assigned else 0.0),
            ]
        )
    if rows:
        done = totals[1] + totals[2]
        table.footer = [
            Cell(_("Total")),
            Cell(totals[0], _url("tasks:task_list", **period)),
            Cell(totals[1], _url("tasks:task_list", status=TaskStatus.DONE_ON_TIME.value, **period)),
            Cell(totals[2], _url("tasks:task_list", status=TaskStatus.DONE_LATE.value, **period)),
            Cell(totals[3], _url("tasks:task_list", status=TaskStatus.OVERDUE.value, **period)),
            Cell(totals[4]),
            Cell(round(done * 100 / totals[0], 1) if totals[0] else 0.0),
        ]
        shown = list(reversed(table.rows[:CHART_UNITS]))  # the biggest on top of a horizontal chart
        table.chart = {
            "type": "bars",
            "horizontal": True,
            "categories": [row[0].text for row in shown],
            "series": [
                {
                    "name": label,
                    "stack": "all",
                    "colour": colour,
                    "data": [{"value": row[i].value, "url": row[i].url} for row in shown],
                }
                for i, label, colour in (
                    (2, _("Done on time"), "#198754"),
                    (3, _("Done late"), "#0dcaf0"),
                    (4, _("Overdue"), "#dc3545"),
                    (5, _("Still open"), "#adb5bd"),
                )
            ],
        }
    return table


def year_section(user, year: int, *, today: date | None = None) -> list[Table]:
    return [
        activities_table(user, year),
        delegations_table(user, year),
        partners_table(user),
        aid_table(user, year),
        completion_table(user, year, today=today),
    ]


def year_choices(today: date | None = None) -> list[int]:
    this = (today or timezone.localdate()).year
    return list(range(this + 1, this - 10, -1))
