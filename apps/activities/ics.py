"""iCalendar (RFC 5545) feed of activities: a personal address a calendar client subscribes to,
without a session. The address carries a key derived from the user's id and password hash, so
changing the password revokes every address given out before."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

FEED_DAYS_BACK = 365
FEED_DAYS_AHEAD = 730
FEED_MAX = 2000


def feed_key(user) -> str:
    return salted_hmac("activities.ics", "{}:{}".format(user.pk, user.password), algorithm="sha256").hexdigest()[:40]


def key_matches(user, key: str) -> bool:
    return constant_time_compare(feed_key(user), key or "")


def _escape(text: str) -> str:
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        # a lone CR (pasted from old Mac or Windows tools) ends a line for some clients: it would
        # let a title start a property or an event of its own
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def _day(value) -> str:
    # strftime("%Y") writes year 5 as "5" on some platforms; DATE values need four digits
    return "{:04d}{:02d}{:02d}".format(value.year, value.month, value.day)


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1),
    never splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def activities_for_feed(user):
    from apps.activities.models import Activity
    from apps.core.querysets import VIEW

    today = timezone.localdate()
    return (
        Activity.objects.for_user(user, VIEW)
        .exclude(status=Activity.Status.CANCELLED)
        .filter(
            start_date__gte=today - timedelta(days=FEED_DAYS_BACK),
            start_date__lte=today + timedelta(days=FEED_DAYS_AHEAD),
        )
        .select_related("unit")
        .order_by("start_date", "id")[:FEED_MAX]
    )


def render_feed(activities, base_url: str, name: str) -> str:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    # The UID names the installation, not the address the feed was fetched through: a calendar
    # subscribed through two addresses (intranet name, IP) must not show every activity twice.
    host = getattr(settings, "ICS_UID_DOMAIN", "") or "huunghi.local"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//HuuNghi//Activities//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + _escape(name),
        "X-WR-TIMEZONE:" + settings.TIME_ZONE,
    ]
    for activity in activities:
        try:
            end = (activity.end_date or activity.start_date) + timedelta(days=1)  # DTEND is exclusive
        except OverflowError:
            # An end on 31/12/9999 (older rows, before dates were bounded) has no next day: one
            # such row must not take every subscriber's calendar down, so it is left out.
            continue
        description = "{} — {}".format(activity.get_kind_display(), activity.unit.name)
        if activity.purpose:
            description += "\n" + activity.purpose
        lines += [
            "BEGIN:VEVENT",
            "UID:activity-{}@{}".format(activity.pk, host),
            "DTSTAMP:" + stamp,
            "DTSTART;VALUE=DATE:" + _day(activity.start_date),
            "DTEND;VALUE=DATE:" + _day(end),
            "SUMMARY:" + _escape(activity.title),
            "LOCATION:" + _escape(", ".join(p for p in (activity.venue, activity.place_name) if p)),
            "DESCRIPTION:" + _escape(description),
            "URL:" + base_url.rstrip("/") + activity.get_absolute_url(),
            "STATUS:" + ("CONFIRMED" if activity.status == "done" else "TENTATIVE"),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
