"""Benchmarks of the IATI import (issue 5's scale bar), measured in the same run as their floors.

- **throughput**: ``import_iati`` end to end (parse, check, map, write to SQLite) over a synthetic
  IATI 2.03 activity file, in MB/s, against a bare ``lxml.etree.iterparse`` pass over the same
  file in the same run (target: import ≥ 50 % of the bare pass — ratio = value / floor ≥ 0.5);
- **re-import**: the same file imported again into the same database (every activity unchanged)
  against the first import (target: ≥ 5× faster — ratio = first / again ≥ 5);
- **peak memory**: the peak resident set of the import process on a ~1 GB file (target < 200 MB;
  the floor recorded alongside is the peak of the bare iterparse pass over the same file, in a
  process of its own).

The imports run in a subprocess (``python bench/bench_iati.py _import …``) against a scratch
SQLite file of their own (``<BENCH_DIR>/iati-scratch.sqlite3``, copied from a migrated template
before each first import), so the thousands of imported aid items never reach the bench database
the other benchmarks read. The child times the import alone (after Django's start-up; it does not
migrate, as ``manage.py import_iati`` does not) and reports its peak memory: its own high-water
mark (``peak_rss_mb()``, ``VmHWM``) plus that of the reading process a large file is read in
(``apps.aid.iati_read``), which reports its own.

The files are generated deterministically (seed 2025) and kept in the bench directory:
``iati-<N>mb.xml``. Real-looking activities: reporting and participating organisations from a pool
of donors and Vietnamese partners, titles and descriptions in Vietnamese and English, dates,
recipient country VN, locations named after provinces, DAC sectors with percentages, budgets and
5–14 transactions with provider and receiver. A small one validates against
``../shared/iati/iati-activities-schema.xsd`` (tests/test_aid_bench.py checks it).

    .venv/bin/python bench/bench_iati.py                 # throughput + re-import (+ memory on that file)
    BENCH_IATI_MB=64                                     # size of the throughput file (default by scale:
                                                         # small 2, province 16, national 64)
    BENCH_IATI_1GB=1                                     # also the peak memory on a ~1 GB file (minutes)

MB here is 2**20 bytes.
"""

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MB = 2**20
SEED = 2025
DEFAULT_MB = 64
BIG_MB = 1024
RATIO_MIN = 0.5  # import throughput / bare iterparse throughput
REIMPORT_MIN = 5.0  # first import time / re-import time
MEMORY_MAX_MB = 200

DONORS = (
    [
        ("GB-CHC-{}".format(202918 + 7 * i), "21", name)
        for i, name in enumerate(
            [
                "Water Friends UK",
                "Save the Children UK",
                "Oxfam GB",
                "ActionAid UK",
                "Plan International UK",
                "CARE International UK",
                "Christian Aid",
                "WaterAid UK",
                "Health Poverty Action",
                "Child's Dream",
            ]
        )
    ]
    + [
        ("US-EIN-{}".format(131623 + 11 * i), "21", name)
        for i, name in enumerate(
            ["Catholic Relief Services", "World Vision US", "Habitat for Humanity", "East Meets West", "PATH"]
        )
    ]
    + [
        ("NL-KVK-{}".format(41198 + 13 * i), "21", name)
        for i, name in enumerate(["Cordaid", "ICCO", "SNV Netherlands", "Oxfam Novib", "Simavi"])
    ]
    + [
        ("DE-CR-{}".format(1211 + 17 * i), "22", name)
        for i, name in enumerate(["Brot für die Welt", "Welthungerhilfe", "Misereor", "Malteser International"])
    ]
    + [
        ("JP-JCN-{}".format(5011 + 19 * i), "21", name)
        for i, name in enumerate(["Japan International Volunteer Center", "AAR Japan", "Peace Winds Japan"])
    ]
    + [
        ("XM-DAC-{}".format(41100 + i), "40", name)
        for i, name in enumerate(["UNICEF", "UNDP", "UNFPA", "UN Women", "WFP"])
    ]
)
IMPLEMENTERS = [
    "Hội Chữ thập đỏ tỉnh {p}",
    "Hội Liên hiệp Phụ nữ tỉnh {p}",
    "Sở Y tế {p}",
    "Sở Giáo dục và Đào tạo {p}",
    "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn {p}",
    "Hội Người mù tỉnh {p}",
    "Liên hiệp các tổ chức hữu nghị tỉnh {p}",
]
PROVINCES = [
    "Cao Bằng",
    "Tuyên Quang",
    "Điện Biên",
    "Lai Châu",
    "Sơn La",
    "Lào Cai",
    "Thái Nguyên",
    "Lạng Sơn",
    "Quảng Ninh",
    "Bắc Ninh",
    "Phú Thọ",
    "Hưng Yên",
    "Ninh Bình",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Trị",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Đắk Lắk",
    "Lâm Đồng",
    "Đồng Nai",
    "Tây Ninh",
    "Đồng Tháp",
    "Vĩnh Long",
    "An Giang",
    "Cà Mau",
]
SUBJECTS = [
    ("Nước sạch và vệ sinh cho các xã", "Clean water and sanitation for the communes of", "14030"),
    ("Chăm sóc sức khỏe bà mẹ và trẻ em", "Maternal and child health care in", "12220"),
    ("Học bổng cho học sinh nghèo", "Scholarships for poor pupils in", "11220"),
    ("Sinh kế bền vững cho phụ nữ dân tộc thiểu số", "Sustainable livelihoods for ethnic minority women in", "31120"),
    ("Phục hồi sau lũ lụt", "Flood recovery in", "73010"),
    ("Xây dựng trường mầm non", "Building kindergartens in", "11240"),
    ("Phòng chống thiên tai dựa vào cộng đồng", "Community-based disaster risk reduction in", "74020"),
    ("Hỗ trợ người khuyết tật", "Support for people with disabilities in", "16010"),
]
SECOND_SECTORS = ["12261", "15150", "43040", "16010", "11330", "12240"]
AID_TYPES = ["C01", "C01", "C01", "B03", "D02", "E01"]
CURRENCIES = ["USD", "USD", "USD", "EUR", "GBP"]
LOREM = (
    "Dự án hỗ trợ cộng đồng địa phương cải thiện điều kiện sống, tăng cường năng lực cho cán bộ cơ sở "
    "và người dân, bảo đảm tính bền vững sau khi kết thúc tài trợ. The project works with local "
    "authorities and mass organisations, with monitoring visits every quarter and a final evaluation."
)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def activity_xml(rng: random.Random, index: int) -> str:
    """One ``iati-activity`` (2.03, elements in schema order), deterministic for ``rng``'s state."""
    ref, org_type, donor = DONORS[rng.randrange(len(DONORS))]
    province = PROVINCES[rng.randrange(len(PROVINCES))]
    subject_vi, subject_en, sector = SUBJECTS[rng.randrange(len(SUBJECTS))]
    currency = CURRENCIES[rng.randrange(len(CURRENCIES))]
    year = 2019 + rng.randrange(7)
    month = 1 + rng.randrange(12)
    start = "{}-{:02d}-{:02d}".format(year, month, 1 + rng.randrange(28))
    end = "{}-{:02d}-28".format(year + 2 + rng.randrange(2), month)
    status = "2" if year >= 2023 else rng.choice("234")
    ident = "{}-VN-{:07d}".format(ref, index)
    implementers = rng.sample(IMPLEMENTERS, 1 + rng.randrange(2))
    out = [
        '  <iati-activity last-updated-datetime="{}T08:00:00Z" xml:lang="vi" default-currency="{}"'
        ' humanitarian="{}">\n'.format(
            "2025-{:02d}-{:02d}".format(1 + rng.randrange(12), 1 + rng.randrange(28)),
            currency,
            "1" if sector.startswith("7") else "0",
        ),
        "    <iati-identifier>{}</iati-identifier>\n".format(ident),
        '    <reporting-org ref="{}" type="{}"><narrative xml:lang="en">{}</narrative></reporting-org>\n'.format(
            ref, org_type, _esc(donor)
        ),
        "    <title><narrative>{} {} (giai đoạn {})</narrative>"
        '<narrative xml:lang="en">{} {} (phase {})</narrative></title>\n'.format(
            subject_vi, province, 1 + index % 3, subject_en, province, 1 + index % 3
        ),
        '    <description type="1"><narrative>{} Mã số {}.</narrative>'
        '<narrative xml:lang="en">{} {}.</narrative></description>\n'.format(LOREM, index, _esc(subject_en), province),
        '    <description type="2"><narrative>Mục tiêu: {} tại tỉnh {}.</narrative></description>\n'.format(
            subject_vi.lower(), province
        ),
        '    <participating-org ref="{}" role="1" type="{}"><narrative xml:lang="en">{}</narrative>'
        "</participating-org>\n".format(ref, org_type, _esc(donor)),
        '    <participating-org role="2" type="10"><narrative>Ủy ban nhân dân tỉnh {}</narrative>'
        "</participating-org>\n".format(province),
    ]
    for name in implementers:
        out.append(
            '    <participating-org role="4" type="22"><narrative>{}</narrative></participating-org>\n'.format(
                name.format(p=province)
            )
        )
    out += [
        '    <activity-status code="{}"/>\n'.format(status),
        '    <activity-date type="1" iso-date="{}"/>\n'.format(start),
        '    <activity-date type="2" iso-date="{}"/>\n'.format(start) if status != "1" else "",
        '    <activity-date type="3" iso-date="{}"/>\n'.format(end),
        '    <recipient-country code="VN" percentage="100"/>\n',
        '    <location ref="{}-L1"><location-reach code="1"/><location-id vocabulary="G1" code="{}"/><name><narrative>{}</narrative></name>'
        '<administrative vocabulary="G1" level="1" code="{}"/>'
        '<point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>{:.4f} {:.4f}</pos></point>'
        '<exactness code="1"/><location-class code="2"/></location>\n'.format(
            ident,
            1000 + rng.randrange(9000),
            province,
            1000 + rng.randrange(9000),
            9 + rng.random() * 13,
            103 + rng.random() * 6,
        ),
    ]
    if rng.random() < 0.5:
        share = 10 * (3 + rng.randrange(5))
        second = SECOND_SECTORS[rng.randrange(len(SECOND_SECTORS))]
        if second == sector:
            second = "43040" if sector != "43040" else "15150"
        out.append('    <sector vocabulary="1" code="{}" percentage="{}"/>\n'.format(sector, 100 - share))
        out.append('    <sector vocabulary="1" code="{}" percentage="{}"/>\n'.format(second, share))
    else:
        out.append('    <sector vocabulary="1" code="{}" percentage="100"/>\n'.format(sector))
    out += [
        '    <collaboration-type code="2"/>\n',
        '    <default-flow-type code="30"/>\n',
        '    <default-finance-type code="110"/>\n',
        '    <default-aid-type code="{}" vocabulary="1"/>\n'.format(AID_TYPES[rng.randrange(len(AID_TYPES))]),
    ]
    total = 20_000 + rng.randrange(780_000)
    years = 1 + rng.randrange(3)
    for y in range(years):
        out.append(
            '    <budget type="1" status="{}"><period-start iso-date="{}-01-01"/><period-end iso-date="{}-12-31"/>'
            '<value currency="{}" value-date="{}-01-01">{}.00</value></budget>\n'.format(
                "2" if y == 0 else "1", year + y, year + y, currency, year + y, total // years
            )
        )
    count = 5 + rng.randrange(10)
    paid = 0
    for n in range(count):
        code = "2" if n == 0 else ("3" if n % 3 else "4")
        day = "{}-{:02d}-{:02d}".format(year + n // 6, 1 + (month + 2 * n - 1) % 12, 1 + rng.randrange(28))
        amount = total if n == 0 else min(total - paid, (total // count) + rng.randrange(1000))
        if n:
            paid += amount
        out.append(
            '    <transaction ref="{}-T{}"><transaction-type code="{}"/><transaction-date iso-date="{}"/>'
            '<value currency="{}" value-date="{}">{}.{:02d}</value>'
            "<description><narrative>{}</narrative></description>"
            '<provider-org ref="{}" type="{}"><narrative xml:lang="en">{}</narrative></provider-org>'
            '<receiver-org type="22"><narrative>{}</narrative></receiver-org></transaction>\n'.format(
                ident,
                n + 1,
                code,
                day,
                currency,
                day,
                max(amount, 0),
                rng.randrange(100),
                "Cam kết tài trợ" if code == "2" else ("Giải ngân đợt {}".format(n) if code == "3" else "Chi tiêu"),
                ref,
                org_type,
                _esc(donor),
                implementers[0].format(p=province),
            )
        )
    out.append("  </iati-activity>\n")
    return "".join(out)


def write_file(path: Path, megabytes: float, seed: int = SEED) -> Path:
    """Write a ~``megabytes`` MB IATI 2.03 activity file to ``path`` (unless it is there already),
    through a temporary name so that an interrupted run never leaves a half file to reuse."""
    path = Path(path)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    target = int(megabytes * MB)
    rng = random.Random(seed)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write('<iati-activities version="2.03" generated-datetime="2025-12-01T00:00:00Z">\n')
        written, index, chunk = 0, 0, []
        while written < target:
            text = activity_xml(rng, index)
            chunk.append(text)
            written += len(text.encode("utf-8"))
            index += 1
            if len(chunk) >= 500:
                out.write("".join(chunk))
                chunk = []
        out.write("".join(chunk))
        out.write("</iati-activities>\n")
    os.replace(partial, path)
    return path


# -- the floor: a bare iterparse pass ----------------------------------------------------------------


def iterparse_pass(path: Path) -> float:
    """Seconds of a bare streaming ``iterparse`` over ``path`` with the importer's parser options:
    each completed ``iati-activity`` is cleared and dropped (what any streaming reader must do to
    stay in memory), nothing else."""
    from lxml import etree

    from apps.aid.iati import parser_options

    started = time.perf_counter()
    with open(path, "rb") as handle:
        for _event, el in etree.iterparse(handle, events=("end",), tag="iati-activity", **parser_options()):
            el.clear(keep_tail=False)
            while el.getprevious() is not None:
                del el.getparent()[0]
    return time.perf_counter() - started


# -- the import, in a process of its own ----------------------------------------------------------------

SCRATCH_UNIT = "BENCH-IATI"


def _child_env(database: Path, bench_dir: Path) -> dict:
    env = dict(os.environ)
    env["DATABASE_URL"] = "sqlite:///{}".format(database)
    env["HUUNGHI_VAR_DIR"] = str(bench_dir)
    env.setdefault("DJANGO_SETTINGS_MODULE", "huunghi.settings")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _child(args: list[str]) -> dict:
    """Inside the child: ``_prepare DB`` (migrate, a unit to keep the items, exchange rates) or
    ``_import DB PATH [--strict]`` (``import_iati`` timed, as an officer would run it)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # What production runs (as run.py does): no query log — with DEBUG on, Django keeps the text
    # of the last 9,000 statements, which would be measured as the importer's memory.
    settings.DEBUG = False

    if args[0] == "_prepare":
        # Only here: the import's scratch database is a copy of this migrated template, and loading
        # the migration graph (~70 MB) in the import's process would be measured as the import's
        # memory — `manage.py import_iati` never migrates.
        call_command("migrate", interactive=False, verbosity=0)
        from datetime import date
        from decimal import Decimal

        from apps.accounts.models import Unit
        from apps.aid.models import ExchangeRate

        if not Unit.objects.filter(code=SCRATCH_UNIT).exists():
            Unit.add_root(name="Liên hiệp các tổ chức hữu nghị (bench IATI)", code=SCRATCH_UNIT, kind="union")
        for currency, rate in (("USD", "24000"), ("EUR", "26000"), ("GBP", "30500")):
            ExchangeRate.objects.get_or_create(
                currency=currency, date=date(2015, 1, 1), defaults={"rate_vnd": Decimal(rate), "source": "bench"}
            )
        return {}
    path = args[2]
    from apps.accounts.models import Unit
    from apps.aid.iati import import_file
    from apps.core.changelog import change_logging

    # What `manage.py import_iati --unit … --country VN` runs (the command adds only its printing),
    # called directly for the report: its reading process's own peak memory is in it.
    unit = Unit.objects.get(code=SCRATCH_UNIT)
    cpu, started = time.process_time(), time.perf_counter()
    with change_logging(user=None):
        report = import_file(path, unit=unit, country="VN", strict="--strict" in args)
    seconds = time.perf_counter() - started
    from apps.aid.models import AidItem, Transaction

    return {
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu,
        "summary": "created {}, updated {}, unchanged {}, skipped {}, partners created {}".format(
            report.created, report.updated, report.unchanged, report.skipped, report.partners_created
        ),
        "items": AidItem.objects.count(),
        "transactions": Transaction.objects.count(),
        # the importing process and its reading process, both at their peaks (an upper bound:
        # the two peaks need not coincide)
        "peak_rss_mb": peak_rss_mb() + report.reader_peak_kb / 1024,
        "reader_peak_mb": report.reader_peak_kb / 1024,
    }


def _run_child(args: list[str], database: Path, bench_dir: Path) -> dict:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        env=_child_env(database, bench_dir),
        cwd=str(ROOT),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError("bench_iati {} failed ({}):\n{}".format(args[0], done.returncode, done.stderr[-3000:]))
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_scratch(bench_dir: Path) -> Path:
    """An empty migrated scratch database (copied from a template made once)."""
    template = bench_dir / "iati-scratch-template.sqlite3"
    scratch = bench_dir / "iati-scratch.sqlite3"
    _run_child(["_prepare", str(template)], template, bench_dir)  # a no-op once migrated
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(scratch) + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, scratch)
    return scratch


def import_once(path: Path, database: Path, bench_dir: Path, strict: bool = False) -> dict:
    return _run_child(["_import", str(database), str(path)] + (["--strict"] if strict else []), database, bench_dir)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB. On Linux the high-water mark of its own address
    space (``VmHWM``): ``ru_maxrss`` survives ``exec`` and so reports the parent's size when the
    parent is larger — run from bench/run.py (a process holding the national database's caches),
    every child "peaked" at the parent's 209 MB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux KiB (other systems: an estimate)


def iterparse_peak_mb(path: Path) -> float:
    """Peak RSS of a process doing only the bare iterparse pass over ``path`` (the memory floor)."""
    code = (
        "import sys; sys.path.insert(0, {root!r});"
        "import django; django.setup();"
        "from bench.bench_iati import iterparse_pass, peak_rss_mb; iterparse_pass({path!r});"
        "print(peak_rss_mb())"
    ).format(root=str(ROOT), path=str(path))
    env = _child_env(Path(os.devnull), path.parent)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


# -- the measurements -----------------------------------------------------------------------------


def measure(
    bench_dir: Path, megabytes: float = DEFAULT_MB, big: bool = False, say=print, strict: bool = False
) -> list[dict]:
    """Generate (or reuse) the files, import, and return the result entries (CONTRACTS format)."""
    bench_dir = Path(bench_dir).resolve()
    bench_dir.mkdir(parents=True, exist_ok=True)
    label = "{:g}".format(megabytes)
    path = write_file(bench_dir / "iati-{}mb.xml".format(label), megabytes)
    size = path.stat().st_size / MB
    floor_seconds = iterparse_pass(path)
    scratch = fresh_scratch(bench_dir)
    first = import_once(path, scratch, bench_dir, strict=strict)
    again = import_once(path, scratch, bench_dir, strict=strict)
    floor_seconds = min(floor_seconds, iterparse_pass(path))  # before and after: the faster one
    value, floor = size / first["seconds"], size / floor_seconds
    say(
        "iati: {:.1f} MB, {} items / {} transactions; first import {:.1f} s ({}), again {:.2f} s ({}); "
        "bare iterparse {:.2f} s; peak RSS {:.0f} MB".format(
            size,
            first["items"],
            first["transactions"],
            first["seconds"],
            first["summary"],
            again["seconds"],
            again["summary"],
            floor_seconds,
            max(first["peak_rss_mb"], again["peak_rss_mb"]),
        )
    )
    results = [
        {
            "name": "iati.import throughput / bare iterparse ({:.0f} MB file)".format(size),
            "value": round(value, 3),
            "floor": round(floor, 3),
            "unit": "MB/s",
            "ratio": round(value / floor, 3),  # bigger is better: value / floor
            "target": ">= {}".format(RATIO_MIN),
            "met": value / floor >= RATIO_MIN,
            "megabytes": round(size, 2),
            "seconds": round(first["seconds"], 3),
            "floor_seconds": round(floor_seconds, 3),
            "items": first["items"],
            "transactions": first["transactions"],
        },
        {
            "name": "iati.reimport unchanged: first import / re-import ({:.0f} MB file)".format(size),
            "value": round(again["seconds"] * 1000, 3),
            "floor": round(first["seconds"] * 1000, 3),
            "unit": "ms",
            "ratio": round(first["seconds"] / again["seconds"], 3),  # bigger is better: floor / value
            "target": ">= {}".format(REIMPORT_MIN),
            "met": first["seconds"] / again["seconds"] >= REIMPORT_MIN,
        },
    ]
    memory_path, memory = path, max(first["peak_rss_mb"], again["peak_rss_mb"])
    if big:
        free = shutil.disk_usage(bench_dir).free / MB
        big_path = bench_dir / "iati-{}mb.xml".format(BIG_MB)
        # the file, the scratch database (about the file's size again) and some room
        if not big_path.exists() and free < 3 * BIG_MB:
            say("iati: only {:.0f} MB free in {}: the 1 GB memory measurement is skipped".format(free, bench_dir))
            memory_path, memory = None, None
        else:
            started = time.perf_counter()
            write_file(big_path, BIG_MB)
            say("iati: {} ready ({:.0f} s)".format(big_path.name, time.perf_counter() - started))
            big_scratch = fresh_scratch(bench_dir)
            run = import_once(big_path, big_scratch, bench_dir, strict=strict)
            say(
                "iati: 1 GB import {:.0f} s ({}), {} items / {} transactions, peak RSS {:.0f} MB "
                "(of which the reading process {:.0f} MB)".format(
                    run["seconds"],
                    run["summary"],
                    run["items"],
                    run["transactions"],
                    run["peak_rss_mb"],
                    run["reader_peak_mb"],
                )
            )
            memory_path, memory = big_path, run["peak_rss_mb"]
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(big_scratch) + suffix).unlink(missing_ok=True)
    if memory_path is None:
        results.append(
            {
                "name": "iati.import peak memory (1 GB file)",
                "value": None,
                "floor": None,
                "unit": "MB",
                "ratio": None,
                "target": "< {} MB".format(MEMORY_MAX_MB),
                "met": False,
                "skipped": "not enough disk space for the 1 GB file",
            }
        )
    else:
        floor_mb = iterparse_peak_mb(memory_path)
        mb = memory_path.stat().st_size / MB
        results.append(
            {
                "name": "iati.import peak memory ({:.0f} MB file{})".format(
                    mb, "" if big else "; the 1 GB file with BENCH_IATI_1GB=1"
                ),
                "value": round(memory, 1),
                "floor": round(floor_mb, 1),
                "unit": "MB",
                "ratio": round(memory / floor_mb, 3),
                "target": "< {} MB".format(MEMORY_MAX_MB),
                "met": memory < MEMORY_MAX_MB,
                "megabytes": round(mb, 2),
            }
        )
    return results


# -- the run.py interface -----------------------------------------------------------------------------

_results: list[dict] = []


#: the throughput file's size by bench scale (BENCH_IATI_MB overrides): a small run stays short
SCALE_MB = {"small": 2, "province": 16, "national": DEFAULT_MB}


def _megabytes() -> float:
    if os.environ.get("BENCH_IATI_MB"):
        return float(os.environ["BENCH_IATI_MB"])
    from django.conf import settings

    name = str(settings.DATABASES["default"].get("NAME", ""))
    scale = next((s for s in SCALE_MB if "bench-{}.".format(s) in name), os.environ.get("BENCH_SCALE", "national"))
    return SCALE_MB.get(scale, DEFAULT_MB)


def _enabled_big() -> bool:
    return os.environ.get("BENCH_IATI_1GB", "") not in ("", "0")


def benches(clients, coordinator, superuser) -> list:
    """The IATI measurements are seconds to minutes of subprocesses over files, nothing to
    interleave with page requests: they run here, once, and their entries join the results in
    ``adjust``."""
    from django.conf import settings

    bench_dir = Path(settings.VAR_DIR).resolve()  # run.py points it at the bench directory
    megabytes = _megabytes()
    _results[:] = measure(bench_dir, megabytes, big=_enabled_big(), say=lambda line: print(line, flush=True))
    return []


def describe(coordinator) -> str:
    return (
        "iati: import of a synthetic IATI 2.03 file ({:g} MB{}) into a scratch SQLite database, in a subprocess".format(
            _megabytes(), "; and the 1 GB file" if _enabled_big() else ""
        )
    )


def targets(by_name: dict, entry) -> None:
    pass


def adjust(results: list[dict]) -> None:
    results.extend(_results)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("_prepare", "_import"):
        print(json.dumps(_child(sys.argv[1:])))
        sys.exit(0)
    import argparse

    parser = argparse.ArgumentParser(description="IATI import benchmarks (see the module's docstring).")
    parser.add_argument("--dir", default=os.environ.get("BENCH_DIR", str(ROOT / "var" / "bench")))
    parser.add_argument("--mb", type=float, default=float(os.environ.get("BENCH_IATI_MB", DEFAULT_MB)))
    parser.add_argument("--big", action="store_true", default=_enabled_big(), help="also the 1 GB file")
    parser.add_argument("--strict", action="store_true", help="import with --strict (schema validation)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huunghi.settings")
    os.environ["HUUNGHI_VAR_DIR"] = str(Path(args.dir).resolve())
    os.environ.setdefault("DATABASE_URL", "sqlite:///{}".format(Path(args.dir).resolve() / "iati-scratch.sqlite3"))
    import django

    django.setup()
    print(json.dumps(measure(Path(args.dir), args.mb, big=args.big, strict=args.strict), indent=2, ensure_ascii=False))
