"""The shared frame of the Excel imports (apps/core/sheets.py): columns found by header whatever
the case and diacritics, blank rows skipped, the row limit, and problems named by row and column."""

import pytest
from django.utils import translation
from openpyxl import Workbook

from apps.core.jobs import JobError
from apps.core.sheets import SheetReader

COLUMNS = [("Mã", "code"), ("Tên đơn vị", "name"), ("Ghi chú", "note")]


def workbook(tmp_path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "x.xlsx"
    book.save(path)
    return path


def test_columns_are_found_by_header_in_any_order_and_without_diacritics(tmp_path):
    path = workbook(tmp_path, [["ten don vi", "GHI CHU", "Mã"], ["Sở Ngoại vụ", None, "SNGV"], [None, "", None]])
    with SheetReader(path, COLUMNS, {"code", "name"}, 10) as sheet:
        rows = list(sheet)
    assert rows == [(2, {"name": "Sở Ngoại vụ", "note": None, "code": "SNGV"})]  # the blank row is skipped


def test_a_problem_names_row_column_letter_and_header(tmp_path):
    path = workbook(tmp_path, [["Mã", "Tên đơn vị"], ["A", ""]])
    with translation.override("vi"), SheetReader(path, COLUMNS, {"code", "name"}, 10) as sheet:
        for number, _value in sheet:
            sheet.error(number, "name", "không được để trống")
    assert sheet.errors == ["Dòng 2, cột B (Tên đơn vị): không được để trống"]
    assert sheet.bad_rows == {2}


def test_a_missing_required_column_and_a_file_that_is_not_a_workbook_are_clear_errors(tmp_path):
    with pytest.raises(JobError, match="Tên đơn vị"):
        SheetReader(workbook(tmp_path, [["Mã"], ["A"]]), COLUMNS, {"code", "name"}, 10)
    text = tmp_path / "y.xlsx"
    text.write_text("không phải Excel")
    with pytest.raises(JobError):
        SheetReader(text, COLUMNS, {"code"}, 10)
    with pytest.raises(JobError):
        SheetReader(workbook(tmp_path, []), COLUMNS, {"code"}, 10)


def test_rows_past_the_limit_stop_the_reading_with_a_message(tmp_path):
    path = workbook(tmp_path, [["Mã", "Tên đơn vị"]] + [["U{}".format(i), "Đơn vị {}".format(i)] for i in range(5)])
    with SheetReader(path, COLUMNS, {"code"}, 3) as sheet:
        read = [number for number, _value in sheet]
    assert read == [2, 3, 4]  # three rows of data, after the header
    assert len(sheet.errors) == 1 and "3" in sheet.errors[0]
