"""Deterministic synthetic partners for ``generate_synthetic`` and ``bench/``: partners of every
kind in many countries, with contacts, relationships with the synthetic units and NGO
registrations, at the sizes of DESIGN.md (50,000 partners nationally).

Rows go in with ``bulk_create`` in batches (nothing passes through ``save()`` or the change log:
synthetic data is nobody's edit); search text and name keys are filled through the models' own
definitions. Synthetic partners are those kept by synthetic units (codes ``SYN-…``);
``delete_synthetic_partners`` removes exactly them.
"""

import random
import time
from datetime import date, timedelta

from django.db import transaction

from apps.accounts.models import Unit
from apps.partners.models import Contact, Country, NgoRegistration, Partner, Relationship, Tag, name_key

#: partners per scale (DESIGN.md: 50,000 nationally; a province is about 1 %)
SIZES = {"small": 200, "province": 1_000, "national": 50_000}
REFERENCE = date(2026, 1, 15)
BATCH = 5_000

# Countries weighted by how often Vietnamese provinces work with them.
COUNTRY_WEIGHTS = [
    ("LA", 12), ("KH", 12), ("JP", 10), ("KR", 10), ("CN", 8), ("US", 6), ("FR", 5), ("DE", 4), ("AU", 4),
    ("TH", 4), ("RU", 3), ("IN", 3), ("CU", 2), ("GB", 3), ("SG", 2), ("MY", 2), ("ID", 2), ("NZ", 1),
    ("IT", 1), ("NL", 1), ("BE", 1), ("CA", 1), ("CH", 1), ("SE", 1), ("NO", 1), ("DK", 1), ("PH", 1),
]  # fmt: skip
KIND_WEIGHTS = [
    ("foreign_locality", 20), ("foreign_ngo", 30), ("friendship_association", 10), ("international_organisation", 5),
    ("fdi_enterprise", 15), ("diplomatic_mission", 3), ("overseas_vietnamese", 7), ("individual", 10),
    ("government_agency", 2),
]  # fmt: skip
PLACES = ["Bắc", "Nam", "Đông", "Tây", "Trung", "Thượng", "Hạ", "Tân", "Cựu", "Đại"]
STEMS = ["Sơn", "Hà", "Lâm", "Giang", "Thành", "Phong", "Bình", "An", "Hòa", "Xuân", "Khánh", "Minh", "Phú"]
NGO_WORDS = ["Quỹ", "Tổ chức", "Mạng lưới", "Liên minh", "Hội"]
NGO_AIMS = ["Trẻ em", "Y tế cộng đồng", "Giáo dục", "Nước sạch", "Sinh kế", "Môi trường", "Người khuyết tật",
            "Phụ nữ", "Phát triển nông thôn", "Cứu trợ"]  # fmt: skip
FIRST = ["Anna", "Kenji", "Somchai", "Sophea", "Vilay", "Min-jun", "Pierre", "Hans", "Olivia", "Raj", "Ivan", "Li"]
LAST = ["Smith", "Tanaka", "Kim", "Dubois", "Müller", "Chan", "Sok", "Phommavong", "Ivanov", "Sharma", "Wang"]
TAG_NAMES = ["kết nghĩa", "giáo dục", "y tế", "sinh kế", "văn hóa", "thể thao", "môi trường", "biên giới", "đầu tư"]


def synthetic_partners(prefix: str = "SYN-"):
    return Partner.objects.filter(unit__code__startswith=prefix)


@transaction.atomic
def delete_synthetic_partners(prefix: str = "SYN-") -> int:
    """Remove the synthetic partners and everything linked to them (no signals: they were never
    logged either)."""
    ids = list(synthetic_partners(prefix).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        for qs in (
            Contact.objects.filter(partner_id__in=chunk),
            Relationship.objects.filter(partner_id__in=chunk),
            NgoRegistration.objects.filter(partner_id__in=chunk),
            Partner.tags.through.objects.filter(partner_id__in=chunk),
            Partner.shared_units.through.objects.filter(partner_id__in=chunk),
            Partner.objects.filter(pk__in=chunk),
        ):
            qs._raw_delete(qs.db)
    return len(ids)


def _name(rng: random.Random, kind: str, index: int, country: Country) -> tuple[str, str, str]:
    """(original, Vietnamese, English) names; the index keeps them distinct."""
    place = "{} {}".format(rng.choice(PLACES), rng.choice(STEMS))
    if kind == "foreign_locality":
        return ("{} {}".format(place, index), "Tỉnh {} {}".format(place, index), "{} Province {}".format(place, index))
    if kind == "foreign_ngo":
        vi = "{} {} {} {}".format(rng.choice(NGO_WORDS), rng.choice(NGO_AIMS), country.name_vi, index)
        return (vi, vi, "{} Foundation {}".format(country.name_en, index))
    if kind == "friendship_association":
        vi = "Hội hữu nghị {} – Việt Nam {} số {}".format(country.name_vi, place, index)
        return (vi, vi, "{}–Vietnam Friendship Association {}".format(country.name_en, index))
    if kind == "international_organisation":
        vi = "Tổ chức quốc tế {} {}".format(rng.choice(NGO_AIMS), index)
        return (vi, vi, "International {} Organisation {}".format(rng.choice(["Health", "Education", "Water"]), index))
    if kind == "fdi_enterprise":
        vi = "Công ty TNHH {} {} {}".format(country.name_vi, place, index)
        return (vi, vi, "{} {} Co., Ltd {}".format(country.name_en, place, index))
    if kind == "diplomatic_mission":
        vi = "Đại sứ quán {} số {}".format(country.name_vi, index)
        return (vi, vi, "Embassy of {} {}".format(country.name_en, index))
    if kind == "government_agency":
        vi = "Cơ quan hợp tác phát triển {} số {}".format(country.name_vi, index)
        return (vi, vi, "{} Development Cooperation Agency {}".format(country.name_en, index))
    if kind == "overseas_vietnamese":
        vi = "Hội người Việt Nam tại {} {} {}".format(country.name_vi, place, index)
        return (vi, vi, "Vietnamese Association in {} {}".format(country.name_en, index))
    person = "{} {} {}".format(rng.choice(FIRST), rng.choice(LAST), index)
    return (person, person, person)


def generate_partners(*, unit_ids: list[int], partners: int, seed: int = 2025, report=print) -> dict[str, int]:
    """Bulk-create ``partners`` partners kept by ``unit_ids``, with about one contact each, a
    relationship for half of them and registrations for the NGOs. Same seed, same rows."""
    if not unit_ids or partners <= 0:
        return {"partners": 0, "contacts": 0, "relationships": 0, "registrations": 0}
    rng = random.Random("partners:{}".format(seed))
    unit_ids = sorted(unit_ids)
    countries = {c.code: c for c in Country.objects.filter(code__in=[c for c, _w in COUNTRY_WEIGHTS])}
    weighted = [(countries[c], w) for c, w in COUNTRY_WEIGHTS if c in countries]
    if not weighted:
        return {"partners": 0, "contacts": 0, "relationships": 0, "registrations": 0}
    country_list, country_weights = zip(*weighted, strict=True)
    kinds, kind_weights = zip(*KIND_WEIGHTS, strict=True)
    known = set(Tag.objects.filter(name__in=TAG_NAMES).values_list("name", flat=True))
    Tag.objects.bulk_create([Tag(name=n, search_text=n) for n in TAG_NAMES if n not in known])
    tags = sorted(Tag.objects.filter(name__in=TAG_NAMES), key=lambda t: TAG_NAMES.index(t.name))
    started = time.perf_counter()
    made = {"partners": 0, "contacts": 0, "relationships": 0, "registrations": 0}
    with transaction.atomic():
        for first in range(0, partners, BATCH):
            batch = []
            for index in range(first, min(first + BATCH, partners)):
                kind = rng.choices(kinds, kind_weights)[0]
                country = rng.choices(country_list, country_weights)[0]
                original, vi, en = _name(rng, kind, index, country)
                partner = Partner(
                    kind=kind,
                    name=original,
                    name_vi=vi if vi != original else "",
                    name_en=en,
                    country=country,
                    locality="{} {}".format(rng.choice(PLACES), rng.choice(STEMS))
                    if kind == "foreign_locality"
                    else "",
                    status=rng.choices(["active", "paused", "ended"], [85, 10, 5])[0],
                    unit_id=rng.choice(unit_ids),
                    description="Đối tác tổng hợp số {} phục vụ đo hiệu năng.".format(index),
                )
                partner.search_text = partner.build_search_text()
                partner.name_key = name_key(partner.name_vi or partner.name)[:300]
                batch.append(partner)
            Partner.objects.bulk_create(batch, batch_size=1000)
            made["partners"] += len(batch)
            if batch[0].pk is not None:  # the database returned the new keys
                created = [(p.pk, p.kind, p.unit_id) for p in batch]
            else:
                created = list(
                    Partner.objects.filter(unit_id__in=unit_ids)
                    .order_by("-pk")
                    .values_list("pk", "kind", "unit_id")[: len(batch)]
                )
                created.reverse()
            contacts, relationships, registrations, tag_rows = [], [], [], []
            for pk, kind, unit_id in created:
                if kind != "individual":
                    name = "{} {}".format(rng.choice(FIRST), rng.choice(LAST))
                    contact = Contact(partner_id=pk, name=name, role=rng.choice(["Chủ tịch", "Giám đốc", "Điều phối viên"]),
                                      email="lien-he{}@synthetic.invalid".format(pk))  # fmt: skip
                    contact.search_text = contact.build_search_text()
                    contacts.append(contact)
                if rng.random() < 0.5:
                    since = REFERENCE - timedelta(days=rng.randint(0, 365 * 15))
                    relationships.append(
                        Relationship(
                            partner_id=pk, unit_id=unit_id, since=since,
                            kind=rng.choice(["twinning", "cooperation", "donor", "friendship"]),
                        )
                    )  # fmt: skip
                if kind == "foreign_ngo":
                    office = rng.random() < 0.3
                    issued = REFERENCE - timedelta(days=rng.randint(0, 365 * (5 if office else 3) - 1))
                    years = 5 if office else 3
                    expires = issued + timedelta(days=365 * years - 1)
                    registrations.append(
                        NgoRegistration(
                            partner_id=pk, kind="representative_office" if office else "activity",
                            number="SYN-{}/ĐK".format(pk), issued_on=issued, expires_on=expires,
                            issuer="Bộ Ngoại giao", permitted_areas="Toàn quốc",
                            search_text="syn-{}/dk".format(pk),
                        )
                    )  # fmt: skip
                for tag in rng.sample(tags, rng.randint(0, 2)):
                    tag_rows.append(Partner.tags.through(partner_id=pk, tag_id=tag.pk))
            Contact.objects.bulk_create(contacts, batch_size=1000)
            Relationship.objects.bulk_create(relationships, batch_size=1000)
            NgoRegistration.objects.bulk_create(registrations, batch_size=1000)
            Partner.tags.through.objects.bulk_create(tag_rows, batch_size=1000)
            made["contacts"] += len(contacts)
            made["relationships"] += len(relationships)
            made["registrations"] += len(registrations)
    report(
        "partners: {partners} created with {contacts} contacts, {relationships} relationships, "
        "{registrations} NGO registrations in {seconds:.1f} s".format(seconds=time.perf_counter() - started, **made)
    )
    return made


def generate_for_scale(*, scale: str, seed: int, report=print, prefix: str = "SYN-") -> dict[str, int]:
    """The partners of ``scale``, kept by the synthetic Unions, associations and focal points."""
    units = list(
        Unit.objects.filter(code__startswith=prefix)
        .filter(kind__in=["union", "association", "department"], valid_to__isnull=True)
        .values_list("pk", flat=True)
    )
    return generate_partners(unit_ids=units, partners=SIZES.get(scale, 0), seed=seed, report=report)


def generate_synthetic(*, scale: str, seed: int, report=print) -> dict[str, int]:
    """The extension entry point of ``generate_synthetic`` (its EXTENSIONS)."""
    return generate_for_scale(scale=scale, seed=seed, report=report)


def delete_synthetic(prefix: str = "SYN-") -> int:
    return delete_synthetic_partners(prefix)
