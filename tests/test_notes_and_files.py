"""Journal notes and attached files on a record's page: who may add them, what files are refused
and why, and who may download them.

The ``[vi]`` variants need the Vietnamese catalogue (locale/vi).
"""

import hashlib
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from apps.accounts.models import Unit
from apps.core.models import Attachment, JournalEntry, ObjectChange
from tests.helpers import page_text

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)


def unit_type():
    return ContentType.objects.get_for_model(Unit).pk


def notes_url(unit):
    return f"/notes/{unit_type()}/{unit.pk}/add/"


def files_url(unit):
    return f"/files/{unit_type()}/{unit.pk}/add/"


def upload(client, unit, name, content, **extra):
    return client.post(files_url(unit), {"file": SimpleUploadedFile(name, content), **extra}, follow=True)


def stored_files():
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# -- notes -------------------------------------------------------------------------------------


def test_an_officer_adds_a_note_to_their_unit_and_it_is_logged(login, province):
    client = login("officer_a")
    response = client.post(
        notes_url(province.union), {"kind": "info", "comments": "Đã gửi công văn mời đoàn Nhật Bản."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/units/{province.union.pk}/?tab=journal"
    note = JournalEntry.objects.get()
    assert (note.created_by, note.unit_id, note.parent) == (province.officer_a, province.union.pk, province.union)
    change = ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(JournalEntry), changed_object_id=note.pk
    ).get()
    assert change.action == "create" and change.user == province.officer_a
    assert change.unit_id == province.union.pk  # scoped like the unit it is written on
    assert "Đã gửi công văn mời đoàn Nhật Bản." in page_text(client.get(response["Location"]))


def test_an_officer_of_another_unit_cannot_write_on_unit_as_page(login, province):
    response = login("officer_b").post(notes_url(province.union), {"kind": "info", "comments": "Không được phép"})
    assert response.status_code == 404
    assert not JournalEntry.objects.exists()


def test_a_leader_reads_notes_but_cannot_write_them(login, province):
    response = login("leader").post(notes_url(province.union), {"kind": "info", "comments": "Chỉ đọc"})
    assert response.status_code == 403
    assert not JournalEntry.objects.exists()


def test_an_empty_note_is_refused_with_a_message(login, province, language):
    response = login("officer_a").post(notes_url(province.union), {"kind": "info", "comments": ""}, follow=True)
    assert not JournalEntry.objects.exists()
    with translation.override(language.code):
        required = str(forms.Field.default_error_messages["required"])
    assert language.says("The note was not saved: {}", required) in page_text(response)


# -- files accepted ----------------------------------------------------------------------------


def test_an_officer_attaches_a_pdf_to_their_unit(login, province):
    response = upload(login("officer_a"), province.union, "Công văn 123.pdf", PDF, description="Công văn mời")
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.name == "Công văn 123.pdf"
    assert attachment.mime_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (attachment.created_by, attachment.unit_id) == (province.officer_a, province.union.pk)
    assert "Công văn 123.pdf" in page_text(response)
    assert ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(Attachment), action="create"
    ).exists()


def test_a_plain_text_file_is_accepted(login, province):
    upload(login("officer_a"), province.union, "ghi-chu.txt", "Nội dung ghi chú tiếng Việt\n".encode())
    attachment = Attachment.objects.get()
    assert attachment.mime_type == "text/plain"


def test_files_are_stored_under_the_storage_folder_with_a_name_of_our_own(login, province):
    upload(login("officer_a"), province.union, "../../static/ke-hoach.pdf", PDF)
    attachment = Attachment.objects.get()
    location = Path(settings.STORAGES["default"]["OPTIONS"]["location"]).resolve()
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(location)
    assert stored.read_bytes() == PDF
    assert "ke-hoach" not in stored.name
    assert attachment.name == "ke-hoach.pdf"


def test_the_configured_storage_is_outside_everything_served_as_static():
    import huunghi.settings as configured

    location = Path(configured.STORAGES["default"]["OPTIONS"]["location"]).resolve()
    for static_dir in [configured.STATIC_ROOT, *configured.STATICFILES_DIRS]:
        static_dir = Path(static_dir).resolve()
        assert not location.is_relative_to(static_dir)
        assert not static_dir.is_relative_to(location)


# -- files refused -----------------------------------------------------------------------------


def assert_refused(response, message):
    assert response.status_code == 200
    assert message in page_text(response)
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_a_program_renamed_to_pdf_is_refused(login, province, language):
    response = upload(login("officer_a"), province.union, "bao-cao.pdf", EXE)
    assert_refused(
        response,
        language.says("“{name}” is named .{ext} but its content is not a {ext} file.", name="bao-cao.pdf", ext="pdf"),
    )


def test_a_file_over_the_size_limit_is_refused(login, province, settings, language):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024 + 600 * 1024)
    response = upload(login("officer_a"), province.union, "lon.pdf", big)
    from django.template.defaultfilters import filesizeformat
    from django.utils import translation

    with translation.override(language.code):  # sizes read "1,6 MB" in Vietnamese, "1.6 MB" in English
        size, limit = (filesizeformat(n).replace("\xa0", " ") for n in (len(big), 1024 * 1024))
    assert_refused(
        response, language.says("“{name}” is {size}; the limit is {limit}.", name="lon.pdf", size=size, limit=limit)
    )


def test_a_disallowed_kind_of_file_is_refused(login, province, language):
    response = upload(login("officer_a"), province.union, "cai-dat.exe", EXE)
    expected = language.says(
        "“{name}”: files of type .{ext} are not accepted. Accepted: {allowed}.",
        name="cai-dat.exe",
        ext="exe",
        allowed="",
    )
    assert_refused(response, expected.split(":")[0])
    assert ".exe" in page_text(response)


def test_an_empty_file_is_refused_as_empty(login, province, language):
    response = upload(login("officer_a"), province.union, "trong.pdf", b"")
    assert_refused(response, language.says("“{}” is empty.", "trong.pdf"))


def test_a_leader_cannot_attach_files(login, province):
    response = login("leader").post(files_url(province.union), {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 403
    assert not Attachment.objects.exists()


# -- download ----------------------------------------------------------------------------------


@pytest.fixture
def attached(login, province):
    upload(login("officer_a"), province.union, "Kế hoạch 2026.pdf", PDF)
    return Attachment.objects.get()


@pytest.mark.parametrize("persona", ["officer_a", "coordinator", "leader", "admin", "superuser"])
def test_whoever_may_see_the_unit_downloads_its_file(signed_in, attached, persona):
    response = signed_in(persona).get(f"/files/{attached.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_officer_of_another_unit_cannot_download_it(signed_in, attached):
    assert signed_in("officer_b").get(f"/files/{attached.pk}/").status_code == 404


def test_deleting_a_file_removes_the_row_and_the_stored_file(signed_in, attached, django_capture_on_commit_callbacks):
    path = Path(attached.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in("officer_a").post(f"/files/{attached.pk}/delete/")
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not path.exists()


def test_an_officer_of_another_unit_cannot_delete_it(signed_in, attached):
    assert signed_in("officer_b").post(f"/files/{attached.pk}/delete/").status_code == 404
    assert Attachment.objects.filter(pk=attached.pk).exists()
