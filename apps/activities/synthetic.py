"""Deterministic synthetic agreements and activities for ``generate_synthetic`` and ``bench/``:
1,000,000 activities nationally (DESIGN.md), a province 1 % of that, each organised by a synthetic
unit, most with a partner and its country; agreements with commitments, half the activities of a
partner with one of its agreements linked. One partner (the "busiest") carries 2,000 activities
nationally, for the partner-page benchmark.

Rows go in with ``bulk_create`` in batches: nothing passes through ``save()`` or the change log
(synthetic data is nobody's edit); search text and place names come from the models' own
definitions. Synthetic rows are those organised by synthetic units (codes ``SYN-…``).
"""

import random
import time
from datetime import date, timedelta

from django.db import transaction

from apps.accounts.models import Unit
from apps.activities.models import Activity, Agreement, Commitment, DelegationMember

#: (activities, agreements, activities of the busiest partner) per scale
SIZES = {"small": (2_000, 40, 400), "province": (10_000, 200, 2_000), "national": (1_000_000, 20_000, 2_000)}
REFERENCE = date(2026, 1, 15)
YEARS = 10
BATCH = 5_000

KIND_WEIGHTS = [
    ("incoming_delegation", 18), ("outgoing_delegation", 12), ("reception", 15), ("cultural_exchange", 12),
    ("sports_exchange", 5), ("commemoration", 8), ("conference", 10), ("volunteering", 5), ("charity", 6),
    ("training", 5), ("other", 4),
]  # fmt: skip
TITLES = {
    "incoming_delegation": "Đón đoàn {partner} thăm và làm việc",
    "outgoing_delegation": "Đoàn công tác thăm và làm việc tại {partner}",
    "reception": "Tiếp xã giao {partner}",
    "cultural_exchange": "Giao lưu văn hóa với {partner}",
    "sports_exchange": "Giao lưu thể thao hữu nghị với {partner}",
    "commemoration": "Kỷ niệm ngày Quốc khánh {country}",
    "conference": "Hội thảo hợp tác với {partner}",
    "volunteering": "Hoạt động tình nguyện cùng {partner}",
    "charity": "Trao quà từ thiện do {partner} tài trợ",
    "training": "Lớp tập huấn phối hợp với {partner}",
    "other": "Hoạt động đối ngoại với {partner}",
}
AGREEMENT_KINDS = ["memorandum", "minutes", "twinning", "international"]
COMMITMENTS = ["Trao đổi đoàn hằng năm", "Hợp tác giáo dục, đào tạo", "Hợp tác y tế", "Giao lưu văn hóa, thể thao",
               "Hợp tác nông nghiệp", "Xúc tiến thương mại, đầu tư"]  # fmt: skip


def synthetic_activities(prefix: str = "SYN-"):
    return Activity.objects.filter(unit__code__startswith=prefix)


def synthetic_agreements(prefix: str = "SYN-"):
    return Agreement.objects.filter(unit__code__startswith=prefix)


@transaction.atomic
def delete_synthetic(prefix: str = "SYN-") -> int:
    """Remove the synthetic activities and agreements and their links (no signals: they were
    never logged either). Returns how many activities went."""
    ids = list(synthetic_activities(prefix).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        for qs in (
            Activity.partners.through.objects.filter(activity_id__in=chunk),
            Activity.countries.through.objects.filter(activity_id__in=chunk),
            Activity.participating_units.through.objects.filter(activity_id__in=chunk),
            Activity.agreements.through.objects.filter(activity_id__in=chunk),
            Activity.commitments.through.objects.filter(activity_id__in=chunk),
            Activity.tasks.through.objects.filter(activity_id__in=chunk),
            DelegationMember.objects.filter(activity_id__in=chunk),
            Activity.objects.filter(pk__in=chunk),
        ):
            qs._raw_delete(qs.db)
    agreement_ids = list(synthetic_agreements(prefix).values_list("pk", flat=True))
    for start in range(0, len(agreement_ids), BATCH):
        chunk = agreement_ids[start : start + BATCH]
        for qs in (
            Activity.agreements.through.objects.filter(agreement_id__in=chunk),
            Activity.commitments.through.objects.filter(commitment__agreement_id__in=chunk),
            Commitment.objects.filter(agreement_id__in=chunk),
            Agreement.partners.through.objects.filter(agreement_id__in=chunk),
            Agreement.other_units.through.objects.filter(agreement_id__in=chunk),
            Agreement.objects.filter(pk__in=chunk),
        ):
            qs._raw_delete(qs.db)
    return len(ids)


def _new_ids(model, rows, filter_kwargs):
    """The keys of rows just bulk-created (the database returns them, or read them back)."""
    if rows and rows[0].pk is not None:
        return [r.pk for r in rows]
    ids = list(model.objects.filter(**filter_kwargs).order_by("-pk").values_list("pk", flat=True)[: len(rows)])
    ids.reverse()
    return ids


def _partners(prefix):
    from apps.partners.models import Partner

    rows = list(
        Partner.objects.filter(unit__code__startswith=prefix)
        .order_by("pk")
        .values_list("pk", "country_id", "unit_id", "name_vi", "name", "country__name_vi")
    )
    return [
        (pk, country, unit, name_vi or name, country_name or "")
        for pk, country, unit, name_vi, name, country_name in rows
    ]


def generate_activities(*, unit_ids, partners, activities: int, agreements: int, busiest: int, seed: int = 2025,
                        report=print) -> dict[str, int]:  # fmt: skip
    """Bulk-create ``agreements`` agreements and ``activities`` activities organised by
    ``unit_ids`` with ``partners`` ((pk, country id, unit id, name, country name) rows)."""
    made = {"agreements": 0, "commitments": 0, "activities": 0, "activity links": 0}
    if not unit_ids or activities <= 0:
        return made
    from apps.activities import places

    rng = random.Random("activities:{}".format(seed))
    unit_ids = sorted(unit_ids)
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    provinces = [code for code, _name in places.provinces()]
    started = time.perf_counter()

    # Agreements, each with a partner and two or three commitments.
    agreement_rows, agreement_partners = [], []
    for index in range(agreements):
        partner = rng.choice(partners) if partners else None
        agreement_partners.append(partner)
        signed = REFERENCE - timedelta(days=rng.randint(0, 365 * YEARS))
        row = Agreement(
            kind=rng.choice(AGREEMENT_KINDS),
            title="Biên bản hợp tác số {} với {}".format(index, partner[3] if partner else "đối tác"),
            unit_id=partner[2] if partner and partner[2] in unit_ids else rng.choice(unit_ids),
            signed_on=signed,
            valid_from=signed,
            valid_to=signed + timedelta(days=365 * rng.choice([3, 5, 5, 10])) if rng.random() < 0.8 else None,
            fields_of_cooperation=", ".join(rng.sample(COMMITMENTS, 2)),
            pillar=rng.choice(["state", "people", "people"]),
        )
        row.search_text = row.build_search_text()
        agreement_rows.append(row)
    Agreement.objects.bulk_create(agreement_rows, batch_size=1000)
    agreement_ids = _new_ids(Agreement, agreement_rows, {"unit_id__in": unit_ids})
    agreement_partner = {}
    links, commitments = [], []
    for pk, partner in zip(agreement_ids, agreement_partners, strict=True):
        if partner:
            links.append(Agreement.partners.through(agreement_id=pk, partner_id=partner[0]))
            agreement_partner.setdefault(partner[0], []).append(pk)
        for position, text in enumerate(rng.sample(COMMITMENTS, rng.randint(2, 3))):
            commitment = Commitment(agreement_id=pk, text=text, position=position)
            commitment.search_text = commitment.build_search_text()
            commitments.append(commitment)
    Agreement.partners.through.objects.bulk_create(links, batch_size=2000)
    Commitment.objects.bulk_create(commitments, batch_size=2000)
    made["agreements"], made["commitments"] = len(agreement_rows), len(commitments)

    busiest_partner = partners[0] if partners else None
    for first in range(0, activities, BATCH):
        batch, chosen = [], []
        for index in range(first, min(first + BATCH, activities)):
            kind = rng.choices(kinds, weights)[0]
            if busiest_partner is not None and index < busiest:
                partner = busiest_partner
            else:
                partner = rng.choice(partners) if partners and rng.random() < 0.85 else None
            start = REFERENCE - timedelta(days=rng.randint(0, 365 * YEARS))
            abroad = kind == "outgoing_delegation"
            province = None if abroad else rng.choice(provinces)
            row = Activity(
                kind=kind,
                title=TITLES[kind].format(partner=partner[3] if partner else "bạn bè quốc tế",
                                          country=partner[4] if partner else "các nước") + " ({})".format(index),
                # No synthetic approval documents: outgoing delegations stay planned (the travel rule).
                status="done" if start < REFERENCE and not abroad else "planned",
                start_date=start,
                end_date=start + timedelta(days=rng.choice([0, 0, 1, 2, 4])),
                vn_province_code=province,
                foreign_locality=partner[4] if abroad and partner else ("Nước ngoài" if abroad else ""),
                unit_id=partner[2] if partner and partner[2] in unit_ids and rng.random() < 0.7 else rng.choice(unit_ids),
                vn_participants=rng.randint(5, 200),
                foreign_participants=rng.randint(0, 80),
                budget=rng.choice([None, rng.randint(1, 500) * 1_000_000]),
                budget_source=rng.choice(["", "state", "unit", "partner", "sponsorship"]),
                pillar=rng.choice(["people", "people", "state", "party"]),
            )  # fmt: skip
            row.search_text = row.build_search_text()  # fills place_name too
            batch.append(row)
            chosen.append(partner)
        Activity.objects.bulk_create(batch, batch_size=1000)
        ids = _new_ids(Activity, batch, {"unit_id__in": unit_ids})
        partner_links, country_links, agreement_links = [], [], []
        for pk, partner in zip(ids, chosen, strict=True):
            if partner is None:
                continue
            partner_links.append(Activity.partners.through(activity_id=pk, partner_id=partner[0]))
            if partner[1]:
                country_links.append(Activity.countries.through(activity_id=pk, country_id=partner[1]))
            theirs = agreement_partner.get(partner[0])
            if theirs and rng.random() < 0.5:
                agreement_links.append(Activity.agreements.through(activity_id=pk, agreement_id=rng.choice(theirs)))
        Activity.partners.through.objects.bulk_create(partner_links, batch_size=2000)
        Activity.countries.through.objects.bulk_create(country_links, batch_size=2000)
        Activity.agreements.through.objects.bulk_create(agreement_links, batch_size=2000)
        made["activities"] += len(batch)
        made["activity links"] += len(partner_links) + len(country_links) + len(agreement_links)
        if (first // BATCH) % 20 == 19:
            report("activities: {:,} of {:,} …".format(made["activities"], activities))
    report(
        "activities: {activities} with {activity links} links, {agreements} agreements with {commitments} "
        "commitments in {seconds:.1f} s".format(seconds=time.perf_counter() - started, **made)
    )
    return made


def generate_synthetic(*, scale: str, seed: int, report=print, prefix: str = "SYN-") -> dict[str, int]:
    """The extension entry point of ``generate_synthetic`` (its EXTENSIONS)."""
    activities, agreements, busiest = SIZES.get(scale, (0, 0, 0))
    units = list(
        Unit.objects.filter(code__startswith=prefix, valid_to__isnull=True)
        .exclude(kind="province")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        return generate_activities(
            unit_ids=units, partners=_partners(prefix), activities=activities, agreements=agreements,
            busiest=busiest, seed=seed, report=report,
        )  # fmt: skip
