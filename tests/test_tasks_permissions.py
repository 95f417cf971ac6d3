"""Who sees and changes tasks and progress reports: the permission matrix, plus the rules of
reporting (officers of the lead or a supporting unit, coordinators) and reviewing (coordinators
and administrators over the lead unit)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from apps.core.changelog import change_logging
from apps.tasks import services
from apps.tasks.models import ProgressReport, Task
from tests.helpers import PERSONAS, links_to
from tests.matrix import FULL, HIDDEN, READ_ONLY, PermissionMatrix


def new_task(unit, supporting=(), **fields):
    with change_logging(user=None):
        return services.task_create(
            by=None,
            title=fields.pop("title", "Nhiệm vụ thử nghiệm"),
            lead_unit=unit,
            supporting_units=supporting,
            **fields,
        )


def entered_by_officer_a(province, task):
    """The task as if unit A's officer had entered it: only the person who created a task or the
    coordinators above its lead unit may delete it (or move its deadline), so the matrix's "officer
    of unit A changes and deletes" holds for a task of their own making. A task a coordinator
    assigns is covered by tests/test_tasks_review_round5.py."""
    Task.objects.filter(pk=task.pk).update(created_by=province.officer_a)
    return Task.objects.get(pk=task.pk)


class TestTaskPermissions(PermissionMatrix):
    """A task led by unit A: its officers change it, unit B's officers never see it."""

    model = Task
    api_list = "/api/tasks/"

    def make(self, province, unit):
        return entered_by_officer_a(province, new_task(unit))


class TestTaskSeenBySupportingUnit(PermissionMatrix):
    """Unit B supports unit A's task: B's officers see it (list, page, API) but do not change it."""

    model = Task
    api_list = "/api/tasks/"
    expected = {"officer_b": READ_ONLY}

    def make(self, province, unit):
        return entered_by_officer_a(province, new_task(unit, supporting=[province.unit_b]))


# -- progress reports ---------------------------------------------------------------------------

#: who may report on a task led by unit A with unit B supporting, and for which unit by default
REPORTERS = {
    "officer_a": "union",
    "officer_b": "department",
    "coordinator": "union",
    "admin": "union",
    "superuser": "union",
}


@pytest.fixture
def task(province):
    return new_task(province.unit_a, supporting=[province.unit_b])


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_officers_of_the_units_and_coordinators_may_report(province, task, persona):
    user = getattr(province, persona)
    if persona in REPORTERS:
        report = services.progress_report_submit(task=task, by=user, percent=30, text="Đã triển khai")
        assert report.unit == getattr(province, REPORTERS[persona])
    else:
        with pytest.raises(PermissionDenied):
            services.progress_report_submit(task=task, by=user, percent=30, text="Đã triển khai")
        assert not ProgressReport.objects.filter(task=task).exists()


def test_an_officer_of_another_unit_may_not_report_on_a_task_hidden_from_them(province):
    hidden = new_task(province.unit_a)
    with pytest.raises(PermissionDenied):
        services.progress_report_submit(task=hidden, by=province.officer_b, percent=10, text="x")


def test_a_supporting_officer_may_not_report_in_the_lead_units_name(province, task):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.progress_report_submit(
            task=task, by=province.officer_b, unit=province.unit_a, percent=10, text="Báo cáo thay"
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_coordinators_and_administrators_over_the_lead_unit_review(province, task, persona):
    report = services.progress_report_submit(task=task, by=province.officer_a, percent=40, text="Đã làm")
    user = getattr(province, persona)
    if persona in ("coordinator", "admin", "superuser"):
        services.progress_report_review(report=report, by=user, accept=True)
        assert ProgressReport.objects.get(pk=report.pk).review_status == "accepted"
    else:
        with pytest.raises(PermissionDenied):
            services.progress_report_review(report=report, by=user, accept=True)
        assert ProgressReport.objects.get(pk=report.pk).review_status == "submitted"


def test_nobody_reviews_their_own_report(province, task):
    report = services.progress_report_submit(task=task, by=province.coordinator, percent=40, text="Tự báo cáo")
    with pytest.raises(PermissionDenied):
        services.progress_report_review(report=report, by=province.coordinator, accept=True)


#: who sees the reports of unit A's task (unit B supporting) on the task page and in the API
@pytest.mark.parametrize("persona", PERSONAS)
def test_reports_are_seen_by_whoever_sees_the_task(signed_in, province, task, persona):
    report = services.progress_report_submit(task=task, by=province.officer_a, percent=40, text="Nội dung báo cáo A")
    hidden_task = new_task(province.unit_a, title="Nhiệm vụ riêng của A")
    services.progress_report_submit(task=hidden_task, by=province.officer_a, percent=10, text="Báo cáo kín")
    client = signed_in(persona)
    page = client.get(task.get_absolute_url())
    assert page.status_code == 200
    assert "Nội dung báo cáo A" in page.content.decode()
    api = client.get(f"/api/tasks/{task.pk}/reports/")
    assert [r["id"] for r in api.json()["items"]] == [report.pk]
    hidden = client.get(f"/api/tasks/{hidden_task.pk}/reports/")
    assert hidden.status_code == (404 if persona == "officer_b" else 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_report_form_and_review_buttons_show_only_to_those_allowed(signed_in, province, task, persona):
    services.progress_report_submit(task=task, by=province.officer_a, percent=40, text="Chờ duyệt")
    body = signed_in(persona).get(task.get_absolute_url()).content.decode()
    assert ('id="report-form"' in body) is (persona in REPORTERS)
    may_review = persona in ("coordinator", "admin", "superuser")
    assert ('name="decision" value="accept"' in body) is may_review


@pytest.mark.parametrize("persona", ["officer_b", "leader"])
def test_a_page_post_by_someone_not_allowed_changes_nothing(signed_in, province, task, persona):
    report = services.progress_report_submit(task=task, by=province.officer_a, percent=40, text="Chờ duyệt")
    client = signed_in(persona)
    response = client.post(f"/progress-reports/{report.pk}/review/", {"decision": "accept"})
    assert response.status_code in (302, 403)
    assert ProgressReport.objects.get(pk=report.pk).review_status == "submitted"
    if persona == "leader":
        assert client.post(f"/tasks/{task.pk}/reports/add/", {"percent": 50, "text": "x"}).status_code == 403
        assert ProgressReport.objects.filter(task=task).count() == 1


def test_an_outsider_gets_404_for_the_report_pages_of_a_hidden_task(signed_in, province):
    hidden = new_task(province.unit_a)
    report = services.progress_report_submit(task=hidden, by=province.officer_a, percent=10, text="x")
    client = signed_in("officer_b")
    assert client.post(f"/tasks/{hidden.pk}/reports/add/", {"percent": 50, "text": "x"}).status_code == 404
    assert client.post(f"/progress-reports/{report.pk}/review/", {"decision": "accept"}).status_code == 404
    assert (
        client.post(
            f"/api/progress-reports/{report.pk}/review/", {"decision": "accept"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_the_task_page_offers_edit_only_to_those_who_may_change_it(signed_in, province, task):
    edit = f"/tasks/{task.pk}/edit/"
    assert links_to(signed_in("officer_a").get(task.get_absolute_url()), edit)
    assert not links_to(signed_in("officer_b").get(task.get_absolute_url()), edit)


def test_an_officer_cannot_give_a_task_to_another_unit(province, task):
    with pytest.raises(PermissionDenied):
        services.task_assign(task=task, by=province.officer_a, lead_unit=province.unit_b)
    assert Task.objects.get(pk=task.pk).lead_unit == province.unit_a


def test_a_leader_changes_nothing(province, task):
    with pytest.raises(PermissionDenied):
        services.task_update(task=task, by=province.leader, title="Đổi tên")
    with pytest.raises(PermissionDenied):
        services.task_create(by=province.leader, title="Mới", lead_unit=province.unit_a)
    with pytest.raises(PermissionDenied):
        services.task_complete(task=task, by=province.leader)


def test_assigning_units_shares_the_document_with_them(province):
    from apps.documents.models import Document

    with change_logging(user=None):
        document = Document.objects.create(unit=province.province, notation="2722/KH-UBND", type_name="Kế hoạch")
    task = new_task(province.unit_a, document=document)
    assert set(document.shared_units.all()) == {province.unit_a}
    services.task_assign(task=task, by=province.coordinator, supporting_units=[province.unit_b])
    assert set(document.shared_units.all()) == {province.unit_a, province.unit_b}
    assert Document.objects.for_user(province.officer_b).filter(pk=document.pk).exists()


__all__ = ["FULL", "HIDDEN"]


# -- the pages outside the registry ------------------------------------------------------------

OTHER_PAGES = ["/tasks/overdue/", "/tasks/scorecard/", "/notifications/"]


@pytest.mark.parametrize("url", OTHER_PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_other_pages(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_anonymous_visitor_cannot_post_reports_reviews_or_reads(client, province, task):
    report = services.progress_report_submit(task=task, by=province.officer_a, percent=10, text="x")
    for url in (f"/tasks/{task.pk}/reports/add/", f"/progress-reports/{report.pk}/review/", "/notifications/read/"):
        assert client.post(url, {"decision": "accept", "percent": 5, "text": "y", "all": "1"}).status_code == 302
    assert ProgressReport.objects.get(pk=report.pk).review_status == "submitted"
    for url in (f"/api/tasks/{task.pk}/reports/", f"/api/progress-reports/{report.pk}/review/"):
        assert client.post(url, {}, content_type="application/json").status_code == 401


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", OTHER_PAGES)
def test_the_other_pages_open_for_everyone_signed_in_and_show_only_their_scope(signed_in, province, persona, url):
    hidden = new_task(province.unit_b, title="Việc riêng của đơn vị B", due_date=date(2000, 1, 1))
    response = signed_in(persona).get(url + ("?year=2000" if "scorecard" in url else ""))
    assert response.status_code == 200
    sees_b = persona != "officer_a"
    if "overdue" in url:
        assert links_to(response, hidden.get_absolute_url()) is sees_b
    if "scorecard" in url:
        assert ('data-unit="SNGV-TN"' in response.content.decode()) is sees_b


def test_the_global_search_finds_tasks_within_ones_scope(signed_in, province):
    new_task(province.unit_a, title="Tổ chức Tết hữu nghị Việt – Lào")
    assert "Tết hữu nghị" in signed_in("officer_a").get("/search/?q=tet huu nghi").content.decode()
    assert "Tết hữu nghị" not in signed_in("officer_b").get("/search/?q=tet huu nghi").content.decode()


def test_the_admin_lists_tasks_and_reports_read_only(signed_in, province, task):
    report = services.progress_report_submit(task=task, by=province.officer_a, percent=10, text="x")
    client = signed_in("superuser")
    assert client.get("/admin/tasks/task/").status_code == 200
    assert client.get("/admin/tasks/progressreport/").status_code == 200
    client.post(f"/admin/tasks/progressreport/{report.pk}/change/", {"percent": 99, "text": "đổi"})
    assert ProgressReport.objects.get(pk=report.pk).percent == 10
