"""Demo member organisations and awards for ``load_demo``. The associations are the demo
province's five friendship associations; their member counts, congresses, leaders and the awards
are illustrative figures for the demo, not official records. Idempotent."""

from datetime import date

from django.utils import timezone

from apps.members import services
from apps.members.models import Award, MemberOrganisation

ASSOCIATIONS = [
    # (unit code, kind, countries, founded, counts (year, members), congress (number, held, term, outcome))
    (
        "HLH-CAM",
        "bilateral",
        ["KH"],
        date(2008, 6, 12),
        [(2023, 512), (2024, 538), (2025, 561)],
        (
            4,
            date(2021, 9, 24),
            (2021, 2026),
            "Bầu Ban Chấp hành 25 người; thông qua chương trình hành động nhiệm kỳ 2021 – 2026.",
        ),
    ),
    (
        "HLH-LAO",
        "bilateral",
        ["LA"],
        date(2010, 3, 18),
        [(2023, 347), (2024, 360), (2025, 372)],
        (3, date(2021, 10, 8), (2021, 2026), "Bầu Ban Chấp hành 21 người."),
    ),
    (
        "HLH-NB",
        "bilateral",
        ["JP"],
        date(2012, 11, 2),
        [(2024, 205), (2025, 231)],
        (3, date(2022, 4, 15), (2022, 2027), "Thông qua kế hoạch giao lưu với tỉnh kết nghĩa của Nhật Bản."),
    ),
    ("HLH-AD", "bilateral", ["IN"], date(2016, 8, 20), [(2025, 118)], None),
    ("HLH-HQ", "bilateral", ["KR"], date(2018, 5, 9), [(2024, 140), (2025, 156)], None),
]

LEADERS = {
    "HLH-CAM": [("Nguyễn Văn Hòa", "Chủ tịch", "Nguyên Phó Chủ tịch UBND tỉnh", 2021, 2026)],
    "HLH-LAO": [("Trần Thị Mai", "Chủ tịch", "Sở Ngoại vụ tỉnh", 2021, 2026)],
}


def load_demo_members(units: dict, documents: dict | None = None):
    from apps.partners.models import Country

    year = timezone.localdate().year
    for code, kind, countries, founded, counts, congress in ASSOCIATIONS:
        unit = units.get(code)
        if unit is None:
            continue
        organisation = MemberOrganisation.objects.filter(unit=unit).first()
        if organisation is not None:
            continue
        organisation = services.organisation_save(
            by=None,
            unit=unit,
            kind=kind,
            founded_on=founded,
            description="Tổ chức thành viên của Liên hiệp các tổ chức hữu nghị tỉnh.",
            countries=list(Country.objects.filter(code__in=countries)),
        )
        # The counts are written for 2023–2025; they move with the demo's year so that this year's
        # review report has this year's membership.
        shift = year - 2025
        for count_year, members in counts:
            services.membership_record(by=None, organisation=organisation, year=count_year + shift, members=members)
        if congress:
            number, held, (start, end), outcome = congress
            services.congress_record(
                by=None,
                organisation=organisation,
                number=number,
                held_on=held,
                term_start=start,
                term_end=end,
                outcome=outcome,
            )
        for name, position, workplace, start, end in LEADERS.get(code, []):
            services.leader_record(
                by=None,
                organisation=organisation,
                name=name,
                position=position,
                workplace=workplace,
                term_start=start,
                term_end=end,
            )

    union = units.get("LHHN-DT")
    if union is None or Award.objects.filter(unit=union).exists():
        return
    awards = [
        dict(
            unit=union,
            kind=Award.Kind.MERIT,
            level=Award.Level.PROVINCIAL,
            name="Bằng khen của Chủ tịch UBND tỉnh",
            issuer="Chủ tịch UBND tỉnh Đồng Tháp",
            year=year,
            reason="Có thành tích xuất sắc trong công tác đối ngoại nhân dân năm {}.".format(year),
        ),
        dict(
            unit=union,
            kind=Award.Kind.EMULATION_FLAG,
            level=Award.Level.CENTRAL,
            name="Cờ thi đua của Liên hiệp các tổ chức hữu nghị Việt Nam",
            issuer="Liên hiệp các tổ chức hữu nghị Việt Nam",
            year=year,
            reason="Dẫn đầu phong trào thi đua khối liên hiệp hữu nghị địa phương.",
        ),
    ]
    cam = units.get("HLH-CAM")
    if cam is not None:
        awards.append(
            dict(
                unit=cam,
                kind=Award.Kind.COMMENDATION,
                level=Award.Level.UNIT,
                name="Giấy khen của Chủ tịch Liên hiệp các tổ chức hữu nghị tỉnh",
                issuer="Liên hiệp các tổ chức hữu nghị tỉnh Đồng Tháp",
                year=year,
                person="Nguyễn Văn Hòa",
                person_position="Chủ tịch Hội",
                reason="Tích cực tổ chức giao lưu hữu nghị với tỉnh Prey Veng.",
            )
        )
    for fields in awards:
        services.award_save(by=None, **fields)
