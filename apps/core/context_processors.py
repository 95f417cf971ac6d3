from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.scoping import get_scope

# (label, url name, icon, other url names that highlight the entry) or (label, icon, children)
MENU = (
    (_("Overview"), "home", "house", ()),
    (_("Documents"), "documents:document_list", "file-earmark-text", ()),
    (_("Tasks"), "tasks:task_list", "list-check", ()),
    (_("Partners"), "partners:partner_list", "globe2", ()),
    # Agreements are reached from the activity list (one entry keeps the menu within 1366 px);
    # the entry is highlighted on the agreement pages too.
    (_("Activities"), "activities:activity_list", "calendar-event", ("activities:agreement_list",)),
    (_("Aid"), "aid:aiditem_list", "cash-coin", ()),
    (_("Members"), "members:memberorganisation_list", "people-fill", ()),
    # The organisation's own records, in one drop-down so the menu fits a 1366 px screen.
    (
        _("Organisation"),
        "diagram-3",
        (
            (_("Units"), "accounts:unit_list", "diagram-3", ()),
            (_("Users"), "accounts:user_list", "people", ()),
            (_("Awards"), "members:award_list", "award", ()),
            (_("Review reports"), "reports:reviewreport_list", "file-earmark-richtext", ()),
            (_("Change log"), "core:objectchange_list", "clock-history", ()),
        ),
    ),
)


@lru_cache(maxsize=8)
def _resolved(urlconf, prefix):
    """The menu's URLs, reversed once per URL configuration and script prefix: they never change
    while the process runs, and a dozen ``reverse`` calls were a visible share of every page."""

    def leaf(entry):
        label, name, icon, also = entry
        return (label, reverse(name, urlconf=urlconf), icon, tuple(reverse(n, urlconf=urlconf) for n in also))

    return tuple(
        (entry[0], entry[1], tuple(leaf(child) for child in entry[2])) if len(entry) == 3 else leaf(entry)
        for entry in MENU
    )


def navigation(request):
    """The menu: an entry appears only when its page works and the user may open it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path

    def active(url):
        return path == url if url == "/" else path.startswith(url)

    def item(entry):
        label, url, icon, also = entry
        return {"label": label, "url": url, "icon": icon, "active": active(url) or any(active(u) for u in also)}

    items = []
    for entry in _resolved(get_urlconf(), get_script_prefix()):
        if len(entry) == 3:
            children = [item(child) for child in entry[2]]
            items.append(
                {
                    "label": entry[0],
                    "icon": entry[1],
                    "children": children,
                    "active": any(c["active"] for c in children),
                }
            )
        else:
            items.append(item(entry))
    from apps.tasks.models import Notification

    # At most ten ids, never a COUNT: the badge says "9+" beyond that.
    unread = len(Notification.objects.for_user(user).unread().values_list("pk", flat=True)[:10])
    return {"nav_items": items, "user_scope": get_scope(user), "unread_notifications": "9+" if unread >= 10 else unread}
