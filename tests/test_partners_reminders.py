"""Alerts before an NGO registration expires: the officers of the partner's unit hear of it once
per threshold (90 days, 30 days, the day it lapses), by e-mail and on the partner list."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from apps.core.changelog import change_logging
from apps.partners import services
from apps.partners.models import NgoRegistration, RegistrationAlert
from apps.partners.reminders import send_registration_alerts, threshold_reached

TODAY = date(2026, 3, 2)


@pytest.fixture
def registration(province):
    with change_logging(user=None):
        ngo = services.partner_create(by=None, unit=province.unit_a, kind="foreign_ngo", name="Oxfam")
        return services.registration_save(
            registration=NgoRegistration(
                partner=ngo, kind="activity", number="07/ĐK", issued_on=TODAY - timedelta(days=700),
                expires_on=TODAY + timedelta(days=25),
            ),
            by=None,
        )  # fmt: skip


@pytest.mark.parametrize(("days", "threshold"), [(120, None), (90, 90), (31, 90), (30, 30), (1, 30), (0, 0), (-5, 0)])
def test_the_threshold_reached_is_the_nearest(days, threshold):
    assert threshold_reached(days) == threshold


def test_the_officers_of_the_unit_are_alerted_once(province, registration, django_capture_on_commit_callbacks):
    province.officer_a.email = "officer.a@example.org"
    province.officer_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_registration_alerts(today=TODAY) == 1
    alert = RegistrationAlert.objects.get()
    assert alert.user == province.officer_a and alert.threshold == 30
    assert "07/ĐK" in alert.message and "27/03/2026" in alert.message
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["officer.a@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        assert send_registration_alerts(today=TODAY + timedelta(days=3)) == 0
    assert len(mail.outbox) == 1
    # the day it lapses is a new occasion
    assert send_registration_alerts(today=TODAY + timedelta(days=25)) == 1
    assert RegistrationAlert.objects.filter(threshold=0).count() == 1


def test_officers_of_other_units_hear_nothing(province, registration):
    send_registration_alerts(today=TODAY)
    assert not RegistrationAlert.objects.filter(user=province.officer_b).exists()


def test_send_reminders_sends_them_too(province, registration):
    out = io.StringIO()
    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=out)
    assert RegistrationAlert.objects.count() == 1
    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=out)
    assert RegistrationAlert.objects.count() == 1


def test_the_alert_shows_on_the_partner_list_until_read(login, province, registration):
    send_registration_alerts(today=TODAY)
    client = login("officer_a")
    response = client.get("/partners/")
    assert 'id="registration-alerts"' in response.content.decode() and "07/ĐK" in response.content.decode()
    client.post("/partners/alerts/read/")
    assert 'id="registration-alerts"' not in client.get("/partners/").content.decode()


def test_a_renewed_certificate_is_not_chased(province, registration):
    with change_logging(user=None):
        services.registration_save(
            registration=NgoRegistration(
                partner=registration.partner, kind="activity", number="08/ĐK", issued_on=TODAY,
                expires_on=TODAY + timedelta(days=1000),
            ),
            by=None,
        )  # fmt: skip
    assert send_registration_alerts(today=TODAY) == 0


def test_a_unit_without_officers_has_its_coordinators_alerted(province):
    with change_logging(user=None):
        ngo = services.partner_create(by=None, unit=province.association, kind="foreign_ngo", name="Không ai theo dõi")
        services.registration_save(
            registration=NgoRegistration(
                partner=ngo, kind="activity", number="09/ĐK", issued_on=TODAY - timedelta(days=700),
                expires_on=TODAY + timedelta(days=20),
            ),
            by=None,
        )  # fmt: skip
    from apps.accounts.models import RoleAssignment

    assert not RoleAssignment.objects.filter(unit=province.association, role="officer").exists()
    send_registration_alerts(today=TODAY)
    assert RegistrationAlert.objects.filter(registration__partner=ngo, user=province.coordinator).exists()


class MailServerDown:
    """An e-mail backend whose server cannot be reached."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError("mail server down")

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_an_alert_whose_email_failed_is_mailed_by_the_next_run_and_only_once(
    settings, province, registration, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "en"  # the msgid as written; locale/vi carries the Vietnamese
    with change_logging(user=None):
        province.officer_a.email = "officer.a@example.org"
        province.officer_a.save()
    settings.EMAIL_BACKEND = "tests.test_partners_reminders.MailServerDown"
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_registration_alerts(today=TODAY, stdout=out) == 1
    assert "1 e-mails could not be sent" in out.getvalue() and "the next run tries again" in out.getvalue()
    assert RegistrationAlert.objects.get().email_state == "pending"  # the alert itself is on the page at once

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert send_registration_alerts(today=TODAY + timedelta(days=1)) == 0  # no new alert …
    assert [m.to for m in mail.outbox] == [["officer.a@example.org"]]  # … but its e-mail goes now
    assert "07/ĐK" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        send_registration_alerts(today=TODAY + timedelta(days=2))
    assert len(mail.outbox) == 1
    assert RegistrationAlert.objects.get().email_state == "sent"
