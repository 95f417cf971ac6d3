"""Import the unit tree from an Excel sheet, as a background job.

All-or-nothing: every row is checked first and every problem is reported with its row and column;
only a clean file is written, in one transaction. Rows are matched by code (update) or created.
"""

from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.accounts import services
from apps.accounts.models import Unit, User
from apps.core.jobs import JobError, job_function
from apps.core.sheets import SheetReader
from apps.core.text import fold

# (column header, field); the header is what users see in the template
COLUMNS = [
    ("Mã đơn vị", "code"),
    ("Tên đơn vị", "name"),
    ("Tên viết tắt", "short_name"),
    ("Loại", "kind"),
    ("Mã đơn vị cấp trên", "parent_code"),
    ("Hiệu lực từ", "valid_from"),
    ("Hiệu lực đến", "valid_to"),
    ("Email", "email"),
    ("Điện thoại", "phone"),
    ("Địa chỉ", "address"),
]
REQUIRED = {"code", "name", "kind"}
MAX_ROWS = 100_000


def kind_lookup() -> dict[str, str]:
    """Kinds by code and by folded Vietnamese and English label."""
    from django.utils import translation

    table = {}
    for value, label in Unit.Kind.choices:
        table[fold(value)] = value
        for lang in ("vi", "en"):
            with translation.override(lang):
                table[fold(str(label))] = value
    return table


def template_workbook() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Don vi"
    sheet.append([header for header, _field in COLUMNS])
    sheet.append(
        ["LHHN-XX", "Liên hiệp các tổ chức hữu nghị tỉnh …", "LHHN", "union", "XX", "01/07/2025", "", "", "", ""]
    )
    return workbook


def _as_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def read_rows(path: Path, context=None):
    """Parse and check the file. Returns (rows, errors); nothing is written."""
    with SheetReader(path, COLUMNS, REQUIRED, MAX_ROWS) as sheet:
        rows = _check_rows(sheet, context)
    return rows, sheet.errors


def _check_rows(sheet, context) -> list[dict]:
    """Each row's values, checked; the problems go to ``sheet.errors``."""
    kinds = kind_lookup()
    rows, seen = [], {}
    for number, value in sheet:
        row = {"_row": number}

        def err(field, message, number=number):
            sheet.error(number, field, message)

        for field in ("code", "name", "short_name", "parent_code", "email", "phone", "address"):
            text = value.get(field)
            row[field] = "" if text is None else str(text).strip()
        row["code"] = row["code"].upper()
        row["parent_code"] = row["parent_code"].upper()
        for field in REQUIRED - {"kind"}:
            if not row[field]:
                err(field, _("must not be empty"))
        if len(row["code"]) > 50:
            err("code", _("longer than 50 characters"))
        if len(row["name"]) > 255:
            err("name", _("longer than 255 characters"))
        kind = kinds.get(fold(str(value.get("kind") or "")))
        if not kind:
            err("kind", _("unknown kind “{}”").format(value.get("kind") or ""))
        row["kind"] = kind
        for field in ("valid_from", "valid_to"):
            try:
                row[field] = _as_date(value.get(field)) if field in sheet.positions else None
            except ValueError:
                err(field, _("“{}” is not a date (dd/mm/yyyy)").format(value.get(field)))
                row[field] = None
        if row["valid_from"] and row["valid_to"] and row["valid_to"] < row["valid_from"]:
            err("valid_to", _("before the start of validity"))
        if row["code"] in seen:
            err("code", _("the code {} already appears in row {}").format(row["code"], seen[row["code"]]))
        seen[row["code"]] = number
        rows.append(row)
        if context and number % 200 == 0:
            context.progress(0, None, _("Checked {} rows").format(number - 1))
    return rows


def _order_by_parent(rows, known_codes):
    """Parents before children; a parent must be in the file or already exist."""
    by_code = {r["code"]: r for r in rows}
    ordered, placed, errors = [], set(), []
    pending = list(rows)
    while pending:
        progressed = False
        rest = []
        for row in pending:
            parent = row["parent_code"]
            if not parent or parent in placed or (parent in known_codes and parent not in by_code):
                ordered.append(row)
                placed.add(row["code"])
                progressed = True
            else:
                rest.append(row)
        if not progressed:
            for row in rest:
                if row["parent_code"] not in by_code and row["parent_code"] not in known_codes:
                    errors.append(
                        _("Row {}: parent unit “{}” does not exist in the file or the system.").format(
                            row["_row"], row["parent_code"]
                        )
                    )
                else:
                    errors.append(
                        _("Row {}: the parent chain of “{}” loops back on itself.").format(row["_row"], row["code"])
                    )
            break
        pending = rest
    return ordered, errors


@job_function("accounts.import_units")
def import_units(context, *, path: str, user_id: int):
    user = User.objects.get(pk=user_id)
    file_path = Path(path)
    try:
        rows, errors = read_rows(file_path, context)
        existing = {u.code: u for u in Unit.objects.all().only("pk", "code", "path", "depth", "numchild")}
        ordered, order_errors = _order_by_parent(rows, set(existing))
        errors += order_errors
        if errors:
            shown = errors[:500]
            more = len(errors) - len(shown)
            text = "\n".join(shown) + ("\n" + _("… and {} more problems.").format(more) if more > 0 else "")
            raise JobError(_("Nothing was imported: the file has {} problem(s).").format(len(errors)) + "\n" + text)
        total = len(ordered)
        created = updated = 0
        with transaction.atomic():
            for index, row in enumerate(ordered, start=1):
                parent = Unit.objects.filter(code=row["parent_code"]).first() if row["parent_code"] else None
                fields = {
                    k: row[k]
                    for k in (
                        "name",
                        "short_name",
                        "code",
                        "kind",
                        "valid_from",
                        "valid_to",
                        "email",
                        "phone",
                        "address",
                    )
                }
                current = Unit.objects.filter(code=row["code"]).first()
                try:
                    if current is None:
                        services.unit_create(parent=parent, by=user, **fields)
                        created += 1
                    else:
                        for name, value in fields.items():
                            setattr(current, name, value)
                        services.unit_update(unit=current, by=user, parent=parent, move=parent is not None)
                        updated += 1
                except Exception as exc:
                    raise JobError(
                        _("Nothing was imported: row {} could not be saved: {}").format(
                            row["_row"], "; ".join(getattr(exc, "messages", [str(exc)]))
                        )
                    ) from exc
                context.progress(index, total, _("Saved {} of {} units").format(index, total))
        return {
            "summary": _("Imported {} units: {} created, {} updated.").format(total, created, updated),
            "created": created,
            "updated": updated,
        }
    finally:
        file_path.unlink(missing_ok=True)


def upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path
