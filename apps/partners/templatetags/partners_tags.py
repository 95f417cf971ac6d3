from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def registration_alerts(context, limit=10):
    """The signed-in person's unread alerts about expiring NGO registrations."""
    from apps.partners.reminders import unread_alerts

    request = context.get("request")
    return list(unread_alerts(getattr(request, "user", None), limit)) if request is not None else []


@register.simple_tag
def timeline_entries(entries):
    """The timeline's ``<li>`` lines in one pass: a partner with thousands of activities shows
    hundreds of entries, and half a dozen template lookups and filters per entry were most of the
    page. ``format_html`` escapes every value as the template would."""
    from django.utils.formats import date_format
    from django.utils.html import format_html, format_html_join
    from django.utils.text import Truncator

    def detail(text):
        if not text:
            return ""
        if len(text) > 200:
            text = Truncator(text).chars(200)
        return format_html('<div class="small text-body-secondary">{}</div>', text)

    from django.utils.translation import gettext

    undated = gettext("undated")

    def title(entry):
        return format_html('<a href="{}">{}</a>', entry.url, entry.title) if entry.url else entry.title

    return format_html_join(
        "\n",
        '<li class="mb-3 position-relative timeline-entry"><div class="small text-body-secondary">'
        '<i class="bi bi-{}"></i> {} · <span class="badge text-bg-{}">{}</span></div><div>{}</div>{}</li>',
        (
            (
                e.icon,
                date_format(e.date, "SHORT_DATE_FORMAT") if e.date else undated,
                e.colour,
                e.kind,
                title(e),
                detail(e.detail),
            )
            for e in entries
        ),
    )
