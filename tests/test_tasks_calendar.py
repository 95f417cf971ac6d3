"""The deadline calendar: a month of due dates, only the tasks the person may see, each day leading
to the filtered task list."""

from datetime import date

from apps.core.changelog import change_logging
from apps.tasks import services


def make_task(unit, title, due):
    with change_logging(user=None):
        return services.task_create(by=None, title=title, lead_unit=unit, due_date=due)


def test_the_month_shows_each_days_tasks_to_those_who_may_see_them(signed_in, province):
    make_task(province.unit_a, "Đón đoàn tỉnh Champasak", date(2026, 9, 2))
    make_task(province.unit_b, "Báo cáo đoàn ra quý III", date(2026, 9, 2))
    make_task(province.unit_a, "Kỷ niệm Quốc khánh Lào", date(2026, 12, 2))

    html = signed_in("coordinator").get("/tasks/calendar/?month=2026-09").content.decode()
    assert 'data-day="2026-09-02" data-count="2"' in html
    assert "Đón đoàn tỉnh Champasak" in html and "Báo cáo đoàn ra quý III" in html
    assert "Kỷ niệm Quốc khánh Lào" not in html
    assert "due_after=02/09/2026&amp;due_before=02/09/2026" in html

    officer = signed_in("officer_b").get("/tasks/calendar/?month=2026-09").content.decode()
    assert 'data-day="2026-09-02" data-count="1"' in officer
    assert "Đón đoàn tỉnh Champasak" not in officer


def test_a_unit_filter_and_bad_input_are_handled(signed_in, province):
    make_task(province.unit_a, "Đón đoàn tỉnh Champasak", date(2026, 9, 2))
    make_task(province.unit_b, "Báo cáo đoàn ra quý III", date(2026, 9, 3))
    client = signed_in("coordinator")
    html = client.get("/tasks/calendar/?month=2026-09&lead_unit={}".format(province.unit_b.code)).content.decode()
    assert "Báo cáo đoàn ra quý III" in html and "Đón đoàn tỉnh Champasak" not in html
    response = client.get("/tasks/calendar/?month=2026-13&lead_unit=KHONG-CO")
    assert response.status_code == 200
    assert "KHONG-CO" in response.content.decode()  # named in the error message
    assert client.get("/tasks/calendar/?month=abc").status_code == 200


def test_the_calendar_needs_sign_in(client):
    assert client.get("/tasks/calendar/").status_code == 302
