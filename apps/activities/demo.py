"""Demo agreements and activities for ``load_demo``: Đồng Tháp's work with its counterparts named
in issue 4 and the seeds — Prey Veng and Banteay Meanchey (Cambodia), Salavan and Champasak (Laos)
— and the reception of a delegation of Nasushiobara (Japan) by the leaders of Ho Chi Minh City
(seed: Thanhuytphcm.vn, 12/01/2023), kept as a reference record.

The sources name these relations but not the texts signed, their dates or the people: those are
marked as illustrations (``ILLUSTRATION``) and dated relative to the day the demo loads, so the
"expiring" and "no activity for a year" lists always have something to show. Idempotent: an
agreement or activity with the same title is left alone."""

from datetime import date, timedelta

from django.utils import timezone

from apps.activities import places, services
from apps.activities.models import Activity, Agreement, DelegationMember

ILLUSTRATION = "(dữ liệu minh họa cho bản demo)"
HO_CHI_MINH_CITY = 79
DONG_THAP = 82


def _partners() -> dict:
    """The partners demo's rows by key (found by name, as the partners demo enters them)."""
    from apps.partners.demo import PARTNERS
    from apps.partners.models import Partner

    found = {}
    for key, _kind, name, *_rest in PARTNERS:
        row = Partner.objects.filter(name=name).first()
        if row is not None:
            found[key] = row
    return found


def _countries(*codes):
    from apps.partners.models import Country

    return list(Country.objects.filter(code__in=codes))


def _ward(province: int, name: str) -> int | None:
    return next((code for code, ward in places.wards(province) if ward == name), None)


def _approval(units, by, title, issued_on):
    """A decision standing in for the real one: issued (a draft approves no trip) and dated before
    the departure, but without a number (no number is invented)."""
    from apps.documents import services as document_services
    from apps.documents.models import Document

    existing = Document.objects.filter(title=title).first()
    return existing or document_services.document_create(
        by=by, unit=units["UBND-DT"], title=title, type_name="Quyết định", issued_on=issued_on,
        issuer="Ủy ban nhân dân tỉnh Đồng Tháp",
    )  # fmt: skip


def load_demo_activities(units, by=None) -> dict:
    if "UBND-DT" not in units:
        return {}
    partners = _partners()
    today = timezone.localdate()
    made = {"agreements": {}, "activities": {}}

    def agreement(key, *, partner_keys, other_units=(), commitments=(), **fields):
        existing = Agreement.objects.filter(title=fields["title"]).first()
        if existing is None:
            existing = services.agreement_save(
                agreement=Agreement(**fields),
                by=by,
                partners=[partners[k] for k in partner_keys if k in partners],
                other_units=[units[c] for c in other_units if c in units],
                commitments=list(commitments),
            )
        made["agreements"][key] = existing
        return existing

    prey_veng = agreement(
        "prey-veng",
        kind=Agreement.Kind.MEMORANDUM,
        title="Biên bản ghi nhớ hợp tác giữa UBND tỉnh Đồng Tháp và Chính quyền tỉnh Prey Veng",
        unit=units["UBND-DT"],
        partner_keys=["prey-veng"],
        other_units=["LHHN-DT", "SNGV-DT"],
        signed_on=today - timedelta(days=3 * 365 + 20),
        signed_place="Thành phố Prey Veng, Vương quốc Campuchia",
        valid_from=today - timedelta(days=3 * 365 + 20),
        valid_to=today + timedelta(days=2 * 365 - 20),
        fields_of_cooperation="Giao lưu nhân dân, thương mại biên giới, y tế, giáo dục, nông nghiệp",
        summary="Hai tỉnh giáp biên giới cam kết tăng cường quan hệ láng giềng hữu nghị. " + ILLUSTRATION,
        pillar="state",
        commitments=[
            "Trao đổi đoàn lãnh đạo và đoàn giao lưu nhân dân hằng năm",
            "Phối hợp khám bệnh, cấp thuốc miễn phí cho người dân vùng biên giới",
            "Hỗ trợ đào tạo tiếng Việt và cấp học bổng cho học sinh, sinh viên tỉnh Prey Veng",
        ],
    )
    banteay = agreement(
        "banteay-meanchey",
        kind=Agreement.Kind.MINUTES,
        title="Biên bản hợp tác giai đoạn 2021–2025 giữa tỉnh Đồng Tháp và tỉnh Banteay Meanchey",
        unit=units["UBND-DT"],
        partner_keys=["banteay-meanchey"],
        other_units=["LHHN-DT"],
        signed_on=today - timedelta(days=5 * 365 - 45),
        signed_place="Tỉnh Đồng Tháp",
        valid_from=today - timedelta(days=5 * 365 - 45),
        valid_to=today + timedelta(days=45),
        fields_of_cooperation="Nông nghiệp, du lịch, giao lưu văn hóa",
        summary="Sắp hết hiệu lực: cần chuẩn bị ký biên bản giai đoạn mới. " + ILLUSTRATION,
        pillar="state",
        commitments=["Tổ chức giao lưu văn hóa, thể thao giữa hai tỉnh", "Trao đổi kinh nghiệm sản xuất lúa gạo"],
    )
    salavan = agreement(
        "salavan",
        kind=Agreement.Kind.TWINNING,
        title="Thỏa thuận hợp tác hữu nghị giữa tỉnh Đồng Tháp và tỉnh Salavan",
        unit=units["UBND-DT"],
        partner_keys=["salavan"],
        other_units=["HLH-LAO"] if "HLH-LAO" in units else [],
        signed_on=today - timedelta(days=6 * 365),
        signed_place="Tỉnh Salavan, nước CHDCND Lào",
        valid_from=today - timedelta(days=6 * 365),
        fields_of_cooperation="Giáo dục, đào tạo, y tế",
        summary="Không có hoạt động trong năm qua: xuất hiện trong danh sách thỏa thuận cần thúc đẩy. " + ILLUSTRATION,
        pillar="state",
        commitments=["Tiếp nhận lưu học sinh tỉnh Salavan học tập tại Đồng Tháp"],
    )
    champasak = agreement(
        "champasak",
        kind=Agreement.Kind.MEMORANDUM,
        title="Biên bản ghi nhớ giao lưu hữu nghị giữa Liên hiệp hữu nghị tỉnh Đồng Tháp và tỉnh Champasak",
        unit=units["LHHN-DT"],
        partner_keys=["champasak"],
        other_units=["HLH-LAO"] if "HLH-LAO" in units else [],
        signed_on=today - timedelta(days=2 * 365),
        signed_place="Tỉnh Đồng Tháp",
        valid_from=today - timedelta(days=2 * 365),
        valid_to=today + timedelta(days=3 * 365),
        fields_of_cooperation="Giao lưu nhân dân, thanh niên, văn hóa",
        summary=ILLUSTRATION,
        pillar="people",
        commitments=["Giao lưu thanh niên hai tỉnh hằng năm"],
    )

    decision = _approval(
        units,
        by,
        "Quyết định cử đoàn công tác của tỉnh Đồng Tháp sang thăm và làm việc tại tỉnh Prey Veng " + ILLUSTRATION,
        today - timedelta(days=165),
    )

    def activity(key, *, partner_keys=(), countries=(), agreements=(), commitment_of=None, members=(), **fields):
        existing = Activity.objects.filter(title=fields["title"]).first()
        if existing is None:
            commitments = []
            if commitment_of is not None:
                agreement_row, index = commitment_of
                commitments = list(agreement_row.commitments.all())[index : index + 1]
            existing = services.activity_save(
                activity=Activity(**fields),
                by=by,
                partners=[partners[k] for k in partner_keys if k in partners],
                countries=_countries(*countries),
                agreements=list(agreements),
                commitments=commitments,
            )
            for order, (name, position, organisation, head) in enumerate(members):
                services.member_save(
                    member=DelegationMember(
                        activity=existing, name=name, position=position, organisation=organisation, is_head=head,
                        order=order,
                    ),
                    by=by,
                )  # fmt: skip
        made["activities"][key] = existing
        return existing

    cao_lanh = _ward(DONG_THAP, "Phường Cao Lãnh")
    activity(
        "prey-veng-in",
        kind=Activity.Kind.INCOMING_DELEGATION,
        title="Đoàn đại biểu tỉnh Prey Veng thăm và làm việc tại tỉnh Đồng Tháp",
        status=Activity.Status.DONE,
        start_date=today - timedelta(days=300),
        end_date=today - timedelta(days=298),
        unit=units["SNGV-DT"],
        vn_province_code=DONG_THAP,
        vn_ward_code=cao_lanh,
        venue="Trụ sở UBND tỉnh",
        partner_keys=["prey-veng"],
        countries=["KH"],
        agreements=[prey_veng],
        commitment_of=(prey_veng, 0),
        vn_participants=25,
        foreign_participants=18,
        budget=85_000_000,
        budget_source=Activity.BudgetSource.STATE,
        purpose="Tổng kết hợp tác năm và thống nhất kế hoạch năm tiếp theo.",
        itinerary="Ngày 1: hội đàm tại UBND tỉnh. Ngày 2: thăm khu kinh tế cửa khẩu. Ngày 3: tiễn đoàn.",
        outcome="Hai bên thống nhất kế hoạch hợp tác năm mới. " + ILLUSTRATION,
        pillar="state",
        members=[
            ("Lãnh đạo tỉnh Prey Veng", "Tỉnh trưởng", "Chính quyền tỉnh Prey Veng", True),
            ("Đại diện Sở Ngoại vụ Prey Veng", "Giám đốc", "Sở Ngoại vụ tỉnh Prey Veng", False),
        ],
    )
    activity(
        "prey-veng-out",
        kind=Activity.Kind.OUTGOING_DELEGATION,
        title="Đoàn công tác tỉnh Đồng Tháp thăm và làm việc tại tỉnh Prey Veng",
        status=Activity.Status.PLANNED,
        start_date=today + timedelta(days=20),
        end_date=today + timedelta(days=22),
        unit=units["SNGV-DT"],
        foreign_locality="Prey Veng, Campuchia",
        partner_keys=["prey-veng"],
        countries=["KH"],
        agreements=[prey_veng],
        commitment_of=(prey_veng, 0),
        vn_participants=12,
        budget=120_000_000,
        budget_source=Activity.BudgetSource.STATE,
        purpose="Chúc Tết cổ truyền Chôl Chnăm Thmây và trao đổi về hợp tác y tế biên giới.",
        itinerary="Ngày 1: xuất cảnh qua cửa khẩu Dinh Bà. Ngày 2: hội đàm. Ngày 3: về nước.",
        pillar="state",
        members=[
            ("Lãnh đạo UBND tỉnh Đồng Tháp", "Phó Chủ tịch UBND tỉnh", "UBND tỉnh Đồng Tháp", True),
            ("Lãnh đạo Sở Ngoại vụ", "Giám đốc", "Sở Ngoại vụ tỉnh Đồng Tháp", False),
            ("Đại diện Liên hiệp hữu nghị", "Phó Chủ tịch", "Liên hiệp các tổ chức hữu nghị tỉnh", False),
        ],
    )
    travelled = activity(
        "prey-veng-health",
        kind=Activity.Kind.OUTGOING_DELEGATION,
        title="Đoàn y tế tỉnh Đồng Tháp khám bệnh, cấp thuốc miễn phí tại tỉnh Prey Veng",
        status=Activity.Status.PLANNED,
        start_date=today - timedelta(days=150),
        end_date=today - timedelta(days=148),
        unit=units["SYT-DT"] if "SYT-DT" in units else units["SNGV-DT"],
        foreign_locality="Prey Veng, Campuchia",
        partner_keys=["prey-veng"],
        countries=["KH"],
        agreements=[prey_veng],
        commitment_of=(prey_veng, 1),
        vn_participants=30,
        foreign_participants=600,
        budget=250_000_000,
        budget_source=Activity.BudgetSource.SPONSORSHIP,
        purpose="Khám bệnh, cấp thuốc cho người dân vùng biên giới.",
        outcome="Khám và cấp thuốc cho khoảng 600 người dân. " + ILLUSTRATION,
        approval_document=decision,
        pillar="people",
        members=[("Lãnh đạo Sở Y tế", "Phó Giám đốc", "Sở Y tế tỉnh Đồng Tháp", True)],
    )
    if travelled.status != Activity.Status.DONE:
        services.activity_set_status(activity=travelled, status=Activity.Status.DONE, by=by)
    activity(
        "banteay-culture",
        kind=Activity.Kind.CULTURAL_EXCHANGE,
        title="Giao lưu văn hóa, thể thao giữa tỉnh Đồng Tháp và tỉnh Banteay Meanchey",
        status=Activity.Status.DONE,
        start_date=today - timedelta(days=3 * 365 + 100),
        unit=units["LHHN-DT"],
        vn_province_code=DONG_THAP,
        partner_keys=["banteay-meanchey"],
        countries=["KH"],
        agreements=[banteay],
        commitment_of=(banteay, 0),
        vn_participants=120,
        foreign_participants=40,
        pillar="people",
        outcome=ILLUSTRATION,
    )
    activity(
        "banteay-rice",
        kind=Activity.Kind.CONFERENCE,
        title="Hội thảo trao đổi kinh nghiệm sản xuất lúa gạo với tỉnh Banteay Meanchey",
        status=Activity.Status.DONE,
        start_date=today - timedelta(days=200),
        unit=units["SNNMT-DT"] if "SNNMT-DT" in units else units["UBND-DT"],
        vn_province_code=DONG_THAP,
        partner_keys=["banteay-meanchey"],
        countries=["KH"],
        agreements=[banteay],
        commitment_of=(banteay, 1),
        vn_participants=60,
        foreign_participants=15,
        pillar="state",
        outcome=ILLUSTRATION,
    )
    activity(
        "salavan-students",
        kind=Activity.Kind.TRAINING,
        title="Tiếp nhận lưu học sinh tỉnh Salavan học tập tại Đồng Tháp",
        status=Activity.Status.DONE,
        start_date=today - timedelta(days=2 * 365 + 60),
        unit=units["SGDDT-DT"] if "SGDDT-DT" in units else units["UBND-DT"],
        vn_province_code=DONG_THAP,
        partner_keys=["salavan"],
        countries=["LA"],
        agreements=[salavan],
        commitment_of=(salavan, 0),
        foreign_participants=20,
        pillar="state",
        outcome=ILLUSTRATION,
    )
    activity(
        "champasak-youth",
        kind=Activity.Kind.SPORTS_EXCHANGE,
        title="Giao lưu thanh niên, thể thao Đồng Tháp – Champasak",
        status=Activity.Status.DONE,
        start_date=today - timedelta(days=90),
        unit=units["LHHN-DT"],
        foreign_locality="Pakse, Champasak, Lào",
        partner_keys=["champasak"],
        countries=["LA"],
        agreements=[champasak],
        commitment_of=(champasak, 0),
        vn_participants=40,
        foreign_participants=60,
        budget=60_000_000,
        budget_source=Activity.BudgetSource.MIXED,
        pillar="people",
        outcome=ILLUSTRATION,
    )
    activity(
        "laos-national-day",
        kind=Activity.Kind.COMMEMORATION,
        title="Gặp mặt kỷ niệm Quốc khánh nước CHDCND Lào (02/12)",
        status=Activity.Status.DONE,
        start_date=date(today.year - 1, 12, 2),
        unit=units["HLH-LAO"] if "HLH-LAO" in units else units["LHHN-DT"],
        vn_province_code=DONG_THAP,
        partner_keys=["salavan", "champasak"],
        countries=["LA"],
        vn_participants=80,
        foreign_participants=10,
        pillar="people",
        outcome=ILLUSTRATION,
    )
    activity(
        "nasushiobara",
        kind=Activity.Kind.RECEPTION,
        title="Lãnh đạo Thành phố Hồ Chí Minh tiếp và làm việc với Đoàn công tác TP Nasushiobara (Nhật Bản)",
        status=Activity.Status.DONE,
        start_date=date(2023, 1, 12),
        unit=units["HLH-NB"] if "HLH-NB" in units else units["LHHN-DT"],
        vn_province_code=HO_CHI_MINH_CITY,
        partner_keys=["nasushiobara"],
        countries=["JP"],
        description="Tư liệu tham khảo về giao lưu địa phương Việt – Nhật. Nguồn: Thanhuytphcm.vn, 12/01/2023 "
        "(ngày đăng tin; ngày tiếp đoàn không được nêu).",
        pillar="state",
    )
    return made
