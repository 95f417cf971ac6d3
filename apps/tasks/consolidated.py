"""The consolidated report of a reporting period (báo cáo tổng hợp), as a DOCX in the Nghị định
30/2020 layout: the figures of the tasks as they stood at the period's end, each submitted unit's
results and task lines, the difficulties and proposals gathered, and the units that did not report.

Everything comes from the records (``period_roster``, ``period_figures``, the report lines); the
officer numbers and signs the document after download, so the number is left blank.
"""

from django.utils import timezone

from apps.core.nd30 import Nd30Document, Signature
from apps.tasks import selectors
from apps.tasks.models import UnitReport, UnitReportItem

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def vn_date(day) -> str:
    return day.strftime("%d/%m/%Y")


def vn_percent(value) -> str:
    return "—" if value is None else "{:.1f}%".format(value).replace(".", ",")


def place_name(unit) -> str:
    """The province (or city) the unit belongs to, as the place line writes it: "Đồng Tháp"."""
    from apps.accounts.models import Unit

    chain = [*Unit.objects.get_ancestors(unit), unit] if unit.depth > 1 else [unit]
    for node in reversed(chain):
        if node.kind == Unit.Kind.PROVINCE:
            name = node.name
            for prefix in ("Thành phố ", "Tỉnh ", "TP. "):
                if name.startswith(prefix):
                    return name[len(prefix) :]
            return name
    return ""


#: who signs for a unit of each kind (Nghị định 30/2020, Phụ lục I: the collective a head signs
#: for, "TM.", then the head's title) — (collective or None, title)
SIGNERS = {
    "union": ("TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"),
    "association": ("TM. BAN CHẤP HÀNH", "CHỦ TỊCH"),
    "peoples_committee": ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    "province": ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    "party_committee": ("TM. BAN THƯỜNG VỤ", "BÍ THƯ"),
    "fatherland_front": ("TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"),
    "mass_organisation": ("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"),
    "commune": ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    "department": (None, "GIÁM ĐỐC"),
}


def signature_of(unit) -> Signature:
    """The signature block of a report the unit issues: its collective ("TM. …") where a collective
    decides, the head's title, and the head's name when a leader of the unit is known — the space
    between is left for the signature and the seal."""
    from apps.accounts.models import RoleAssignment

    collective, title = SIGNERS.get(unit.kind, ("TM. " + unit.name.upper(), "THỦ TRƯỞNG ĐƠN VỊ"))
    leader = (
        RoleAssignment.objects.filter(unit=unit, role=RoleAssignment.Role.LEADER, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    name = (leader.user.get_full_name() or leader.user.username) if leader else ""
    return Signature(authority=collective or "", title=title, name=name)


def build(period, *, today=None) -> bytes:
    from apps.accounts.models import Unit

    today = today or timezone.localdate()
    unit = period.unit
    parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
    if parent is not None and parent.kind in (Unit.Kind.PROVINCE, Unit.Kind.CENTRAL):
        # A province is a place, not a managing body: the issuer stands alone in the header.
        parent = None
    roster = selectors.period_roster(period)
    total, per_unit = selectors.period_figures(period, today=today)
    submitted = [row for row in roster if row.has_submitted]
    missing = [row for row in roster if not row.has_submitted]

    doc = Nd30Document(
        managing_body=parent.name if parent else "",
        issuer=unit.name,
        number="Số:        /BC-{}".format(unit.code) if unit.code else "Số:        /BC",
        place=place_name(unit) or unit.name,
        day=today,
        type_name="Báo cáo",
        subject="Tổng hợp kết quả thực hiện nhiệm vụ {}".format(period.name),
        recipients=["{} (b/c);".format(parent.name) if parent else "", "Các đơn vị báo cáo;", "Lưu: VT."],
        signature=signature_of(unit),
    )
    doc.recipients = [r for r in doc.recipients if r]
    doc.paragraph(
        "Thực hiện yêu cầu báo cáo kết quả thực hiện nhiệm vụ {name} (từ ngày {start} đến ngày {end}), "
        "{issuer} tổng hợp báo cáo của {sent}/{asked} đơn vị như sau:".format(
            name=period.name,
            start=vn_date(period.start),
            end=vn_date(period.end),
            issuer=unit.name,
            sent=len(submitted),
            asked=len(roster),
        )
    )

    section = iter(ROMAN)
    doc.heading("{}. Tình hình thực hiện nhiệm vụ".format(next(section)))
    doc.paragraph(
        "Các đơn vị được giao chủ trì {total} nhiệm vụ trong kỳ: đã hoàn thành {done} nhiệm vụ "
        "({done_pct}), trong đó đúng hạn {on_time}, trễ hạn {late}; quá hạn chưa hoàn thành {overdue}; "
        "đang thực hiện trong hạn {open}. Tỷ lệ hoàn thành đúng hạn: {on_time_pct}.".format(
            total=total.total,
            done=total.done,
            done_pct=vn_percent(total.done_percent),
            on_time=total.done_on_time,
            late=total.done_late,
            overdue=total.overdue,
            open=total.open,
            on_time_pct=vn_percent(total.on_time_percent),
        )
    )
    figure_rows = []
    for position, row in enumerate(roster, start=1):
        f = per_unit.get(row.unit.pk)
        if f is None:
            figure_rows.append([position, row.unit.name, 0, 0, 0, 0, 0, "—"])
        else:
            figure_rows.append(
                [
                    position,
                    row.unit.name,
                    f.total,
                    f.done_on_time,
                    f.done_late,
                    f.overdue,
                    f.open,
                    vn_percent(f.on_time_percent),
                ]
            )
    doc.table(
        ["TT", "Đơn vị", "Số nhiệm vụ", "Đúng hạn", "Trễ hạn", "Quá hạn", "Đang thực hiện", "Tỷ lệ đúng hạn"],
        figure_rows,
        widths_cm=[1, 5.2, 1.8, 1.6, 1.6, 1.6, 1.9, 1.9],
        size=11,
    )

    doc.heading("{}. Kết quả thực hiện của các đơn vị".format(next(section)))
    reports = {r.report.pk: r.report for r in submitted}
    lines: dict[int, list[UnitReportItem]] = {}
    for item in UnitReportItem.objects.filter(report_id__in=reports).select_related("task").order_by("position", "id"):
        lines.setdefault(item.report_id, []).append(item)
    if not submitted:
        doc.paragraph("Chưa có đơn vị nào gửi báo cáo.", italic=True)
    for number, row in enumerate(submitted, start=1):
        report = row.report
        doc.heading("{}. {}".format(number, row.unit.name), level=2)
        if report.state == UnitReport.State.SUBMITTED:
            doc.paragraph("(Báo cáo gửi ngày {}, đang chờ xem xét.)".format(vn_date(report.submitted_on)), italic=True)
        doc.paragraph(report.summary)
        items = lines.get(report.pk, [])
        if items:
            doc.table(
                ["TT", "Nhiệm vụ", "Vai trò", "Tiến độ", "Kết quả trong kỳ"],
                [
                    [
                        i,
                        item.task.title,
                        "Chủ trì" if item.role == UnitReportItem.Role.LEAD else "Phối hợp",
                        "{}%".format(item.percent),
                        item.text or "—",
                    ]
                    for i, item in enumerate(items, start=1)
                ],
                widths_cm=[1, 5.5, 1.9, 1.6, 5.6],
                size=11,
            )

    gathered = [(row.unit.name, row.report.difficulties) for row in submitted if row.report.difficulties.strip()]
    doc.heading("{}. Khó khăn, vướng mắc".format(next(section)))
    if gathered:
        for name, text in gathered:
            doc.paragraph(text, bold_prefix="{}: ".format(name))
    else:
        doc.paragraph("Các đơn vị không nêu khó khăn, vướng mắc.", italic=True)

    proposals = [(row.unit.name, row.report.proposals) for row in submitted if row.report.proposals.strip()]
    doc.heading("{}. Kiến nghị, đề xuất".format(next(section)))
    if proposals:
        for name, text in proposals:
            doc.paragraph(text, bold_prefix="{}: ".format(name))
    else:
        doc.paragraph("Các đơn vị không có kiến nghị, đề xuất.", italic=True)

    plans = [(row.unit.name, row.report.next_steps) for row in submitted if row.report.next_steps.strip()]
    if plans:
        doc.heading("{}. Nhiệm vụ kỳ tới".format(next(section)))
        for name, text in plans:
            doc.paragraph(text, bold_prefix="{}: ".format(name))

    doc.heading("{}. Đơn vị chưa gửi báo cáo".format(next(section)))
    if missing:
        doc.paragraph(
            "Đến ngày {}, còn {} đơn vị chưa gửi báo cáo (hạn gửi: {}):".format(
                vn_date(today), len(missing), vn_date(period.due_date)
            )
        )
        for row in missing:
            state = {"draft": "đang soạn", "returned": "bị trả lại, chưa gửi lại"}.get(row.state, "chưa lập báo cáo")
            doc.paragraph("- {} ({}).".format(row.unit.name, state))
    else:
        doc.paragraph("Tất cả các đơn vị đã gửi báo cáo đúng yêu cầu.")
    return doc.to_bytes()
