"""The calendar of activities (month grid, list, export) and the personal ICS feed a calendar
client subscribes to."""

from datetime import date

from apps.activities import ics, services
from apps.activities.models import Activity
from apps.core.changelog import change_logging
from tests.helpers import page_text


def activity(unit, title, start, **fields):
    with change_logging(user=None):
        return services.activity_save(
            activity=Activity(unit=unit, kind="cultural_exchange", title=title, start_date=start, **fields), by=None
        )


def test_the_month_shows_each_days_activities_and_links_to_the_list(login, province):
    activity(province.unit_a, "Giao lưu văn hóa Việt – Lào", date(2025, 9, 2))
    activity(province.unit_a, "Hoạt động đã hủy", date(2025, 9, 2), status="cancelled")
    activity(province.unit_b, "Hoạt động của sở", date(2025, 9, 2))
    response = login("officer_a").get("/activities/calendar/?month=2025-09")
    assert response.status_code == 200
    text = page_text(response)
    assert "Giao lưu văn hóa Việt – Lào" in text
    assert "Hoạt động đã hủy" not in text and "Hoạt động của sở" not in text
    assert 'data-day="2025-09-02" data-count="1"' in response.content.decode()
    assert "start_after=02/09/2025&amp;start_before=02/09/2025" in response.content.decode()
    assert login("officer_a").get("/activities/calendar/?month=garbage").status_code == 200


def test_the_ics_feed_lists_what_the_user_may_see_and_needs_its_key(client, province):
    from django.utils import timezone

    today = timezone.localdate()
    mine = activity(province.unit_a, "Đón đoàn Prey Veng; hội đàm, ký kết", today, end_date=today, venue="Trụ sở UBND")
    activity(province.unit_b, "Hoạt động của sở", today)
    user = province.officer_a
    url = "/feeds/activities/{}/{}.ics".format(user.pk, ics.feed_key(user))
    response = client.get(url)  # no session: a calendar client
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Đón đoàn Prey Veng\\; hội đàm\\, ký kết" in unfolded
    assert "UID:activity-{}@".format(mine.pk) in unfolded and "Hoạt động của sở" not in unfolded
    assert "DTSTART;VALUE=DATE:" + today.strftime("%Y%m%d") in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert client.get("/feeds/activities/{}/{}.ics".format(user.pk, "0" * 40)).status_code == 404
    # the same event whatever address the calendar subscribed through
    other = client.get(url, HTTP_HOST="127.0.0.1").content.decode().replace("\r\n ", "")
    uid = "UID:activity-{}@huunghi.local".format(mine.pk)
    assert uid in unfolded and uid in other
    assert (
        client.get("/feeds/activities/{}/{}.ics".format(province.officer_b.pk, ics.feed_key(user))).status_code == 404
    )
    user.set_password("a-new-password-for-the-feed-42")
    user.save()
    assert client.get(url).status_code == 404  # a new password revokes the old address


def test_the_calendar_page_gives_the_personal_feed_address(login, province):
    text = login("officer_a").get("/activities/calendar/").content.decode()
    assert "/feeds/activities/{}/{}.ics".format(province.officer_a.pk, ics.feed_key(province.officer_a)) in text


def test_the_map_counts_activities_per_country_once_per_activity(login, province):
    from apps.partners.models import Country

    laos, cambodia = Country.objects.get(code="LA"), Country.objects.get(code="KH")
    for i, countries in enumerate(([laos], [laos, cambodia], [cambodia])):
        row = activity(province.unit_a, "Hoạt động {}".format(i), date(2024, 5, 1 + i))
        row.countries.set(countries)
    activity(province.unit_b, "Của sở", date(2024, 5, 9)).countries.set([laos])
    response = login("officer_a").get("/activities/map/?year=2024")
    assert response.status_code == 200
    data = response.context["map_data"]["countries"]
    assert {(c["code"], c["value"], c["id"]) for c in data} == {("LA", 2, "418"), ("KH", 2, "116")}
    assert "/activities/?country=LA&amp;year=2024" in response.content.decode()
    assert login("officer_a").get("/activities/map/?year=abc").status_code == 200


def test_an_activity_of_several_days_is_on_each_of_them_across_the_month_edge(login, province):
    from datetime import date

    visit = activity(province.unit_a, "Đoàn thăm Prey Veng", date(2026, 1, 30), end_date=date(2026, 2, 3))
    activity(province.unit_a, "Tất niên", date(2025, 12, 31))
    client = login("officer_a")
    february = client.get("/activities/calendar/?month=2026-02")
    assert february.context["month_total"] == 1
    days = {d["day"]: d for week in february.context["weeks"] for d in week}
    assert all(visit in days[date(2026, 2, n)]["activities"] for n in (1, 2, 3))
    january = client.get("/activities/calendar/?month=2026-01")
    first_days = {d["day"]: d for week in january.context["weeks"] for d in week}
    assert first_days[date(2025, 12, 31)]["count"] == 1  # a greyed day of December still shows its activity
