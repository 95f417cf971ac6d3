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


def snapshots_of_new(instances) -> list[dict]:
    """``snapshot`` of rows just inserted together (a bulk import): their many-to-many fields are
    empty, so they are written as such instead of being asked of the database row by row."""
    if not instances:
        return []
    meta = instances[0]._meta
    exclude = set(getattr(instances[0], "changelog_exclude", ())) | {"version", "search_text", "last_updated"}
    plain = [f.name for f in meta.local_fields if not f.primary_key and f.name not in exclude]
    empty = {f.name: [] for f in meta.local_many_to_many if f.name not in exclude}
    out = []
    for row in serializers.serialize("python", instances, fields=plain):
        data = {k: v for k, v in row["fields"].items() if k not in exclude}
        data.update(empty)
        out.append(data)
    for data, instance in zip(out, instances, strict=True):
        extra = getattr(instance, "changelog_extra", None)
        if extra:
            data.update(extra())
    return json.loads(json.dumps(out, cls=DjangoJSONEncoder))


# Snapshot keys that are bookkeeping, not content a reader cares about.
HIDDEN_KEYS = {"path", "depth", "numchild", "created", "id", "parent"}
EXTRA_LABELS = {"parent_name": "Parent unit"}


def _display(field, value, related_names):
    from django.utils import formats
    from django.utils.dateparse import parse_date, parse_datetime
    from django.utils.translation import gettext as _

    if value is None or value == "" or value == []:
        return ""
    if field is None:
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    internal = field.get_internal_type()
    if internal == "BooleanField":
        return _("Yes") if value else _("No")
    if field.is_relation and field.many_to_one:
        return related_names.get((field.name, value), "#{}".format(value))
    if internal == "DateField":
        parsed = parse_date(str(value))
        return formats.date_format(parsed, "SHORT_DATE_FORMAT") if parsed else str(value)
    if internal == "DateTimeField":
        from django.utils import timezone

        parsed = parse_datetime(str(value))
        return formats.date_format(timezone.localtime(parsed), "SHORT_DATETIME_FORMAT") if parsed else str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def humanize_diff(change) -> list[dict]:
    """Rows a reader understands: field label, before and after as displayed in the interface.

    A creation lists the values it set, a deletion the values it removed, an update what differs.
    Choice codes become labels, booleans Yes/No, foreign keys the related record's name.
    """
    from django.core.exceptions import FieldDoesNotExist
    from django.utils.text import capfirst
    from django.utils.translation import gettext as _

    model = change.changed_object_type.model_class()
    before = change.prechange_data or {}
    after = change.postchange_data or {}
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in HIDDEN_KEYS]
    fields = {}
    for key in keys:
        try:
            fields[key] = model._meta.get_field(key) if model else None
        except FieldDoesNotExist:
            fields[key] = None
    related_names = {}
    for key, model_field in fields.items():
        if model_field is not None and model_field.is_relation and model_field.many_to_one:
            ids = {v for v in (before.get(key), after.get(key)) if v is not None}
            if ids:
                for obj in model_field.related_model._base_manager.filter(pk__in=ids):
                    related_names[(key, obj.pk)] = str(obj)
    rows = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if change.action == "update" and old == new:
            continue
        field = fields[key]
        old_text, new_text = _display(field, old, related_names), _display(field, new, related_names)
        if change.action != "update" and not (old_text or new_text):
            continue
        label = capfirst(str(field.verbose_name)) if field is not None else _(EXTRA_LABELS.get(key, key))
        rows.append({"key": key, "label": label, "before": old_text, "after": new_text})
    return rows
