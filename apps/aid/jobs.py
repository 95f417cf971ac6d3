"""The IATI import as a background job (web upload), with its progress bar."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core.jobs import JobError, job_function


@job_function("aid.import_iati")
def import_iati_job(
    context,
    *,
    path: str,
    unit_id: int,
    user_id: int | None = None,
    country: str = "",
    strict: bool = False,
    name: str = "",
):
    from pathlib import Path

    from apps.accounts.models import Unit, User
    from apps.aid.iati import IatiError, import_file

    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise JobError(_("The unit chosen for the import no longer exists."))
    user = User.objects.filter(pk=user_id).first() if user_id else None
    try:
        report = import_file(
            path,
            unit=unit,
            user=user,
            country=country or None,
            strict=strict,
            source_name=name or None,
            progress=lambda done, total: context.progress(done, total, _("reading the file")),
        )
    except IatiError as exc:
        raise JobError(str(exc)) from exc
    finally:
        Path(path).unlink(missing_ok=True)
    return {**report.as_dict(), **outcome_summary(report)}


def outcome_summary(report) -> dict:
    """What the job page shows: one sentence, and a line per activity worth a word (skipped, or
    imported with notes) — the first 500, as ``manage.py import_iati`` prints them all."""
    from django.urls import reverse

    actions = {
        "created": pgettext("import outcome", "created"),
        "updated": pgettext("import outcome", "updated"),
        "unchanged": pgettext("import outcome", "unchanged"),
        "skipped": pgettext("import outcome", "skipped"),
    }
    summary = _(
        "IATI file read: {} aid items created, {} updated, {} unchanged, {} activities skipped; {} new partners."
    ).format(report.created, report.updated, report.unchanged, report.skipped, report.partners_created)
    if report.error:
        summary += " " + _("The file is broken ({}): the activities before that point were imported.").format(
            report.error
        )
    details = [
        "{} · {}: {} — {}".format(
            pgettext("position in a file", "line {}").format(o.line) if o.line else "—",
            o.identifier,
            actions.get(o.action, o.action),
            "; ".join(o.notes),
        )
        for o in report.outcomes[:500]
        if o.notes or o.action == "skipped"
    ]
    return {
        "summary": summary,
        "details": details,
        "url": reverse("aid:aiditem_list"),
        "url_label": _("Open the aid items"),
    }
