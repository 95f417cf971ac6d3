"""List pages: sorting, filters, paging that never counts, and exports of what the filter shows."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from apps.accounts import services
from apps.accounts.models import Unit
from apps.core.changelog import change_logging
from tests.helpers import page_text


def unit_rows(response) -> list[int]:
    """Ids of the units in the list table, in the order shown."""
    body = response.content.decode()
    table = body[body.index('id="unit-table"') :]
    table = table[: table.index("</table>")]
    seen = []
    for pk in re.findall(r'href="/units/(\d+)/"', table):
        if int(pk) not in seen:
            seen.append(int(pk))
    return seen


def units_named(*names):
    return [Unit.objects.get(name=n).pk for n in names]


@pytest.fixture
def ended_unit(province):
    with change_logging(user=None):
        return services.unit_create(
            parent=province.ubnd,
            by=None,
            name="Huyện cũ (đã sáp nhập)",
            code="H-CU",
            kind="district",
            valid_from=date(2000, 1, 1),
            valid_to=date.today() - timedelta(days=1),
        )


def many_units(parent, count, start=0):
    with change_logging(user=None):
        for i in range(start, start + count):
            services.unit_create(
                parent=parent, by=None, name=f"Chi hội số {i:03d}", code=f"CH-{i:03d}", kind="association"
            )


def many_people(unit, count, start=0):
    with change_logging(user=None):
        for i in range(start, start + count):
            person = services.user_create(by=None, username=f"thanh.vien.{i:03d}", full_name=f"Thành viên {i:03d}")
            services.role_assign(user=person, unit=unit, role="officer", by=None)


# -- sorting -----------------------------------------------------------------------------------


def test_the_unit_list_sorts_by_name_both_ways(login, province):
    client = login("coordinator")
    by_name = sorted(Unit.objects.all(), key=lambda u: u.name)
    assert unit_rows(client.get("/units/?sort=name")) == [u.pk for u in by_name]
    assert unit_rows(client.get("/units/?sort=-name")) == [u.pk for u in reversed(by_name)]


def test_the_unit_list_shows_the_tree_order_by_default(login, province):
    expected = [
        province.province.pk,
        province.union.pk,
        province.association.pk,
        province.ubnd.pk,
        province.department.pk,
    ]
    assert unit_rows(login("coordinator").get("/units/")) == expected


# -- filters -----------------------------------------------------------------------------------


def test_the_unit_list_filters_by_kind(login, province):
    assert unit_rows(login("coordinator").get("/units/?kind=association")) == [province.association.pk]
    assert unit_rows(login("coordinator").get("/units/?kind=department")) == [province.department.pk]


def test_the_unit_list_filters_units_in_operation_and_ended_ones(login, province, ended_unit):
    client = login("coordinator")
    active = unit_rows(client.get("/units/?status=active"))
    assert ended_unit.pk not in active and province.union.pk in active
    assert unit_rows(client.get("/units/?status=ended")) == [ended_unit.pk]


def test_the_unit_list_filters_the_units_under_a_parent(login, province, ended_unit):
    rows = unit_rows(login("coordinator").get(f"/units/?parent={province.ubnd.pk}"))
    assert sorted(rows) == sorted([province.department.pk, ended_unit.pk])


def test_filters_combine(login, province, ended_unit):
    rows = unit_rows(login("coordinator").get(f"/units/?parent={province.ubnd.pk}&status=active"))
    assert rows == [province.department.pk]


def test_a_filter_outside_ones_scope_shows_nothing(login, province):
    response = login("officer_a").get(f"/units/?parent={province.ubnd.pk}")
    assert response.status_code == 200
    assert unit_rows(response) == []


def test_the_user_list_filters_by_role_and_unit(login, province):
    client = login("admin")
    text = client.get("/users/?role=leader").content.decode()
    assert province.leader.get_absolute_url() in text and province.officer_a.get_absolute_url() not in text
    text = client.get(f"/users/?unit={province.department.pk}").content.decode()
    assert province.officer_b.get_absolute_url() in text and province.officer_a.get_absolute_url() not in text


# -- paging without counting -------------------------------------------------------------------


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries], response


@pytest.mark.parametrize(
    ("url", "grow"),
    [
        ("/units/", lambda p, start: many_units(p.union, 60, start)),
        ("/users/", lambda p, start: many_people(p.union, 60, start)),
    ],
)
def test_a_list_page_runs_the_same_few_queries_however_many_rows_there_are(
    login, province, django_assert_max_num_queries, url, grow
):
    client = login("coordinator")
    grow(province, 0)
    first, _ = queries_for(client, url)
    grow(province, 60)
    second, response = queries_for(client, url)
    assert len(second) == len(first)
    with django_assert_max_num_queries(15):
        client.get(url)
    assert 'rel="next"' in response.content.decode() or "page=2" in response.content.decode()


@pytest.mark.parametrize("url", ["/units/", "/users/", "/units/?page=2", "/changelog/", "/api/units/", "/api/users/"])
def test_no_list_counts_its_rows(login, province, url):
    many_units(province.union, 60)
    sql, _ = queries_for(login("coordinator"), url)
    counting = [q for q in sql if "COUNT(" in q.upper()]
    assert counting == []


def test_the_second_page_shows_the_rest(login, province):
    many_units(province.union, 60)
    client = login("coordinator")
    first = unit_rows(client.get("/units/?per_page=25"))
    second = unit_rows(client.get("/units/?per_page=25&page=2"))
    assert len(first) == 25 and len(second) == 25
    assert not set(first) & set(second)


# -- exports -----------------------------------------------------------------------------------


def streamed(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_excel_export_is_a_workbook_of_the_filtered_rows(login, province, ended_unit):
    response = login("coordinator").get("/units/?status=active&kind=association&export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(streamed(response)), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(rows) == 2  # the header and the one association
    assert province.association.name in rows[1]
    assert province.association.code in rows[1]


def test_the_excel_export_holds_every_row_not_just_the_first_page(login, province):
    many_units(province.union, 60)
    response = login("coordinator").get("/units/?kind=association&per_page=25&export=xlsx")
    sheet = load_workbook(io.BytesIO(streamed(response)), read_only=True).worksheets[0]
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == 1 + 61


def test_the_csv_export_is_utf8_with_a_bom_and_the_filtered_rows(login, province, ended_unit):
    response = login("coordinator").get("/units/?status=ended&export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = streamed(response)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][0] == "Huyện cũ (đã sáp nhập)"
    assert "H-CU" in rows[1]


def test_an_export_never_holds_rows_outside_ones_scope(login, province):
    body = streamed(login("officer_a").get("/units/?export=csv")).decode("utf-8-sig")
    assert province.union.name in body
    assert province.department.name not in body


def test_the_user_export_lists_people_with_their_roles(login, province):
    body = streamed(login("admin").get("/users/?role=officer&export=csv")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    usernames = {row[0] for row in rows[1:]}
    assert usernames == {province.officer_a.username, province.officer_b.username}


def test_the_parent_filter_also_takes_a_unit_code(login, province, ended_unit):
    rows = unit_rows(login("coordinator").get("/units/?parent=ubnd-tn"))
    assert sorted(rows) == sorted([province.department.pk, ended_unit.pk])


def test_an_unknown_parent_code_is_reported_not_silently_empty(english, login, province):
    response = login("coordinator").get("/units/?parent=KHONG-CO")
    assert response.status_code == 200
    assert unit_rows(response) == []
    assert "No unit has the code “KHONG-CO”." in page_text(response)
