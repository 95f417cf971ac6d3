"""Import partners from an Excel sheet, as a background job.

The whole file is checked first: every problem is reported with its row and column, and so is
every row whose partner already exists (duplicate detection of ``services.partner_duplicates``)
or appears twice in the file. Only a clean file is written, in one transaction — unless the user
chose to import only the valid rows, when the others are skipped and listed.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.accounts.models import Unit, User
from apps.core.jobs import JobError, job_function
from apps.core.querysets import CHANGE
from apps.core.sheets import SheetReader, import_result
from apps.core.text import fold
from apps.partners import services
from apps.partners.models import Country, Partner, name_key

# (column header, field, max length); the header is what users see in the template
COLUMNS = [
    ("Loại đối tác", "kind", 100),
    ("Tên (nguyên gốc)", "name", 300),
    ("Tên tiếng Việt", "name_vi", 300),
    ("Tên tiếng Anh", "name_en", 300),
    ("Viết tắt", "abbreviation", 50),
    ("Mã quốc gia (ISO)", "country", 200),
    ("Địa phương nước ngoài", "locality", 200),
    ("Địa chỉ", "address", 500),
    ("Website", "website", 300),
    ("Email", "email", 254),
    ("Điện thoại", "phone", 50),
    ("Nhãn", "tags", 2000),
    ("Mã tổ chức IATI", "iati_ref", 100),
    ("Mô tả", "description", 20000),
]
#: other headers officers write for the same columns
ALIASES_HEADERS = [
    ("Quốc gia", "country"),
    ("Nước", "country"),
    ("Số điện thoại", "phone"),
    ("Ghi chú", "description"),
    ("Tên đối tác", "name"),
    ("Loại", "kind"),
]
REQUIRED = {"kind", "name"}
MAX_ROWS = 50_000


#: the Vietnamese names officers write, whatever the catalogue says (GLOSSARY)
KIND_ALIASES = {
    "dia phuong nuoc ngoai": "foreign_locality",
    "dia phuong": "foreign_locality",
    "to chuc phi chinh phu nuoc ngoai": "foreign_ngo",
    "to chuc pcpnn": "foreign_ngo",
    "pcpnn": "foreign_ngo",
    "ngo": "foreign_ngo",
    "hoi huu nghi": "friendship_association",
    "hoi huu nghi o nuoc ngoai": "friendship_association",
    "to chuc quoc te": "international_organisation",
    "doanh nghiep fdi": "fdi_enterprise",
    "doanh nghiep co von dau tu nuoc ngoai": "fdi_enterprise",
    "dai su quan": "diplomatic_mission",
    "tong lanh su quan": "diplomatic_mission",
    "co quan dai dien": "diplomatic_mission",
    "co quan chinh phu nuoc ngoai": "government_agency",
    "co quan phat trien": "government_agency",
    "hoi nguoi viet nam o nuoc ngoai": "overseas_vietnamese",
    "ca nhan": "individual",
    "to chuc phi chinh phu": "foreign_ngo",
    "ingo": "foreign_ngo",
    "chinh quyen dia phuong nuoc ngoai": "foreign_locality",
    "tinh ban": "foreign_locality",
    "tinh ket nghia": "foreign_locality",
}


def country_lookup() -> dict:
    """Countries by ISO code (alpha-2 and alpha-3, upper case) and by folded name: Vietnamese,
    English, official, and the everyday names texts use (Mỹ, Anh, Cam-pu-chia, CHDCND Lào …)."""
    from apps.documents.extraction import COUNTRY_VARIANTS

    table: dict = {}
    by_code = {}
    for country in Country.objects.all():
        by_code[country.code] = country
        for code in (country.code, country.alpha3):
            if code:
                table[code.upper()] = country
        for name in (country.name_vi, country.name_en, country.official_name):
            if name:
                table.setdefault(name_key(name), country)
    for code, names in [*COUNTRY_VARIANTS.items(), ("LA", ("CHDCND Lào", "Lao PDR")), ("US", ("USA",))]:
        for name in names:
            if code in by_code:
                table.setdefault(name_key(name), by_code[code])
    return table


def find_country(table: dict, text: str):
    """The country ``text`` names (a code or a name), or None."""
    text = " ".join(str(text or "").split())
    return table.get(text.upper()) or table.get(name_key(text))


def kind_lookup() -> dict[str, str]:
    """Kinds by code, by the usual Vietnamese names, and by folded Vietnamese and English label."""
    table = dict(KIND_ALIASES)
    for value, label in Partner.Kind.choices:
        table[fold(value)] = value
        for lang in ("vi", "en"):
            with translation.override(lang):
                table[fold(str(label))] = value
    return table


def template_workbook() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Doi tac"
    sheet.append([header for header, _f, _n in COLUMNS])
    # The example lives on a sheet of its own: left in the data sheet, it was imported as a real row.
    example = workbook.create_sheet("Vi du")
    example.append([header for header, _f, _n in COLUMNS])
    example.append(
        ["foreign_locality", "ខេត្តព្រៃវែង", "Tỉnh Prey Veng", "Prey Veng Province", "", "KH", "Prey Veng",
         "", "", "", "", "kết nghĩa, biên giới", "", ""]
    )  # fmt: skip
    return workbook


def read_rows(path: Path, *, user, context=None):
    """Parse and check the file. Returns (rows, errors, skipped rows, notice); nothing is written."""
    with SheetReader(path, [(h, f) for h, f, _n in COLUMNS], REQUIRED, MAX_ROWS, aliases=ALIASES_HEADERS) as sheet:
        kinds = kind_lookup()
        countries = country_lookup()
        email_ok, url_ok = EmailValidator(), URLValidator()
        rows, seen = [], {}
        for number, value in sheet:

            def err(field, message, number=number):
                sheet.error(number, field, message)

            row = {"_row": number}
            for _h, field, limit in COLUMNS:
                text = value.get(field)
                row[field] = (
                    "" if text is None else " ".join(str(text).split()) if field != "description" else str(text).strip()
                )
                if len(row[field]) > limit:
                    err(field, _("longer than {} characters").format(limit))
            if not row["name"]:
                err("name", _("must not be empty"))
            kind = kinds.get(fold(row["kind"]))
            if not kind:
                err(
                    "kind",
                    _("unknown kind “{}”; use one of: {}").format(
                        row["kind"][:40], ", ".join(str(label) for _v, label in Partner.Kind.choices)
                    ),
                )
            row["kind"] = kind
            country = None
            if row["country"]:
                country = find_country(countries, row["country"])
                if country is None:
                    err(
                        "country",
                        _("no country has the code or name “{}” (e.g. KH, Campuchia, Cambodia)").format(
                            row["country"][:40]
                        ),
                    )
            row["country"] = country
            if row["email"]:
                try:
                    email_ok(row["email"])
                except ValidationError:
                    err("email", _("“{}” is not an e-mail address").format(row["email"][:60]))
            if row["website"]:
                try:
                    url_ok(row["website"] if "://" in row["website"] else "https://" + row["website"])
                except ValidationError:
                    err("website", _("“{}” is not a web address").format(row["website"][:60]))
            row["tags"] = [t.strip() for t in row["tags"].split(",") if t.strip()]
            if row["name"] and kind:
                keys = {k for k in (name_key(row["name"]), name_key(row["name_vi"]), name_key(row["name_en"])) if k}
                earlier = next(
                    (
                        seen[(k, getattr(country, "pk", None))]
                        for k in keys
                        if (k, getattr(country, "pk", None)) in seen
                    ),
                    None,
                )
                if earlier:
                    err("name", _("the same partner as row {}").format(earlier))
                else:
                    for k in keys:
                        seen[(k, getattr(country, "pk", None))] = number
                    found = services.partner_duplicates(
                        name=row["name"],
                        name_vi=row["name_vi"],
                        name_en=row["name_en"],
                        country=country,
                        user=user,
                        limit=3,
                    )
                    if found:
                        err(
                            "name",
                            _("already exists as {} — merge or edit it instead").format(
                                "; ".join(
                                    "“{}” (#{}{})".format(
                                        d.partner.display_name,
                                        d.partner.pk,
                                        "" if d.exact else ", " + _("{}% similar").format(d.score),
                                    )
                                    for d in found
                                )
                            ),
                        )
            rows.append(row)
            if context and number % 200 == 0:
                context.progress(0, None, _("Checked {} rows").format(number - 1))
    return rows, sheet.errors, sheet.bad_rows, sheet.notice


@job_function("partners.import_partners")
def import_partners(context, *, path: str, user_id: int, unit_id: int, valid_only: bool = False):
    user = User.objects.get(pk=user_id)
    file_path = Path(path)
    try:
        unit = Unit.objects.for_user(user, CHANGE).filter(pk=unit_id).first()
        if unit is None:
            raise JobError(_("You may not keep partners for this unit."))
        rows, errors, bad_rows, notice = read_rows(file_path, user=user, context=context)
        good = [r for r in rows if r["_row"] not in bad_rows]
        if errors and (not valid_only or not good):
            shown = errors[:500]
            more = len(errors) - len(shown)
            text = "\n".join(shown) + ("\n" + _("… and {} more problems.").format(more) if more > 0 else "")
            raise JobError(_("Nothing was imported: the file has {} problem(s).").format(len(errors)) + "\n" + text)
        total = len(good)
        with transaction.atomic():
            for index, row in enumerate(good, start=1):
                fields = {k: row[k] for k in ("kind", "name", "name_vi", "name_en", "abbreviation", "country",
                                              "locality", "address", "email", "phone", "iati_ref", "description")}  # fmt: skip
                if row["website"]:
                    fields["website"] = row["website"] if "://" in row["website"] else "https://" + row["website"]
                try:
                    services.partner_create(by=user, unit=unit, tags=services.tags_from_names(row["tags"]), **fields)
                except ValidationError as exc:
                    raise JobError(
                        _("Nothing was imported: row {} could not be saved: {}").format(
                            row["_row"], "; ".join(exc.messages)
                        )
                    ) from exc
                context.progress(index, total, _("Saved {} of {} partners").format(index, total))
        return import_result(_("Imported {} partners.").format(total), total, bad_rows, errors, notice)
    finally:
        file_path.unlink(missing_ok=True)
