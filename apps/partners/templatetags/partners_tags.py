from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def registration_alerts(context, limit=10):
    """The signed-in person's unread alerts about expiring NGO registrations."""
    from apps.partners.reminders import unread_alerts

    request = context.get("request")
    return list(unread_alerts(getattr(request, "user", None), limit)) if request is not None else []
