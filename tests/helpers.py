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
    assert text != msgid, "no Vietnamese translation for {!r} (is locale/vi compiled?)".format(msgid)
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
    return 'href="{}"'.format(url) in response.content.decode()
