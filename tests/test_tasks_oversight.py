"""Oversight: the unit scorecard on a small crafted set, the task list's filters, sorting, exports
and bounded queries, and the selectors the cascade page uses."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from apps.core.changelog import change_logging
from apps.documents.models import Document
from apps.tasks import selectors, services
from apps.tasks.models import Task

YEAR = 2025
TODAY = date(2026, 1, 10)


def crafted(province):
    """Unit A: 2 on time, 1 late, 1 overdue, 1 open (due later); unit B: 1 on time, 1 overdue;
    association: 1 open; and one task of A due outside the year."""
    a, b, assoc = province.unit_a, province.unit_b, province.association
    rows = [
        (a, date(YEAR, 3, 31), date(YEAR, 3, 20)),
        (a, date(YEAR, 6, 30), date(YEAR, 6, 30)),
        (a, date(YEAR, 6, 30), date(YEAR, 7, 15)),
        (a, date(YEAR, 9, 30), None),
        (a, date(YEAR, 12, 31), None),  # still open on 1 December
        (b, date(YEAR, 5, 1), date(YEAR, 4, 1)),
        (b, date(YEAR, 11, 1), None),
        (a, date(YEAR + 1, 2, 1), None),
    ]
    Task.objects.bulk_create(
        [
            Task(
                title="Điểm {}".format(i), lead_unit=unit, due_date=due, completed_on=done, progress=100 if done else 0
            )
            for i, (unit, due, done) in enumerate(rows)
        ]
    )
    Task.objects.create(title="Hội: đang làm", lead_unit=assoc, due_date=date(YEAR, 12, 31), progress=10)


def test_the_scorecard_counts_each_unit_and_ranks_them(province):
    crafted(province)
    rows = selectors.scorecard(
        user=province.coordinator, start=date(YEAR, 1, 1), end=date(YEAR, 12, 31), today=date(YEAR, 12, 1)
    )
    by_code = {r.unit_code: r for r in rows}
    a, b = by_code["LHHN-TN"], by_code["SNGV-TN"]
    assert (a.assigned, a.done_on_time, a.done_late, a.overdue, a.open) == (5, 2, 1, 1, 1)
    assert (b.assigned, b.done_on_time, b.done_late, b.overdue, b.open) == (2, 1, 0, 1, 0)
    assert a.on_time_percent == 50.0 and b.on_time_percent == 50.0
    # equal rates: more done on time ranks first
    assert (a.rank, b.rank) == (1, 2)
    assoc = by_code["HLH-NB-TN"]
    assert assoc.assigned == 1 and assoc.on_time_rate is None and assoc.rank is None
    assert rows[-1] is assoc


def test_the_scorecard_is_two_queries_whatever_the_number_of_units(province, django_assert_num_queries):
    # one GROUP BY over the tasks, one over the finished rounds of recurring tasks
    crafted(province)
    province.coordinator._huunghi_scope = None
    from apps.accounts.scoping import get_scope

    get_scope(province.coordinator)
    with django_assert_num_queries(2):
        selectors.scorecard(user=province.coordinator, start=date(YEAR, 1, 1), end=date(YEAR, 12, 31))


def test_an_officer_sees_only_their_units_line(province):
    crafted(province)
    rows = selectors.scorecard(user=province.officer_b, start=date(YEAR, 1, 1), end=date(YEAR, 12, 31))
    assert [r.unit_code for r in rows] == ["SNGV-TN"]


def test_the_scorecard_page_and_its_workbook(signed_in, province):
    crafted(province)
    client = signed_in("coordinator")
    page = client.get("/tasks/scorecard/?year={}".format(YEAR))
    assert page.status_code == 200
    assert 'data-unit="LHHN-TN"' in page.content.decode()
    workbook = client.get("/tasks/scorecard/?year={}&export=xlsx".format(YEAR))
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 + 3  # period line, header, three units
    assert {r[2] for r in rows[2:]} == {"LHHN-TN", "SNGV-TN", "HLH-NB-TN"}
    assert client.get("/tasks/scorecard/?start=01/07/{0}&end=31/12/{0}&under=UBND-TN".format(YEAR)).status_code == 200
    bad = client.get("/tasks/scorecard/?start=31/12/2025&end=01/01/2025")
    assert bad.status_code == 200 and "data-unit=" not in bad.content.decode()
    assert client.get("/tasks/scorecard/?year=abc&under=KHONG-CO").status_code == 200


# -- the list ----------------------------------------------------------------------------------


def task_rows(response) -> list[int]:
    import re

    body = response.content.decode()
    table = body[body.index('id="task-table"') :]
    table = table[: table.index("</table>")]
    seen = []
    for pk in re.findall(r'href="/tasks/(\d+)/"', table):
        if int(pk) not in seen:
            seen.append(int(pk))
    return seen


def many_tasks(province, count, start=0, document=None):
    today = timezone.localdate()
    with change_logging(user=None):
        for i in range(start, start + count):
            services.task_create(
                by=None,
                title="Nhiệm vụ số {:03d}".format(i),
                lead_unit=province.unit_a if i % 2 else province.unit_b,
                supporting_units=[province.association, province.unit_b] if i % 3 == 0 else [],
                document=document,
                due_date=today + timedelta(days=(i % 20) * 2 - 10),
            )


@pytest.fixture
def document(province):
    with change_logging(user=None):
        return Document.objects.create(unit=province.province, notation="108-KH/TU", type_name="Kế hoạch")


def test_the_list_runs_the_same_few_queries_for_20_and_60_tasks(
    signed_in, province, document, django_assert_max_num_queries
):
    client = signed_in("coordinator")
    many_tasks(province, 20, document=document)
    with CaptureQueriesContext(connection) as first:
        client.get("/tasks/")
    many_tasks(province, 40, start=20, document=document)
    with CaptureQueriesContext(connection) as second:
        response = client.get("/tasks/")
    assert len(first.captured_queries) == len(second.captured_queries)
    assert len(task_rows(response)) == 50
    with django_assert_max_num_queries(15):
        client.get("/tasks/?status=overdue&sort=-status")
    assert not [q for q in second.captured_queries if "COUNT(" in q["sql"].upper()]


def test_the_api_list_runs_the_same_few_queries_for_20_and_60_tasks(signed_in, province, document):
    client = signed_in("coordinator")
    many_tasks(province, 20, document=document)
    with CaptureQueriesContext(connection) as first:
        assert len(client.get("/api/tasks/").json()["items"]) == 20
    many_tasks(province, 40, start=20, document=document)
    with CaptureQueriesContext(connection) as second:
        assert len(client.get("/api/tasks/").json()["items"]) == 50
    assert len(first.captured_queries) == len(second.captured_queries)


def test_the_list_filters(signed_in, province, document):
    many_tasks(province, 12, document=document)
    client = signed_in("coordinator")
    today = timezone.localdate()
    overdue = set(Task.objects.filter(due_date__lt=today).values_list("pk", flat=True))
    assert set(task_rows(client.get("/tasks/?status=overdue"))) == overdue
    mine = set(Task.objects.filter(lead_unit=province.unit_a).values_list("pk", flat=True))
    assert set(task_rows(client.get("/tasks/?lead_unit=lhhn-tn"))) == mine
    assert set(task_rows(client.get("/tasks/?document=108-kh/tu"))) == set(Task.objects.values_list("pk", flat=True))
    assert task_rows(client.get("/tasks/?document=999-KH/TU")) == []
    assert "999-KH/TU" in client.get("/tasks/?document=999-KH/TU").content.decode()
    assert task_rows(client.get("/tasks/?q=nhiem vu so 007")) == [Task.objects.get(title="Nhiệm vụ số 007").pk]
    window = "/tasks/?due_after={}&due_before={}".format(
        (today - timedelta(days=5)).strftime("%d/%m/%Y"), today.strftime("%d/%m/%Y")
    )
    in_window = Task.objects.filter(due_date__gte=today - timedelta(days=5), due_date__lte=today)
    assert in_window.count() >= 2
    assert set(task_rows(client.get(window))) == set(in_window.values_list("pk", flat=True))
    assert client.get("/tasks/?priority=khan&status=vui").status_code == 200


def test_the_list_sorts_by_status_urgency(signed_in, province):
    many_tasks(province, 12)
    rows = task_rows(signed_in("coordinator").get("/tasks/?sort=status"))
    statuses = [Task.objects.get(pk=pk).status for pk in rows]
    assert statuses[0] == "overdue" and statuses[-1] in ("not_started", "in_progress")


def test_an_officer_lists_their_units_tasks_and_the_ones_they_support(signed_in, province):
    many_tasks(province, 12)
    rows = set(task_rows(signed_in("officer_a").get("/tasks/?per_page=100")))
    expected = set(Task.objects.filter(lead_unit=province.unit_a).values_list("pk", flat=True)) | set(
        Task.objects.filter(supporting_units=province.unit_a).values_list("pk", flat=True)
    )
    assert rows == expected


def test_the_export_holds_the_filtered_rows_with_readable_values(signed_in, province, document):
    many_tasks(province, 6, document=document)
    response = signed_in("coordinator").get("/tasks/?lead_unit=SNGV-TN&export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(rows) == 1 + 3
    assert rows[1][1] == "108-KH/TU" and rows[1][2] == province.unit_b.name


# -- selectors for the cascade -----------------------------------------------------------------


def test_progress_by_document_averages_in_one_query(province, document, django_assert_num_queries):
    other = Document.objects.create(unit=province.province, notation="12-CT/TW", type_name="Chỉ thị")
    Task.objects.bulk_create(
        [
            Task(title="a", lead_unit=province.unit_a, document=document, progress=20),
            Task(title="b", lead_unit=province.unit_a, document=document, progress=70),
            Task(title="c", lead_unit=province.unit_b, document=other, progress=100),
        ]
    )
    with django_assert_num_queries(1):
        result = selectors.progress_by_document([document.pk, other.pk, 987654])
    assert result == {document.pk: 45.0, other.pk: 100.0}
    assert selectors.progress_by_document([]) == {}


def test_tasks_for_documents_gives_each_documents_visible_tasks(province, document):
    mine = Task.objects.create(title="của A", lead_unit=province.unit_a, document=document)
    Task.objects.create(title="của B", lead_unit=province.unit_b, document=document)
    assert selectors.tasks_for_documents([document.pk], province.officer_a) == {document.pk: [mine]}
    assert len(selectors.tasks_for_documents([document.pk], province.coordinator)[document.pk]) == 2


def test_the_scorecard_escapes_unit_names(signed_in, province):
    from apps.accounts import services as accounts

    with change_logging(user=None):
        odd = accounts.unit_create(
            parent=province.ubnd, by=None, name='<script>alert("x")</script>', code="ODD-1", kind="other"
        )
    Task.objects.create(title="t", lead_unit=odd, due_date=date(YEAR, 5, 5))
    body = signed_in("coordinator").get("/tasks/scorecard/?year={}".format(YEAR)).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body


def test_task_scoping_matches_the_rule_for_a_coordinator_who_is_also_an_officer(province):
    """Task.scope_queryset is written for speed; it must still say what docs/architecture.md says."""
    from apps.accounts import services as accounts
    from apps.accounts.models import Unit

    with change_logging(user=None):
        both = accounts.user_create(by=None, username="hai.vai", full_name="Hai vai")
        accounts.role_assign(user=both, unit=province.ubnd, role="coordinator", by=None)
        accounts.role_assign(user=both, unit=province.union, role="officer", by=None)
    many_tasks(province, 12)
    Task.objects.create(title="Hội chủ trì", lead_unit=province.association).supporting_units.add(province.union)
    units = {u.pk: u for u in Unit.objects.all()}

    def expected(task, user, action):
        roles = list(user.roles.values_list("role", "unit_id"))
        lead = units[task.lead_unit_id]
        for role, unit_id in roles:
            subtree = {"view": ("admin", "coordinator", "leader"), "change": ("admin", "coordinator")}[action]
            if role in subtree and lead.path.startswith(units[unit_id].path):
                return True
            if role == "officer" and (
                unit_id == lead.pk or (action == "view" and task.supporting_units.filter(pk=unit_id).exists())
            ):
                return True
        return False

    for user in (both, province.officer_a, province.officer_b, province.coordinator, province.leader):
        for action in ("view", "change"):
            got = set(Task.objects.for_user(user, action).values_list("pk", flat=True))
            want = {t.pk for t in Task.objects.all() if expected(t, user, action)}
            assert got == want, (user, action)


def test_a_large_cascade_lists_the_first_tasks_counts_the_rest_and_rolls_up_all(signed_in, province, document):
    from apps.documents.selectors import TASKS_SHOWN, document_cascade

    many_tasks(province, TASKS_SHOWN + 15, document=document)
    tasks = list(Task.objects.filter(document=document).order_by("id"))
    Task.objects.filter(pk__in=[t.pk for t in tasks[:10]]).update(progress=100)
    expected = round(100 * 10 / len(tasks), 1)
    _ancestors, root = document_cascade(document=document, user=province.coordinator)
    assert len(root.tasks) == TASKS_SHOWN and root.more_tasks == 15 and root.task_count == len(tasks)
    assert root.progress == expected
    page = signed_in("coordinator").get(document.get_absolute_url())
    html = page.content.decode()
    assert "/tasks/?document={}".format(document.pk) in html and "15" in html
    # An officer counts only the tasks their unit leads or supports.
    theirs = Task.objects.for_user(province.officer_b).filter(document=document).count()
    assert 0 < theirs < len(tasks)
    _ancestors, root = document_cascade(document=document, user=province.officer_b)
    assert root.task_count == theirs
