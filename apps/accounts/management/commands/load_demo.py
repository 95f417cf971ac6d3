"""Build a realistic demo province (Đồng Tháp, whose real relations appear in the seeds)."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts import services
from apps.accounts.models import RoleAssignment, Unit, User
from apps.core.changelog import change_logging

DEMO_PASSWORD = "huunghi-demo"

# (code, name, short name, kind, parent code, extra fields)
UNITS = [
    (
        "DT",
        "Tỉnh Đồng Tháp",
        "Đồng Tháp",
        "province",
        None,
        {
            "valid_from": date(2025, 7, 1),
            "description": "Tỉnh Đồng Tháp sau sắp xếp đơn vị hành chính (hợp nhất Đồng Tháp và Tiền Giang từ 01/7/2025).",
        },
    ),
    ("TU-DT", "Tỉnh ủy Đồng Tháp", "Tỉnh ủy", "party_committee", "DT", {}),
    ("UBND-DT", "Ủy ban nhân dân tỉnh Đồng Tháp", "UBND tỉnh", "peoples_committee", "DT", {}),
    ("MTTQ-DT", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đồng Tháp", "MTTQ tỉnh", "fatherland_front", "DT", {}),
    (
        "LHHN-DT",
        "Liên hiệp các tổ chức hữu nghị tỉnh Đồng Tháp",
        "Liên hiệp hữu nghị",
        "union",
        "DT",
        {"email": "lhhn@dongthap.gov.vn"},
    ),
    ("SNGV-DT", "Sở Ngoại vụ tỉnh Đồng Tháp", "Sở Ngoại vụ", "department", "UBND-DT", {"is_focal_point": True}),
    ("VP-UBND-DT", "Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND", "department", "UBND-DT", {}),
    ("SVHTTDL-DT", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL", "department", "UBND-DT", {}),
    ("SGDDT-DT", "Sở Giáo dục và Đào tạo", "Sở GDĐT", "department", "UBND-DT", {}),
    ("SYT-DT", "Sở Y tế", "Sở Y tế", "department", "UBND-DT", {}),
    ("STC-DT", "Sở Tài chính", "Sở Tài chính", "department", "UBND-DT", {}),
    ("SNNMT-DT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", "department", "UBND-DT", {"valid_from": date(2025, 3, 1)}),
    (
        "SNN-DT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở NN&PTNT",
        "department",
        "UBND-DT",
        {"valid_to": date(2025, 2, 28)},
    ),
    ("CA-DT", "Công an tỉnh Đồng Tháp", "Công an tỉnh", "department", "UBND-DT", {}),
    ("HLH-CAM", "Hội hữu nghị Việt Nam – Campuchia tỉnh Đồng Tháp", "Hội VN–Campuchia", "association", "LHHN-DT", {}),
    ("HLH-LAO", "Hội hữu nghị Việt Nam – Lào tỉnh Đồng Tháp", "Hội VN–Lào", "association", "LHHN-DT", {}),
    ("HLH-NB", "Hội hữu nghị Việt Nam – Nhật Bản tỉnh Đồng Tháp", "Hội VN–Nhật Bản", "association", "LHHN-DT", {}),
    ("HLH-AD", "Hội hữu nghị Việt Nam – Ấn Độ tỉnh Đồng Tháp", "Hội VN–Ấn Độ", "association", "LHHN-DT", {}),
    ("HLH-HQ", "Hội hữu nghị Việt Nam – Hàn Quốc tỉnh Đồng Tháp", "Hội VN–Hàn Quốc", "association", "LHHN-DT", {}),
    # Before 1 July 2025 districts existed; they stay readable with their end date.
    ("H-CAOLANH", "Huyện Cao Lãnh", "H. Cao Lãnh", "district", "UBND-DT", {"valid_to": date(2025, 6, 30)}),
]

COMMUNES = 6  # taken from the official list of Đồng Tháp's wards and communes after the 2025 reform

USERS = [
    # username, full name, position, [(role, unit code)], superuser
    ("admin", "Quản trị hệ thống", "Quản trị viên", [("admin", "DT")], True),
    ("dieuphoi", "Nguyễn Thị Hồng", "Phó Chủ tịch, điều phối", [("coordinator", "DT"), ("officer", "LHHN-DT")], False),
    ("canbo.lhhn", "Trần Văn Minh", "Chuyên viên Liên hiệp hữu nghị", [("officer", "LHHN-DT")], False),
    ("canbo.so", "Lê Thị Thu", "Chuyên viên Sở Ngoại vụ", [("officer", "SNGV-DT")], False),
    ("lanhdao", "Phạm Quốc Tuấn", "Phó Chủ tịch UBND tỉnh", [("leader", "DT")], False),
]


def commune_units():
    from vietnam_provinces import Province, Ward

    province = next(p for p in Province.iter_all() if p.codename == "dong_thap")
    wards = sorted(Ward.iter_by_province(province.code), key=lambda w: w.name)[:COMMUNES]
    for ward in wards:
        yield (
            "XA-{}".format(int(ward.code.value)),
            ward.name,
            ward.name,
            "commune",
            "UBND-DT",
            {"valid_from": date(2025, 7, 1)},
        )


class Command(BaseCommand):
    help = "Load the demo province (idempotent). Refuses when DEBUG is off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="load even when DEBUG is off")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the database already has units")

    def handle(self, *args, force=False, if_empty=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: refusing to load demo data into what may be production. Use --force.")
        if if_empty and Unit.objects.exists():
            self.stdout.write("Database already has data; demo not loaded.")
            return
        with transaction.atomic(), change_logging(user=None):
            units = self.load_units()
            self.load_users(units)
            # Each app adds its part of the demo province; an app not installed yet adds nothing.
            from apps.documents.demo import load_demo_documents

            documents = load_demo_documents(units)
            try:
                from apps.tasks.demo import load_demo_tasks
            except ImportError:
                load_demo_tasks = None
            if load_demo_tasks is not None:
                load_demo_tasks(units, documents, by=None)
            try:
                from apps.partners.demo import load_demo_partners
            except ImportError:
                load_demo_partners = None
            if load_demo_partners is not None:
                load_demo_partners(units, by=None)
            try:
                from apps.aid.demo import load_demo_aid
            except ImportError:
                load_demo_aid = None
            if load_demo_aid is not None:
                load_demo_aid(units, by=None)
            try:
                from apps.activities.demo import load_demo_activities
            except ImportError:
                load_demo_activities = None
            if load_demo_activities is not None:
                load_demo_activities(units, by=None)
            from apps.members.demo import load_demo_members

            load_demo_members(units)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo province ready: {} units, {} users (password: {}).".format(
                    Unit.objects.count(), len(USERS), DEMO_PASSWORD
                )
            )
        )

    def load_units(self):
        units = {u.code: u for u in Unit.objects.all()}
        for code, name, short, kind, parent_code, extra in [*UNITS, *commune_units()]:
            if code in units:
                continue
            parent = units.get(parent_code) if parent_code else None
            units[code] = services.unit_create(
                parent=parent, by=None, name=name, short_name=short, code=code, kind=kind, **extra
            )
        old, new = units["SNN-DT"], units["SNNMT-DT"]
        if old.successor_id != new.pk:
            old.successor = new
            old.save()
        district = units["H-CAOLANH"]
        if district.successor_id is None:
            district.successor = units[sorted(c for c in units if c.startswith("XA-"))[0]]
            district.save()
        return units

    def load_users(self, units):
        for username, full_name, position, roles, superuser in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = services.user_create(
                    by=None,
                    password=DEMO_PASSWORD,
                    username=username,
                    full_name=full_name,
                    position=position,
                    email="{}@demo.huunghi.vn".format(username.replace(".", "")),
                    is_superuser=superuser,
                    is_staff=superuser,
                )
            for role, code in roles:
                if not RoleAssignment.objects.filter(user=user, unit=units[code], role=role).exists():
                    services.role_assign(user=user, unit=units[code], role=role, by=None)
