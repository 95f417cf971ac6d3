"""Import activities from an Excel sheet, as a background job (like the partner import).

The whole file is checked first and every problem is reported with its row and column; only a
clean file is written, in one transaction — unless the user chose to import only the valid rows,
when the others are skipped and listed. Each row goes through ``services.activity_save``, so the
rules of the pages hold (an outgoing delegation is never imported as travelled without approval).
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.accounts.models import Unit, User
from apps.activities import places, services
from apps.activities.models import Activity, Pillar
from apps.aid.reference import find_province
from apps.core.jobs import JobError, job_function
from apps.core.querysets import CHANGE, VIEW
from apps.core.sheets import SheetReader, import_result, parse_number
from apps.core.text import fold
from apps.partners.imports import country_lookup, find_country

# (column header, field, max length); the header is what users see in the template
COLUMNS = [
    ("Loại hoạt động", "kind", 100),
    ("Tên hoạt động", "title", 500),
    ("Ngày bắt đầu", "start_date", 30),
    ("Ngày kết thúc", "end_date", 30),
    ("Trạng thái", "status", 50),
    ("Tỉnh, thành phố (Việt Nam)", "province", 100),
    ("Xã, phường", "ward", 100),
    ("Địa phương nước ngoài", "foreign_locality", 300),
    ("Địa điểm", "venue", 300),
    ("Mã quốc gia (ISO)", "countries", 200),
    ("Đối tác (mã hoặc tên)", "partners", 2000),
    ("Số người Việt Nam", "vn_participants", 20),
    ("Số người nước ngoài", "foreign_participants", 20),
    ("Kinh phí (đồng)", "budget", 30),
    ("Nguồn kinh phí", "budget_source", 100),
    ("Trụ cột", "pillar", 100),
    ("Mục đích", "purpose", 10000),
    ("Kết quả", "outcome", 20000),
]
REQUIRED = {"kind", "title", "start_date"}
MAX_ROWS = 20_000


#: the Vietnamese words officers write, whatever the catalogue says (GLOSSARY), folded
ALIASES = {
    "doan vao": "incoming_delegation", "don doan": "incoming_delegation",
    "doan ra": "outgoing_delegation", "tiep": "reception", "tiep xa giao": "reception", "tiep khach": "reception",
    "giao luu van hoa": "cultural_exchange", "giao luu the thao": "sports_exchange", "ky niem": "commemoration",
    "hoi nghi": "conference", "hoi thao": "conference", "hoi nghi, hoi thao": "conference",
    "tinh nguyen": "volunteering", "tu thien": "charity", "dao tao": "training", "tap huan": "training",
    "khac": "other",
    "ke hoach": "planned", "du kien": "planned", "chua to chuc": "planned",
    "da to chuc": "done", "da di": "done", "da thuc hien": "done", "hoan thanh": "done",
    "huy": "cancelled", "da huy": "cancelled",
    "ngan sach": "state", "ngan sach nha nuoc": "state", "kinh phi don vi": "unit", "don vi": "unit",
    "doi tac": "partner", "doi tac tai tro": "partner", "xa hoi hoa": "sponsorship", "nhieu nguon": "mixed",
    "doi ngoai dang": "party", "ngoai giao nha nuoc": "state", "doi ngoai nhan dan": "people",
}  # fmt: skip


def _choices(choices) -> dict[str, str]:
    """Values by code, by the usual Vietnamese words and by folded Vietnamese and English label."""
    values = {value for value, _label in choices}
    table = {alias: value for alias, value in ALIASES.items() if value in values}
    for value, label in choices:
        table[fold(value)] = value
        for lang in ("vi", "en"):
            with translation.override(lang):
                table[fold(str(label))] = value
    return table


def template_workbook() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Hoat dong"
    sheet.append([header for header, _f, _n in COLUMNS])
    # The example lives on a sheet of its own: left in the data sheet, it was imported as a real row.
    example = workbook.create_sheet("Vi du")
    example.append([header for header, _f, _n in COLUMNS])
    example.append(
        ["incoming_delegation", "Đón đoàn tỉnh Prey Veng thăm và làm việc", "20/01/2026", "22/01/2026", "done",
         "Đồng Tháp", "", "", "Trụ sở UBND tỉnh", "KH", "Tỉnh Prey Veng", 25, 18, 85000000, "state", "state",
         "Tổng kết hợp tác năm", "Thống nhất kế hoạch năm mới"]
    )  # fmt: skip
    return workbook


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


_PEOPLE = re.compile(r"\s*(người|đại biểu|khách|lượt|thành viên|người tham dự)\s*$", re.IGNORECASE)
_MULTIPLIERS = {"nghìn": 1_000, "ngàn": 1_000, "triệu": 1_000_000, "tỷ": 1_000_000_000, "tỉ": 1_000_000_000}
_BUDGET = re.compile(r"^\s*([\d.,\s]+?)\s*(nghìn|ngàn|triệu|tỷ|tỉ)?\s*(đồng|đ|vnđ|vnd)?\.?\s*$", re.IGNORECASE)


def _count(value):
    """A number of people: ``50``, ``1.200`` or ``50 người``; a fraction (``1,5``) is refused,
    never read as 15."""
    if value in (None, ""):
        return None
    number = parse_number(value if not isinstance(value, str) else _PEOPLE.sub("", value))
    if number is None or number < 0 or number != number.to_integral_value() or number > 10_000_000:
        raise ValueError(value)
    return int(number)


def _money(value):
    """An amount in đồng: ``85.000.000``, ``85000000``, ``1,5 triệu``, ``2 tỷ đồng``."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        match = _BUDGET.match(value)
        if match is None:
            raise ValueError(value)
        number = parse_number(match.group(1))
        if number is not None and match.group(2):
            number *= _MULTIPLIERS[match.group(2).lower()]
    else:
        number = parse_number(value)
    if number is None or number < 0 or number >= Decimal(10) ** 18:
        raise ValueError(value)
    return number.quantize(Decimal(1))


def _provinces() -> dict[str, int]:
    table = {}
    for code, name in places.provinces():
        table[fold(name)] = code
        table[fold(name.removeprefix("Thành phố ").removeprefix("Tỉnh "))] = code
        table[str(code)] = code
    return table


def read_rows(path: Path, *, user, context=None):
    """Parse and check the file. Returns (rows, errors, skipped rows, notice); nothing is written."""
    from apps.partners.models import Partner, name_key

    with SheetReader(path, [(h, f) for h, f, _n in COLUMNS], REQUIRED, MAX_ROWS) as sheet:
        kinds, statuses = _choices(Activity.Kind.choices), _choices(Activity.Status.choices)
        sources, pillars = _choices(Activity.BudgetSource.choices), _choices(Pillar.choices)
        provinces = _provinces()
        countries = country_lookup()
        visible = Partner.objects.for_user(user, VIEW)
        rows = []
        for number, value in sheet:

            def err(field, message, number=number):
                sheet.error(number, field, message)

            row = {"_row": number, "_title_column": sheet.letters.get("title", "?")}
            for _h, field, limit in COLUMNS:
                cell = value.get(field)
                text = "" if cell is None else str(cell).strip()
                if len(text) > limit:
                    err(field, _("longer than {} characters").format(limit))
                row[field] = text if field in ("purpose", "outcome") else " ".join(text.split())
            if not row["title"]:
                err("title", _("must not be empty"))
            for field, table, default in (
                ("kind", kinds, None),
                ("status", statuses, Activity.Status.PLANNED),
                ("budget_source", sources, ""),
                ("pillar", pillars, Pillar.PEOPLE),
            ):
                if not row[field]:
                    if default is None:
                        err(field, _("must not be empty"))
                    row[field] = default
                    continue
                found = table.get(fold(row[field]))
                if found is None:
                    err(field, _("unknown value “{}”").format(row[field][:40]))
                row[field] = found
            for field in ("start_date", "end_date"):
                try:
                    row[field] = _date(value.get(field))
                except ValueError:
                    err(field, _("“{}” is not a date (dd/mm/yyyy)").format(str(value.get(field))[:30]))
                    row[field] = False
                if row[field] is None and field == "start_date":
                    err(field, _("must not be empty"))
                row[field] = row[field] or None
            if row["start_date"] and row["end_date"] and row["end_date"] < row["start_date"]:
                err("end_date", _("before the start date"))
            for field, parse in (("vn_participants", _count), ("foreign_participants", _count), ("budget", _money)):
                try:
                    row[field] = parse(value.get(field))
                except (ValueError, InvalidOperation, TypeError):
                    err(field, _("“{}” is not a number that fits").format(str(value.get(field))[:30]))
                    row[field] = None
            province = None
            if row["province"]:
                # the 2025 names, and the former provinces and "TP HCM" that old lists still write
                province = provinces.get(fold(row["province"])) or find_province(row["province"])
                if province is None:
                    err("province", _("no province or city of Vietnam (after 1 July 2025) is called “{}”").format(
                        row["province"][:60]))  # fmt: skip
            ward = None
            if row["ward"]:
                found_ward = (
                    next((c for c, n in places.wards(province) if fold(n) == fold(row["ward"])), None)
                    if province
                    else None
                )
                if found_ward is None:
                    err("ward", _("no commune or ward “{}” in that province").format(row["ward"][:60]))
                ward = found_ward
            if province is not None and row["foreign_locality"]:
                err("foreign_locality", _("give either a place in Vietnam or a locality abroad, not both"))
            row["vn_province_code"], row["vn_ward_code"] = province, ward
            chosen = []
            for code in [c.strip() for c in row["countries"].replace(";", ",").split(",") if c.strip()]:
                found = find_country(countries, code)
                if found is None:
                    err(
                        "countries",
                        _("no country has the code or name “{}” (e.g. KH, Campuchia, Cambodia)").format(code[:40]),
                    )
                else:
                    chosen.append(found)
            row["countries"] = chosen
            partners = []
            for ref in [p.strip() for p in row["partners"].replace(";", ",").split(",") if p.strip()]:
                if ref.isdecimal() and len(ref) < 19:
                    found = list(visible.filter(pk=int(ref))[:1])
                else:
                    found = list(visible.filter(name_key=name_key(ref))[:2])
                    if not found:
                        # the name the officer knows may be the English, original or short one
                        # ("JICA", "Japan International Cooperation Agency", "Plan International")
                        found = list(
                            visible.filter(Q(name__iexact=ref) | Q(name_en__iexact=ref) | Q(abbreviation__iexact=ref))[
                                :2
                            ]
                        )
                if len(found) != 1:
                    err("partners", (_("no partner “{}” that you may see") if not found else
                                     _("several partners are called “{}”; give the ID")).format(ref[:60]))  # fmt: skip
                else:
                    partners.append(found[0])
            row["partners"] = partners
            if row["kind"] == Activity.Kind.OUTGOING_DELEGATION and row["status"] == Activity.Status.DONE:
                err("status", _("an outgoing delegation is not recorded as travelled without its approval; import it as planned and choose the approval document on its page"))  # fmt: skip
            rows.append(row)
            if context and number % 200 == 0:
                context.progress(0, None, _("Checked {} rows").format(number - 1))
    return rows, sheet.errors, sheet.bad_rows, sheet.notice


FIELDS = ("kind", "title", "start_date", "end_date", "status", "vn_province_code", "vn_ward_code", "foreign_locality",
          "venue", "vn_participants", "foreign_participants", "budget", "budget_source", "pillar", "purpose", "outcome")  # fmt: skip


def _mark_repeats(unit, rows, errors, bad_rows) -> None:
    """An activity the unit already has (same title, folded, and start date), or that the file
    gives twice, is a problem of its row: importing the same file again made every activity twice."""
    days = {r["start_date"] for r in rows if r.get("start_date")}
    known = {}
    if days:
        for pk, title, start in Activity.objects.filter(unit=unit, start_date__in=days).values_list(
            "pk", "title", "start_date"
        ):
            known.setdefault((fold(title), start), pk)
    seen = {}
    for row in rows:
        if row["_row"] in bad_rows or not row.get("start_date"):
            continue
        key = (fold(row["title"]), row["start_date"])
        if key in known:
            message = _("already imported: activity #{} has this title and start date").format(known[key])
        elif key in seen:
            message = _("the same activity as row {}").format(seen[key])
        else:
            seen[key] = row["_row"]
            continue
        bad_rows.add(row["_row"])
        errors.append(
            _("Row {row}, column {col} ({header}): {message}").format(
                row=row["_row"], col=row["_title_column"], header=COLUMNS[1][0], message=message
            )
        )


@job_function("activities.import_activities")
def import_activities(context, *, path: str, user_id: int, unit_id: int, valid_only: bool = False):
    user = User.objects.get(pk=user_id)
    file_path = Path(path)
    try:
        unit = Unit.objects.for_user(user, CHANGE).filter(pk=unit_id).first()
        if unit is None:
            raise JobError(_("You may not keep activities for this unit."))
        rows, errors, bad_rows, notice = read_rows(file_path, user=user, context=context)
        _mark_repeats(unit, rows, errors, bad_rows)
        good = [r for r in rows if r["_row"] not in bad_rows]
        if errors and (not valid_only or not good):
            shown = errors[:500]
            more = len(errors) - len(shown)
            text = "\n".join(shown) + ("\n" + _("… and {} more problems.").format(more) if more > 0 else "")
            raise JobError(_("Nothing was imported: the file has {} problem(s).").format(len(errors)) + "\n" + text)
        total = len(good)
        with transaction.atomic():
            for index, row in enumerate(good, start=1):
                activity = Activity(unit=unit, **{k: row[k] for k in FIELDS})
                try:
                    services.activity_save(
                        activity=activity, by=user, partners=row["partners"], countries=row["countries"]
                    )
                except (ValidationError, PermissionDenied) as exc:
                    raise JobError(
                        _("Nothing was imported: row {} could not be saved: {}").format(
                            row["_row"], "; ".join(getattr(exc, "messages", [str(exc)]))
                        )
                    ) from exc
                context.progress(index, total, _("Saved {} of {} activities").format(index, total))
        return import_result(_("Imported {} activities.").format(total), total, bad_rows, errors, notice)
    finally:
        file_path.unlink(missing_ok=True)
