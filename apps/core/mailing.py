"""E-mail that goes with an in-app notice (task reminders, NGO registration alerts), sent so that
nothing is lost and nothing is sent twice.

A notice row carries ``email_state`` and ``emailed_at``. It is stored ``PENDING`` when its person
has an address; ``send_waiting`` then sends the waiting ones one by one, each marked ``SENT``
before it goes (a concurrent run cannot take it too, a crash after the send cannot repeat it) and
put back to ``PENDING`` when the server refuses it, so the next run tries again. Notices waiting
longer than ``retry_days`` are given up (``FAILED``): the in-app notice is what remains.

Django's ``send_messages(fail_silently=True)`` reported every message as handled while the mail
server was down; the daily run then never tried again."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

#: the mail server refused this one message (its address, its content): the others still go
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)


class EmailState(models.TextChoices):
    NONE = "none", _("No e-mail (no address)")
    PENDING = "pending", _("E-mail waiting to be sent")
    SENT = "sent", _("E-mail sent")
    FAILED = "failed", _("E-mail given up")


def email_fields():
    """The two fields a notice model adds (``email_state``, ``emailed_at``), for its class body."""
    return (
        models.CharField(
            _("e-mail"), max_length=8, choices=EmailState.choices, default=EmailState.NONE, editable=False
        ),
        models.DateTimeField(_("e-mailed at"), null=True, blank=True, editable=False),
    )


def initial_state(user) -> str:
    return EmailState.PENDING if getattr(user, "email", "") else EmailState.NONE


@dataclass
class MailOutcome:
    sent: int = 0
    #: still waiting after this run (refused, or the server could not be reached)
    failed: int = 0


def send_waiting(queryset, *, subject_of, retry_days: int) -> MailOutcome:
    """Send the e-mails of ``queryset``'s notices still waiting (this run's and those an earlier
    failed run left). ``subject_of(notice)`` gives the subject; the body is ``notice.message``."""
    outcome = MailOutcome()
    model = queryset.model
    waiting = queryset.filter(email_state=EmailState.PENDING)
    waiting.filter(created__lt=timezone.now() - timedelta(days=retry_days)).update(email_state=EmailState.FAILED)
    rows = list(waiting.select_related("user").order_by("pk"))
    if not rows:
        return outcome
    connection = mail.get_connection(fail_silently=False)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("E-mails not sent, the mail server is unreachable: %s", exc)
        outcome.failed += len(rows)
        return outcome

    def back_to_waiting(pk):
        model.objects.filter(pk=pk).update(email_state=EmailState.PENDING, emailed_at=None)

    try:
        for position, notice in enumerate(rows):
            if not notice.user.email:  # the address was removed meanwhile
                model.objects.filter(pk=notice.pk).update(email_state=EmailState.NONE)
                continue
            claimed = model.objects.filter(pk=notice.pk, email_state=EmailState.PENDING).update(
                email_state=EmailState.SENT, emailed_at=timezone.now()
            )
            if not claimed:
                continue  # another run has taken it
            message = mail.EmailMessage(
                subject=str(subject_of(notice)),
                body=notice.message,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[notice.user.email],
            )
            try:
                sent = connection.send_messages([message])
            except MESSAGE_ERRORS as exc:
                logger.warning("E-mail to %s refused: %s", notice.user.email, exc)
                sent = 0
            except (OSError, smtplib.SMTPException) as exc:
                logger.warning("E-mails interrupted, the mail server failed: %s", exc)
                back_to_waiting(notice.pk)
                outcome.failed += sum(1 for r in rows[position:] if r.user.email)
                return outcome
            if sent:
                outcome.sent += 1
            else:
                back_to_waiting(notice.pk)
                outcome.failed += 1
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            pass  # closing a broken connection: nothing left to lose
    return outcome
