"""Synthetic aid: deterministic, fast, countable by the statistics, removable."""

from datetime import date

import pytest

from apps.aid import statistics
from apps.aid.models import AidItem, Transaction
from apps.aid.synthetic import delete_synthetic_aid, generate_aid, synthetic_aid


@pytest.mark.django_db
def test_synthetic_aid_is_deterministic_and_counted(province):
    units = [province.union.pk, province.department.pk]
    counts = generate_aid(unit_ids=units, items=300, transactions=3000, seed=7, report=lambda line: None)
    assert counts["items"] == 300 and 3000 <= counts["transactions"] < 3300
    assert Transaction.objects.filter(aid_item__code__startswith="SYN-VT-").count() == counts["transactions"]
    first = list(synthetic_aid().order_by("code").values_list("code", "committed_usd", "approved_on")[:5])
    stats = statistics.compute(
        province.superuser, statistics.Filters(date_from=date(2020, 1, 1), date_to=date(2026, 12, 31))
    )
    assert stats.total.count == synthetic_aid().filter(status__in=["approved", "implementing", "completed"]).count()
    item = AidItem.objects.filter(code__startswith="SYN-VT-").first()
    assert item.committed_vnd == item.committed_usd * 25000
    assert delete_synthetic_aid() == 300
    generate_aid(unit_ids=units, items=300, transactions=3000, seed=7, report=lambda line: None)
    assert list(synthetic_aid().order_by("code").values_list("code", "committed_usd", "approved_on")[:5]) == first
