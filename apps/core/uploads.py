"""Checks on uploaded files: name, size and what the content really is (not what it claims).

Content is identified with the ``filetype`` library (magic numbers); plain text has no signature,
so it must decode as UTF-8 and hold no NUL bytes.
"""

import re
import unicodedata
from pathlib import PurePath

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension → the content kinds accepted for it
ALLOWED = {
    "pdf": {"pdf"},
    "docx": {"docx", "zip"},
    "xlsx": {"xlsx", "zip"},
    "pptx": {"pptx", "zip"},
    "odt": {"odt", "zip"},
    "ods": {"ods", "zip"},
    "doc": {"doc", "xls", "ppt"},  # old Office files share one container signature
    "xls": {"xls", "doc", "ppt"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
    "gif": {"gif"},
    "webp": {"webp"},
    "txt": {"text"},
    "csv": {"text"},
    "xml": {"text"},
}
MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "txt": "text/plain",
    "csv": "text/csv",
    "xml": "application/xml",
}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


class UploadRejected(Exception):
    pass


def clean_name(raw: str) -> str:
    name = unicodedata.normalize("NFC", PurePath(raw or "").name)
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name:
        raise UploadRejected(_("The file has no usable name."))
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 195 - len(ext)] + dot + ext) if dot else name[:200]
    return name


def sniff(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is not None:
        return kind.extension
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still text
        if exc.start < len(head) - 4:
            return None
    return "text"


def check_attachment(upload, max_bytes: int | None = None) -> tuple[str, str]:
    """(clean name, MIME type) of an acceptable upload, else UploadRejected with a reason."""
    max_bytes = max_bytes or settings.ATTACHMENT_MAX_BYTES
    name = clean_name(upload.name)
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext not in ALLOWED:
        raise UploadRejected(
            _("“{name}”: files of type .{ext} are not accepted. Accepted: {allowed}.").format(
                name=name, ext=ext or "?", allowed=", ".join(sorted(ALLOWED))
            )
        )
    if upload.size == 0:
        raise UploadRejected(_("“{}” is empty.").format(name))
    if upload.size > max_bytes:
        raise UploadRejected(
            _("“{name}” is {size}; the limit is {limit}.").format(
                name=name, size=filesizeformat(upload.size), limit=filesizeformat(max_bytes)
            )
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    actual = sniff(head)
    if actual not in ALLOWED[ext]:
        raise UploadRejected(
            _("“{name}” is named .{ext} but its content is not a {ext} file.").format(name=name, ext=ext)
        )
    return name, MIME[ext]
