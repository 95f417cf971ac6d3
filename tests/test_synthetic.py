"""generate_synthetic builds a consistent, reproducible tree of units and people; bench/ runs on it."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.management.commands.generate_synthetic import UNIT_PREFIX, USER_PREFIX
from apps.accounts.models import RoleAssignment, Unit, User
from apps.core.models import ObjectChange

ROOT = Path(__file__).resolve().parent.parent


def generate(**options) -> str:
    out = io.StringIO()
    # Tests run with DEBUG off, where the command refuses without --force.
    call_command("generate_synthetic", scale=options.pop("scale", "small"), force=True, stdout=out, **options)
    return out.getvalue()


def synthetic_rows():
    units = list(
        Unit.objects.filter(code__startswith=UNIT_PREFIX)
        .order_by("path")
        .values_list(
            "path",
            "depth",
            "numchild",
            "code",
            "name",
            "short_name",
            "kind",
            "is_focal_point",
            "valid_from",
            "valid_to",
            "successor__code",
            "search_text",
        )
    )
    users = list(
        User.objects.filter(username__startswith=USER_PREFIX)
        .order_by("username")
        .values_list(
            "username",
            "full_name",
            "position",
            "email",
            "is_active",
            "is_superuser",
            "last_login",
            "search_text",
        )
    )
    roles = sorted(
        RoleAssignment.objects.filter(user__username__startswith=USER_PREFIX).values_list(
            "user__username", "unit__code", "role"
        )
    )
    return units, users, roles


def test_it_builds_a_province_of_units_and_people_with_roles(db):
    output = generate()

    units, users, roles = synthetic_rows()
    assert {
        "province",
        "party_committee",
        "peoples_committee",
        "fatherland_front",
        "union",
        "department",
        "commune",
        "association",
    } <= {u[6] for u in units}
    assert len(users) == 12
    assert {role for _user, _unit, role in roles} == {"admin", "coordinator", "leader", "officer"}
    people_with_roles = {username for username, _unit, _role in roles}
    assert all(u[0] in people_with_roles for u in users if not u[5]), "everyone but the superuser holds a role"
    assert all(u[-1] for u in units) and all(u[-1] for u in users), "search text is filled without save()"
    assert "units:" in output and "users:" in output and "roles:" in output
    assert not ObjectChange.objects.exists(), "synthetic data is nobody's edit"


def test_the_tree_is_consistent_next_to_existing_units(province):
    generate()

    assert Unit.objects.find_problems() == ([], [], [], [], [])
    root = Unit.objects.get(code__startswith=UNIT_PREFIX + "P-")
    assert root.depth == 1 and root.path > province.province.path
    assert Unit.objects.get_parent(Unit.objects.get(code__startswith=UNIT_PREFIX + "SNGV-")).kind == "peoples_committee"
    merged = (
        Unit.objects.filter(code__startswith=UNIT_PREFIX, successor__isnull=False).select_related("successor").get()
    )
    assert merged.valid_to is not None and merged.successor.code.startswith(UNIT_PREFIX)


def test_the_same_seed_gives_the_same_data(db):
    generate(seed=7)
    first = synthetic_rows()
    generate(seed=7, replace=True)
    assert synthetic_rows() == first
    generate(seed=8, replace=True)
    assert synthetic_rows()[1] != first[1]


def test_it_refuses_to_run_twice_without_replace(db):
    generate()
    with pytest.raises(CommandError, match="--replace"):
        generate()


def test_replace_removes_only_synthetic_rows_and_logs_nothing(province):
    generate()
    before = ObjectChange.objects.count()
    output = generate(replace=True)

    assert "deleted" in output
    assert ObjectChange.objects.count() == before
    assert Unit.objects.filter(pk=province.department.pk).exists()
    assert User.objects.filter(pk=province.officer_a.pk).exists()
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_it_refuses_when_debug_is_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_synthetic", scale="small", stdout=io.StringIO())


def test_the_bench_runs_end_to_end_at_small_scale(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "HUUNGHI_VAR_DIR")}
    env.update(BENCH_SCALE="small", BENCH_REPEAT="2", BENCH_WARMUP="1", BENCH_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "bench/run.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["scale"] == "small"
    pages = [entry for entry in results["benchmarks"] if entry["unit"] == "ms"]
    names = {entry["name"] for entry in pages}
    # units and users (4 ratios each + the admin comparison), then each app's targets (bench.run.EXTRA)
    assert len([n for n in names if n.startswith(("units.", "users."))]) == 10
    for target in ("tasks.list.unit_status", "tasks.scorecard.year", "tasks.cascade"):
        assert "{}.page p95 / raw SQL p95".format(target) in names
    for entry in results["benchmarks"]:
        assert {"name", "value", "floor", "unit", "ratio", "target", "met"} <= set(entry)
        assert isinstance(entry["met"], bool) and entry["value"] > 0 and entry["floor"] > 0
    for entry in pages:
        # a ratio ("<= 3.0", "< 1.0", ">= 5.0" for speed-ups), or an absolute time from the issue
        # ("value <= 10000 ms", the review report) with the ratio recorded beside it
        assert re.fullmatch(r"(value )?(<=|<|>=|>) [0-9.]+( ms)?", entry["target"]), entry
    (extract,) = [entry for entry in results["benchmarks"] if entry["name"] == "extract_refs throughput"]
    assert extract["unit"] == "MB/s"
    assert "targets met" in done.stdout
    # each page target is shown against the lightest page too (why a 3× target can be out of reach)
    listed = next(e for e in pages if e["name"] == "tasks.list.unit_status.page p95 / raw SQL p95")
    assert listed["lightest_page"] > 0 and listed["ratio_beyond_lightest_page"] >= 0
    assert "lightest page of the product" in done.stdout


def test_the_apps_add_their_records_and_replace_removes_them(db):
    from apps.documents.models import DocumentLink
    from apps.tasks.synthetic import PLANS_PER_PROVINCE, SIZES, synthetic_documents, synthetic_tasks

    output = generate()
    assert "apps.tasks.synthetic" in output
    assert synthetic_tasks().count() == SIZES["small"][0]
    directive = synthetic_documents().get(type_code="CT")
    plans = DocumentLink.objects.filter(target=directive, kind="implements")
    assert plans.count() == PLANS_PER_PROVINCE
    # Most of the province's tasks come from the plans: the directive's cascade is large.
    assert synthetic_tasks().filter(document__in=plans.values("source")).count() > SIZES["small"][0] * 0.8
    generate(replace=True)
    assert synthetic_tasks().count() == SIZES["small"][0]
    assert synthetic_documents().filter(type_code="CT").count() == 1
