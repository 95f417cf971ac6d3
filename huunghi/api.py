"""The API at /api/: one NinjaAPI, routers per app, errors in the CONTRACTS format."""

from decimal import InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from apps.core.api_utils import AUTH


class BodyRefused(ValueError):
    """A JSON body the database could not keep: a lone surrogate or a NUL character in a string."""


def _check_strings(value, where="") -> None:
    if isinstance(value, str):
        if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
            raise BodyRefused(
                _("“{}”: the text holds a character that is not allowed (NUL or a lone surrogate).").format(
                    where or "body"
                )
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, where)
            _check_strings(item, "{}.{}".format(where, key) if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_strings(item, "{}[{}]".format(where, index))


class StrictParser(Parser):
    """JSON bodies, refusing the characters no database column can hold (SQLite stored a NUL as it
    came, a lone surrogate failed inside the database): refused at the door, field named."""

    def parse_body(self, request):
        data = super().parse_body(request)
        _check_strings(data)
        return data


api = NinjaAPI(
    parser=StrictParser(),
    title="HữuNghị API",
    version="1",
    description="API của HữuNghị — hệ thống công tác đối ngoại nhân dân. / The HữuNghị people-to-people diplomacy API.",
    auth=AUTH,
    urls_namespace="api",
)


def _error(request, status, detail, errors=None):
    return api.create_response(request, {"detail": str(detail), "errors": errors or []}, status=status)


#: pydantic's error types in Vietnamese (its own message, English, is kept as ``msg_en``)
SCHEMA_MESSAGES = {
    "missing": gettext_noop("This field is required."),
    "int_parsing": gettext_noop("Must be a whole number."),
    "int_type": gettext_noop("Must be a whole number."),
    "int_from_float": gettext_noop("Must be a whole number."),
    "decimal_parsing": gettext_noop("Must be a number."),
    "decimal_type": gettext_noop("Must be a number."),
    "float_parsing": gettext_noop("Must be a number."),
    "finite_number": gettext_noop("Must be a finite number."),
    "decimal_max_digits": gettext_noop("Too many digits."),
    "decimal_max_places": gettext_noop("Too many decimal places."),
    "string_type": gettext_noop("Must be text."),
    "string_too_long": gettext_noop("Too long: at most {max_length} characters."),
    "string_too_short": gettext_noop("Too short: at least {min_length} characters."),
    "too_long": gettext_noop("Too many items: at most {max_length}."),
    "date_parsing": gettext_noop("Must be a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_noop("Must be a date (YYYY-MM-DD)."),
    "date_type": gettext_noop("Must be a date (YYYY-MM-DD)."),
    "datetime_parsing": gettext_noop("Must be a date and time (ISO 8601)."),
    "bool_parsing": gettext_noop("Must be true or false."),
    "bool_type": gettext_noop("Must be true or false."),
    "greater_than": gettext_noop("Must be greater than {gt}."),
    "greater_than_equal": gettext_noop("Must be at least {ge}."),
    "less_than": gettext_noop("Must be less than {lt}."),
    "less_than_equal": gettext_noop("Must be at most {le}."),
    "list_type": gettext_noop("Must be a list."),
    "dict_type": gettext_noop("Must be an object."),
    "model_type": gettext_noop("Must be an object."),
    "model_attributes_type": gettext_noop("Must be an object."),
    "literal_error": gettext_noop("Must be one of: {expected}."),
    "enum": gettext_noop("Must be one of: {expected}."),
}


def _schema_message(error: dict) -> str:
    template = SCHEMA_MESSAGES.get(error.get("type", ""))
    if template is None:
        return str(error.get("msg", ""))
    try:
        return _(template).format(**{k: str(v) for k, v in (error.get("ctx") or {}).items()})
    except (KeyError, IndexError):
        return str(error.get("msg", ""))


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc):
    errors = [
        {
            "loc": [str(p) for p in e.get("loc", [])],
            "msg": _schema_message(e),
            "msg_en": str(e.get("msg", "")),
            "type": e.get("type", ""),
        }
        for e in exc.errors
    ]
    return _error(request, 422, _("The data sent is not valid; see errors for each field."), errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, _("Sign in or send a valid API token (Authorization: Bearer …)."))


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    message = str(exc.message)
    if message.startswith("Cannot parse request body"):
        cause = exc.__cause__
        if isinstance(cause, BodyRefused):
            return _error(request, 400, str(cause))
        return _error(request, 400, _("The body cannot be read: send valid JSON in UTF-8."))
    if message == "CSRF check Failed":
        if request.META.get("HTTP_AUTHORIZATION"):
            # a token was sent and did not match: the session was only tried after it
            return _error(request, 401, _("Sign in or send a valid API token (Authorization: Bearer …)."))
        return _error(request, 403, _("A signed-in browser must send its CSRF token with this request."))
    return _error(request, exc.status_code, exc.message)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, _("Not found, or you may not see it."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return _error(request, 403, str(exc) or _("You may not do this."))


@api.exception_handler(ValidationError)
def on_invalid(request, exc):
    if hasattr(exc, "error_dict"):
        errors = [{"loc": [field], "msg": str(m)} for field, msgs in exc.message_dict.items() for m in msgs]
    else:
        errors = [{"loc": [], "msg": str(m)} for m in exc.messages]
    return _error(request, 400, errors[0]["msg"] if errors else _("Invalid data."), errors)


@api.exception_handler(IntegrityError)
def on_conflict(request, exc):
    return _error(
        request, 409, _("The change conflicts with existing data (a duplicate code or a record still in use).")
    )


@api.exception_handler(DataError)
def on_bad_data(request, exc):
    return _error(request, 400, _("A value is out of range or too long for its field."))


@api.exception_handler(InvalidOperation)
def on_decimal_overflow(request, exc):
    return _error(request, 400, _("A number is too large."))


@api.exception_handler(OverflowError)
def on_overflow(request, exc):
    return _error(request, 400, _("A number is too large."))


api.add_router("/", "apps.accounts.api.router")
api.add_router("/", "apps.core.api.router")
api.add_router("/", "apps.documents.api.router")
api.add_router("/", "apps.tasks.api.router")
api.add_router("/", "apps.partners.api.router")
api.add_router("/", "apps.activities.api.router")
api.add_router("/", "apps.aid.api.router")
api.add_router("/", "apps.members.api.router")
