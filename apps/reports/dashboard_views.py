"""The dashboards: the sections of each of the person's roles on the home page, the year at a
glance on a page of its own (``/dashboard/year/``), and any of their tables as XLSX."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.reports import dashboards


def selected_year(request) -> int:
    """``?year=`` when it is a sensible year, else this year."""
    this = timezone.localdate().year
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return this
    return year if 1990 <= year <= this + 5 else this


def section_title(key: str) -> str:
    # Spelled out so that makemessages finds each msgid.
    return {
        dashboards.SECTION_OFFICER: _("What my unit must act on"),
        dashboards.SECTION_COORDINATOR: _("Follow-up: who is late"),
        dashboards.SECTION_YEAR: _("The year at a glance"),
    }[key]


def build_sections(user, year: int, only: list[str] | None = None) -> list[dict]:
    """[{"key", "title", "tables"}] for the sections ``user`` sees (``only``: a subset)."""
    result = []
    for key in dashboards.sections_for(user):
        if only is not None and key not in only:
            continue
        if key == dashboards.SECTION_OFFICER:
            tables = dashboards.officer_section(user)
        elif key == dashboards.SECTION_COORDINATOR:
            tables = dashboards.coordinator_section(user)
        else:
            tables = dashboards.year_section(user, year)
        result.append({"key": key, "title": section_title(key), "tables": tables})
    return result


def dashboard_context(request, only: list[str] | None = None) -> dict:
    """What the dashboard templates need; the home view adds it to its own context."""
    year = selected_year(request)
    sections = build_sections(request.user, year, only)
    charts = {t.key: t.chart for s in sections for t in s["tables"] if t.chart}
    return {
        "dashboard_sections": sections,
        "dashboard_year": year,
        "dashboard_years": dashboards.year_choices(),
        "dashboard_charts": charts,
        "dashboard_has_map": any(c.get("type") == "map" for c in charts.values()),
        "dashboard_has_year": any(s["key"] == dashboards.SECTION_YEAR for s in sections),
    }


@login_required
@require_GET
def year_page(request):
    """The leader's section alone, for those who may read it."""
    if dashboards.SECTION_YEAR not in dashboards.sections_for(request.user):
        raise PermissionDenied(_("The year at a glance is for leaders and coordinators."))
    context = dashboard_context(request, only=[dashboards.SECTION_YEAR])
    context["title"] = _("The year at a glance")
    return render(request, "reports/dashboard_year.html", context)


@login_required
@require_GET
def export_xlsx(request):
    """The tables of the sections the person sees (or only ``?table=<key>``), one sheet each,
    with the figures as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from apps.core.exports import export_filename

    year = selected_year(request)
    wanted = request.GET.get("table", "")
    sections = build_sections(request.user, year)
    tables = [t for s in sections for t in s["tables"] if not wanted or t.key == wanted]
    if not tables:
        raise PermissionDenied(_("There is no such table on your dashboard."))
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    used = set()
    for table in tables:
        name = table.key[:31]
        while name in used:  # sheet names are unique; keys already are, this is belt and braces
            name = name[:29] + "_" + str(len(used))
        used.add(name)
        sheet = workbook.create_sheet(title=name)
        sheet.append([table.title])
        sheet["A1"].font = bold
        sheet.append([str(c) for c in table.columns])
        for cell in sheet[2]:
            cell.font = bold
        for row in table.rows:
            sheet.append([_cell_value(c) for c in row])
        if table.footer:
            sheet.append([_cell_value(c) for c in table.footer])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.freeze_panes = "A3"
        sheet.column_dimensions["A"].width = 40
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    stem = "bang-dieu-khien-{}{}".format(year, "-" + wanted if wanted else "")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export_filename(stem, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _cell_value(cell):
    from datetime import date
    from decimal import Decimal

    value = cell.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float | date):
        return value
    return cell.text
