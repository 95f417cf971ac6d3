"""Demo partners for ``load_demo``: Vietnam's partnership frameworks as publicly known in late 2025
(each with its source), and Đồng Tháp's real foreign counterparts named in issue 4 and the seeds —
Prey Veng and Banteay Meanchey (Cambodia), Salavan and Champasak (Laos) — plus Nasushiobara
(Japan), whose delegation Ho Chi Minh City received (seed: Thanhuytphcm.vn, 12/01/2023).

Facts that the sources do not give (dates of the province's relationships, certificate numbers,
people) are not invented: relationships carry no start date, and the NGO registrations and
contacts are marked as illustrations. Idempotent: what exists (same name, same country) is left
alone."""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.core.models import JournalEntry
from apps.partners import services
from apps.partners.models import (
    Contact,
    Country,
    FrameworkLevel,
    NgoRegistration,
    Partner,
    PartnershipFramework,
    Relationship,
)

CSP = FrameworkLevel.COMPREHENSIVE_STRATEGIC
SP = FrameworkLevel.STRATEGIC
CP = FrameworkLevel.COMPREHENSIVE
SPECIAL = FrameworkLevel.SPECIAL
MOFA = "Bộ Ngoại giao Việt Nam"

# (ISO code, level, date, precision, source)
FRAMEWORKS = [
    ("CN", CSP, date(2008, 5, 1), "month", "Tuyên bố chung Việt Nam – Trung Quốc, chuyến thăm của Tổng Bí thư Nông Đức Mạnh, 5/2008"),
    ("RU", SP, date(2001, 3, 1), "month", "Tuyên bố chung về quan hệ đối tác chiến lược Việt Nam – Nga, 3/2001"),
    ("RU", CSP, date(2012, 7, 27), "day", "Tuyên bố chung Việt Nam – Nga về tăng cường quan hệ đối tác chiến lược toàn diện, 27/7/2012"),
    ("IN", SP, date(2007, 7, 1), "month", "Tuyên bố chung Việt Nam – Ấn Độ, 7/2007"),
    ("IN", CSP, date(2016, 9, 3), "day", "Tuyên bố chung Việt Nam – Ấn Độ, chuyến thăm của Thủ tướng Narendra Modi, 03/9/2016"),
    ("KR", SP, date(2009, 10, 1), "month", "Tuyên bố chung Việt Nam – Hàn Quốc, 10/2009"),
    ("KR", CSP, date(2022, 12, 5), "day", "Tuyên bố chung Việt Nam – Hàn Quốc, 05/12/2022"),
    ("US", CP, date(2013, 7, 25), "day", "Tuyên bố chung Việt Nam – Hoa Kỳ về quan hệ đối tác toàn diện, 25/7/2013"),
    ("US", CSP, date(2023, 9, 10), "day", "Tuyên bố chung Việt Nam – Hoa Kỳ, chuyến thăm của Tổng thống Joe Biden, 10/9/2023"),
    ("JP", SP, date(2009, 4, 1), "month", "Tuyên bố chung Việt Nam – Nhật Bản, 4/2009"),
    ("JP", CSP, date(2023, 11, 27), "day", "Tuyên bố chung Việt Nam – Nhật Bản, 27/11/2023"),
    ("AU", CP, date(2009, 9, 1), "month", "Tuyên bố chung Việt Nam – Ô-xtrây-li-a, 9/2009"),
    ("AU", SP, date(2018, 3, 1), "month", "Tuyên bố chung Việt Nam – Ô-xtrây-li-a, 3/2018"),
    ("AU", CSP, date(2024, 3, 7), "day", "Tuyên bố chung Việt Nam – Ô-xtrây-li-a, 07/3/2024"),
    ("FR", SP, date(2013, 9, 1), "month", "Tuyên bố chung Việt Nam – Pháp, 9/2013"),
    ("FR", CSP, date(2024, 10, 7), "day", "Tuyên bố chung Việt Nam – Pháp, chuyến thăm của Tổng Bí thư, Chủ tịch nước Tô Lâm, 07/10/2024"),
    ("MY", SP, date(2015, 8, 1), "month", "Tuyên bố chung Việt Nam – Ma-lai-xi-a, 8/2015"),
    ("MY", CSP, date(2024, 11, 22), "day", "Tuyên bố chung Việt Nam – Ma-lai-xi-a, 22/11/2024"),
    ("NZ", CP, date(2009, 1, 1), "year", "Tuyên bố chung Việt Nam – Niu Di-lân, 2009"),
    ("NZ", SP, date(2020, 7, 1), "month", "Tuyên bố chung Việt Nam – Niu Di-lân, 7/2020"),
    ("NZ", CSP, date(2025, 2, 25), "day", "Tuyên bố chung Việt Nam – Niu Di-lân, 25/02/2025"),
    ("ID", SP, date(2013, 6, 1), "month", "Tuyên bố chung Việt Nam – In-đô-nê-xi-a, 6/2013"),
    ("ID", CSP, date(2025, 3, 10), "day", "Tuyên bố chung Việt Nam – In-đô-nê-xi-a, 10/3/2025"),
    ("SG", SP, date(2013, 9, 1), "month", "Tuyên bố chung Việt Nam – Xinh-ga-po, 9/2013"),
    ("SG", CSP, date(2025, 3, 12), "day", "Tuyên bố chung Việt Nam – Xinh-ga-po, 12/3/2025"),
    ("TH", SP, date(2013, 6, 1), "month", "Tuyên bố chung Việt Nam – Thái Lan, 6/2013"),
    ("TH", CSP, date(2025, 5, 16), "day", "Tuyên bố chung Việt Nam – Thái Lan, 16/5/2025"),
    ("GB", SP, date(2010, 9, 1), "month", "Tuyên bố chung Việt Nam – Vương quốc Anh, 9/2010"),
    ("GB", CSP, date(2025, 10, 29), "day", "Tuyên bố chung Việt Nam – Vương quốc Anh, 29/10/2025"),
    ("DE", SP, date(2011, 10, 1), "month", "Tuyên bố Hà Nội về quan hệ đối tác chiến lược Việt Nam – Đức, 10/2011"),
    ("IT", SP, date(2013, 1, 1), "month", "Tuyên bố chung Việt Nam – I-ta-li-a, 1/2013"),
    ("ES", SP, date(2009, 12, 1), "month", "Tuyên bố chung Việt Nam – Tây Ban Nha, 12/2009"),
    ("PH", SP, date(2015, 11, 1), "month", "Tuyên bố chung Việt Nam – Phi-líp-pin, 11/2015"),
    ("CA", CP, date(2017, 1, 1), "year", "Tuyên bố chung Việt Nam – Ca-na-đa, 2017"),
    ("DK", CP, date(2013, 1, 1), "year", "Tuyên bố chung Việt Nam – Đan Mạch, 2013"),
    ("HU", CP, date(2018, 1, 1), "year", "Tuyên bố chung Việt Nam – Hung-ga-ri, 2018"),
    ("LA", SPECIAL, date(1962, 9, 5), "day", MOFA + ": quan hệ ngoại giao Việt Nam – Lào thiết lập ngày 05/9/1962; quan hệ hữu nghị vĩ đại, đoàn kết đặc biệt"),
    ("KH", SPECIAL, date(1967, 6, 24), "day", MOFA + ": quan hệ ngoại giao Việt Nam – Campuchia thiết lập ngày 24/6/1967; láng giềng tốt đẹp, hữu nghị truyền thống, hợp tác toàn diện, bền vững lâu dài"),
    ("CU", SPECIAL, date(1960, 12, 2), "day", MOFA + ": quan hệ ngoại giao Việt Nam – Cuba thiết lập ngày 02/12/1960; quan hệ hữu nghị đặc biệt"),
]  # fmt: skip

ILLUSTRATION = "(dữ liệu minh họa cho bản demo)"
RELATIONSHIP_SOURCE = "Theo tài liệu của dự án; ngày thiết lập chưa có nguồn nên để trống"

# (key, kind, original name, Vietnamese, English, ISO code, locality, owning unit, tags, extra)
PARTNERS = [
    ("prey-veng", "foreign_locality", "ខេត្តព្រៃវែង", "Tỉnh Prey Veng", "Prey Veng Province", "KH", "Prey Veng",
     "LHHN-DT", ["kết nghĩa", "biên giới"], {"description": "Tỉnh của Vương quốc Campuchia giáp biên giới với Đồng Tháp."}),
    ("banteay-meanchey", "foreign_locality", "ខេត្តបន្ទាយមានជ័យ", "Tỉnh Banteay Meanchey", "Banteay Meanchey Province",
     "KH", "Banteay Meanchey", "LHHN-DT", ["kết nghĩa"], {}),
    ("salavan", "foreign_locality", "ແຂວງສາລະວັນ", "Tỉnh Salavan", "Salavan Province", "LA", "Salavan", "LHHN-DT",
     ["kết nghĩa"], {}),
    ("champasak", "foreign_locality", "ແຂວງຈຳປາສັກ", "Tỉnh Champasak", "Champasak Province", "LA", "Champasak",
     "LHHN-DT", ["kết nghĩa"], {}),
    ("nasushiobara", "foreign_locality", "那須塩原市", "Thành phố Nasushiobara", "Nasushiobara City", "JP",
     "Tochigi", "HLH-NB", ["giao lưu địa phương"], {"website": "https://www.city.nasushiobara.lg.jp/"}),
    ("plan", "foreign_ngo", "Plan International", "Tổ chức Plan International", "Plan International", "GB", "",
     "SNGV-DT", ["trẻ em", "giáo dục"], {"abbreviation": "Plan"}),
    ("world-vision", "foreign_ngo", "World Vision International", "Tổ chức Tầm nhìn Thế giới",
     "World Vision International", "US", "", "SNGV-DT", ["trẻ em", "sinh kế"], {"abbreviation": "WVI"}),
    ("vn-kh-assoc", "friendship_association", "Cambodia–Vietnam Friendship Association", "Hội hữu nghị Campuchia – Việt Nam",
     "Cambodia–Vietnam Friendship Association", "KH", "Phnom Penh", "HLH-CAM", ["hữu nghị"], {}),
    ("jica", "international_organisation", "独立行政法人国際協力機構", "Cơ quan Hợp tác Quốc tế Nhật Bản",
     "Japan International Cooperation Agency", "JP", "Tokyo", "SNGV-DT", ["ODA"], {"abbreviation": "JICA"}),
]  # fmt: skip

# (partner key, our unit code, kind, description)
RELATIONSHIPS = [
    ("prey-veng", "UBND-DT", "twinning", "Quan hệ hợp tác giữa hai tỉnh giáp biên giới."),
    ("banteay-meanchey", "UBND-DT", "twinning", "Quan hệ hợp tác hữu nghị giữa hai tỉnh."),
    ("salavan", "UBND-DT", "twinning", "Quan hệ hợp tác hữu nghị với tỉnh Salavan (Lào)."),
    ("champasak", "UBND-DT", "twinning", "Quan hệ hợp tác hữu nghị với tỉnh Champasak (Lào)."),
    ("vn-kh-assoc", "HLH-CAM", "friendship", "Đối tác của Hội hữu nghị Việt Nam – Campuchia tỉnh."),
    ("plan", "SNGV-DT", "donor", "Tổ chức phi chính phủ nước ngoài có dự án viện trợ."),
]

NOTES = {
    "nasushiobara": "Lãnh đạo Thành phố Hồ Chí Minh tiếp và làm việc với Đoàn công tác TP Nasushiobara (Nhật Bản) "
    "— nguồn: Thanhuytphcm.vn, 12/01/2023. Ghi lại làm tư liệu tham khảo cho quan hệ giao lưu địa phương Việt – Nhật.",
}


def load_frameworks() -> int:
    countries = {c.code: c for c in Country.objects.filter(code__in={f[0] for f in FRAMEWORKS})}
    made = 0
    for code, level, day, precision, source in FRAMEWORKS:
        country = countries.get(code)
        if country is None or PartnershipFramework.objects.filter(country=country, level=level).exists():
            continue
        services.framework_save(
            framework=PartnershipFramework(
                country=country, level=level, established_on=day, precision=precision, source=source
            ),
            by=None,
        )
        made += 1
    return made


def load_demo_partners(units, by=None) -> dict:
    """Frameworks, partners, relationships, contacts, an NGO registration or two, a note."""
    if not Country.objects.exists():
        services.country_sync_from_library(by=None)
    load_frameworks()
    countries = {c.code: c for c in Country.objects.filter(code__in={p[5] for p in PARTNERS})}
    partners = {}
    for key, kind, name, name_vi, name_en, code, locality, unit_code, tags, extra in PARTNERS:
        unit = units.get(unit_code)
        if unit is None:
            continue
        existing = Partner.objects.filter(name=name, country=countries.get(code)).first()
        if existing is not None:
            partners[key] = existing
            continue
        partners[key] = services.partner_create(
            by=by,
            unit=unit,
            kind=kind,
            name=name,
            name_vi=name_vi,
            name_en=name_en,
            country=countries.get(code),
            locality=locality,
            tags=services.tags_from_names(tags),
            **extra,
        )
    for key, unit_code, kind, description in RELATIONSHIPS:
        partner, unit = partners.get(key), units.get(unit_code)
        if partner is None or unit is None:
            continue
        if not Relationship.objects.filter(partner=partner, unit=unit, kind=kind).exists():
            services.relationship_save(
                relationship=Relationship(
                    partner=partner, unit=unit, kind=kind, description=description, source=RELATIONSHIP_SOURCE
                ),
                by=by,
            )
    today = timezone.localdate()
    registrations = [
        # Relative to the day the demo loads, so one is always about to expire.
        (
            "plan",
            "representative_office",
            "DEMO-VPĐD-001",
            today - timedelta(days=5 * 365 - 40),
            today + timedelta(days=35),
        ),
        ("world-vision", "activity", "DEMO-ĐKHĐ-002", today - timedelta(days=400), today + timedelta(days=690)),
    ]
    for key, kind, number, issued, expires in registrations:
        partner = partners.get(key)
        if partner is None or NgoRegistration.objects.filter(partner=partner, number=number).exists():
            continue
        services.registration_save(
            registration=NgoRegistration(
                partner=partner,
                kind=kind,
                number=number,
                issued_on=issued,
                expires_on=expires,
                permitted_fields="Giáo dục, y tế, sinh kế",
                permitted_areas="Đồng Tháp",
                notes=ILLUSTRATION,
            ),
            by=by,
        )
    for key in ("plan", "world-vision", "prey-veng"):
        partner = partners.get(key)
        if partner is not None and not partner.contacts.exists():
            services.contact_save(
                contact=Contact(
                    partner=partner,
                    name="Đầu mối liên lạc",
                    role="Văn phòng đối ngoại",
                    notes=ILLUSTRATION,
                    is_primary=True,
                ),
                by=by,
            )
    partner_type = ContentType.objects.get_for_model(Partner)
    for key, text in NOTES.items():
        partner = partners.get(key)
        if (
            partner is not None
            and not JournalEntry.objects.filter(object_type=partner_type, object_id=partner.pk).exists()
        ):
            JournalEntry.objects.create(
                object_type=partner_type, object_id=partner.pk, unit_id=partner.unit_id, comments=text, created_by=by
            )
    return partners
