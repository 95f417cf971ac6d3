"""The IATI import as a background job (web upload), with its progress bar."""

from django.utils.translation import gettext as _

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
    return report.as_dict()
