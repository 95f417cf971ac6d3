"""Synthetic tasks for the benchmarks: deterministic, every state present, removable."""

import pytest

from apps.accounts import services as accounts
from apps.core.changelog import change_logging
from apps.core.models import ObjectChange
from apps.tasks.models import ProgressReport, Task, TaskStatus
from apps.tasks.synthetic import delete_synthetic_tasks, generate_tasks, synthetic_tasks


@pytest.fixture
def units(province):
    with change_logging(user=None):
        return [
            accounts.unit_create(
                parent=province.ubnd,
                by=None,
                name="Đơn vị tổng hợp {}".format(i),
                code="SYN-T{}".format(i),
                kind="other",
            ).pk
            for i in range(4)
        ]


def snapshot():
    return list(
        synthetic_tasks().order_by("pk").values_list("title", "lead_unit_id", "due_date", "completed_on", "progress")
    )


def test_the_same_seed_gives_the_same_tasks_in_every_state(units):
    changes = ObjectChange.objects.count()
    counts = generate_tasks(unit_ids=units, tasks=300, reports=1500, seed=7, report=lambda line: None)
    assert counts["tasks"] == 300 and 1000 < counts["reports"] < 2000
    assert ObjectChange.objects.count() == changes  # synthetic rows are nobody's edit
    first = snapshot()
    statuses = {t.status for t in synthetic_tasks()}
    assert statuses == set(TaskStatus.values)
    assert {"accepted", "returned", "submitted"} <= set(ProgressReport.objects.values_list("review_status", flat=True))
    assert delete_synthetic_tasks() == 300
    assert not synthetic_tasks().exists() and not ProgressReport.objects.exists()
    generate_tasks(unit_ids=units, tasks=300, reports=1500, seed=7, report=lambda line: None)
    assert snapshot() == first


def test_reports_agree_with_the_tasks_progress(units):
    generate_tasks(unit_ids=units, tasks=100, reports=500, seed=3, report=lambda line: None)
    for task in Task.objects.filter(reports__isnull=False).distinct()[:50]:
        last = task.reports.filter(unit_id=task.lead_unit_id).order_by("-reported_on", "-id").first()
        if last is not None and last.review_status == "accepted":
            assert last.percent == task.progress
