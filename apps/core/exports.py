"""Export of a filtered list to XLSX or CSV, streamed in chunks so memory stays flat."""

import csv
import re
import tempfile
from datetime import date
from itertools import islice

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

CHUNK = 2000


def _chunks(queryset):
    iterator = queryset.iterator(chunk_size=CHUNK)
    while True:
        chunk = list(islice(iterator, CHUNK))
        if not chunk:
            return
        yield chunk


def ordered(table_class, queryset, request=None):
    """``queryset`` in the order the page shows it: the table's default order, or the column the
    user sorted by (``?sort=``), mapped to database fields by django-tables2's own column
    ``order_by``. Ordering each chunk instead sorted only within every 2,000 rows."""
    table = table_class(queryset)  # applies Meta.order_by
    if request is not None:
        sort = request.GET.get(table.prefixed_order_by_field)
        if sort:
            table.order_by = sort
    data = getattr(table.data, "data", None)
    return data if isinstance(data, QuerySet) else queryset


def table_rows(table_class, queryset, request=None):
    """Header then value rows of ``table_class`` over ``queryset``, one chunk of objects at a time,
    in the page's order (the queryset is ordered once, before chunking)."""
    if isinstance(queryset, QuerySet):
        queryset = ordered(table_class, queryset, request)
    header_sent = False
    for chunk in _chunks(queryset):
        # order_by=() and no request: the rows come ordered; sorting a chunk again would only
        # reorder it by Python's rules instead of the database's
        rows = table_class(chunk, order_by=()).as_values()
        header = next(rows)
        if not header_sent:
            header_sent = True
            yield [str(h) for h in header]
        yield from rows
    if not header_sent:
        yield [str(h) for h in next(table_class([], request=request).as_values())]


class _Echo:
    def write(self, value):
        return value


def export_filename(stem: str, ext: str) -> str:
    return "{}-{}.{}".format(stem, timezone.localtime().strftime("%Y%m%d-%H%M"), ext)


def csv_response(table_class, queryset, stem, request=None):
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # Excel reads UTF-8 CSV correctly only with a BOM
        for row in table_rows(table_class, queryset, request):
            yield writer.writerow(["" if v is None else v for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="{}"'.format(export_filename(stem, "csv"))
    return response


_DAY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def _cell(sheet, value):
    """A table's value as an Excel cell: a date the list writes dd/mm/yyyy becomes a real date
    (sortable and filterable in Excel), shown the same way."""
    if value is None:
        return ""
    if isinstance(value, str):
        match = _DAY.match(value)
        if match:
            try:
                day = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            except ValueError:
                return value
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(sheet, value=day)
            cell.number_format = "DD/MM/YYYY"
            return cell
    return value


def xlsx_response(table_class, queryset, stem, sheet_title, request=None):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(sheet_title)[:31])
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    for index, row in enumerate(table_rows(table_class, queryset, request)):
        if index == 0:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)
            sheet.freeze_panes = "A2"
        else:
            sheet.append([_cell(sheet, v) for v in row])
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export_filename(stem, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
