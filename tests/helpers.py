"""Small helpers the foundation tests share (reading pages, Vietnamese messages, workbooks)."""

import html
import io
import re

from django.utils import translation

#: the people of tests.personas, in the order the permission matrix reports them
PERSONAS = ("officer_a", "officer_b", "coordinator", "leader", "admin", "superuser")


def page_text(response) -> str:
    """The body as a reader sees it: entities decoded, whitespace collapsed."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return re.sub(r"\s+", " ", html.unescape(body.decode()))


def in_vietnamese(msgid: str, *args, **kwargs) -> str:
    """The Vietnamese text users see for ``msgid`` (formatted like the code formats it).

    Fails loudly when the catalogue (locale/vi, compiled by ``make test``) lacks the message, so a
    missing translation is a test failure rather than English slipping through.
    """
    with translation.override("vi"):
        text = translation.gettext(msgid)
    assert text != msgid, f"no Vietnamese translation for {msgid!r} (is locale/vi compiled?)"
    return text.format(*args, **kwargs) if (args or kwargs) else text


def in_english(msgid: str, *args, **kwargs) -> str:
    return msgid.format(*args, **kwargs) if (args or kwargs) else msgid


def workbook_bytes(rows) -> bytes:
    """An .xlsx file whose first sheet holds ``rows`` (the first row being the headers)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def links_to(response, url: str) -> bool:
    return f'href="{url}"' in response.content.decode()


def unit_form(unit, **changes) -> dict:
    """What the unit edit form posts for ``unit`` as it is now, with ``changes`` typed in."""
    from apps.accounts.models import Unit

    parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "code": unit.code,
        "kind": unit.kind,
        "parent": parent.pk if parent else "",
        "valid_from": unit.valid_from or "",
        "valid_to": unit.valid_to or "",
        "successor": unit.successor_id or "",
        "email": unit.email,
        "phone": unit.phone,
        "address": unit.address,
        "description": unit.description,
        "_version": unit.version,
    }
    if unit.is_focal_point:
        data["is_focal_point"] = "on"
    data.update(changes)
    return {k: ("" if v is None else v) for k, v in data.items()}


def new_unit_form(parent, **fields) -> dict:
    data = {"name": "Đơn vị mới", "code": "DV-MOI", "kind": "other", "parent": parent.pk if parent else ""}
    data.update(fields)
    return data


def user_form(user, **changes) -> dict:
    """What the user edit form posts for ``user`` as it is now, with ``changes`` typed in."""
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "position": user.position,
        "email": user.email,
        "phone": user.phone,
        "_version": user.version,
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return data


def assert_foreign_keys_hold():
    """What the database checks at commit: no row may point at a row that is gone.

    Tests run inside a transaction that is never committed, so a dangling reference would only show
    in production (as an error on commit); this makes it show here.
    """
    from django.db import connection

    connection.check_constraints()


def built_once(django_db_blocker, build):
    """Generator for a module- or class-scoped fixture: ``build()`` runs once inside an outer transaction
    that every test's own transaction nests in (like ``setUpTestData``), and is rolled back after
    the module (or class). Yields what ``build`` returns; tests should re-read rows rather than reuse objects.
    """
    from django.db import transaction
    from django.test.utils import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
