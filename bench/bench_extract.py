"""Throughput of the text extraction (``extract_refs``), against a plain regex scan of the same text.

Issue 3's quality bar: ``extract_refs`` processes ≥ 1 MB of text per second. The text is ~5 MB built by
repeating the real seed texts (``../shared/seeds/*.txt``; a built-in sample when they are absent). The
floor is what a single ``re.finditer`` for a simple notation pattern manages over the same text in the
same run — the speed of merely finding candidates, which the full extraction cannot beat.

    .venv/bin/python bench/bench_extract.py      # prints the result as JSON

MB here is 2**20 bytes of UTF-8.
"""

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEEDS = ROOT.parent / "shared" / "seeds"
TARGET_MB = 5
MB = 2**20
TARGET_MB_PER_S = 1.0

_SAMPLE = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HỒ CHÍ MINH
Số: 2722/KH-UBND                     Thành phố Hồ Chí Minh, ngày 20 tháng 11 năm 2021
KẾ HOẠCH
Triển khai thực hiện Chỉ thị số 38-CT/TW ngày 19/9/2019 của Ban Bí thư
Căn cứ Chỉ thị số 12-CT/TW ngày 05/01/2022 và Kế hoạch số 108-KH/TU ngày 20/5/2022; Chương trình hành động
số 1830/LHHN-VP; Quyết định số 12/2021/QĐ-UBND; Công văn số 215/SNgV-LS&HTQT.
Thứ nhất, tổ chức quán triệt, tuyên truyền Chỉ thị 38-CT/TW; giao Sở Ngoại vụ chủ trì, phối hợp với Liên hiệp
các tổ chức hữu nghị Thành phố và các sở, ngành liên quan thực hiện.
Thứ hai, hợp tác với tỉnh Prey Veng (Campuchia), Champasak (Lào), thành phố Nasushiobara (Nhật Bản).
Năm 2021 tiếp nhận 70 khoản viện trợ với gần 26 triệu USD, tương đương 594,5 tỷ đồng; 20.000 khẩu trang.
"""

FLOOR_PATTERN = re.compile(r"\d+[-/][A-ZĐ]+[-/][A-ZĐ]+")


def corpus(target_bytes: int = TARGET_MB * MB) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else []
    unit = "\n\n".join(texts or [_SAMPLE])
    size = len(unit.encode("utf-8")) + 2
    return "\n\n".join([unit] * (target_bytes // size + 1))


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run(repeat: int = 3) -> dict:
    from apps.documents.extraction import extract

    text = corpus()
    megabytes = len(text.encode("utf-8")) / MB
    extract(text[:20000])  # warm up: compiled patterns, the gazetteer
    seconds = _best(lambda: extract(text), repeat)
    floor_seconds = _best(lambda: sum(1 for _ in FLOOR_PATTERN.finditer(text)), repeat)
    value = megabytes / seconds
    floor = megabytes / floor_seconds
    return {
        "name": "extract_refs throughput",
        "value": round(value, 2),
        "floor": round(floor, 2),
        "unit": "MB/s",
        "ratio": round(floor / value, 2),  # bigger is better: floor / value
        "target": f">= {TARGET_MB_PER_S} MB/s",
        "met": value >= TARGET_MB_PER_S,
        "megabytes": round(megabytes, 2),
        "seconds": round(seconds, 3),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False))
