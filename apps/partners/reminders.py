"""Alerts before a foreign NGO's registration (Nghị định 58/2022/NĐ-CP) expires: the officers of
the unit that keeps the partner (the coordinators above it, when it has none) hear of it 90 and 30
days before, and on the day it lapses — unless a later certificate of the same kind renewed it.

Run by ``manage.py send_reminders`` with the task reminders. Idempotent: each (registration,
person, threshold) is alerted once — the database enforces it — and e-mail goes only with an
alert, once: it is recorded as sent only when the mail server took it, so one that failed is
tried again by the next run (``apps.core.mailing``). Only the threshold a registration has reached most recently is sent,
so a registration entered 10 days before expiry gets one alert, not three."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.mailing import initial_state, send_waiting
from apps.partners.models import NgoRegistration, RegistrationAlert

#: days before expiry at which officers are alerted (0 = the day it expires)
THRESHOLDS = (90, 30, 0)
#: how long after expiry a lapsed registration is still chased
LAPSED_WINDOW_DAYS = 30
#: how long an e-mail the mail server did not take is tried again (then only the in-app alert stays)
MAIL_RETRY_DAYS = 7


def threshold_reached(days_left: int) -> int | None:
    """The smallest threshold a registration with ``days_left`` has reached."""
    reached = [t for t in THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


def _message(registration: NgoRegistration, days_left: int) -> str:
    values = {
        "partner": registration.partner.display_name,
        "kind": registration.get_kind_display(),
        "number": registration.number,
        "day": registration.expires_on.strftime("%d/%m/%Y"),
        "days": days_left,
    }
    if days_left < 0:
        return _("The {kind} certificate {number} of {partner} expired on {day}.").format(**values)
    if days_left == 0:
        return _("The {kind} certificate {number} of {partner} expires today ({day}).").format(**values)
    return _("The {kind} certificate {number} of {partner} expires on {day}, in {days} days.").format(**values)


def _subject(alert) -> str:
    return _("[HữuNghị] NGO registration expiring")


def _people(registrations) -> dict[int, list]:
    """{unit id: who hears of its partners' registrations} (``apps.accounts.followers``)."""
    from apps.accounts.followers import followers

    return followers(r.partner.unit_id for r in registrations)


def send_registration_alerts(*, today: date | None = None, stdout=None) -> int:
    """Alert the officers of each partner's unit about registrations nearing or past expiry."""
    today = today or timezone.localdate()
    registrations = list(
        NgoRegistration.objects.filter(
            expires_on__gte=today - timedelta(days=LAPSED_WINDOW_DAYS),
            expires_on__lte=today + timedelta(days=max(THRESHOLDS)),
        ).select_related("partner")
    )
    # A certificate renewed (a later one of the same kind for the same partner) is not chased.
    from django.db.models import Max

    latest = {
        (row["partner_id"], row["kind"]): row["last"]
        for row in NgoRegistration.objects.filter(partner_id__in={r.partner_id for r in registrations})
        .values("partner_id", "kind")
        .annotate(last=Max("expires_on"))
    }
    registrations = [r for r in registrations if latest.get((r.partner_id, r.kind)) == r.expires_on]
    officers = _people(registrations)
    created: list[RegistrationAlert] = []
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        existing = set(
            RegistrationAlert.objects.filter(registration__in=registrations).values_list(
                "registration_id", "user_id", "threshold"
            )
        )
        for registration in registrations:
            days_left = (registration.expires_on - today).days
            threshold = threshold_reached(days_left)
            if threshold is None:
                continue
            message = _message(registration, days_left)
            for user in officers.get(registration.partner.unit_id, ()):
                if (registration.pk, user.pk, threshold) in existing:
                    continue
                existing.add((registration.pk, user.pk, threshold))
                created.append(
                    RegistrationAlert(registration=registration, user=user, threshold=threshold, message=message)
                )
        for alert in created:
            alert.email_state = initial_state(alert.user)
        RegistrationAlert.objects.bulk_create(created, ignore_conflicts=True, batch_size=500)

    def send():
        # In the site's language even when this runs after the caller's outer transaction; the
        # line is written once the mail is done, so it tells what happened.
        with translation.override(settings.LANGUAGE_CODE):
            outcome = send_waiting(RegistrationAlert.objects.all(), subject_of=_subject, retry_days=MAIL_RETRY_DAYS)
            if stdout is None or not (created or outcome.failed):  # silent when there is nothing to say
                return
            line = _("NGO registration alerts: {}.").format(len(created))
            if outcome.failed:
                line += " " + _(
                    "{failed} e-mails could not be sent (the mail server did not take them); the next run tries again."
                ).format(failed=outcome.failed)
            stdout.write(line + "\n")

    # After the alerts are committed: an e-mail never announces one that was rolled back.
    transaction.on_commit(send)
    return len(created)


def unread_alerts(user, limit: int = 10):
    if not getattr(user, "is_authenticated", False):
        return RegistrationAlert.objects.none()
    return (
        RegistrationAlert.objects.filter(user=user, read_at__isnull=True)
        .select_related("registration", "registration__partner")
        .order_by("-created")[:limit]
    )
