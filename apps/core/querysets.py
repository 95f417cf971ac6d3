"""The one scoping mechanism: ``Model.objects.for_user(user, action)``.

A model says which unit owns a row (``scope_field``, a path to a ``Unit``; empty for ``Unit``
itself) and, optionally, which units a row is shared with (``scope_shared_field``). The user's
roles (apps.accounts.scoping) turn into a filter on those fields. Views and API endpoints never
filter by unit by hand.
"""

from django.db import models

VIEW = "view"
CHANGE = "change"
MANAGE = "manage"


class ScopedQuerySetMixin:
    def for_user(self, user, action: str = VIEW):
        from apps.accounts.scoping import scope_filter

        return scope_filter(self, user, action)


class ScopedQuerySet(ScopedQuerySetMixin, models.QuerySet):
    pass


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
