"""Aid for the demo province, shaped on the seed (../shared/seeds/002_…): in 2021 the People's
Committee approved "70 khoản viện trợ phi dự án với trị giá cam kết gần 26 triệu USD, tương đương
594,5 tỷ đồng và 15 khoản viện trợ dưới hình thức dự án với gần 12 triệu USD, tương đương … 275,7
tỷ đồng" — so the statistics page for 2021 says that sentence. A few current items show the
workflow in every state (draft, submitted, appraised, implementing, one stalled since approval).

Idempotent: items are found by their codes; rates by currency and day."""

import random
from datetime import date, timedelta
from decimal import Decimal

from apps.aid import services
from apps.aid.models import AidItem, ExchangeRate

RATES = [
    # currency, day, VND per unit, source
    ("USD", date(2021, 1, 1), "22980", "Vietcombank (tỷ giá bán chuyển khoản)"),
    ("EUR", date(2021, 1, 1), "27900", "Vietcombank (tỷ giá bán chuyển khoản)"),
    ("USD", date(2024, 1, 1), "24500", "Vietcombank (tỷ giá bán chuyển khoản)"),
    ("USD", date(2025, 1, 1), "25400", "Vietcombank (tỷ giá bán chuyển khoản)"),
    ("EUR", date(2025, 1, 1), "26500", "Vietcombank (tỷ giá bán chuyển khoản)"),
    ("JPY", date(2025, 1, 1), "162.5", "Vietcombank (tỷ giá bán chuyển khoản)"),
]
DONORS = [
    # name, abbreviation, IATI ref
    ("East Meets West Foundation", "EMW", "US-EIN-94-3150927"),
    ("Plan International Vietnam", "Plan", "GB-CHC-276035"),
    ("Save the Children", "SC", "GB-CHC-213890"),
    ("Heifer International", "Heifer", "US-EIN-35-1019477"),
    ("Habitat for Humanity", "HFH", "US-EIN-91-1914868"),
    ("World Vision", "WV", "GB-CHC-285908"),
    ("ChildFund Australia", "CFA", "AU-ABN-79002885761"),
    ("KOICA Friends", "KF", ""),
]
NON_PROJECT_USD = Decimal("25870322")  # 594,5 tỷ đồng at 22.980 đ/USD
PROJECT_USD = Decimal("11997389")  # 275,7 tỷ đồng
GOODS = [
    "Thiết bị y tế cho trạm y tế xã",
    "Xe lăn cho người khuyết tật",
    "Học bổng cho học sinh nghèo vượt khó",
    "Máy lọc nước cho trường học",
    "Khẩu trang và vật tư phòng dịch",
    "Sách giáo khoa và đồ dùng học tập",
    "Tập huấn kỹ năng phòng chống thiên tai",
    "Chuyên gia tình nguyện giảng dạy tiếng Anh",
]
PROJECTS = [
    "Cấp nước sạch nông thôn",
    "Sinh kế bền vững cho phụ nữ",
    "Nhà tình thương vùng lũ",
    "Chăm sóc sức khỏe bà mẹ trẻ em",
    "Trường học an toàn trước thiên tai",
]
SECTORS = {"non_project": [("12220", 60), ("11220", 40)], "project": [("14030", 100)]}


def _split(total: Decimal, n: int, rng: random.Random) -> list[Decimal]:
    weights = [rng.uniform(0.4, 1.6) for _ in range(n)]
    scale = sum(weights)
    parts = [(total * Decimal(w / scale)).quantize(Decimal(1)) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _donors(units, by):
    from apps.partners.models import Partner, name_key

    out = []
    for name, abbreviation, ref in DONORS:
        partner = (Partner.objects.filter(iati_ref=ref).first() if ref else None) or Partner.objects.filter(
            name_key=name_key(name)
        ).first()
        if partner is None:
            partner = Partner(
                kind="foreign_ngo", name=name, abbreviation=abbreviation, iati_ref=ref, unit=units["LHHN-DT"]
            )
            partner.full_clean()
            partner.save()
        out.append(partner)
    return out


def _decision(notation, day, units):
    from apps.documents.models import Document

    return Document.objects.filter(notation=notation).first() or Document.objects.create(
        unit=units["UBND-DT"],
        notation=notation,
        issued_on=day,
        type_code="QĐ",
        type_name="Quyết định",
        issuer="Ủy ban nhân dân tỉnh",
        title="Phê duyệt tiếp nhận các khoản viện trợ phi chính phủ nước ngoài",
    )


def _approve(item, day, decision, by=None):
    services.aid_step(item=item, action="submit", by=by, on=day - timedelta(days=20))
    services.aid_step(
        item=item,
        action="appraise",
        by=by,
        on=day - timedelta(days=10),
        agency="finance",
        opinion="Sở Tài chính thống nhất tiếp nhận.",
        favourable=True,
    )
    services.aid_step(
        item=item,
        action="approve",
        by=by,
        on=day,
        document=decision,
        approving_authority="Ủy ban nhân dân tỉnh Đồng Tháp",
    )
    item.refresh_from_db()
    return item


def load_demo_aid(units, by=None) -> int:
    for currency, day, rate, source in RATES:
        if not ExchangeRate.objects.filter(currency=currency, date=day).exists():
            services.rate_save(
                rate=ExchangeRate(currency=currency, date=day, rate_vnd=Decimal(rate), source=source), by=by
            )
    donors = _donors(units, by)
    rng = random.Random(2021)
    made = 0
    recipients = ["LHHN-DT", "SYT-DT", "SGDDT-DT", "LHHN-DT", "SNGV-DT"]
    plan = [("non_project", n, amount) for n, amount in enumerate(_split(NON_PROJECT_USD, 70, rng), start=1)]
    plan += [("project", n, amount) for n, amount in enumerate(_split(PROJECT_USD, 15, rng), start=1)]
    for kind, n, amount in plan:
        code = "DT-VT-2021-{}-{:02d}".format("PDA" if kind == "non_project" else "DA", n)
        if AidItem.objects.filter(code=code).exists():
            continue
        day = date(2021, 1, 15) + timedelta(days=(n * 97) % 320)
        title = (GOODS if kind == "non_project" else PROJECTS)[
            n % (len(GOODS) if kind == "non_project" else len(PROJECTS))
        ]
        item = services.aiditem_create(
            by=by,
            unit=units[recipients[n % len(recipients)]],
            code=code,
            kind=kind,
            form="goods" if kind == "non_project" else "",
            title_vi="{} (đợt {})".format(title, n),
            donor=donors[n % len(donors)],
            managing_agency="Ủy ban nhân dân tỉnh Đồng Tháp",
            committed_amount=amount,
            currency="USD",
            planned_start=day,
            sectors=[{"code": c, "percentage": p} for c, p in SECTORS[kind]],
            locations=[{"province_code": 82, "percentage": 100}],
        )
        decision = _decision("{}/QĐ-UBND".format(1500 + day.month), date(2021, day.month, 25), units)
        item = _approve(item, date(2021, day.month, 25), decision, by)
        services.transaction_add(
            item=item,
            by=by,
            kind="disbursement",
            date=date(2021, day.month, 28),
            amount=(amount * Decimal("0.6")).quantize(Decimal("0.01")),
            currency="USD",
        )
        made += 1
    made += _current(units, donors, by)
    return made


def _current(units, donors, by) -> int:
    """This year's items, one in each state of the workflow."""
    made = 0
    today = date.today()
    specs = [
        ("DT-VT-CUR-01", "non_project", "Tủ thuốc cho các trạm y tế xã biên giới", "draft", Decimal("48000"), "USD"),
        ("DT-VT-CUR-02", "project", "Nâng cấp hệ thống nước sạch xã Tân Hồng", "submitted", Decimal("350000"), "EUR"),
        ("DT-VT-CUR-03", "emergency", "Cứu trợ khẩn cấp sau lũ", "implementing", Decimal("120000"), "USD"),
        ("DT-VT-CUR-04", "programme", "Chương trình học bổng Ánh sáng tri thức", "stalled", Decimal("30000000"), "JPY"),
    ]
    for code, kind, title, state, amount, currency in specs:
        if AidItem.objects.filter(code=code).exists():
            continue
        item = services.aiditem_create(
            by=by,
            unit=units["LHHN-DT"],
            code=code,
            kind=kind,
            title_vi=title,
            donor=donors[len(code) % len(donors)],
            committed_amount=amount,
            currency=currency,
            managing_agency="Ủy ban nhân dân tỉnh Đồng Tháp",
            sectors=[{"code": "72010" if kind == "emergency" else "12220", "percentage": 100}],
            locations=[{"province_code": 82, "percentage": 100}],
        )
        if state == "submitted":
            services.aid_step(item=item, action="submit", by=by, on=today - timedelta(days=5))
        elif state == "implementing":
            day = today - timedelta(days=30)
            item = _approve(item, day, _decision("{}/QĐ-UBND".format(2600 + today.month), day, units), by)
            services.aid_step(item=item, action="start", by=by, on=day + timedelta(days=3))
            for k in (1, 2):
                services.transaction_add(
                    item=item,
                    by=by,
                    kind="disbursement",
                    date=day + timedelta(days=3 * k),
                    amount=Decimal("40000"),
                    currency="USD",
                )
        elif state == "stalled":
            day = today - timedelta(days=220)
            _approve(item, day, _decision("{}/QĐ-UBND".format(2000 + day.month), day, units), by)
        made += 1
    return made
