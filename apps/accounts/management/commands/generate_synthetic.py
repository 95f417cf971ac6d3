"""Deterministic synthetic data for benchmarks and load tests: the same seed gives the same rows.

What exists so far is built: the unit tree (the 34 provinces and their 3,321 wards after the 2025
reform, from ``vietnam_provinces``) and users with roles. Rows go in with ``bulk_create`` (the tree's
materialized paths are computed here with treebeard's own helpers), so nothing passes through
``save()`` or the change log: synthetic data is not anybody's edit.

Synthetic rows are recognisable by their prefixes (unit codes ``SYN-…``, usernames ``syn.…``), which
never collide with ``load_demo`` and let ``--replace`` remove exactly them.
"""

import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError

from apps.accounts.models import RoleAssignment, Unit, User
from apps.core.text import fold

UNIT_PREFIX = "SYN-"
USER_PREFIX = "syn."
SYNTHETIC_PASSWORD = "huunghi-synthetic"
DEFAULT_SEED = 2025
ROOT_USERNAME = USER_PREFIX + "root"

REFORM_DAY = date(2025, 7, 1)  # provinces and wards after the 2025 reorganisation
DEPARTMENTS_MERGED_ON = date(2025, 2, 28)  # the March 2025 merger of departments
LOGIN_REFERENCE = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)  # fixed, so runs are identical


@dataclass(frozen=True)
class ScaleSpec:
    provinces: int | None  # None = all 34
    users: int
    departments: int | None  # None = all current departments
    merged_departments: int | None
    associations: tuple[int, int]  # how many friendship associations, inclusive range
    wards: int | None  # None = every ward of the province


SCALES = {
    "small": ScaleSpec(provinces=1, users=12, departments=3, merged_departments=1, associations=(2, 2), wards=4),
    "province": ScaleSpec(
        provinces=1, users=100, departments=None, merged_departments=None, associations=(4, 6), wards=None
    ),
    "national": ScaleSpec(
        provinces=None, users=10_000, departments=None, merged_departments=None, associations=(4, 6), wards=None
    ),
}

# Specialised agencies of a provincial People's Committee after March 2025: (code, name, short name).
DEPARTMENTS = [
    ("VP", "Văn phòng Ủy ban nhân dân", "Văn phòng UBND"),
    ("STC", "Sở Tài chính", "Sở Tài chính"),
    ("SNGV", "Sở Ngoại vụ", "Sở Ngoại vụ"),
    ("SNV", "Sở Nội vụ", "Sở Nội vụ"),
    ("STP", "Sở Tư pháp", "Sở Tư pháp"),
    ("SXD", "Sở Xây dựng", "Sở Xây dựng"),
    ("SCT", "Sở Công Thương", "Sở Công Thương"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GDĐT"),
    ("SYT", "Sở Y tế", "Sở Y tế"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", "Sở DT&TG"),
    ("TTR", "Thanh tra", "Thanh tra"),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp", "BQL các KCN"),
]
FOCAL_POINT = "SNGV"
# Departments that ended with the March 2025 merger, and the one each was merged into.
MERGED_DEPARTMENTS = [
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "STC"),
    ("SNN", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", "SNNMT"),
    ("STNMT", "Sở Tài nguyên và Môi trường", "Sở TN&MT", "SNNMT"),
    ("SGTVT", "Sở Giao thông vận tải", "Sở GTVT", "SXD"),
    ("STTTT", "Sở Thông tin và Truyền thông", "Sở TT&TT", "SKHCN"),
    ("SLDTBXH", "Sở Lao động – Thương binh và Xã hội", "Sở LĐTBXH", "SNV"),
]
PARTNER_COUNTRIES = [
    ("LAO", "Lào"),
    ("CAM", "Campuchia"),
    ("NB", "Nhật Bản"),
    ("HQ", "Hàn Quốc"),
    ("TQ", "Trung Quốc"),
    ("NGA", "Nga"),
    ("CUBA", "Cuba"),
    ("PHAP", "Pháp"),
    ("DUC", "Đức"),
    ("HK", "Hoa Kỳ"),
    ("AD", "Ấn Độ"),
    ("TL", "Thái Lan"),
    ("UC", "Ô-xtrây-li-a"),
    ("SING", "Xinh-ga-po"),
]

FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE_NAMES = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Quốc", "Thanh", "Hoài", "Xuân", "Kim", "Gia", "Bảo"]
GIVEN_NAMES = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Nhung",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Trung",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
]
OFFICER_POSITIONS = [
    "Chuyên viên",
    "Chuyên viên",
    "Chuyên viên chính",
    "Cán bộ",
    "Phó Trưởng phòng",
    "Trưởng phòng",
    "Văn thư",
]

# How much more often an officer works in a unit of this kind (the Union and the focal point do the work).
OFFICER_WEIGHT = {
    "union": 8,
    "focal": 6,
    "party_committee": 2,
    "peoples_committee": 2,
    "fatherland_front": 2,
    "department": 1,
    "association": 1,
    "commune": 1,
}


@dataclass
class UnitSpec:
    code: str
    name: str
    short_name: str
    kind: str
    path: str
    depth: int
    numchild: int = 0
    is_focal_point: bool = False
    valid_from: date | None = None
    valid_to: date | None = None
    successor_code: str | None = None
    weight: int = 0  # officers per unit, relative; 0 = nobody works here (it has ended)
    province: str = ""


@dataclass
class UserSpec:
    username: str
    full_name: str
    position: str
    email: str
    is_active: bool
    last_login: datetime | None
    date_joined: datetime
    roles: list[tuple[str, str]] = field(default_factory=list)  # (role, unit code)
    is_superuser: bool = False


@dataclass
class Plan:
    units: list[UnitSpec]
    users: list[UserSpec]


class _Tree:
    """Hands out materialized paths the way treebeard would, and counts children."""

    def __init__(self, first_root_step: int):
        self.next_root = first_root_step
        self.units: list[UnitSpec] = []
        self.children: dict[str, int] = {}

    def add(self, parent: UnitSpec | None, **fields) -> UnitSpec:
        if parent is None:
            depth, step, parent_path = 1, self.next_root, ""
            self.next_root += 1
        else:
            depth = parent.depth + 1
            parent.numchild += 1
            step, parent_path = parent.numchild, parent.path
        path = Unit._get_path(parent_path, depth, step)
        if len(path) != depth * Unit.steplen:
            raise CommandError(f"The unit tree has no room left for another node at depth {depth}.")
        spec = UnitSpec(path=path, depth=depth, **fields)
        self.units.append(spec)
        return spec


def _locality(province) -> tuple[str, str, str, bool]:
    """(full name, short name, 'tỉnh X' / 'thành phố X', is a city) of a province."""
    city = province.division_type.name == "THANH_PHO_TRUNG_UONG"
    short = province.name.removeprefix("Thành phố ").strip()
    if city:
        return f"Thành phố {short}", short, f"thành phố {short}", True
    return f"Tỉnh {short}", short, f"tỉnh {short}", False


def build_plan(scale: str, seed: int, first_root_step: int = 1) -> Plan:
    """Everything to insert, computed without touching the database (so it is deterministic)."""
    from vietnam_provinces import Province, Ward

    spec = SCALES[scale]
    rng = random.Random(f"{scale}:{seed}")
    provinces = sorted(Province.iter_all(), key=lambda p: int(p.code.value))
    if spec.provinces is not None:
        provinces = sorted(rng.sample(provinces, spec.provinces), key=lambda p: int(p.code.value))
    tree = _Tree(first_root_step)
    roots: list[UnitSpec] = []
    units_by_province: dict[str, list[UnitSpec]] = {}

    for province in provinces:
        pnum = int(province.code.value)
        suffix = f"{pnum:02d}"
        full, short, locality, city = _locality(province)
        mine: list[UnitSpec] = []

        def add(parent, code, name, short_name, kind, weight=None, _mine=mine, _suffix=suffix, **extra):
            unit = tree.add(
                parent,
                code=f"{UNIT_PREFIX}{code}-{_suffix}",
                name=name,
                short_name=short_name,
                kind=kind,
                weight=OFFICER_WEIGHT.get(kind, 1) if weight is None else weight,
                province=_suffix,
                **extra,
            )
            _mine.append(unit)
            return unit

        root = add(None, "P", full, short, "province", weight=0, valid_from=REFORM_DAY)
        roots.append(root)
        add(
            root,
            "TU",
            "{} {}".format("Thành ủy" if city else "Tỉnh ủy", short),
            "Thành ủy" if city else "Tỉnh ủy",
            "party_committee",
            valid_from=REFORM_DAY,
        )
        ubnd = add(
            root,
            "UBND",
            f"Ủy ban nhân dân {locality}",
            "UBND {}".format("thành phố" if city else "tỉnh"),
            "peoples_committee",
            valid_from=REFORM_DAY,
        )
        add(
            root,
            "MTTQ",
            f"Ủy ban Mặt trận Tổ quốc Việt Nam {locality}",
            "MTTQ {}".format("thành phố" if city else "tỉnh"),
            "fatherland_front",
            valid_from=REFORM_DAY,
        )
        union = add(
            root,
            "LHHN",
            f"Liên hiệp các tổ chức hữu nghị {locality}",
            "Liên hiệp hữu nghị",
            "union",
            valid_from=REFORM_DAY,
        )

        departments = DEPARTMENTS if spec.departments is None else DEPARTMENTS[: spec.departments]
        for code, name, short_name in departments:
            add(
                ubnd,
                code,
                f"{name} {locality}",
                short_name,
                "department",
                weight=OFFICER_WEIGHT["focal"] if code == FOCAL_POINT else None,
                is_focal_point=code == FOCAL_POINT,
            )
        current = {code for code, _n, _s in departments}
        merged = [m for m in MERGED_DEPARTMENTS if m[3] in current]
        if spec.merged_departments is not None:
            merged = merged[: spec.merged_departments]
        for code, name, short_name, successor in merged:
            add(
                ubnd,
                code,
                f"{name} {locality}",
                short_name,
                "department",
                weight=0,
                valid_to=DEPARTMENTS_MERGED_ON,
                successor_code=f"{UNIT_PREFIX}{successor}-{suffix}",
            )

        wards = sorted(Ward.iter_by_province(province.code), key=lambda w: int(w.code.value))
        if spec.wards is not None:
            wards = sorted(rng.sample(wards, spec.wards), key=lambda w: int(w.code.value))
        for ward in wards:
            # Ward codes are unique in the whole country, so they need no province suffix.
            unit = tree.add(
                ubnd,
                code=f"{UNIT_PREFIX}X-{int(ward.code.value):05d}",
                name=ward.name,
                short_name=ward.name,
                kind="commune",
                weight=OFFICER_WEIGHT["commune"],
                province=suffix,
                valid_from=REFORM_DAY,
            )
            mine.append(unit)

        for country_code, country in sorted(rng.sample(PARTNER_COUNTRIES, rng.randint(*spec.associations))):
            add(
                union,
                f"HLH-{country_code}",
                f"Hội hữu nghị Việt Nam – {country} {locality}",
                f"Hội VN–{country}",
                "association",
            )
        units_by_province[suffix] = mine

    return Plan(units=tree.units, users=_plan_users(rng, spec, roots, units_by_province))


def _plan_users(rng: random.Random, spec: ScaleSpec, roots: list[UnitSpec], units_by_province) -> list[UserSpec]:
    users: list[UserSpec] = []

    def person(role_hint: str, position: str, roles: list[tuple[str, str]], province: str) -> UserSpec:
        family, middle, given = rng.choice(FAMILY_NAMES), rng.choice(MIDDLE_NAMES), rng.choice(GIVEN_NAMES)
        base = "{}{}.{}{}".format(USER_PREFIX, fold(given).replace(" ", ""), fold(family)[0], fold(middle)[0])
        username = f"{base}{len(users) + 1:05d}"
        logged_in = rng.random() < 0.7
        user = UserSpec(
            username=username,
            full_name=f"{family} {middle} {given}",
            position=position,
            email=f"{username.removeprefix(USER_PREFIX)}@p{province}.synthetic.invalid",
            is_active=role_hint != "officer" or rng.random() >= 0.03,
            last_login=LOGIN_REFERENCE - timedelta(minutes=rng.randrange(90 * 24 * 60)) if logged_in else None,
            date_joined=LOGIN_REFERENCE - timedelta(days=rng.randrange(200, 900)),
            roles=roles,
        )
        users.append(user)
        return user

    users.append(
        UserSpec(
            username=ROOT_USERNAME,
            full_name="Quản trị hệ thống (dữ liệu mẫu)",
            position="Quản trị viên",
            email="root@synthetic.invalid",
            is_active=True,
            last_login=LOGIN_REFERENCE,
            date_joined=LOGIN_REFERENCE - timedelta(days=900),
            is_superuser=True,
        )
    )
    budget = spec.users - 1
    per_province, extra = divmod(budget, len(roots))
    for index, root in enumerate(roots):
        count = per_province + (1 if index < extra else 0)
        province_units = units_by_province[root.province]
        union = next(u for u in province_units if u.kind == "union")
        lead_roles = [
            ("admin", "Quản trị hệ thống", [("admin", root.code)]),
            ("coordinator", "Phó Chủ tịch Liên hiệp, điều phối", [("coordinator", root.code), ("officer", union.code)]),
            ("coordinator", "Chuyên viên điều phối", [("coordinator", root.code)]),
            ("leader", "Phó Chủ tịch UBND", [("leader", root.code)]),
            ("leader", "Phó Bí thư", [("leader", root.code)]),
        ][:count]
        for hint, position, roles in lead_roles:
            person(hint, position, roles, root.province)
        workplaces = [u for u in province_units if u.weight > 0]
        weights = [u.weight for u in workplaces]
        for _ in range(count - len(lead_roles)):
            unit = rng.choices(workplaces, weights)[0]
            roles = [("officer", unit.code)]
            if rng.random() < 0.05:  # some people also work for a second unit
                other = rng.choices(workplaces, weights)[0]
                if other.code != unit.code:
                    roles.append(("officer", other.code))
            person("officer", rng.choice(OFFICER_POSITIONS), roles, root.province)
    return users


def synthetic_units():
    return Unit.objects.filter(code__startswith=UNIT_PREFIX)


def synthetic_users():
    return User.objects.filter(username__startswith=USER_PREFIX)


def synthetic_exists() -> bool:
    return synthetic_units().exists() or synthetic_users().exists()


@contextmanager
def _change_log_muted():
    """Deleting synthetic rows is not an edit anyone made: keep it out of the change log."""
    from django.db.models.signals import post_delete, pre_delete

    from apps.core import signals

    pre_delete.disconnect(signals.keep_snapshot_before_delete)
    post_delete.disconnect(signals.log_delete)
    try:
        yield
    finally:
        pre_delete.connect(signals.keep_snapshot_before_delete)
        post_delete.connect(signals.log_delete)


#: apps that add synthetic records after the units and users, in this order (and delete them, in
#: reverse order, before the units go). Each module has ``generate_synthetic(scale=, seed=,
#: report=) -> dict`` (counts by kind) and ``delete_synthetic() -> int``, optionally
#: ``is_complete(scale) -> bool`` (bench/ reuses a database only when every extension says so).
#: An app adds itself here.
EXTENSIONS = ["apps.tasks.synthetic", "apps.partners.synthetic", "apps.aid.synthetic", "apps.activities.synthetic"]


def _extensions():
    from importlib import import_module

    return [import_module(name) for name in EXTENSIONS]


@transaction.atomic
def delete_synthetic() -> tuple[int, int]:
    """Remove every synthetic unit and user (and their roles, and what the extensions added).
    Returns (units, users) removed."""
    for extension in reversed(_extensions()):
        extension.delete_synthetic()
    units = synthetic_units()
    unit_count, user_count = units.count(), synthetic_users().count()
    with _change_log_muted():
        RoleAssignment.objects.filter(unit__in=units.values("pk")).delete()
        # Merged-into links are PROTECTed; the whole synthetic tree goes, so they may be cut first.
        Unit.objects.filter(successor__in=units.values("pk")).update(successor=None)
        synthetic_users().delete()
        try:
            units.delete()
        except ProtectedError as exc:
            names = ", ".join(sorted({str(o) for o in list(exc.protected_objects)[:5]}))
            raise CommandError(f"Synthetic units are still referred to by other records ({names}); remove those first.")
    return unit_count, user_count


def _first_root_step() -> int:
    last = Unit.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
    return Unit._str2int(last[: Unit.steplen]) + 1 if last else 1


@transaction.atomic
def write_plan(plan: Plan, *, password_hash: str, report=print) -> dict[str, int]:
    started = time.perf_counter()
    units = [
        Unit(
            code=u.code,
            name=u.name,
            short_name=u.short_name,
            kind=u.kind,
            path=u.path,
            depth=u.depth,
            numchild=u.numchild,
            is_focal_point=u.is_focal_point,
            valid_from=u.valid_from,
            valid_to=u.valid_to,
        )
        for u in plan.units
    ]
    # bulk_create skips save(): fill the search text the way the models do, from one definition.
    for unit in units:
        unit.search_text = unit.build_search_text()
    Unit.objects.bulk_create(units, batch_size=2000)
    unit_ids = dict(synthetic_units().values_list("code", "pk"))
    merged = [(unit_ids[u.code], unit_ids[u.successor_code]) for u in plan.units if u.successor_code]
    to_update = [Unit(pk=pk, successor_id=successor) for pk, successor in merged]
    Unit.objects.bulk_update(to_update, ["successor"], batch_size=2000)
    report(
        f"units: {len(units)} created ({len(merged)} merged into a successor) in {time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    users = [
        User(
            username=u.username,
            full_name=u.full_name,
            position=u.position,
            email=u.email,
            is_active=u.is_active,
            last_login=u.last_login,
            date_joined=u.date_joined,
            password=password_hash,
            is_superuser=u.is_superuser,
            is_staff=u.is_superuser,
        )
        for u in plan.users
    ]
    for user in users:
        user.search_text = user.build_search_text()
    User.objects.bulk_create(users, batch_size=2000)
    user_ids = dict(synthetic_users().values_list("username", "pk"))
    report(f"users: {len(users)} created in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    roles = [
        RoleAssignment(user_id=user_ids[u.username], unit_id=unit_ids[code], role=role)
        for u in plan.users
        for role, code in u.roles
    ]
    RoleAssignment.objects.bulk_create(roles, batch_size=2000)
    report(f"roles: {len(roles)} assigned in {time.perf_counter() - started:.1f} s")
    return {"units": len(units), "users": len(users), "roles": len(roles)}


def generate(*, scale: str, seed: int = DEFAULT_SEED, replace: bool = False, report=print) -> dict[str, int]:
    """Build the synthetic data of ``scale``; the entry point the command and ``bench/`` share."""
    if scale not in SCALES:
        raise CommandError("Unknown scale “{}”; choose one of: {}.".format(scale, ", ".join(SCALES)))
    with transaction.atomic():
        if synthetic_exists():
            if not replace:
                raise CommandError(
                    f"Synthetic data already exists (units “{UNIT_PREFIX}…”, users “{USER_PREFIX}…”). Run again with --replace to delete "
                    "it and generate anew."
                )
            started = time.perf_counter()
            unit_count, user_count = delete_synthetic()
            report(
                f"replace: deleted {unit_count} synthetic units and {user_count} synthetic users in {time.perf_counter() - started:.1f} s"
            )
        started = time.perf_counter()
        plan = build_plan(scale, seed, first_root_step=_first_root_step())
        report(
            f"plan: {len(plan.units)} units, {len(plan.users)} users (scale {scale}, seed {seed}) in {time.perf_counter() - started:.1f} s"
        )
        # One hash for everyone: hashing 10,000 passwords with argon2 would take minutes.
        counts = write_plan(plan, password_hash=make_password(SYNTHETIC_PASSWORD), report=report)
        for extension in _extensions():
            started = time.perf_counter()
            added = extension.generate_synthetic(scale=scale, seed=seed, report=report)
            report(
                "{}: {} in {:.1f} s".format(
                    extension.__name__,
                    ", ".join("{} {}".format(n, kind) for kind, n in added.items()),
                    time.perf_counter() - started,
                )
            )
            counts.update(added)
        return counts


class Command(BaseCommand):
    help = "Generate deterministic synthetic units, users and the records of the apps in EXTENSIONS (small, province or national scale)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"same seed, same data (default {DEFAULT_SEED})"
        )
        parser.add_argument("--replace", action="store_true", help="delete earlier synthetic data first")
        parser.add_argument("--force", action="store_true", help="run even when DEBUG is off")

    def handle(self, *args, scale, seed, replace=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: refusing to add synthetic users with a known password to what may be production. Use --force."
            )
        started = time.perf_counter()
        counts = generate(scale=scale, seed=seed, replace=replace, report=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                "Synthetic data ready (scale {}, seed {}): {} units, {} users, {} roles in {:.1f} s. Password: {}".format(
                    scale,
                    seed,
                    counts["units"],
                    counts["users"],
                    counts["roles"],
                    time.perf_counter() - started,
                    SYNTHETIC_PASSWORD,
                )
            )
        )
