"""Demo tasks for ``load_demo``: the seeds' real cascade (Chỉ thị 38-CT/TW and 12-CT/TW of the
Secretariat, Kế hoạch 108-KH/TU, Chương trình hành động 1830/LHHN-VP, Kế hoạch 2722/KH-UBND and
its four task groups) with tasks in every state and reports accepted, returned and awaiting review.

Dates are relative to the day the demo is loaded, so the states hold whenever it is loaded.
Idempotent: a task already present (same title, same document) is left alone."""

from datetime import timedelta

from django.utils import timezone

from apps.tasks import services
from apps.tasks.models import ProgressReport, Task

# (key, document notation, parent key, title, lead unit, supporting units, due in days (None:
#  ongoing), recurrence, priority, reports). A report is (days ago, unit, percent, text, period,
#  review: "accept" | ("return", reason) | None = awaiting review).
TASKS = [
    (
        "g1",
        "2722/KH-UBND",
        None,
        "Tổ chức quán triệt, tuyên truyền, phổ biến Chỉ thị 38-CT/TW của Ban Bí thư đến các cấp chính quyền, "
        "các sở, ban, ngành, Mặt trận Tổ quốc, các đoàn thể, cơ quan, đơn vị của tỉnh",
        "LHHN-DT",
        ["SVHTTDL-DT", "MTTQ-DT"],
        -300,
        "none",
        "high",
        [
            (400, "LHHN-DT", 50, "Đã tổ chức hội nghị quán triệt cho 120 đại biểu các sở, ngành.", "Quý I", "accept"),
            (
                320,
                "LHHN-DT",
                100,
                "Hoàn thành quán triệt đến cấp xã; đã đăng 24 tin, bài.",
                "6 tháng đầu năm",
                "accept",
            ),
        ],
    ),
    (
        "g1a",
        "2722/KH-UBND",
        "g1",
        "Tổ chức hội nghị quán triệt Chỉ thị 38-CT/TW cho cán bộ chủ chốt",
        "LHHN-DT",
        [],
        -420,
        "none",
        "normal",
        [(425, "LHHN-DT", 100, "Hội nghị tổ chức ngày 15, có 120 đại biểu tham dự.", "Quý I", "accept")],
    ),
    (
        "g1b",
        "2722/KH-UBND",
        "g1",
        "Đăng tải tin, bài tuyên truyền về công tác đối ngoại nhân dân trên Cổng thông tin điện tử tỉnh",
        "SVHTTDL-DT",
        ["LHHN-DT"],
        None,
        "ongoing",
        "normal",
        [(30, "SVHTTDL-DT", 60, "Đã đăng 18 tin, bài trong năm.", "Năm 2026", "accept")],
    ),
    (
        "g2",
        "2722/KH-UBND",
        None,
        "Xây dựng và hoàn thiện các cơ sở pháp lý nhằm phát huy vai trò của Liên hiệp hữu nghị, nâng cao chất "
        "lượng công tác đối ngoại nhân dân trên địa bàn tỉnh",
        "SNGV-DT",
        ["LHHN-DT", "VP-UBND-DT"],
        -200,
        "none",
        "high",
        [
            (230, "SNGV-DT", 70, "Đã trình dự thảo Quy chế phối hợp.", "Quý II", "accept"),
            (
                190,
                "SNGV-DT",
                100,
                "Quy chế phối hợp đã được ban hành.",
                "Quý III",
                ("return", "Đề nghị gửi kèm số, ký hiệu và ngày ban hành Quy chế."),
            ),
            (180, "SNGV-DT", 100, "Quy chế phối hợp ban hành kèm Quyết định số 15/2025/QĐ-UBND.", "Quý III", "accept"),
        ],
    ),
    (
        "g3",
        "2722/KH-UBND",
        None,
        "Mở rộng, đa phương hóa, đa dạng hóa quan hệ hợp tác; chú trọng quan hệ với tổ chức nhân dân các nước "
        "láng giềng, ASEAN, các nước lớn và các đối tác chiến lược, đối tác chiến lược toàn diện",
        "SNGV-DT",
        ["LHHN-DT", "HLH-CAM", "HLH-LAO"],
        37,
        "yearly",
        "normal",
        [
            (
                20,
                "SNGV-DT",
                55,
                "Đã tổ chức 3 đoàn giao lưu; ký 1 biên bản ghi nhớ với tỉnh Prey Veng.",
                "9 tháng",
                "accept",
            )
        ],
    ),
    (
        "g3a",
        "2722/KH-UBND",
        "g3",
        "Tổ chức đoàn giao lưu hữu nghị với tỉnh Prey Veng (Campuchia)",
        "HLH-CAM",
        ["SNGV-DT"],
        -12,
        "none",
        "normal",
        [(40, "HLH-CAM", 30, "Đã làm việc với Sở Ngoại vụ về chương trình đoàn.", "Quý III", "accept")],
    ),
    (
        "g3b",
        "2722/KH-UBND",
        "g3",
        "Đón tiếp đoàn hữu nghị tỉnh Salavan (Lào) dịp kỷ niệm Ngày thiết lập quan hệ ngoại giao Việt Nam – Lào",
        "HLH-LAO",
        ["LHHN-DT"],
        4,
        "none",
        "high",
        [],
    ),
    (
        "g4",
        "2722/KH-UBND",
        None,
        "Liên hiệp hữu nghị xây dựng Chương trình hành động thực hiện Chỉ thị 38-CT/TW của Ban Bí thư và Kế hoạch này",
        "LHHN-DT",
        [],
        -380,
        "none",
        "normal",
        [(390, "LHHN-DT", 100, "Chương trình hành động đã được ban hành.", "Quý I", "accept")],
    ),
    (
        "k1",
        "108-KH/TU",
        None,
        "Quán triệt, triển khai Chỉ thị 12-CT/TW đến cán bộ, đảng viên và Nhân dân",
        "TU-DT",
        ["MTTQ-DT", "LHHN-DT"],
        -45,
        "none",
        "high",
        [
            (
                50,
                "TU-DT",
                80,
                "Đã quán triệt tại 9 đảng bộ trực thuộc.",
                "6 tháng đầu năm 2026",
                ("return", "Báo cáo chưa nêu số lượng cán bộ, đảng viên được quán triệt; đề nghị bổ sung."),
            ),
        ],
    ),
    (
        "k2",
        "108-KH/TU",
        None,
        "Xây dựng Chương trình hành động và kế hoạch triển khai thực hiện Chỉ thị 12-CT/TW phù hợp đặc điểm "
        "của cơ quan, đơn vị",
        "LHHN-DT",
        ["SNGV-DT"],
        60,
        "none",
        "normal",
        [
            (60, "LHHN-DT", 40, "Đã xây dựng dự thảo, đang lấy ý kiến các tổ chức thành viên.", "Quý III", "accept"),
            (2, "LHHN-DT", 70, "Đã tổng hợp ý kiến, trình Thường trực Liên hiệp.", "Quý IV", None),
        ],
    ),
    (
        "c1",
        "1830/LHHN-VP",
        None,
        "Xây dựng kế hoạch hoạt động hằng năm phù hợp với Chương trình hành động số 1830/LHHN-VP",
        "LHHN-DT",
        ["HLH-CAM", "HLH-LAO", "HLH-NB"],
        6,
        "yearly",
        "normal",
        [],
    ),
    (
        "c2",
        "1830/LHHN-VP",
        None,
        "Nâng cao chất lượng hoạt động của các tổ chức thành viên; phát triển tổ chức, bộ máy, đào tạo nguồn "
        "nhân lực làm công tác đối ngoại nhân dân",
        "LHHN-DT",
        ["HLH-NB", "HLH-AD", "HLH-HQ"],
        220,
        "none",
        "low",
        [],
    ),
    (
        "d1",
        "38-CT/TW",
        None,
        "Báo cáo sơ kết việc thực hiện Chỉ thị 38-CT/TW trên địa bàn tỉnh",
        "LHHN-DT",
        ["SNGV-DT"],
        -5,
        "none",
        "high",
        [
            (
                8,
                "LHHN-DT",
                100,
                "Đã hoàn thành dự thảo báo cáo sơ kết.",
                "Năm 2026",
                ("return", "Báo cáo thiếu phần đánh giá kết quả phối hợp với Sở Ngoại vụ; đề nghị bổ sung và gửi lại."),
            ),
        ],
    ),
    (
        "d2",
        "12-CT/TW",
        None,
        "Tăng cường phối hợp giữa ba trụ cột đối ngoại đảng, ngoại giao nhà nước, đối ngoại nhân dân",
        "TU-DT",
        ["UBND-DT", "LHHN-DT"],
        None,
        "ongoing",
        "normal",
        [],
    ),
]

#: who the demo says wrote each unit's reports (username); others are entered by the system
REPORTERS = {"LHHN-DT": "canbo.lhhn", "SNGV-DT": "canbo.so"}


def load_demo_tasks(units: dict, documents: dict, by) -> dict[str, Task]:
    """Create the demo tasks and their reports. ``units`` maps unit codes to units, ``documents``
    maps notations to documents (a task whose document or unit is missing is skipped); ``by`` is
    the person recorded as creating the tasks and reviewing the reports (the admin or a
    coordinator over the units; the demo coordinator ``dieuphoi`` when None). Returns the tasks by key."""
    from apps.accounts.models import User

    today = timezone.localdate()
    reporters = {code: User.objects.filter(username=name).first() for code, name in REPORTERS.items()}
    # Without a named person, the demo coordinator assigns and reviews (as in real life).
    by = by or User.objects.filter(username="dieuphoi", is_active=True).first()
    created: dict[str, Task] = {}
    for key, notation, parent_key, title, lead, supporting, due_in, recurrence, priority, reports in TASKS:
        document = documents.get(notation)
        if document is None or lead not in units:
            continue
        existing = Task.objects.filter(title=title, document=document).first()
        if existing is not None:
            created[key] = existing
            continue
        task = services.task_create(
            by=by,
            title=title,
            lead_unit=units[lead],
            supporting_units=[units[c] for c in supporting if c in units],
            document=document,
            parent=created.get(parent_key),
            due_date=None if due_in is None else today + timedelta(days=due_in),
            recurrence=recurrence,
            priority=priority,
        )
        created[key] = task
        for days_ago, unit_code, percent, text, period, review in reports:
            if unit_code not in units:
                continue
            # Entered by the system so the report can carry its real (past) date.
            report = services.progress_report_submit(
                task=task,
                by=None,
                unit=units[unit_code],
                percent=percent,
                text=text,
                period=period,
                reported_on=today - timedelta(days=days_ago),
            )
            reporter = reporters.get(unit_code)
            if reporter is not None:
                ProgressReport.objects.filter(pk=report.pk).update(reported_by=reporter)
            if review == "accept":
                services.progress_report_review(report=report, by=by, accept=True)
            elif isinstance(review, tuple):
                services.progress_report_review(report=report, by=by, accept=False, reason=review[1])
    load_demo_period(units, by)
    return created


def load_demo_period(units: dict, by):
    """This year's reporting round of the provincial Union: the Union's own report submitted and
    awaiting review, the Department of Foreign Affairs' report as a draft, the others not started
    — what a coordinator sees in late autumn. Idempotent (one period per name and unit)."""
    from datetime import date

    from apps.accounts.models import User
    from apps.tasks.models import ReportingPeriod

    union = units.get("LHHN-DT")
    if union is None:
        return None
    year = timezone.localdate().year
    name = "Năm {}".format(year)
    period = ReportingPeriod.objects.filter(unit=union, name=name).first()
    if period is not None:
        return period
    reporting = sorted(
        {task.lead_unit for task in Task.objects.filter(lead_unit__in=units.values()).select_related("lead_unit")}
        | {u for code, u in units.items() if code in ("LHHN-DT", "SNGV-DT")},
        key=lambda u: u.path,
    )
    period = services.period_open(
        by=None,
        unit=union,
        name=name,
        kind=ReportingPeriod.Kind.YEAR,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        due_date=date(year, 12, 10),
        units=reporting,
        instructions="Các đơn vị báo cáo kết quả thực hiện Chỉ thị 12-CT/TW, Kế hoạch 108-KH/TU và Kế hoạch "
        "2722/KH-UBND năm {}; gửi về Liên hiệp các tổ chức hữu nghị tỉnh trước ngày 10/12/{}.".format(year, year),
    )
    ReportingPeriod.objects.filter(pk=period.pk).update(opened_by=by)
    report = services.unit_report_prepare(period=period, unit=union, by=None)
    services.unit_report_save(
        report=report,
        by=None,
        summary="Liên hiệp đã chủ trì tổ chức quán triệt Chỉ thị 38-CT/TW và Chỉ thị 12-CT/TW; phối hợp tổ chức "
        "các hoạt động giao lưu hữu nghị với các tỉnh Prey Veng, Banteay Meanchey (Campuchia), Salavan, "
        "Champasak (Lào); vận động viện trợ phi chính phủ nước ngoài theo kế hoạch.",
        difficulties="Kinh phí cho hoạt động đối ngoại nhân dân còn hạn chế; một số hội hữu nghị chưa có trụ sở.",
        proposals="Đề nghị UBND tỉnh bố trí kinh phí cho các hoạt động kỷ niệm năm 2027.",
    )
    submitter = User.objects.filter(username="canbo.lhhn").first()
    services.unit_report_submit(report=report, by=None)
    if submitter is not None:
        type(report).objects.filter(pk=report.pk).update(submitted_by=submitter)
    department = units.get("SNGV-DT")
    if department is not None:
        draft = services.unit_report_prepare(period=period, unit=department, by=None)
        services.unit_report_save(
            report=draft, by=None, summary="Sở Ngoại vụ đang tổng hợp số liệu đoàn ra, đoàn vào năm {}.".format(year)
        )
    return period
