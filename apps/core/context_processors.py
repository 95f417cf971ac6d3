from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.scoping import get_scope


def navigation(request):
    """The menu: an entry appears only when its page works and the user may open it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = get_scope(user)
    items = [
        {"label": _("Overview"), "url": reverse("home"), "icon": "house"},
        {"label": _("Documents"), "url": reverse("documents:document_list"), "icon": "file-earmark-text"},
        {"label": _("Tasks"), "url": reverse("tasks:task_list"), "icon": "list-check"},
        {"label": _("Partners"), "url": reverse("partners:partner_list"), "icon": "globe2"},
        # Agreements are reached from the activity list (one entry keeps the menu within 1366 px).
        {
            "label": _("Activities"),
            "url": reverse("activities:activity_list"),
            "icon": "calendar-event",
            "also": [reverse("activities:agreement_list")],  # highlighted on the agreement pages too
        },
        {"label": _("Aid"), "url": reverse("aid:aiditem_list"), "icon": "cash-coin"},
        {"label": _("Members"), "url": reverse("members:memberorganisation_list"), "icon": "people-fill"},
        {
            # The organisation's own records, in one drop-down so the menu fits a 1366 px screen.
            "label": _("Organisation"),
            "icon": "diagram-3",
            "children": [
                {"label": _("Units"), "url": reverse("accounts:unit_list"), "icon": "diagram-3"},
                {"label": _("Users"), "url": reverse("accounts:user_list"), "icon": "people"},
                {"label": _("Awards"), "url": reverse("members:award_list"), "icon": "award"},
                {"label": _("Review reports"), "url": reverse("reports:reviewreport_list"), "icon": "file-earmark-richtext"},
                {"label": _("Change log"), "url": reverse("core:objectchange_list"), "icon": "clock-history"},
            ],
        },
    ]
    path = request.path

    def active(url):
        return path == url if url == "/" else path.startswith(url)

    for item in items:
        for child in item.get("children", ()):
            child["active"] = active(child["url"])
        item["active"] = (
            any(c["active"] for c in item["children"])
            if "children" in item
            else active(item["url"]) or any(active(url) for url in item.get("also", ()))
        )
    from apps.tasks.models import Notification

    # At most ten ids, never a COUNT: the badge says "9+" beyond that.
    unread = len(Notification.objects.for_user(user).unread().values_list("pk", flat=True)[:10])
    return {"nav_items": items, "user_scope": scope, "unread_notifications": "9+" if unread >= 10 else unread}
