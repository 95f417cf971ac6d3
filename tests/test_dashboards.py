"""The home dashboards: each role sees its own sections and not the others', every figure equals
what the database says and its link opens exactly the records behind it (the list's FilterSet
gives the same count), the page costs the same few queries whatever the data, the workbook holds
the tables, and an officer of another unit sees nothing of unit A."""

import io
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from apps.activities.models import Activity, Agreement
from apps.aid.models import AidItem, Transaction
from apps.partners.models import Country, NgoRegistration, Partner
from apps.reports import dashboards
from apps.tasks.models import ProgressReport, ReportingPeriod, Task, UnitReport

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year
A_TASK = "Nhiệm vụ quá hạn của Liên hiệp"
B_TASK = "Nhiệm vụ bí mật của Sở Ngoại vụ"
A_REASON = "Thiếu số liệu đoàn vào của Liên hiệp"


def _task(unit, title, due, **fields):
    return Task.objects.create(lead_unit=unit, title=title, due_date=due, **fields)


def _activity(unit, kind, month, countries=(), **fields):
    activity = Activity.objects.create(
        unit=unit, kind=kind, title="{} {}".format(kind, month), start_date=date(YEAR, month, 15), **fields
    )
    if countries:
        activity.countries.set(Country.objects.filter(code__in=countries))
    return activity


def _partner(unit, name, code, kind="foreign_locality"):
    return Partner.objects.create(unit=unit, kind=kind, name=name, country=Country.objects.get(code=code))


def add_records(province, n: int = 1):
    """Records of both units; ``n`` multiplies them (to show the query count does not grow)."""
    a, b = province.unit_a, province.unit_b
    for i in range(n):
        _task(a, "{} {}".format(A_TASK, i), TODAY - timedelta(days=5))
        _task(a, "Hạn gần của Liên hiệp {}".format(i), TODAY + timedelta(days=2))
        _task(a, "Đã xong {}".format(i), date(YEAR, 1, 20), completed_on=date(YEAR, 1, 10), progress=100)
        _task(b, "{} {}".format(B_TASK, i), TODAY - timedelta(days=3))
        _activity(a, "incoming_delegation", 3, countries=["KH"])
        _activity(a, "outgoing_delegation", 5, countries=["KH", "LA"])
        _activity(a, "cultural_exchange", 5)
        _activity(b, "conference", 9, countries=["JP"])
        _partner(a, "Tỉnh Prey Veng {}".format(i), "KH")
        _partner(b, "Tỉnh Tochigi {}".format(i), "JP")


@pytest.fixture
def records(province):
    a, b = province.unit_a, province.unit_b
    add_records(province)
    task = Task.objects.filter(lead_unit=a, title__startswith=A_TASK).first()
    ProgressReport.objects.create(task=task, unit=a, percent=10, text="Lần 1", review_status="returned", reason="Cũ")
    ProgressReport.objects.create(
        task=task, unit=a, percent=20, text="Lần 2", review_status="returned", reason=A_REASON
    )
    b_task = Task.objects.get(lead_unit=b, title__startswith=B_TASK)
    ProgressReport.objects.create(task=b_task, unit=b, percent=5, text="B", review_status="returned", reason="Lý do B")
    period = ReportingPeriod.objects.create(
        unit=province.province, name="Năm {}".format(YEAR), start=date(YEAR, 1, 1), end=date(YEAR, 12, 31),
        due_date=date(YEAR, 12, 10),
    )  # fmt: skip
    period.units.set([a, b])
    UnitReport.objects.create(period=period, unit=a, state="returned", reason="Báo cáo của Liên hiệp còn thiếu")
    UnitReport.objects.create(period=period, unit=b, state="submitted")
    Agreement.objects.create(
        unit=a, kind="memorandum", title="Biên bản ghi nhớ sắp hết hạn", signed_on=date(YEAR - 2, 1, 1),
        valid_to=TODAY + timedelta(days=30),
    )  # fmt: skip
    Agreement.objects.create(
        unit=a, kind="memorandum", title="Thỏa thuận dài hạn QX", valid_to=TODAY + timedelta(days=400)
    )
    ngo = _partner(a, "Tổ chức Plan", "US", kind="foreign_ngo")
    NgoRegistration.objects.create(
        partner=ngo, kind="activity", number="DK-1", issued_on=TODAY - timedelta(days=700),
        expires_on=TODAY + timedelta(days=20),
    )  # fmt: skip
    item = AidItem.objects.create(
        unit=a, code="VT-DB-1", kind="project", title_vi="Dự án nước sạch", status="approved",
        approved_on=date(YEAR, 2, 1), committed_amount=Decimal("50000"), currency="USD",
    )  # fmt: skip
    AidItem.objects.filter(pk=item.pk).update(committed_usd=Decimal("50000"), committed_vnd=Decimal("1250000000"))
    spent = Transaction.objects.create(
        aid_item=item, kind="disbursement", date=date(YEAR, 3, 1), amount=Decimal("20000")
    )
    Transaction.objects.filter(pk=spent.pk).update(amount_usd=Decimal("20000"), amount_vnd=Decimal("500000000"))
    return {"period": period, "task": task}


def sections(response) -> set[str]:
    import re

    return set(re.findall(r'id="section-(\w+)"', response.content.decode()))


# -- who sees what -------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    for url in ("/", "/dashboard/year/", "/dashboard/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_an_officer_sees_what_their_unit_must_act_on_and_nothing_else(signed_in, province, records):
    response = signed_in("officer_a").get("/")
    assert response.status_code == 200
    assert sections(response) == {"officer"}
    body = response.content.decode()
    assert A_TASK in body and "Hạn gần của Liên hiệp" in body
    assert A_REASON in body and "Cũ" not in body  # the earlier returned report was followed by a new one
    assert "Báo cáo của Liên hiệp còn thiếu" in body
    assert B_TASK not in body
    assert province.officer_a.get_full_name() in body


def test_another_units_officer_sees_nothing_of_unit_a(signed_in, province, records):
    client = signed_in("officer_b")
    body = client.get("/").content.decode()
    assert sections_of(body) == {"officer"}
    for secret in (A_TASK, A_REASON, "Báo cáo của Liên hiệp còn thiếu", "Hạn gần của Liên hiệp", province.unit_a.name):
        assert secret not in body
    assert B_TASK in body and "Lý do B" in body
    workbook = load_workbook(io.BytesIO(b"".join(client.get("/dashboard/export.xlsx").streaming_content)))
    text = " ".join(str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None)
    assert A_TASK not in text and province.unit_a.name not in text and B_TASK in text
    assert client.get("/dashboard/export.xlsx?table=activities").status_code == 403
    assert client.get("/dashboard/year/").status_code == 403


def card(body: str, key: str) -> str:
    """The HTML of one dashboard table's card (the page also lists recent changes)."""
    start = body.index('id="dash-{}"'.format(key))
    return body[start : body.index("</section>", start)]


def sections_of(body: str) -> set[str]:
    import re

    return set(re.findall(r'id="section-(\w+)"', body))


def test_a_coordinator_follows_who_is_late_and_reads_the_year(signed_in, province, records):
    response = signed_in("coordinator").get("/")
    assert sections(response) == {"coordinator", "year"}
    body = response.content.decode()
    agreements = card(body, "agreements_expiring")
    assert "Biên bản ghi nhớ sắp hết hạn" in agreements and "Thỏa thuận dài hạn QX" not in agreements
    assert "Tổ chức Plan" in card(body, "registrations_expiring")
    assert records["period"].get_absolute_url() in body


def test_a_leader_sees_the_year_at_a_glance_only(signed_in, province, records):
    response = signed_in("leader").get("/")
    assert sections(response) == {"year"}
    body = response.content.decode()
    assert 'id="dashboard-data"' in body and "dashboard.js" in body and "countries-110m.json" in body
    assert signed_in("leader").get("/dashboard/year/").status_code == 200


def test_a_person_with_several_roles_sees_the_sections_of_each(signed_in, province, records):
    from apps.accounts import services

    services.role_assign(user=province.leader, unit=province.unit_a, role="officer", by=None)
    assert sections(signed_in("leader").get("/")) == {"officer", "year"}


# -- every figure is the records' own, and its link finds exactly them ---------------------------


def _filtered_count(url: str, user) -> int:
    """How many records the list page behind ``url`` shows ``user`` (its FilterSet, as the page)."""
    from apps.activities.filtersets import ActivityFilterSet, AgreementFilterSet
    from apps.aid.filtersets import AidItemFilterSet
    from apps.partners.filtersets import PartnerFilterSet, RegistrationFilterSet
    from apps.tasks.filtersets import TaskFilterSet

    lists = {
        "/tasks/": (TaskFilterSet, Task),
        "/activities/": (ActivityFilterSet, Activity),
        "/agreements/": (AgreementFilterSet, Agreement),
        "/partners/": (PartnerFilterSet, Partner),
        "/ngo-registrations/": (RegistrationFilterSet, NgoRegistration),
        "/aid/": (AidItemFilterSet, AidItem),
    }
    parts = urlsplit(url)
    filterset_class, model = lists[parts.path]
    request = RequestFactory().get(url)
    request.user = user
    filterset = filterset_class(QueryDict(parts.query), queryset=model.objects.for_user(user), request=request)
    assert filterset.is_valid(), (url, filterset.errors)
    return filterset.qs.count()


def _linked_counts(tables, user):
    checked = 0
    for table in tables:
        for row in [*table.rows, *([table.footer] if table.footer else [])]:
            for cell in row:
                if isinstance(cell.value, int) and cell.url and urlsplit(cell.url).path in (
                    "/tasks/", "/activities/", "/agreements/", "/partners/", "/ngo-registrations/", "/aid/",
                ):  # fmt: skip
                    assert _filtered_count(cell.url, user) == cell.value, (table.key, cell.url)
                    checked += 1
    return checked


@pytest.mark.parametrize("who", ["officer_a", "officer_b", "coordinator", "leader"])
def test_each_figure_opens_the_records_behind_it(province, records, who):
    user = getattr(province, who)
    tables = []
    for key in dashboards.sections_for(user):
        if key == "officer":
            tables += dashboards.officer_section(user)
        elif key == "coordinator":
            tables += dashboards.coordinator_section(user)
        else:
            tables += dashboards.year_section(user, YEAR)
    assert _linked_counts(tables, user) > 0


def test_the_year_figures_match_the_database(province, records):
    leader = province.leader
    activities = dashboards.activities_table(leader, YEAR)
    for row, (kind, label) in zip(
        activities.rows, [k for k in Activity.Kind.choices if Activity.objects.filter(kind=k[0]).exists()], strict=True
    ):
        assert row[0].text == str(label)
        for month in range(1, 13):
            expected = Activity.objects.filter(kind=kind, start_date__year=YEAR, start_date__month=month).count()
            assert row[month].value == expected
    assert activities.footer[-1].value == Activity.objects.filter(start_date__year=YEAR).count() == 4

    delegations = {row[0].text: (row[1].value, row[2].value) for row in dashboards.delegations_table(leader, YEAR).rows}
    assert delegations == {"Campuchia": (1, 1), "Lào": (0, 1)}

    partners = {row[0].text: row[1].value for row in dashboards.partners_table(leader).rows}
    assert partners == {"Campuchia": 1, "Nhật Bản": 1, "Hoa Kỳ": 1}

    aid = dashboards.aid_table(leader, YEAR)
    assert [(r[0].text, r[1].value, r[2].value, r[4].value) for r in aid.rows] == [
        (str(AidItem.Kind.PROJECT.label), 1, Decimal("50000"), Decimal("20000"))
    ]

    completion = {row[0].text: [c.value for c in row[1:6]] for row in dashboards.completion_table(leader, YEAR).rows}
    union = completion[province.unit_a.name]
    due_in_year = Task.objects.filter(lead_unit=province.unit_a, due_date__year=YEAR)
    assert union[0] == due_in_year.count()
    assert union[1] == due_in_year.filter(completed_on__isnull=False).count() == 1


def test_the_coordinator_figures_match_the_database(province, records):
    tables = {t.key: t for t in dashboards.coordinator_section(province.coordinator)}
    assert [r[2].value for r in tables["not_reported"].rows] == [1]  # the Union: its report was returned
    assert [r[0].text for r in tables["not_reported_units"].rows] == [province.unit_a.name]
    overdue = {r[0].text: r[1].value for r in tables["overdue_by_unit"].rows}
    for unit in (province.unit_a, province.unit_b):
        assert overdue[unit.name] == Task.objects.filter(lead_unit=unit, completed_on=None, due_date__lt=TODAY).count()
    assert tables["agreements_expiring"].footer[1].value == 1
    assert tables["registrations_expiring"].footer[2].value == 1


def test_the_year_selector_changes_the_year(signed_in, province, records):
    client = signed_in("leader")
    last = client.get("/?year={}".format(YEAR - 1)).content.decode()
    assert "Activities by kind and month, {}".format(YEAR - 1) in last or str(YEAR - 1) in last
    assert "incoming_delegation 3" not in last
    assert client.get("/?year=nonsense").status_code == 200
    assert client.get("/?year=99999").status_code == 200


# -- cost and export --------------------------------------------------------------------------------


def test_the_home_page_costs_the_same_few_queries_whatever_the_data(
    signed_in, province, records, django_assert_max_num_queries
):
    from apps.accounts import services

    services.role_assign(user=province.coordinator, unit=province.unit_a, role="officer", by=None)
    client = signed_in("coordinator")
    client.get("/")  # warm caches (content types, sessions)
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    add_records(province, n=15)
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as many:
        response = client.get("/")
    assert len(many.captured_queries) == len(few.captured_queries)
    assert sections(response) == {"officer", "coordinator", "year"}


def test_the_workbook_holds_the_tables(signed_in, province, records):
    client = signed_in("leader")
    response = client.get("/dashboard/export.xlsx?year={}&table=activities".format(YEAR))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["activities"]
    rows = list(workbook["activities"].iter_rows(values_only=True))
    assert rows[1][0] and rows[1][1] == "01/{}".format(YEAR)
    assert rows[-3][-1] == 4  # the total, as a number (then a blank line and the note)
    everything = load_workbook(io.BytesIO(b"".join(client.get("/dashboard/export.xlsx").streaming_content)))
    assert everything.sheetnames == ["activities", "delegations", "partners", "aid", "completion"]
    assert client.get("/dashboard/export.xlsx?table=not_reported").status_code == 403


def test_a_long_by_unit_table_shows_its_first_rows_and_keeps_them_all_in_excel(
    signed_in, province, records, monkeypatch
):
    monkeypatch.setattr(dashboards, "TABLE_ROWS", 1)
    client = signed_in("leader")
    response = client.get("/dashboard/year/?year={}".format(YEAR))
    body = response.content.decode()
    table = body[body.index('id="dash-completion-table"') :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="row" class="fw-normal">') == 1  # one unit drawn on the page
    full = dashboards.completion_table(province.leader, YEAR)
    assert len(full.rows) > 1
    assert "và {} dòng khác".format(len(full.rows) - 1) in body
    workbook = load_workbook(
        io.BytesIO(
            b"".join(client.get("/dashboard/export.xlsx?year={}&table=completion".format(YEAR)).streaming_content)
        )
    )
    names = [row[0] for row in workbook["completion"].iter_rows(values_only=True)]
    for row in full.rows:
        assert row[0].text in names  # every unit is in the workbook
