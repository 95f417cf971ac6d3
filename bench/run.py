"""Benchmarks of the list pages and the API, each measured against floors taken in the same run.

    .venv/bin/python bench/run.py            # what `make bench` runs
    BENCH_SCALE=small|province|national      # synthetic data size (default national)
    BENCH_REPEAT=30 BENCH_WARMUP=5           # timed repetitions and untimed warm-ups per benchmark
    BENCH_PROFILE=1                          # also cProfile one request per page (var/bench/profile-*.txt)
    BENCH_DIR=var/bench                      # where the database, results.json and profiles go
    DATABASE_URL=postgres://…                # measure on that database instead of var/bench/bench-<scale>.sqlite3

The machines are noisy, so every target is a ratio to a floor measured in the same run, and the
benchmarks are interleaved (one request of each per round) so that a slow moment hits all alike:

- a list page (and the API list) against the raw SQL that page needs, sent through
  ``connection.cursor()``: the same SELECT … ORDER BY … LIMIT 51 with the scoping subquery for a
  coordinator, plus the query for the related rows it shows (target p95 ≤ 3× the floor);
- a list page against the Django admin changelist of the same model (target: faster).

Results go to ``<BENCH_DIR>/results.json`` in the format of CONTRACTS.md. The exit status is 0 when
the run completes, even when a target is missed (the table says so); non-zero only on errors.
"""

import argparse
import cProfile
import io
import json
import math
import os
import pstats
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCALES = ("small", "province", "national")
PAGE_ROWS = 50
#: modules adding benchmarks of other apps: each has ``benches(clients, coordinator, superuser)``,
#: ``targets(by_name, entry)`` and ``describe(coordinator) -> str``; an app adds itself here.
EXTRA = [
    "bench.bench_tasks",
    "bench.bench_review",
    "bench.bench_aid",
    "bench.bench_activities",
    "bench.bench_dashboard",
    "bench.bench_iati",
]


def extra_modules():
    from importlib import import_module

    return [import_module(name) for name in EXTRA]


def configure(scale: str, bench_dir: Path) -> str:
    """Point Django at the benchmark's own database and set it up. Returns a printable DB label."""
    # staticfiles/ only so that WhiteNoise does not warn about a missing STATIC_ROOT.
    (bench_dir / "staticfiles").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huunghi.settings")
    # Uploads, jobs and the like of the benchmark stay out of the developer's var/.
    os.environ["HUUNGHI_VAR_DIR"] = str(bench_dir)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = "sqlite:///{}".format(bench_dir / f"bench-{scale}.sqlite3")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        return "sqlite {}".format(connection.settings_dict["NAME"])
    return "{} {}".format(connection.vendor, connection.settings_dict.get("NAME"))


def prepare_data(scale: str, seed: int, say) -> None:
    """Migrate, then generate the scale's synthetic data unless the database already holds it."""
    from django.core.management import call_command

    from apps.accounts.management.commands import generate_synthetic as gen
    from apps.accounts.models import RoleAssignment

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    say(f"migrate: {time.perf_counter() - started:.1f} s")
    plan = gen.build_plan(scale, seed)
    expected = (len(plan.units), len(plan.users), sum(len(u.roles) for u in plan.users))
    present = (
        gen.synthetic_units().count(),
        gen.synthetic_users().count(),
        RoleAssignment.objects.filter(user__username__startswith=gen.USER_PREFIX).count(),
    )
    extensions = gen._extensions()
    if present == expected and all(ext.is_complete(scale) for ext in extensions if hasattr(ext, "is_complete")):
        say("data: reusing {} units, {} users, {} roles already in the database".format(*present))
        return
    started = time.perf_counter()
    gen.generate(scale=scale, seed=seed, replace=True, report=lambda line: say("generate_synthetic: " + line))
    say(f"generate_synthetic --scale {scale}: {time.perf_counter() - started:.1f} s")


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: with 30 samples p95 is the 29th)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Bench:
    name: str
    run: object  # a callable doing one measured unit of work
    kind: str  # "page", "api", "orm", "sql" or "admin"
    samples: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # process CPU time: steadier on a busy machine
    queries: int | None = None
    max_samples: int | None = None  # for work measured in seconds: no warm-up, at most this many samples

    @property
    def p50(self) -> float:
        return percentile(self.samples, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def cpu_p50(self) -> float:
        return percentile(self.cpu, 50)


# ---------------------------------------------------------------------------------------------
# floors: the SQL the pages need, written by hand


def _columns(model, alias: str) -> str:
    return ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)


def _scope_roles_sql() -> str:
    """The viewer's active roles, as the scoping of apps.accounts.scoping reads them."""
    from apps.accounts.models import RoleAssignment, Unit

    return (
        f'SELECT cr."role", cr."unit_id", cu."path" FROM "{RoleAssignment._meta.db_table}" cr JOIN "{Unit._meta.db_table}" cu ON cu."id" = cr."unit_id" '
        'WHERE cr."user_id" = %s AND (cu."valid_from" IS NULL OR cu."valid_from" <= %s) '
        'AND (cu."valid_to" IS NULL OR cu."valid_to" >= %s)'
    )


def unit_floor(viewer):
    """SELECT the first page of units (with the unit each was merged into) that ``viewer`` may see."""
    from django.db import connection
    from django.utils import timezone

    from apps.accounts.models import Unit

    table = Unit._meta.db_table
    select = 'SELECT {}, {} FROM "{t}" u LEFT OUTER JOIN "{t}" s ON s."id" = u."successor_id"'.format(
        _columns(Unit, "u"), _columns(Unit, "s"), t=table
    )
    if viewer.is_superuser:
        sql, params = select + ' ORDER BY u."path" LIMIT %s', [PAGE_ROWS + 1]
    else:
        # Subtree roles see every unit under theirs; an officer sees their own unit.
        sql = select + (
            f" WHERE EXISTS (SELECT 1 FROM ({_scope_roles_sql()}) sc WHERE "
            "(sc.\"role\" IN ('admin', 'coordinator', 'leader') AND u.\"path\" LIKE sc.\"path\" || '%%') "
            'OR (sc."role" = \'officer\' AND sc."unit_id" = u."id")) '
            'ORDER BY u."path" LIMIT %s'
        )

        def params_now():
            today = timezone.localdate()
            return [viewer.pk, today, today, PAGE_ROWS + 1]

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params if viewer.is_superuser else params_now())
            return cursor.fetchall()

    return run


def user_floor(viewer):
    """SELECT the first page of people ``viewer`` may see, then their roles with the roles' units."""
    from django.db import connection
    from django.utils import timezone

    from apps.accounts.models import RoleAssignment, Unit, User

    users, roles, units = User._meta.db_table, RoleAssignment._meta.db_table, Unit._meta.db_table
    select = 'SELECT {} FROM "{}" au'.format(_columns(User, "au"), users)
    if viewer.is_superuser:
        sql = select + ' ORDER BY au."username" LIMIT %s'
    else:
        # People are seen through the units they hold roles in (and everyone sees themselves).
        sql = select + (
            f' WHERE au."id" = %s OR EXISTS (SELECT 1 FROM "{roles}" r JOIN "{units}" ru ON ru."id" = r."unit_id" '
            f"JOIN ({_scope_roles_sql()}) sc ON (sc.\"role\" IN ('admin', 'coordinator', 'leader') AND ru.\"path\" LIKE sc.\"path\" || '%%') "
            'OR (sc."role" = \'officer\' AND sc."unit_id" = r."unit_id") '
            'WHERE r."user_id" = au."id") ORDER BY au."username" LIMIT %s'
        )
    related = 'SELECT {}, {} FROM "{}" r JOIN "{}" ru ON ru."id" = r."unit_id" WHERE r."user_id" IN ({{}})'.format(
        _columns(RoleAssignment, "r"), _columns(Unit, "ru"), roles, units
    )

    def run():
        with connection.cursor() as cursor:
            if viewer.is_superuser:
                cursor.execute(sql, [PAGE_ROWS + 1])
            else:
                today = timezone.localdate()
                cursor.execute(sql, [viewer.pk, viewer.pk, today, today, PAGE_ROWS + 1])
            rows = cursor.fetchall()
            ids = [row[0] for row in rows[:PAGE_ROWS]]
            if ids:
                cursor.execute(related.format(", ".join(["%s"] * len(ids))), ids)
                rows += cursor.fetchall()
            return rows

    return run


# ---------------------------------------------------------------------------------------------
# pages


def page(client, url: str):
    def run():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        return response

    return run


def orm(view_class, user):
    """The page's own queries through the ORM (scope, filters, select/prefetch), without rendering."""
    from django.test import RequestFactory

    from apps.core.querysets import VIEW

    request = RequestFactory().get("/")
    request.user = user

    def run():
        user.__dict__.pop("_huunghi_scope", None)  # the scope is computed once per request: do it each time
        view = view_class()
        view.setup(request)
        filterset = view.filterset_class(None, queryset=view.base_queryset(VIEW), request=request)
        return list(filterset.qs[: PAGE_ROWS + 1])

    return run


def viewers():
    """(a coordinator at a province root, a superuser), both synthetic."""
    from apps.accounts.management.commands import generate_synthetic as gen
    from apps.accounts.models import RoleAssignment, Unit, User

    # The last province in path order: the scoped scans reach it last, so this is the worst case.
    root = gen.synthetic_units().filter(depth=1).order_by("-path").first()
    if root is None:
        raise RuntimeError("No synthetic province in the database.")
    coordinator = (
        User.objects.filter(roles__role=RoleAssignment.Role.COORDINATOR, roles__unit=root, is_active=True)
        .order_by("username")
        .first()
    )
    superuser = gen.synthetic_users().filter(is_superuser=True, is_active=True).order_by("username").first()
    if coordinator is None or superuser is None:
        raise RuntimeError(f"The synthetic data has no coordinator at {Unit.objects.get(pk=root.pk)} or no superuser.")
    return coordinator, superuser


def build_benches(coordinator, superuser) -> list[Bench]:
    from django.test import Client

    from apps.accounts.views import UnitListView, UserListView

    clients = {}
    for label, user in (("coordinator", coordinator), ("superuser", superuser)):
        client = Client()
        client.force_login(user)
        clients[label] = client
    # Not a target: the lightest page of the product (the viewer's notifications, none unread) —
    # session, user, roles, menu and layout with no rows. A page target of "3× its SQL floor" cannot
    # be met when this alone is over 3× that floor; the report shows it next to each page target.
    benches = [Bench("lightest_page.coordinator", page(clients["coordinator"], "/notifications/"), "page")]
    for label, user in (("coordinator", coordinator), ("superuser", superuser)):
        client = clients[label]
        benches += [
            Bench(f"units.page.{label}", page(client, "/units/"), "page"),
            Bench(f"units.api.{label}", page(client, "/api/units/"), "api"),
            Bench(f"units.orm.{label}", orm(UnitListView, user), "orm"),
            Bench(f"units.sql.{label}", unit_floor(user), "sql"),
            Bench(f"users.page.{label}", page(client, "/users/"), "page"),
            Bench(f"users.api.{label}", page(client, "/api/users/"), "api"),
            Bench(f"users.orm.{label}", orm(UserListView, user), "orm"),
            Bench(f"users.sql.{label}", user_floor(user), "sql"),
        ]
    benches += [
        Bench("units.admin.superuser", page(clients["superuser"], "/admin/accounts/unit/"), "admin"),
        Bench("users.admin.superuser", page(clients["superuser"], "/admin/accounts/user/"), "admin"),
    ]
    for module in extra_modules():
        benches += module.benches(clients, coordinator, superuser)
    return benches


def count_queries(benches: list[Bench]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for bench in benches:
        # The log keeps 9,000 entries; once full, a capture would come back empty.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            bench.run()
        bench.queries = len(ctx.captured_queries)


def measure(benches: list[Bench], repeat: int, warmup: int) -> None:
    for _ in range(warmup):
        for bench in benches:
            if bench.max_samples is None:
                bench.run()
    # Interleaved: one of each per round, so a noisy moment on the machine hits every benchmark.
    for _ in range(repeat):
        for bench in benches:
            if bench.max_samples is not None and len(bench.samples) >= bench.max_samples:
                continue
            cpu, started = time.process_time(), time.perf_counter()
            bench.run()
            bench.samples.append((time.perf_counter() - started) * 1000)
            bench.cpu.append((time.process_time() - cpu) * 1000)


def targets(benches: list[Bench]) -> list[dict]:
    by_name = {b.name: b for b in benches}
    results = []

    lightest = by_name.get("lightest_page.coordinator")

    def entry(name, value: Bench, floor: Bench, target: str, limit: float, strict: bool):
        ratio = value.p95 / floor.p95 if floor.p95 else float("inf")
        result = {
            "name": name,
            "value": round(value.p95, 3),
            "floor": round(floor.p95, 3),
            "unit": "ms",
            "ratio": round(ratio, 3),
            "target": target,
            "met": ratio < limit if strict else ratio <= limit,
            "p50": round(value.p50, 3),
            "floor_p50": round(floor.p50, 3),
        }
        if value.kind == "page" and floor.kind == "sql" and lightest is not None and lightest.samples:
            # Information, not the target: what the page costs beyond the lightest page, per floor.
            result["lightest_page"] = round(lightest.p95, 3)
            result["ratio_beyond_lightest_page"] = round(max(value.p95 - lightest.p95, 0) / floor.p95, 3)
        results.append(result)

    for model in ("units", "users"):
        for who in ("coordinator", "superuser"):
            floor = by_name[f"{model}.sql.{who}"]
            for kind in ("page", "api"):
                bench = by_name[f"{model}.{kind}.{who}"]
                entry(f"{bench.name} p95 / raw SQL p95", bench, floor, "<= 3.0", 3.0, strict=False)
        bench, admin = by_name[f"{model}.page.superuser"], by_name[f"{model}.admin.superuser"]
        entry(f"{bench.name} p95 / admin changelist p95", bench, admin, "< 1.0", 1.0, strict=True)
    for module in extra_modules():
        module.targets(by_name, entry)
    for module in extra_modules():
        if hasattr(module, "adjust"):
            module.adjust(results)
    return results


def print_tables(benches: list[Bench], results: list[dict], say) -> None:
    say("")
    say("{:<28} {:>9} {:>9} {:>11} {:>8}".format("measurement", "p50 ms", "p95 ms", "cpu p50 ms", "queries"))
    say("-" * 69)
    for bench in benches:
        say(
            "{:<28} {:>9.2f} {:>9.2f} {:>11.2f} {:>8}".format(
                bench.name, bench.p50, bench.p95, bench.cpu_p50, bench.queries if bench.queries is not None else "-"
            )
        )
    say("(orm = the page's queries through the ORM without rendering; sql = the floor; not targets themselves)")
    say("")
    say("{:<52} {:>9} {:>9} {:>7} {:>7}  {}".format("target", "value ms", "floor ms", "ratio", "target", "met"))
    say("-" * 96)
    for r in results:
        say(
            "{:<52} {:>9.2f} {:>9.2f} {:>7.2f} {:>7}  {}".format(
                r["name"], r["value"], r["floor"], r["ratio"], r["target"], "yes" if r["met"] else "NO — MISSED"
            )
        )
    missed = [r for r in results if not r["met"]]
    paged = [r for r in results if "lightest_page" in r]
    if paged:
        say("")
        say(
            "Page targets against the lightest page of the product ({:.2f} ms p95: session, user, roles, menu, "
            "layout, no rows):".format(paged[0]["lightest_page"])
        )
        say("{:<52} {:>9} {:>16} {:>16}".format("target", "floor ms", "lightest / floor", "(page−lightest)/floor"))
        for r in paged:
            say(
                "{:<52} {:>9.2f} {:>16.2f} {:>16.2f}".format(
                    r["name"],
                    r["floor"],
                    r["lightest_page"] / r["floor"] if r["floor"] else 0,
                    r["ratio_beyond_lightest_page"],
                )
            )
    say("")
    say(
        "{} of {} targets met.{}".format(
            len(results) - len(missed),
            len(results),
            " Missed: " + ", ".join(r["name"] for r in missed) if missed else "",
        )
    )
    if missed:
        say("To see where the time goes: BENCH_PROFILE=1 (profiles one request of each page into the bench directory).")


def profile(benches: list[Bench], bench_dir: Path, say) -> None:
    """cProfile one request of each page; the top of each profile goes to a file and the screen."""
    for bench in benches:
        if bench.kind not in ("page", "api", "admin"):
            continue
        profiler = cProfile.Profile()
        profiler.enable()
        bench.run()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        target = bench_dir / f"profile-{bench.name}.txt"
        target.write_text(out.getvalue())
        say(f"profile of {bench.name}: {target}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="HữuNghị benchmarks (see bench/run.py).")
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "national"), choices=SCALES)
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "30")))
    parser.add_argument("--warmup", type=int, default=int(os.environ.get("BENCH_WARMUP", "5")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("BENCH_SEED", "2025")))
    parser.add_argument("--profile", action="store_true", default=os.environ.get("BENCH_PROFILE", "") not in ("", "0"))
    parser.add_argument("--dir", default=os.environ.get("BENCH_DIR", str(ROOT / "var" / "bench")))
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")

    def say(line=""):
        print(line, flush=True)

    bench_dir = Path(args.dir).resolve()
    database = configure(args.scale, bench_dir)
    say(
        f"HữuNghị bench — scale {args.scale}, seed {args.seed}, {args.repeat} repetitions after {args.warmup} warm-ups; database: {database}"
    )
    prepare_data(args.scale, args.seed, say)

    from django.conf import settings

    from bench.admin_registration import ensure_registered

    added = ensure_registered()
    if added:
        say("admin: registered fallback changelists for {} (apps/accounts/admin.py has none)".format(", ".join(added)))
    # Measure what production runs: no query log, no template debug information.
    settings.DEBUG = False

    coordinator, superuser = viewers()
    say(f"viewers: coordinator {coordinator.username} (province root), superuser {superuser.username}")
    for module in extra_modules():
        say(module.describe(coordinator))
    benches = build_benches(coordinator, superuser)
    count_queries(benches)
    measure(benches, args.repeat, args.warmup)
    results = targets(benches)
    print_tables(benches, results, say)

    # Text extraction (issue 3): independent of the database scale.
    from bench.bench_extract import run as run_extract

    extract = run_extract()
    results.append({k: extract[k] for k in ("name", "value", "floor", "unit", "ratio", "target", "met")})
    say(
        "extract_refs throughput: {:.2f} MB/s (target ≥ 1 MB/s; plain regex floor {:.1f} MB/s) — {}".format(
            extract["value"], extract["floor"], "met" if extract["met"] else "MISSED"
        )
    )

    out = bench_dir / "results.json"
    out.write_text(
        json.dumps(
            {
                "scale": args.scale,
                "seed": args.seed,
                "repeat": args.repeat,
                "warmup": args.warmup,
                "database": database.split(" ")[0],
                "benchmarks": results,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    say(f"results: {out}")
    if args.profile:
        profile(benches, bench_dir, say)
    return 0


if __name__ == "__main__":
    sys.exit(main())
