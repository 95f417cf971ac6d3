"""Who is changing things right now, and how a snapshot of an object is taken.

The middleware (web pages and the API alike) and the ``change_logging`` context manager (services
called from commands and jobs) set the context; the signal receivers in apps.core.signals read it.
"""

import contextvars
import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder


@dataclass
class ChangeContext:
    request: object | None = None
    user: object | None = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)

    def current_user(self):
        user = self.user
        if user is None and self.request is not None:
            user = getattr(self.request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return user
        return None


_current: contextvars.ContextVar[ChangeContext | None] = contextvars.ContextVar("huunghi_change_context", default=None)


def current_context() -> ChangeContext | None:
    return _current.get()


@contextmanager
def change_logging(*, request=None, user=None):
    """Attribute every change made inside the block to ``user`` (or the request's user)."""
    token = _current.set(ChangeContext(request=request, user=user))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def snapshot(instance) -> dict:
    """A JSON-safe dict of the instance's fields (and many-to-many ids), minus excluded fields."""
    # The edit version and derived search text change on every save; they are not content.
    exclude = set(getattr(instance, "changelog_exclude", ())) | {"version", "search_text", "last_updated"}
    data = serializers.serialize("python", [instance])[0]["fields"]
    data = {k: v for k, v in data.items() if k not in exclude}
    extra = getattr(instance, "changelog_extra", None)
    if extra:
        data.update(extra())
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
