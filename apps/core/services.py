"""Services of the core app that other apps call: attaching files to any object."""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from apps.core.models import Attachment
from apps.core.uploads import UploadRejected, check_attachment


def owner_unit_id(parent) -> int | None:
    """The unit a record's notes and files are filed under (its own scope)."""
    getter = getattr(parent, "owner_unit_id", None)
    return getter() if callable(getter) else None


def check_uploads(uploads) -> list[tuple[object, str, str]]:
    """Check every upload before anything is stored: (upload, clean name, MIME type) for each, or
    UploadRejected naming the first file that is not acceptable."""
    return [(upload, *check_attachment(upload)) for upload in uploads]


@transaction.atomic
def attachment_create(
    *, parent, upload, by, description: str = "", checked: tuple[str, str] | None = None
) -> Attachment:
    """Store ``upload`` as a file of ``parent``. The caller has checked that ``by`` may change the
    parent; ``checked`` is the (name, MIME type) from ``check_uploads`` when already done."""
    name, mime = checked or check_attachment(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        object_type=ContentType.objects.get_for_model(type(parent)),
        object_id=parent.pk,
        created_by=by,
        unit_id=owner_unit_id(parent),
        name=name,
        size=upload.size,
        mime_type=mime,
        sha256=digest.hexdigest(),
        description=description or "",
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


__all__ = ["attachment_create", "check_uploads", "UploadRejected", "owner_unit_id"]
