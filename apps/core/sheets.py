"""Reading an uploaded Excel workbook row by row against the columns an import expects.

The unit, partner and activity imports share the same frame: open the first sheet read-only (a
file that is not a workbook is a clear error), find each expected column by its header — case,
spaces and diacritics do not matter, so "Ten doi tac" finds "Tên đối tác" — refuse a file missing a
required column, skip blank rows, stop past the row limit, and word every problem as "Row 7, column
C (Tên đối tác): …" so the officer finds it in the file. What a row means stays in each import.
"""

from collections.abc import Iterable, Iterator
from pathlib import Path
from zipfile import BadZipFile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from apps.core.jobs import JobError
from apps.core.text import fold


class SheetReader:
    """``with SheetReader(path, columns, required, max_rows) as sheet: for number, value in sheet:``

    ``columns``: (header, field) pairs in template order; ``value`` maps each field found in the
    header to its raw cell. ``sheet.error(number, field, message)`` records a problem of a row;
    ``sheet.errors`` and ``sheet.bad_rows`` hold them all."""

    def __init__(self, path: Path, columns: Iterable[tuple[str, str]], required: set[str], max_rows: int):
        self.columns = list(columns)
        self.headers = {field: header for header, field in self.columns}
        self.required, self.max_rows = required, max_rows
        self.errors: list[str] = []
        self.bad_rows: set[int] = set()
        try:
            self.workbook = load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
            raise JobError(_("The file is not an Excel workbook (.xlsx) that can be read: {}").format(exc)) from exc
        try:
            self._rows = self.workbook.worksheets[0].iter_rows(values_only=True)
            self.positions = self._find_columns(next(self._rows, None))
        except BaseException:
            self.workbook.close()
            raise
        self.letters = {f: get_column_letter(i + 1) for f, i in self.positions.items()}

    def _find_columns(self, header) -> dict[str, int]:
        if header is None:
            raise JobError(_("The sheet is empty: the first row must hold the column headers."))
        wanted = {fold(h): f for h, f in self.columns}
        positions: dict[str, int] = {}
        for index, title in enumerate(header):
            field = wanted.get(fold(str(title or "")))
            if field and field not in positions:  # the first of two columns with the same header
                positions[field] = index
        missing = [h for h, f in self.columns if f in self.required and f not in positions]
        if missing:
            raise JobError(
                _("Missing column(s): {}. Download the template to see the expected headers.").format(
                    ", ".join(missing)
                )
            )
        return positions

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.workbook.close()
        return False

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        """(row number in the sheet, {field: raw cell}) for every row that is not blank."""
        for number, raw in enumerate(self._rows, start=2):
            if number > self.max_rows + 1:  # row 1 holds the headers
                self.errors.append(_("The file has more than {} rows; split it.").format(self.max_rows))
                self.bad_rows.add(number)
                return
            if raw is None or all(v in (None, "") for v in raw):
                continue
            yield number, {f: (raw[i] if i < len(raw) else None) for f, i in self.positions.items()}

    def error(self, number: int, field: str, message: str) -> None:
        self.bad_rows.add(number)
        self.errors.append(
            _("Row {row}, column {col} ({header}): {message}").format(
                row=number, col=self.letters.get(field, "?"), header=self.headers[field], message=message
            )
        )


def import_result(summary: str, created: int, bad_rows, errors: list[str]) -> dict:
    """A sheet import job's result: the sentence (with how many rows were skipped, when the officer
    chose to import only the valid ones) and the skipped rows' problems, listed under it on the job
    page (``details``)."""
    if errors:
        summary += " " + _("Skipped {} row(s) with problems:").format(len(bad_rows))
    return {
        "summary": summary,
        "created": created,
        "skipped": len(bad_rows),
        "problems": errors[:200],
        "details": errors[:500],
    }
