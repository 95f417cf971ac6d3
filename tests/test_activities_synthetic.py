"""Synthetic agreements and activities for the benchmarks: deterministic, linked to partners and
countries, one partner with many activities, nothing in the change log, removable."""

import pytest

from apps.accounts import services as accounts
from apps.accounts.models import Unit
from apps.activities.models import Activity, Agreement, Commitment
from apps.activities.synthetic import delete_synthetic, generate_activities, synthetic_activities
from apps.core.changelog import change_logging
from apps.core.models import ObjectChange
from apps.partners import services as partner_services
from apps.partners.models import Country


@pytest.fixture
def setting(province):
    with change_logging(user=None):
        units = [
            accounts.unit_create(parent=province.ubnd, by=None, name="Đơn vị tổng hợp {}".format(i),
                                 code="SYN-A{}".format(i), kind="other").pk
            for i in range(3)
        ]  # fmt: skip
        laos = Country.objects.get(code="LA")
        partners = []
        for i in range(5):
            row = partner_services.partner_create(
                by=None,
                unit=Unit.objects.get(pk=units[i % 3]),
                kind="foreign_locality",
                name="Tỉnh tổng hợp {}".format(i),
                country=laos,
            )
            partners.append((row.pk, laos.pk, units[i % 3], row.name, laos.name_vi))
    return units, partners


def snapshot():
    return list(synthetic_activities().order_by("pk").values_list("title", "kind", "start_date", "unit_id", "status"))


def test_synthetic_activities_are_deterministic_linked_and_removable(setting):
    units, partners = setting
    logged = ObjectChange.objects.count()
    made = generate_activities(unit_ids=units, partners=partners, activities=300, agreements=10, busiest=60,
                               seed=7, report=lambda line: None)  # fmt: skip
    assert made["activities"] == 300 and made["agreements"] == 10
    first = snapshot()
    assert ObjectChange.objects.count() == logged
    assert Activity.objects.filter(partners=partners[0][0]).count() >= 60
    assert Activity.objects.filter(countries__code="LA").exists()
    assert Activity.objects.exclude(agreements=None).exists() and Commitment.objects.count() >= 20
    assert not Activity.objects.filter(kind="outgoing_delegation", status="done").exists()
    sample = synthetic_activities().exclude(vn_province_code=None).first()
    assert sample.place_name and sample.search_text
    delete_synthetic()
    assert not synthetic_activities().exists() and not Agreement.objects.filter(unit_id__in=units).exists()
    generate_activities(unit_ids=units, partners=partners, activities=300, agreements=10, busiest=60, seed=7,
                        report=lambda line: None)  # fmt: skip
    assert [row[1:] for row in snapshot()] == [row[1:] for row in first]
