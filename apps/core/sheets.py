"""Reading an uploaded Excel workbook row by row against the columns an import expects.

The unit, partner and activity imports share the same frame: open the workbook read-only (a file
that is not a workbook is a clear error); take the first visible sheet whose first rows hold the
headers (offices put a title and a blank row above a table, keep old data on a hidden first sheet,
or the table on the second sheet); find each expected column by its header — case, spaces,
punctuation, diacritics and a bracketed hint do not matter, so "Ten doi tac" finds "Tên đối tác" and
"Mã quốc gia" finds "Mã quốc gia (ISO)"; refuse a file missing a required column, or with no data
row; say which columns were not recognised (their data is not imported); skip blank rows, stop past
the row limit, and word every problem as "Row 7, column C (Tên đối tác): …" with the row number
Excel shows. What a row means stays in each import.
"""

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zipfile import BadZipFile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from apps.core.jobs import JobError
from apps.core.text import fold

_THOUSANDS = {".": re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$"), ",": re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+$")}


def parse_number(value) -> Decimal | None:
    """A number as offices type it, or None: a cell's own number as it is; text in the Vietnamese
    way (``24.250`` = 24250, ``1.234.567,5``, ``1,5``) or the English one (``24,250.50``). With both
    separators the last is the decimal one; a lone one followed by groups of three digits groups
    thousands (``24.250``, ``24,250``), else it is the decimal one (``1,5``, ``24.3``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value)) if value == value and abs(value) != float("inf") else None
    text = str(value or "").strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal_mark == "," else ",", "").replace(",", ".")
    elif "." in text and _THOUSANDS["."].match(text):
        text = text.replace(".", "")
    elif "," in text:
        text = text.replace(",", "") if _THOUSANDS[","].match(text) else text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


#: how far down a sheet the header row is looked for
HEADER_ROWS = 10
_BRACKETS = re.compile(r"\([^)]*\)")


def header_key(title) -> str:
    """A header as compared: folded, without a bracketed hint, punctuation or spaces."""
    return re.sub(r"[^0-9a-z]", "", _BRACKETS.sub("", fold(str(title or ""))))


class SheetReader:
    """``with SheetReader(path, columns, required, max_rows) as sheet: for number, value in sheet:``

    ``columns``: (header, field) pairs in template order; ``value`` maps each field found in the
    header to its raw cell. ``sheet.error(number, field, message)`` records a problem of a row;
    ``sheet.errors`` and ``sheet.bad_rows`` hold them all."""

    def __init__(
        self,
        path: Path,
        columns: Iterable[tuple[str, str]],
        required: set[str],
        max_rows: int,
        aliases: Iterable[tuple[str, str]] = (),
    ):
        self.columns = list(columns)
        self.headers = {field: header for header, field in self.columns}
        self.aliases = list(aliases)  # other headers officers write for a column: (header, field)
        self.ignored: list[str] = []  # headers of columns no field matched
        self.required, self.max_rows = required, max_rows
        self.errors: list[str] = []
        self.bad_rows: set[int] = set()
        try:
            self.workbook = load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
            raise JobError(_("The file is not an Excel workbook (.xlsx) that can be read: {}").format(exc)) from exc
        try:
            self._open()
        except BaseException:
            self.workbook.close()
            raise
        self.letters = {f: get_column_letter(i + 1) for f, i in self.positions.items()}

    def _open(self) -> None:
        """The sheet and the header row: the first visible sheet with all required headers in its
        first HEADER_ROWS rows; else the refusal names what the best candidate lacks."""
        best = None  # (missing headers, sheet title, row number)
        for sheet in self.workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            rows = sheet.iter_rows(values_only=True)
            for number in range(1, HEADER_ROWS + 1):
                header = next(rows, None)
                if header is None:
                    break
                positions, ignored = self._match(header)
                missing = [h for h, f in self.columns if f in self.required and f not in positions]
                if not missing:
                    self.sheet_title, self.header_row, self._rows = sheet.title, number, rows
                    self.positions, self.ignored = positions, ignored
                    return
                if positions and (best is None or len(missing) < len(best[0])):
                    best = (missing, sheet.title, number)
        if best is None:
            raise JobError(
                _(
                    "No column headers found in the first {} rows of the visible sheets. Download the "
                    "template to see the expected headers."
                ).format(HEADER_ROWS)
            )
        missing, title, number = best
        raise JobError(
            _(
                "Missing column(s): {} (headers read in row {} of sheet “{}”). Download the template to see the expected headers."
            ).format(", ".join(missing), number, title)
        )

    def _match(self, header) -> tuple[dict[str, int], list[str]]:
        wanted = {header_key(h): f for h, f in [*self.columns, *self.aliases]}
        positions: dict[str, int] = {}
        ignored = []
        for index, title in enumerate(header):
            field = wanted.get(header_key(title))
            if field and field not in positions:  # the first of two columns with the same header
                positions[field] = index
            elif title not in (None, "") and not field:
                ignored.append(" ".join(str(title).split()))
        return positions, ignored

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.workbook.close()
        return False

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        """(row number in the sheet, {field: raw cell}) for every row that is not blank; a sheet
        with none is refused (an import of nothing is not a success)."""
        found = False
        for number, raw in enumerate(self._rows, start=self.header_row + 1):
            if number > self.max_rows + self.header_row:
                self.errors.append(_("The file has more than {} rows; split it.").format(self.max_rows))
                self.bad_rows.add(number)
                return
            if raw is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
                continue
            found = True
            yield number, {f: (raw[i] if i < len(raw) else None) for f, i in self.positions.items()}
        if not found:
            raise JobError(
                _("No data under the headers (row {} of sheet “{}”): the file has nothing to import.").format(
                    self.header_row, self.sheet_title
                )
            )

    @property
    def notice(self) -> str:
        """What the officer should know besides the rows' problems: the columns not imported."""
        if not self.ignored:
            return ""
        return _("Columns not recognised, so not imported: {}.").format(
            ", ".join("“{}”".format(t) for t in self.ignored)
        )

    def error(self, number: int, field: str, message: str) -> None:
        self.bad_rows.add(number)
        self.errors.append(
            _("Row {row}, column {col} ({header}): {message}").format(
                row=number, col=self.letters.get(field, "?"), header=self.headers[field], message=message
            )
        )


def import_result(summary: str, created: int, bad_rows, errors: list[str], notice: str = "") -> dict:
    """A sheet import job's result: the sentence (with the columns not recognised, and how many
    rows were skipped when the officer chose to import only the valid ones) and the skipped rows'
    problems, listed under it on the job page (``details``)."""
    if notice:
        summary += " " + notice
    if errors:
        summary += " " + _("Skipped {} row(s) with problems:").format(len(bad_rows))
    return {
        "summary": summary,
        "created": created,
        "skipped": len(bad_rows),
        "problems": errors[:200],
        "details": errors[:500],
    }
