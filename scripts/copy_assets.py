"""Copy the front-end assets installed by `npm ci` into static/vendor (no CDN: offline machines)."""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

COPIES = [
    ("bootstrap/dist/css/bootstrap.min.css", "bootstrap/css/bootstrap.min.css"),
    ("bootstrap/dist/css/bootstrap.min.css.map", "bootstrap/css/bootstrap.min.css.map"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/js/bootstrap.bundle.min.js"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js.map", "bootstrap/js/bootstrap.bundle.min.js.map"),
    ("bootstrap-icons/font/bootstrap-icons.min.css", "bootstrap-icons/font/bootstrap-icons.min.css"),
    ("bootstrap-icons/font/fonts", "bootstrap-icons/font/fonts"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("tom-select/dist/js/tom-select.complete.min.js", "tom-select/js/tom-select.complete.min.js"),
    ("tom-select/dist/css/tom-select.bootstrap5.min.css", "tom-select/css/tom-select.bootstrap5.min.css"),
    ("echarts/dist/echarts.min.js", "echarts/echarts.min.js"),
    ("topojson-client/dist/topojson-client.min.js", "topojson/topojson-client.min.js"),
    ("world-atlas/countries-110m.json", "world-atlas/countries-110m.json"),
]


def main() -> int:
    if not NODE.is_dir():
        print("node_modules is missing: run `npm ci` first.", file=sys.stderr)
        return 1
    for src, dst in COPIES:
        source, target = NODE / src, VENDOR / dst
        if not source.exists():
            print("missing front-end asset: {}".format(source), file=sys.stderr)
            return 1
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
    print("copied {} front-end assets into {}".format(len(COPIES), VENDOR.relative_to(ROOT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
