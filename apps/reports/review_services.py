"""Writing review reports: create one with the generated text, edit the text (tokens checked),
produce a final DOCX (kept as a file of the report: its versions) — from pages, the background
worker and the command alike."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Unit
from apps.core.jobs import JobContext, JobError, job_function
from apps.core.querysets import CHANGE, VIEW
from apps.reports import review
from apps.reports.models import ReviewReport

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@transaction.atomic
def review_create(*, by, unit: Unit, kind: str, year: int) -> ReviewReport:
    if by is not None and not Unit.objects.for_user(by, CHANGE).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not write reports for “{}”.").format(unit))
    existing = ReviewReport.objects.filter(unit=unit, kind=kind, year=year).first()
    if existing is not None:
        raise ValidationError(_("“{}” already exists; open it instead.").format(existing))
    report = ReviewReport(unit=unit, kind=kind, year=year, sections=review.default_sections(kind, year), created_by=by)
    report.full_clean()
    report.save()
    return report


def _check_change(by, report: ReviewReport) -> None:
    if by is not None and not ReviewReport.objects.for_user(by, CHANGE).filter(pk=report.pk).exists():
        raise PermissionDenied(_("You may not change “{}”.").format(report))


@transaction.atomic
def review_update(
    *, report: ReviewReport, by, version: int | None, texts: dict[str, str], number="", signer_title="", signer_name=""
) -> ReviewReport:
    """Save the edited text of the sections (``texts``: key → text). A token that names no figure
    is refused with the section named, so a typing slip never reaches the document."""
    report = ReviewReport.objects.select_for_update().get(pk=report.pk)
    _check_change(by, report)
    if version is not None and version != report.version:
        raise ValidationError(
            _("Someone else changed this report while you were editing it. Reload the page and make your change again.")
        )
    errors = {}
    sections = []
    for section in report.sections:
        text = texts.get(section["key"], section["text"])
        bad = review.unknown_tokens(text)
        if bad:
            errors[section["key"]] = _("Unknown figure {tokens} in “{section}”.").format(
                tokens=", ".join("[[{}]]".format(t) for t in bad), section=section["title"]
            )
        sections.append({**section, "text": (text or "").strip()})
    if errors:
        raise ValidationError(errors)
    report.sections = sections
    report.number = (number or "").strip()
    report.signer_title = (signer_title or "").strip()
    report.signer_name = (signer_name or "").strip()
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def review_reset_section(*, report: ReviewReport, by, key: str) -> ReviewReport:
    """Put one section back to the generated text."""
    report = ReviewReport.objects.select_for_update().get(pk=report.pk)
    _check_change(by, report)
    generated = {s["key"]: s["text"] for s in review.default_sections(report.kind, report.year)}
    report.sections = [
        {**s, "text": generated.get(s["key"], s["text"])} if s["key"] == key else s for s in report.sections
    ]
    report.save()
    return report


def figures_for(report: ReviewReport, reader, progress=None):
    return review.compute(unit=report.unit, kind=report.kind, year=report.year, reader=reader, progress=progress)


def render(report: ReviewReport, reader, fmt: str, progress=None) -> bytes:
    """The report's DOCX or XLSX from the records as they are now (what the download gives)."""
    figures = figures_for(report, reader, progress=progress)
    if fmt == "xlsx":
        return review.build_xlsx(figures)
    from django.utils import translation

    with translation.override("vi"):
        return review.build_docx(
            figures,
            report.sections,
            number=report.number,
            signer_title=report.signer_title,
            signer_name=report.signer_name,
        )


def file_stem(report: ReviewReport) -> str:
    from django.utils.text import slugify

    from apps.core.text import fold

    label = "bao-cao-tong-ket" if report.kind == ReviewReport.Kind.ANNUAL else "bao-cao-so-ket"
    return "{}-{}-{}".format(label, report.year, slugify(fold(report.unit.code or str(report.unit_id))))


@job_function("reports.review_final")
def review_final_job(context: JobContext, *, report_id: int, user_id: int):
    """Produce the final DOCX of a report and keep it as a new version (file) of the report."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.accounts.models import User
    from apps.core.services import attachment_create

    user = User.objects.filter(pk=user_id, is_active=True).first()
    report = ReviewReport.objects.for_user(user, VIEW).select_related("unit").filter(pk=report_id).first()
    if user is None or report is None:
        raise JobError(_("The report no longer exists, or you may no longer see it."))
    _check_change(user, report)
    steps = 10 + len(report.sections)

    def computing(done, total):
        context.progress(done, steps, _("Computing the figures ({}/{})").format(done, total))

    figures = figures_for(report, user, progress=computing)

    def writing(done, total):
        context.progress(10 + done, steps, _("Writing the document ({}/{})").format(done, total))

    from django.utils import translation

    with translation.override("vi"):
        content = review.build_docx(
            figures,
            report.sections,
            number=report.number,
            signer_title=report.signer_title,
            signer_name=report.signer_name,
            progress=writing,
        )
    with transaction.atomic():
        locked = ReviewReport.objects.select_for_update().get(pk=report.pk)
        locked.finals += 1
        locked.save()
        name = "{}-v{}.docx".format(file_stem(locked), locked.finals)
        upload = SimpleUploadedFile(name, content, content_type=DOCX_MIME)
        attachment = attachment_create(
            parent=locked,
            upload=upload,
            by=user,
            description=_("Final version {n}, produced {when}").format(
                n=locked.finals, when=timezone.localtime().strftime("%d/%m/%Y %H:%M")
            ),
        )
    from django.urls import reverse

    return {
        "summary": _("Version {} of the report is ready.").format(locked.finals),
        "url": reverse("core:attachment_download", args=[attachment.pk]),
        "url_label": _("Download {}").format(name),
    }
