"""Shared API pieces: token auth, paging without COUNT, the error format of CONTRACTS."""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; only the token's SHA-256 is stored."""

    def authenticate(self, request: HttpRequest, token: str):
        from apps.accounts.models import APIToken, hash_token

        if not token or len(token) > 200:
            return None
        row = APIToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        if row is None or row.is_expired or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used is None or (now - row.last_used).total_seconds() > 60:
            # last_used is excluded from the change log; updating it is bookkeeping, not an edit
            type(row).objects.filter(pk=row.pk).update(last_used=now)
        request.user = row.user  # the change log reads the user from the request
        return row.user


class Session(SessionAuth):
    """The browser session (CSRF is checked for unsafe methods)."""


AUTH = [BearerToken(), Session()]


class PageInfo(Schema):
    limit: int
    offset: int
    next_offset: int | None


def page(queryset, limit: int, offset: int):
    """One page plus one row: whether there is a next page, without a COUNT(*)."""
    if limit < 1 or limit > 500:
        raise HttpError(400, _("limit must be between 1 and 500."))
    if offset < 0 or offset > 10_000_000:
        raise HttpError(400, _("offset must be between 0 and 10,000,000."))
    rows = list(queryset[offset : offset + limit + 1])
    has_next = len(rows) > limit
    return rows[:limit], PageInfo(limit=limit, offset=offset, next_offset=offset + limit if has_next else None)


def iso(value: datetime | None):
    return value.isoformat() if value else None


#: the largest ID a database integer column holds; larger ones are refused before any query
MAX_ID = 2**63 - 1


def filtered(filterset_class, request, queryset):
    """The page's FilterSet applied to the API's query string; bad filters are a 400 naming them."""
    from django.core.exceptions import ValidationError

    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def check_id(value, field):
    from django.core.exceptions import ValidationError

    if value is not None and not (1 <= value <= MAX_ID):
        raise ValidationError({field: _("No record with ID {}.").format(value)})


def choice(value, choices, field, *, optional=False, blank_ok=False):
    """``value`` if it is one of ``choices`` (a TextChoices class or a list of its values), else a
    400 naming the field. ``optional``: a field the request left out (None) passes; ``blank_ok``:
    so does an empty string."""
    from django.core.exceptions import ValidationError

    if (optional and value is None) or (blank_ok and value == ""):
        return value
    allowed = list(choices.values) if isinstance(choices, type) else list(choices)
    if value not in allowed:
        raise ValidationError(
            {field: _("Unknown value “{}”. Use one of: {}.").format(str(value)[:60], ", ".join(allowed))}
        )
    return value


def check_version(payload_version: int, obj) -> None:
    """A 409 when the record changed since the version the client read (optimistic locking)."""
    from ninja.errors import HttpError

    if payload_version != obj.version:
        raise HttpError(
            409,
            _("Someone else changed this record since version {}; fetch it again and retry.").format(payload_version),
        )
