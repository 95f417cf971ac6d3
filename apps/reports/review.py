"""The review report (báo cáo tổng kết năm / sơ kết 6 tháng) computed from the records.

``compute()`` gathers every figure of a period and a unit (with everything under it) by aggregate
queries — a fixed number of queries whatever the size of the database — into ``Figures``: scalar
values addressed by token (``tasks.total``), tables and chart series. ``default_sections()`` is the
text the officer starts from; ``render_text()`` replaces the tokens by the current figures;
``build_docx()`` lays it all out in the Nghị định 30/2020 layout with one chart per main area;
``build_xlsx()`` is the appendix with the table behind every figure.

The document itself is Vietnamese (it is an official Vietnamese document); the pages around it
follow the interface language.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone, translation

ANNUAL, INTERIM = "annual", "interim"
TOKEN = re.compile(r"\[\[([a-z_]+(?:\.[a-z_]+)*)\]\]")
LIST_LIMIT = 30  # rows of a list table in the document; the appendix holds them all up to 5,000
APPENDIX_LIMIT = 5000


# -- numbers in Vietnamese ------------------------------------------------------------------------


def vn_int(value) -> str:
    return "{:,}".format(int(value or 0)).replace(",", ".")


def vn_percent(value) -> str:
    return "—" if value is None else "{:.1f}%".format(value).replace(".", ",")


def vn_date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


# -- the period --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str
    year: int

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31) if self.kind == ANNUAL else date(self.year, 6, 30)

    @property
    def next_start(self) -> date:
        return date(self.year + 1, 1, 1) if self.kind == ANNUAL else date(self.year, 7, 1)

    @property
    def next_end(self) -> date:
        return date(self.year + 1, 12, 31) if self.kind == ANNUAL else date(self.year, 12, 31)

    @property
    def name(self) -> str:
        return "năm {}".format(self.year) if self.kind == ANNUAL else "6 tháng đầu năm {}".format(self.year)

    @property
    def next_name(self) -> str:
        return "năm {}".format(self.year + 1) if self.kind == ANNUAL else "6 tháng cuối năm {}".format(self.year)


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    total: int | None = None  # how many rows exist when ``rows`` is cut to a limit
    widths: list[float] | None = None


@dataclass
class Figures:
    period: Period
    unit: object  # a Unit, or None for the whole country
    values: dict = field(default_factory=dict)  # token → display text
    tables: dict[str, Table] = field(default_factory=dict)
    charts: dict[str, dict] = field(default_factory=dict)  # key → {"title", "labels", "series": {name: values}}
    links: dict = field(default_factory=dict)  # token → query string of the list behind the figure


# -- computing ---------------------------------------------------------------------------------------


def _under(unit, prefix: str = "unit__") -> Q:
    return Q(**{prefix + "path__startswith": unit.path}) if unit is not None else Q()


def compute(*, unit, kind: str, year: int, reader, today: date | None = None, progress=None) -> Figures:
    """Every figure of the report. ``reader`` is the person whose scope bounds what is counted
    (``scoping.system_reader()`` for the command); ``unit=None`` reports on the whole country.
    Labels come out in Vietnamese whatever the page's language: the report is a Vietnamese document."""
    with translation.override("vi"):
        return _compute(unit=unit, kind=kind, year=year, reader=reader, today=today, progress=progress)


def _compute(*, unit, kind, year, reader, today, progress) -> Figures:
    today = today or timezone.localdate()
    period = Period(kind, year)
    figures = Figures(period=period, unit=unit)
    steps = [_tasks, _documents, _partners, _agreements, _activities, _aid, _members, _awards, _limitations, _next]
    for done, step in enumerate(steps, start=1):
        step(figures, reader, today)
        if progress is not None:
            progress(done, len(steps))
    figures.values["unit"] = unit.name if unit is not None else "cả nước"
    figures.values["period"] = period.name
    figures.values["next_period"] = period.next_name
    return figures


def _tasks(figures: Figures, reader, today):
    from apps.accounts.models import Unit
    from apps.tasks.models import Task
    from apps.tasks.selectors import task_figures

    p, unit = figures.period, figures.unit
    tasks = Task.objects.for_user(reader).filter(_under(unit, "lead_unit__"))
    total, per_unit = task_figures(tasks, p.start, p.end, today=today)
    v = figures.values
    v.update(
        {
            "tasks.total": vn_int(total.total),
            "tasks.done": vn_int(total.done),
            "tasks.done_on_time": vn_int(total.done_on_time),
            "tasks.done_late": vn_int(total.done_late),
            "tasks.overdue": vn_int(total.overdue),
            "tasks.open": vn_int(total.open),
            "tasks.done_percent": vn_percent(total.done_percent),
            "tasks.on_time_percent": vn_percent(total.on_time_percent),
        }
    )
    names = dict(Unit.objects.filter(pk__in=list(per_unit)).values_list("pk", "name"))
    rows = sorted(per_unit.items(), key=lambda item: (-item[1].total, names.get(item[0], "")))
    figures.tables["tasks_by_unit"] = Table(
        "Kết quả thực hiện nhiệm vụ theo đơn vị chủ trì",
        ["TT", "Đơn vị", "Số nhiệm vụ", "Đúng hạn", "Trễ hạn", "Quá hạn", "Đang thực hiện", "Tỷ lệ đúng hạn"],
        [
            [
                i,
                names.get(uid, "?"),
                f.total,
                f.done_on_time,
                f.done_late,
                f.overdue,
                f.open,
                vn_percent(f.on_time_percent),
            ]
            for i, (uid, f) in enumerate(rows[:APPENDIX_LIMIT], start=1)
        ],
        total=len(rows),
        widths=[1, 5.2, 1.8, 1.6, 1.6, 1.6, 1.9, 1.9],
    )
    figures.charts["tasks"] = {
        "title": "Tình hình thực hiện nhiệm vụ",
        "labels": ["Hoàn thành đúng hạn", "Hoàn thành trễ hạn", "Quá hạn", "Đang thực hiện"],
        "series": {"Nhiệm vụ": [total.done_on_time, total.done_late, total.overdue, total.open]},
    }
    # Implementation of each directive and plan: tasks and completion, one GROUP BY.
    by_document = list(
        tasks.filter(document__isnull=False)
        .filter(_period_tasks(p))
        .order_by()
        .values("document_id", "document__notation", "document__type_name", "document__title")
        .annotate(
            n=Count("pk"), done=Count("pk", filter=Q(completed_on__isnull=False, completed_on__lte=min(p.end, today)))
        )
        .order_by("-n", "document__notation")[:APPENDIX_LIMIT]
    )
    figures.tables["documents_progress"] = Table(
        "Tiến độ thực hiện các chỉ thị, kế hoạch",
        ["TT", "Văn bản", "Trích yếu", "Số nhiệm vụ", "Đã hoàn thành", "Tỷ lệ"],
        [
            [
                i,
                " ".join(x for x in (r["document__type_name"], r["document__notation"]) if x),
                (r["document__title"] or "")[:200],
                r["n"],
                r["done"],
                vn_percent(r["done"] * 100 / r["n"] if r["n"] else None),
            ]
            for i, r in enumerate(by_document, start=1)
        ],
        widths=[1, 3.2, 6.4, 1.8, 2, 2.2],
    )


def _period_tasks(p: Period) -> Q:
    from apps.tasks.selectors import period_tasks_q

    return period_tasks_q(p.start, p.end)


def _documents(figures: Figures, reader, today):
    from apps.documents.models import Document

    p = figures.period
    issued = (
        Document.objects.for_user(reader)
        .filter(_under(figures.unit), issued_on__gte=p.start, issued_on__lte=p.end, is_placeholder=False)
        .order_by()
    )
    rows = list(issued.values("type_name").annotate(n=Count("pk")).order_by("-n", "type_name"))
    figures.values["documents.count"] = vn_int(sum(r["n"] for r in rows))
    figures.tables["documents_issued"] = Table(
        "Văn bản chỉ đạo, hướng dẫn ban hành trong kỳ",
        ["TT", "Loại văn bản", "Số văn bản"],
        [[i, r["type_name"] or "Văn bản khác", r["n"]] for i, r in enumerate(rows, start=1)],
        widths=[1, 10, 3],
    )


def _partners(figures: Figures, reader, today):
    from apps.partners.models import Relationship

    p = figures.period
    active = Relationship.objects.for_user(reader).filter(_under(figures.unit), status="active").order_by()
    v = figures.values
    v["partners.count"] = vn_int(active.aggregate(n=Count("partner", distinct=True))["n"])
    v["partners.new"] = vn_int(active.filter(since__gte=p.start, since__lte=p.end).count())
    groups = list(
        active.values("partner__country__groups__name_vi")
        .annotate(n=Count("partner", distinct=True))
        .order_by("-n", "partner__country__groups__name_vi")
    )
    countries = list(
        active.values("partner__country__code", "partner__country__name_vi")
        .annotate(n=Count("partner", distinct=True))
        .order_by("-n", "partner__country__name_vi")[:APPENDIX_LIMIT]
    )
    figures.tables["partners_by_group"] = Table(
        "Đối tác đang có quan hệ, theo nhóm nước",
        ["TT", "Nhóm nước", "Số đối tác"],
        [
            [i, r["partner__country__groups__name_vi"] or "Chưa phân nhóm", r["n"]]
            for i, r in enumerate(groups, start=1)
        ],
        widths=[1, 10, 3],
    )
    figures.tables["partners_by_country"] = Table(
        "Đối tác đang có quan hệ, theo nước",
        ["TT", "Nước", "Số đối tác"],
        [[i, r["partner__country__name_vi"] or "—", r["n"]] for i, r in enumerate(countries, start=1)],
        widths=[1, 10, 3],
    )
    figures.charts["partners"] = {
        "title": "Đối tác theo nhóm nước",
        "labels": [r["partner__country__groups__name_vi"] or "Chưa phân nhóm" for r in groups],
        "series": {"Đối tác": [r["n"] for r in groups]},
    }


def _agreements(figures: Figures, reader, today):
    from apps.activities.models import Agreement

    p = figures.period
    signed = (
        Agreement.objects.for_user(reader)
        .filter(_under(figures.unit), signed_on__gte=p.start, signed_on__lte=p.end)
        .select_related("unit")
        .order_by("signed_on", "pk")
    )
    count = signed.count()
    figures.values["agreements.count"] = vn_int(count)
    kinds = dict(Agreement.Kind.choices)
    figures.tables["agreements"] = Table(
        "Thỏa thuận, biên bản ghi nhớ ký kết trong kỳ",
        ["TT", "Ngày ký", "Loại", "Tên thỏa thuận", "Đơn vị"],
        [
            [i, vn_date(a.signed_on), str(kinds.get(a.kind, a.kind)), a.title, a.unit.short_name or a.unit.name]
            for i, a in enumerate(signed[:APPENDIX_LIMIT], start=1)
        ],
        total=count,
        widths=[1, 2.3, 3, 6.5, 3.2],
    )


def _activities(figures: Figures, reader, today):
    from apps.activities.models import Activity

    p = figures.period
    held = (
        Activity.objects.for_user(reader)
        .filter(_under(figures.unit), start_date__gte=p.start, start_date__lte=p.end)
        .exclude(status=Activity.Status.CANCELLED)
        .order_by()
    )
    by_kind = {
        r["kind"]: r
        for r in held.values("kind").annotate(
            n=Count("pk"), vn=Sum("vn_participants"), foreign=Sum("foreign_participants")
        )
    }
    labels = dict(Activity.Kind.choices)
    total = sum(r["n"] for r in by_kind.values())
    v = figures.values
    v["activities.total"] = vn_int(total)
    v["activities.incoming"] = vn_int(by_kind.get("incoming_delegation", {}).get("n", 0))
    v["activities.outgoing"] = vn_int(by_kind.get("outgoing_delegation", {}).get("n", 0))
    v["activities.vn_participants"] = vn_int(sum(r["vn"] or 0 for r in by_kind.values()))
    v["activities.foreign_participants"] = vn_int(sum(r["foreign"] or 0 for r in by_kind.values()))
    rows = sorted(by_kind.values(), key=lambda r: -r["n"])
    figures.tables["activities_by_kind"] = Table(
        "Hoạt động đối ngoại theo loại",
        ["TT", "Loại hoạt động", "Số hoạt động", "Người Việt Nam", "Người nước ngoài"],
        [
            [i, str(labels.get(r["kind"], r["kind"])), r["n"], r["vn"] or 0, r["foreign"] or 0]
            for i, r in enumerate(rows, start=1)
        ],
        widths=[1, 6.5, 2.6, 2.8, 3],
    )
    months = dict(held.annotate(m=ExtractMonth("start_date")).values("m").annotate(n=Count("pk")).values_list("m", "n"))
    last = 12 if p.kind == ANNUAL else 6
    figures.tables["activities_by_month"] = Table(
        "Hoạt động đối ngoại theo tháng",
        ["Tháng", "Số hoạt động"],
        [[m, months.get(m, 0)] for m in range(1, last + 1)],
        widths=[4, 4],
    )
    figures.charts["activities"] = {
        "title": "Hoạt động đối ngoại theo tháng",
        "labels": ["T{}".format(m) for m in range(1, last + 1)],
        "series": {"Hoạt động": [months.get(m, 0) for m in range(1, last + 1)]},
    }


def _aid(figures: Figures, reader, today):
    from apps.aid import statistics

    p = figures.period
    stats = statistics.compute(reader, statistics.Filters(date_from=p.start, date_to=p.end, unit=figures.unit))
    v = figures.values
    v["aid.sentence"] = stats.sentence
    v["aid.count"] = vn_int(stats.total.count)
    v["aid.committed_usd"] = _money(stats.total.committed_usd)
    v["aid.committed_vnd"] = _money(stats.total.committed_vnd)
    v["aid.disbursed_usd"] = _money(stats.total.disbursed_usd)
    figures.tables["aid"] = Table(
        "Viện trợ phi chính phủ nước ngoài được phê duyệt trong kỳ",
        ["Hình thức", "Số khoản", "Cam kết (USD)", "Cam kết (VND)", "Giải ngân (USD)"],
        [
            [r.label, r.count, _money(r.committed_usd), _money(r.committed_vnd), _money(r.disbursed_usd)]
            for r in [*stats.rows, stats.total]
        ],
        widths=[4.4, 1.8, 3.2, 3.8, 3.2],
    )
    figures.charts["aid"] = {
        "title": "Viện trợ: cam kết và giải ngân (USD)",
        "labels": [r.label for r in stats.rows],
        "series": {
            "Cam kết": [float(r.committed_usd) for r in stats.rows],
            "Giải ngân": [float(r.disbursed_usd) for r in stats.rows],
        },
    }


def _money(value) -> str:
    value = Decimal(value or 0).quantize(Decimal(1))
    return vn_int(value)


def _members(figures: Figures, reader, today):
    from apps.members.models import Congress, MemberOrganisation, MembershipCount

    p = figures.period
    organisations = MemberOrganisation.objects.for_user(reader).filter(_under(figures.unit))
    v = figures.values
    v["members.organisations"] = vn_int(organisations.count())
    counted = MembershipCount.objects.filter(organisation__in=organisations.values("pk"), year=p.year)
    v["members.total"] = vn_int(counted.aggregate(n=Sum("members"))["n"] or 0)
    congresses = (
        Congress.objects.filter(organisation__in=organisations.values("pk"), held_on__gte=p.start, held_on__lte=p.end)
        .select_related("organisation__unit")
        .order_by("held_on")
    )
    rows = list(congresses[:APPENDIX_LIMIT])
    v["members.congresses"] = vn_int(len(rows))
    figures.tables["congresses"] = Table(
        "Đại hội của các tổ chức thành viên trong kỳ",
        ["TT", "Tổ chức", "Đại hội", "Ngày"],
        [[i, c.organisation.unit.name, str(c), vn_date(c.held_on)] for i, c in enumerate(rows, start=1)],
        widths=[1, 6.5, 6, 2.5],
    )


def _awards(figures: Figures, reader, today):
    from apps.members.models import Award

    p = figures.period
    awards = (
        Award.objects.for_user(reader)
        .filter(_under(figures.unit), year=p.year)
        .select_related("unit", "decision")
        .order_by("level", "kind", "pk")
    )
    count = awards.count()
    figures.values["awards.count"] = vn_int(count)
    figures.tables["awards"] = Table(
        "Khen thưởng",
        ["TT", "Hình thức", "Cá nhân, tập thể", "Cơ quan khen thưởng", "Quyết định"],
        [
            [
                i,
                a.name,
                a.recipient if a.person else a.unit.name,
                a.issuer,
                (a.decision.notation or str(a.decision)) if a.decision_id else "—",
            ]
            for i, a in enumerate(awards[:APPENDIX_LIMIT], start=1)
        ],
        total=count,
        widths=[1, 4.5, 4.5, 3.5, 2.5],
    )


def _limitations(figures: Figures, reader, today):
    from apps.tasks.models import Task, UnitReport

    p = figures.period
    asof = min(p.end, today)
    overdue = (
        Task.objects.for_user(reader)
        .filter(_under(figures.unit, "lead_unit__"))
        .filter(_period_tasks(p))
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=asof), due_date__lt=asof)
        .select_related("lead_unit")
        .order_by("due_date", "pk")
    )
    count = overdue.count()
    figures.values["overdue.count"] = vn_int(count)
    figures.tables["overdue"] = Table(
        "Nhiệm vụ quá hạn chưa hoàn thành",
        ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"],
        [[i, t.title, t.lead_unit.name, vn_date(t.due_date)] for i, t in enumerate(overdue[:APPENDIX_LIMIT], start=1)],
        total=count,
        widths=[1, 8.5, 4.5, 2.5],
    )
    # Units asked to report in a reporting period ending in this period that have not submitted.
    from apps.tasks.models import ReportingPeriod

    periods = ReportingPeriod.objects.for_user(reader).filter(_under(figures.unit), end__gte=p.start, end__lte=p.end)
    through = ReportingPeriod.units.through
    asked = through.objects.filter(reportingperiod__in=periods.values("pk"))
    submitted = UnitReport.objects.filter(
        period__in=periods.values("pk"), state__in=(UnitReport.State.SUBMITTED, UnitReport.State.ACCEPTED)
    ).values_list("period_id", "unit_id")
    done = set(submitted)
    missing = [
        (row["reportingperiod__name"], row["unit__name"])
        for row in asked.values("reportingperiod_id", "reportingperiod__name", "unit_id", "unit__name").order_by(
            "reportingperiod__end", "unit__path"
        )
        if (row["reportingperiod_id"], row["unit_id"]) not in done
    ]
    figures.values["missing_reports.count"] = vn_int(len(missing))
    figures.tables["missing_reports"] = Table(
        "Đơn vị chưa gửi báo cáo định kỳ",
        ["TT", "Kỳ báo cáo", "Đơn vị"],
        [[i, name, unit] for i, (name, unit) in enumerate(missing[:APPENDIX_LIMIT], start=1)],
        total=len(missing),
        widths=[1, 5, 10],
    )


def _next(figures: Figures, reader, today):
    from apps.tasks.models import Task

    p = figures.period
    upcoming = (
        Task.objects.for_user(reader)
        .filter(_under(figures.unit, "lead_unit__"), completed_on__isnull=True)
        .filter(due_date__gte=p.next_start, due_date__lte=p.next_end)
        .select_related("lead_unit", "document")
        .order_by("due_date", "pk")
    )
    count = upcoming.count()
    figures.values["next.count"] = vn_int(count)
    figures.tables["next"] = Table(
        "Nhiệm vụ đến hạn trong kỳ tới",
        ["TT", "Nhiệm vụ", "Văn bản", "Đơn vị chủ trì", "Thời hạn"],
        [
            [i, t.title, (t.document.notation if t.document_id else "") or "—", t.lead_unit.name, vn_date(t.due_date)]
            for i, t in enumerate(upcoming[:APPENDIX_LIMIT], start=1)
        ],
        total=count,
        widths=[1, 6.5, 2.5, 4, 2.5],
    )


# -- the text ----------------------------------------------------------------------------------------

#: section key → (heading, level, tables shown under it, chart shown under it)
LAYOUT = {
    "situation": ("I. Tình hình chung", 1, [], None),
    "results": ("II. Kết quả thực hiện", 1, [], None),
    "directives": (
        "1. Triển khai thực hiện các chỉ thị, kế hoạch",
        2,
        ["documents_progress", "tasks_by_unit"],
        "tasks",
    ),
    "partners": ("2. Quan hệ với các đối tác", 2, ["partners_by_group"], "partners"),
    "agreements": ("3. Ký kết thỏa thuận hợp tác", 2, ["agreements"], None),
    "activities": ("4. Hoạt động đối ngoại, đoàn ra, đoàn vào", 2, ["activities_by_kind"], "activities"),
    "aid": ("5. Vận động viện trợ phi chính phủ nước ngoài", 2, ["aid"], "aid"),
    "members": ("6. Tổ chức thành viên", 2, ["congresses"], None),
    "awards": ("7. Công tác thi đua, khen thưởng", 2, ["awards"], None),
    "limitations": ("III. Hạn chế, khó khăn", 1, ["overdue", "missing_reports"], None),
    "next": ("IV. Phương hướng, nhiệm vụ kỳ tới", 1, ["next"], None),
}


def default_sections(kind: str, year: int) -> list[dict]:
    """The text an officer starts from: every figure as a token, so editing the words never
    freezes a number."""
    text = {
        "situation": "Trong [[period]], công tác đối ngoại nhân dân của [[unit]] được triển khai theo các chỉ thị, "
        "kế hoạch của cấp trên, trong bối cảnh quan hệ hữu nghị với các đối tác tiếp tục được củng cố. "
        "Trong kỳ đã ban hành [[documents.count]] văn bản chỉ đạo, hướng dẫn.",
        "results": "",
        "directives": "Các đơn vị được giao chủ trì [[tasks.total]] nhiệm vụ; đã hoàn thành [[tasks.done]] nhiệm vụ "
        "([[tasks.done_percent]]), trong đó đúng hạn [[tasks.done_on_time]], trễ hạn [[tasks.done_late]]; "
        "quá hạn chưa hoàn thành [[tasks.overdue]]; đang thực hiện trong hạn [[tasks.open]]. "
        "Tỷ lệ hoàn thành đúng hạn đạt [[tasks.on_time_percent]].",
        "partners": "Duy trì quan hệ với [[partners.count]] đối tác nước ngoài; thiết lập mới [[partners.new]] quan hệ "
        "trong kỳ.",
        "agreements": "Ký kết [[agreements.count]] thỏa thuận, biên bản ghi nhớ hợp tác với các đối tác.",
        "activities": "Tổ chức và tham gia [[activities.total]] hoạt động đối ngoại, trong đó đón [[activities.incoming]] "
        "đoàn vào và tổ chức [[activities.outgoing]] đoàn ra; thu hút [[activities.vn_participants]] lượt người "
        "Việt Nam và [[activities.foreign_participants]] lượt người nước ngoài tham gia.",
        "aid": "Trong kỳ đã vận động, tiếp nhận [[aid.sentence]].",
        "members": "[[members.organisations]] tổ chức thành viên với [[members.total]] hội viên; "
        "[[members.congresses]] tổ chức thành viên tổ chức đại hội trong kỳ.",
        "awards": "Trong năm có [[awards.count]] tập thể, cá nhân được khen thưởng.",
        "limitations": "Còn [[overdue.count]] nhiệm vụ quá hạn chưa hoàn thành; [[missing_reports.count]] lượt đơn vị "
        "chưa gửi báo cáo định kỳ đúng hạn.",
        "next": "Trong [[next_period]], tập trung hoàn thành [[next.count]] nhiệm vụ đến hạn; tiếp tục củng cố quan hệ "
        "với các đối tác truyền thống, mở rộng hợp tác với các đối tác mới.",
    }
    return [{"key": key, "title": LAYOUT[key][0], "text": text[key]} for key in LAYOUT]


def unknown_tokens(text: str) -> list[str]:
    """Tokens in ``text`` that name no figure (a typing slip the officer must see)."""
    known = set(TOKEN_NAMES)
    return sorted({name for name in TOKEN.findall(text or "") if name not in known})


def render_text(text: str, figures: Figures) -> str:
    return TOKEN.sub(lambda m: str(figures.values.get(m.group(1), m.group(0))), text or "")


#: every token a section may use, for the editing help and validation
TOKEN_NAMES = [
    "unit", "period", "next_period",
    "tasks.total", "tasks.done", "tasks.done_on_time", "tasks.done_late", "tasks.overdue", "tasks.open",
    "tasks.done_percent", "tasks.on_time_percent", "documents.count",
    "partners.count", "partners.new", "agreements.count",
    "activities.total", "activities.incoming", "activities.outgoing", "activities.vn_participants",
    "activities.foreign_participants",
    "aid.sentence", "aid.count", "aid.committed_usd", "aid.committed_vnd", "aid.disbursed_usd",
    "members.organisations", "members.total", "members.congresses", "awards.count",
    "overdue.count", "missing_reports.count", "next.count",
]  # fmt: skip


# -- charts ------------------------------------------------------------------------------------------


def chart_png(chart: dict) -> bytes | None:
    """A bar chart as PNG (matplotlib, headless); None when there is nothing to draw."""
    values = [v for series in chart["series"].values() for v in series]
    if not chart["labels"] or not any(values):
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    # DejaVu Sans ships with matplotlib and has every Vietnamese letter.
    plt.rcParams["font.family"] = "DejaVu Sans"
    fig, ax = plt.subplots(figsize=(7.5, 3.2), dpi=150)
    names = list(chart["series"])
    width = 0.8 / len(names)
    for index, name in enumerate(names):
        positions = [i + (index - (len(names) - 1) / 2) * width for i in range(len(chart["labels"]))]
        ax.bar(positions, chart["series"][name], width=width, label=name)
    ax.set_xticks(range(len(chart["labels"])))
    ax.set_xticklabels(
        chart["labels"],
        fontsize=8,
        rotation=0 if len(chart["labels"]) <= 6 else 30,
        ha="center" if len(chart["labels"]) <= 6 else "right",
    )
    ax.set_title(chart["title"], fontsize=11)
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _pos: vn_int(x)))
    ax.spines[["top", "right"]].set_visible(False)
    if len(names) > 1:
        ax.legend(fontsize=8)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()


# -- documents ---------------------------------------------------------------------------------------


def default_issuer(unit):
    """Who signs the report on ``unit``: the unit itself, or for a province (a place, not a body)
    its Union of Friendship Organizations when it has one. None = the whole country (VUFO)."""
    from apps.accounts.models import Unit

    if unit is None:
        return None
    if unit.kind == Unit.Kind.PROVINCE:
        union = Unit.objects.filter(path__startswith=unit.path, kind=Unit.Kind.UNION).order_by("depth", "path").first()
        if union is not None:
            return union
    return unit


def _header(figures: Figures, issuer_unit=None):
    from apps.accounts.models import Unit
    from apps.tasks.consolidated import place_name

    unit = issuer_unit or default_issuer(figures.unit)
    if unit is None:
        return "", "Liên hiệp các tổ chức hữu nghị Việt Nam", "Hà Nội", "LHHN"
    parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
    if parent is not None and parent.kind in (Unit.Kind.PROVINCE, Unit.Kind.CENTRAL):
        parent = None
    return (parent.name if parent else ""), unit.name, (place_name(unit) or unit.name), unit.code


def build_docx(
    figures: Figures,
    sections: list[dict],
    *,
    number: str = "",
    signer_title: str = "",
    signer_name: str = "",
    today: date | None = None,
    progress=None,
) -> bytes:
    from apps.core.nd30 import Nd30Document, Signature

    today = today or timezone.localdate()
    managing, issuer, place, code = _header(figures)
    p = figures.period
    subject = (
        "Tổng kết công tác đối ngoại nhân dân năm {} và phương hướng, nhiệm vụ năm {}".format(p.year, p.year + 1)
        if p.kind == ANNUAL
        else "Sơ kết công tác đối ngoại nhân dân 6 tháng đầu năm {} và phương hướng, nhiệm vụ 6 tháng cuối năm".format(
            p.year
        )
    )
    doc = Nd30Document(
        managing_body=managing,
        issuer=issuer,
        number=number and "Số: {}".format(number) or "Số:        /BC-{}".format(code),
        place=place,
        day=today,
        type_name="Báo cáo",
        subject=subject,
        recipients=["Như trên;", "Lưu: VT."] if not managing else ["{} (b/c);".format(managing), "Lưu: VT."],
        signature=Signature(authority="TM. " + issuer.upper(), title=signer_title, name=signer_name),
    )
    total = len(sections)
    for done, section in enumerate(sections, start=1):
        key = section.get("key")
        heading, level, table_keys, chart_key = LAYOUT.get(key, (section.get("title") or "", 2, [], None))
        doc.heading(section.get("title") or heading, level=level)
        text = render_text(section.get("text", ""), figures)
        if text.strip():
            doc.paragraph(text)
        if chart_key and chart_key in figures.charts:
            png = chart_png(figures.charts[chart_key])
            if png:
                doc.image(png, width_cm=15, caption=figures.charts[chart_key]["title"])
        for table_key in table_keys:
            table = figures.tables.get(table_key)
            if table is None or not table.rows:
                continue
            doc.caption(table.title)
            doc.table(table.headers, table.rows[:LIST_LIMIT], widths_cm=table.widths, size=11)
            shown, whole = min(len(table.rows), LIST_LIMIT), table.total or len(table.rows)
            if whole > shown:
                doc.paragraph(
                    "(Trình bày {} trên {} dòng; danh sách đầy đủ tại phụ lục kèm theo.)".format(shown, vn_int(whole)),
                    italic=True,
                )
        if progress is not None:
            progress(done, total)
    return doc.to_bytes()


def build_xlsx(figures: Figures) -> bytes:
    """The appendix: the figures with their tokens, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    summary = workbook.active
    summary.title = "So lieu"
    summary.append(["Báo cáo {} — {}".format(figures.period.name, figures.values.get("unit", ""))])
    summary["A1"].font = Font(bold=True)
    summary.append(["Chỉ tiêu (mã)", "Giá trị"])
    for name in TOKEN_NAMES:
        summary.append([name, figures.values.get(name, "")])
    summary.column_dimensions["A"].width = 34
    summary.column_dimensions["B"].width = 90
    for key, table in figures.tables.items():
        sheet = workbook.create_sheet(key[:31])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
        if table.total and table.total > len(table.rows):
            sheet.append(["… {} dòng, trình bày {} dòng đầu".format(table.total, len(table.rows))])
        sheet.freeze_panes = "A3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
