"""Synthetic partners for the benchmarks: deterministic, of every kind, nobody's edit, removable."""

import pytest

from apps.accounts import services as accounts
from apps.core.changelog import change_logging
from apps.core.models import ObjectChange
from apps.partners.models import NgoRegistration, Partner, Relationship
from apps.partners.synthetic import delete_synthetic_partners, generate_partners, synthetic_partners


@pytest.fixture
def units(province):
    with change_logging(user=None):
        return [
            accounts.unit_create(parent=province.union, by=None, name="Hội tổng hợp {}".format(i),
                                 code="SYN-P{}".format(i), kind="association").pk
            for i in range(3)
        ]  # fmt: skip


def snapshot():
    return list(synthetic_partners().order_by("pk").values_list("name", "kind", "country__code", "unit_id"))


def test_the_same_seed_gives_the_same_partners_of_every_kind(units):
    changes = ObjectChange.objects.count()
    counts = generate_partners(unit_ids=units, partners=300, seed=7, report=lambda line: None)
    assert counts["partners"] == 300 and counts["registrations"] > 0 and counts["relationships"] > 0
    assert ObjectChange.objects.count() == changes  # synthetic rows are nobody's edit
    assert set(synthetic_partners().values_list("kind", flat=True)) == set(Partner.Kind.values)
    first = snapshot()
    # searchable like any partner, and every registration within its legal length
    some = synthetic_partners().first()
    assert some.search_text and some.name_key
    for registration in NgoRegistration.objects.filter(partner__in=synthetic_partners())[:200]:
        registration.full_clean()
    assert delete_synthetic_partners() == 300
    assert not synthetic_partners().exists()
    assert not Relationship.objects.filter(unit_id__in=units).exists()
    generate_partners(unit_ids=units, partners=300, seed=7, report=lambda line: None)
    assert [row[:3] for row in snapshot()] == [row[:3] for row in first]
