"""Workflow on partners and countries: enter and change partners with their contacts,
relationships and NGO registrations; keep the partnership frameworks of each country; find
duplicates; merge two partners into one.

Every function is keyword-only, checks the caller's right through ``for_user`` and calls
``full_clean()`` before writing; the change log records what they do (signals)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.accounts.models import Unit, User
from apps.core.querysets import CHANGE, VIEW
from apps.partners.models import (
    Contact,
    Country,
    CountryGroup,
    NgoRegistration,
    Partner,
    PartnershipFramework,
    Relationship,
    Tag,
    name_key,
)

# -- permissions -------------------------------------------------------------------------------


def _check_unit(by: User | None, unit: Unit) -> None:
    if by is not None and not Unit.objects.for_user(by, CHANGE).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not keep partners for “{}”.").format(unit))


def _check_partner(by: User | None, partner: Partner) -> None:
    if by is not None and not Partner.objects.for_user(by, CHANGE).filter(pk=partner.pk).exists():
        raise PermissionDenied(_("You may not change the partner “{}”.").format(partner))


def _check_reference(by: User | None) -> None:
    if by is not None and not Country.objects.for_user(by, CHANGE).exists():
        raise PermissionDenied(_("Only an administrator may change countries and partnership frameworks."))


# -- countries and frameworks -------------------------------------------------------------------


def library_countries() -> list[dict]:
    """Every ISO 3166-1 country from pycountry, named in Vietnamese and English by Babel (CLDR)."""
    import pycountry
    from babel import Locale

    vi, en = Locale("vi").territories, Locale("en").territories
    rows = []
    for country in pycountry.countries:
        code = country.alpha_2
        rows.append(
            {
                "code": code,
                "alpha3": country.alpha_3,
                "name_vi": vi.get(code) or getattr(country, "common_name", None) or country.name,
                "name_en": en.get(code) or getattr(country, "common_name", None) or country.name,
                "official_name": getattr(country, "official_name", "") or "",
            }
        )
    return rows


@transaction.atomic
def country_sync_from_library(*, by: User | None = None) -> int:
    """Add the countries the library knows and the table lacks (names already there are kept: an
    administrator may have corrected them). Returns how many were added."""
    _check_reference(by)
    existing = set(Country.objects.values_list("code", flat=True))
    new = [Country(**row) for row in library_countries() if row["code"] not in existing]
    for country in new:
        country.search_text = country.build_search_text()
    # Reference rows from a library, not anybody's edit: no change log, like synthetic data.
    Country.objects.bulk_create(new, batch_size=500)
    return len(new)


@transaction.atomic
def country_update(*, country: Country, by: User | None, groups=None) -> Country:
    _check_reference(by)
    country.full_clean()
    country.save()
    if groups is not None:
        country.groups.set(groups)
    return country


def country_refresh_framework(country: Country) -> None:
    """Copy the latest framework step onto the country (for lists and filters)."""
    latest = country.frameworks.order_by("-established_on", "-id").first()
    level = latest.level if latest else ""
    since = latest.established_on if latest else None
    if (country.framework_level, country.framework_since) != (level, since):
        country.framework_level, country.framework_since = level, since
        country.save(update_fields=["framework_level", "framework_since"])


@transaction.atomic
def framework_save(*, framework: PartnershipFramework, by: User | None) -> PartnershipFramework:
    """Add or change one step of a country's framework history."""
    _check_reference(by)
    framework.full_clean()
    framework.save()
    country_refresh_framework(framework.country)
    return framework


@transaction.atomic
def framework_delete(*, framework: PartnershipFramework, by: User | None) -> None:
    _check_reference(by)
    country = framework.country
    framework.delete()
    country_refresh_framework(country)


@transaction.atomic
def group_save(*, group: CountryGroup, by: User | None, countries=None) -> CountryGroup:
    _check_reference(by)
    group.full_clean()
    group.save()
    if countries is not None:
        group.countries.set(countries)
    return group


# -- partners ----------------------------------------------------------------------------------


def tags_from_names(names) -> list[Tag]:
    """Tags by name, created when new; 'Giáo dục' and 'giáo dục' are one tag."""
    tags = []
    known = {name_key(t.name): t for t in Tag.objects.all()}
    for raw in names or ():
        text = " ".join(str(raw).split())[:100]
        if not text:
            continue
        key = name_key(text)
        tag = known.get(key)
        if tag is None:
            tag = Tag(name=text)
            tag.full_clean()
            tag.save()
            known[key] = tag
        if tag not in tags:
            tags.append(tag)
    return tags


@transaction.atomic
def partner_create(*, by: User | None, unit: Unit, tags=(), shared_units=(), **fields) -> Partner:
    _check_unit(by, unit)
    partner = Partner(unit=unit, **fields)
    partner.full_clean()
    partner.save()
    if tags:
        partner.tags.set(tags)
    if shared_units:
        partner.shared_units.set(shared_units)
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, by: User | None, tags=None, shared_units=None) -> Partner:
    """Save the changed fields of ``partner``; the new owning unit must be one the caller keeps."""
    _check_partner(by, partner)
    _check_unit(by, partner.unit)
    partner.full_clean()
    partner.save()
    if tags is not None:
        partner.tags.set(tags)
    if shared_units is not None:
        partner.shared_units.set(shared_units)
    return partner


@transaction.atomic
def partner_delete(*, partner: Partner, by: User | None) -> None:
    _check_partner(by, partner)
    # Activities, agreements and aid items name their partners through link tables, which a
    # delete empties without a word: a partner still named there is refused like a protected one.
    linked = [
        str(label)
        for label, related in (
            (_("activities"), "activities"),
            (_("agreements"), "agreements"),
            (_("aid items it implements"), "aid_implemented"),
        )
        if hasattr(partner, related) and getattr(partner, related).exists()
    ]
    if linked:
        raise ValidationError(
            _("“{}” cannot be deleted: {} still name it. Merge it into another partner instead.").format(
                partner, ", ".join(linked)
            )
        )
    try:
        partner.delete()
    except models.ProtectedError as exc:
        raise ValidationError(
            _("“{}” cannot be deleted: other records still refer to it. Merge it into another partner instead.").format(
                partner
            )
        ) from exc


# -- duplicates --------------------------------------------------------------------------------

#: words that say what kind of place or body a name is, not which one ("Tỉnh Prey Veng" ~ "Prey Veng")
GENERIC_WORDS = {
    "tinh", "thanh", "pho", "province", "city", "prefecture", "khet", "khaeng", "khoueng", "kheuang",
    "the", "of", "hoi", "association", "to", "chuc", "organisation", "organization",
}  # fmt: skip
#: similarity (0–100, rapidfuzz) at or above which two names count as "very close"
SIMILARITY = 90
#: how many partners of one country fuzzy matching looks at
FUZZY_POOL = 20_000


def _core(key: str) -> str:
    words = [w for w in key.split() if w not in GENERIC_WORDS]
    return " ".join(words) or key


@dataclass
class Duplicate:
    partner: Partner
    score: int  # 100 = the same name once folded
    name: str  # which of its names matched

    @property
    def exact(self) -> bool:
        return self.score >= 100


def partner_duplicates(
    *, name: str, name_vi: str = "", name_en: str = "", country=None, user=None, exclude_pk=None, limit: int = 10
) -> list[Duplicate]:
    """Partners (visible to ``user``) whose name is the same as one of the given names once case,
    diacritics and punctuation are folded away, or very close to it (rapidfuzz ≥ ``SIMILARITY``
    after dropping generic words such as "tỉnh", "province"). Exact matches are looked up by the
    indexed name key everywhere; close ones among the partners of the same country."""
    from rapidfuzz import fuzz, process

    keys = {k for k in (name_key(name), name_key(name_vi), name_key(name_en)) if k}
    if not keys:
        return []
    base = Partner.objects.for_user(user, VIEW) if user is not None else Partner.objects.all()
    if exclude_pk:
        base = base.exclude(pk=exclude_pk)
    found: dict[int, Duplicate] = {}
    for partner in base.filter(name_key__in=keys).select_related("country", "unit")[:limit]:
        found[partner.pk] = Duplicate(partner, 100, partner.name_vi or partner.name)
    # The stored key is of one name (Vietnamese, else original): a partner's English or original
    # name written exactly is the same partner too ("Prey Veng Province", "World Vision International").
    given = [n.strip() for n in (name, name_vi, name_en) if n and n.strip()]
    same = Q()
    for text in given:
        same |= Q(name__iexact=text) | Q(name_en__iexact=text) | Q(name_vi__iexact=text)
    for partner in base.filter(same).exclude(pk__in=list(found)).select_related("country", "unit")[:limit]:
        found[partner.pk] = Duplicate(partner, 100, partner.name_vi or partner.name)
    country_id = getattr(country, "pk", country)
    # Close names among the partners of the same country; with no country given, among all (a
    # partner entered without its country is still "Prey Veng" of Cambodia).
    pool = base.filter(country_id=country_id) if country_id else base
    choices = {}
    for pk, *names in pool.values_list("pk", "name", "name_vi", "name_en")[:FUZZY_POOL]:
        for index, text in enumerate(names):
            if text:
                choices[(pk, index)] = (_core(name_key(text)), text)
    cores = {_core(k) for k in keys}
    strings = {ident: core for ident, (core, _text) in choices.items()}
    for core in cores:
        for _match, score, ident in process.extract(
            core, strings, scorer=fuzz.ratio, score_cutoff=SIMILARITY, limit=limit * 3
        ):
            pk = ident[0]
            score = 100 if any(name_key(choices[ident][1]) == k for k in keys) else min(int(score), 99)
            if pk not in found or found[pk].score < score:
                found[pk] = Duplicate(None, score, choices[ident][1])
    missing = [pk for pk, d in found.items() if d.partner is None]
    if missing:
        rows = base.filter(pk__in=missing).select_related("country", "unit").in_bulk()
        for pk in missing:
            found[pk].partner = rows.get(pk)
    result = [d for d in found.values() if d.partner is not None]
    result.sort(key=lambda d: (-d.score, d.partner.pk))
    return result[:limit]


# -- merge -------------------------------------------------------------------------------------


@dataclass
class LinkCount:
    label: str
    moved: int
    dropped: int = 0  # already linked to the survivor in the same way: the duplicate's row goes


def _unique_sets(model, field_name: str) -> list[tuple[str, ...]]:
    """The unique field sets of ``model`` that include the link field."""
    sets = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and field_name in constraint.fields:
            if constraint.condition is None:
                sets.append(tuple(constraint.fields))
    for together in model._meta.unique_together:
        if field_name in together:
            sets.append(tuple(together))
    field = model._meta.get_field(field_name)
    if field.unique:
        sets.append((field_name,))
    return sets


def _generic_links(partner_type):
    from apps.core.models import Attachment, JournalEntry

    return [(JournalEntry, _("notes")), (Attachment, _("files"))]


def _relations():
    """Every link to Partner from any installed app — found, not listed, so apps added later
    (activities, agreements, aid) are merged too."""
    yield from Partner._meta.related_objects


def _conflicting(model, field_name, survivor, duplicate):
    """Rows of the duplicate that would break a unique rule once pointed at the survivor."""
    doomed = set()
    for fields in _unique_sets(model, field_name):
        others = [f for f in fields if f != field_name]
        mine = model._base_manager.filter(**{field_name: survivor})
        theirs = model._base_manager.filter(**{field_name: duplicate})
        if not others:
            if mine.exists():
                doomed |= set(theirs.values_list("pk", flat=True))
            continue
        taken = set(mine.values_list(*others))
        for pk, *values in theirs.values_list("pk", *others):
            if tuple(values) in taken:
                doomed.add(pk)
    return doomed


def partner_merge_preview(*, survivor: Partner, duplicate: Partner) -> dict:
    """What a merge would do, without doing it: links to move per kind, fields to fill."""
    links = []
    for rel in _relations():
        model = rel.related_model
        label = str(model._meta.verbose_name_plural)
        if sum(1 for other in _relations() if other.related_model is model) > 1:
            # two links to the same kind of record (an aid item's donor, its implementers): say which
            label = "{} ({})".format(label, rel.field.verbose_name)
        if rel.many_to_many:
            through = rel.through
            src = rel.field.m2m_reverse_field_name()
            dst = rel.field.m2m_field_name()
            theirs = through.objects.filter(**{src: duplicate.pk})
            mine = set(through.objects.filter(**{src: survivor.pk}).values_list(dst, flat=True))
            total = theirs.count()
            dropped = theirs.filter(**{dst + "__in": mine}).count()
            if total:
                links.append(LinkCount(label, total - dropped, dropped))
            continue
        name = rel.field.name
        total = model._base_manager.filter(**{name: duplicate}).count()
        if total:
            dropped = len(_conflicting(model, name, survivor, duplicate))
            links.append(LinkCount(label, total - dropped, dropped))
    partner_type = ContentType.objects.get_for_model(Partner)
    for model, label in _generic_links(partner_type):
        total = model.objects.filter(object_type=partner_type, object_id=duplicate.pk).count()
        if total:
            links.append(LinkCount(str(label), total))
    for field_name, label in (("tags", _("tags")), ("shared_units", _("shared with"))):
        extra = getattr(duplicate, field_name).exclude(pk__in=getattr(survivor, field_name).values("pk")).count()
        if extra:
            links.append(LinkCount(str(label), extra))
    return {"links": links, "fill": _fillable(survivor, duplicate)}


#: fields of the survivor that a merge fills from the duplicate when they are empty
FILLABLE = ("name_vi", "name_en", "abbreviation", "country", "locality", "address", "website", "email", "phone",
            "description", "iati_ref")  # fmt: skip


def _fillable(survivor, duplicate) -> list[tuple[str, object]]:
    out = []
    for name in FILLABLE:
        field = Partner._meta.get_field(name)
        mine, theirs = getattr(survivor, field.attname), getattr(duplicate, field.attname)
        if mine in (None, "") and theirs not in (None, ""):
            out.append((str(field.verbose_name), getattr(duplicate, name)))
    return out


@transaction.atomic
def partner_merge(*, survivor: Partner, duplicate: Partner, by: User | None) -> dict:
    """Merge ``duplicate`` into ``survivor``: every link to the duplicate (contacts,
    relationships, registrations, notes, files, tags, shared units, and any foreign key or
    many-to-many to Partner in other apps) moves to the survivor; empty fields of the survivor are
    filled from the duplicate; the duplicate is deleted. A link the survivor already has in the
    same way (a unique rule) is not doubled. Everything is in the change log, and a note on the
    survivor says what was merged. Returns the counts per kind of link."""
    from apps.core.changelog import snapshot
    from apps.core.models import JournalEntry, ObjectChange
    from apps.core.signals import is_logged, record_change

    if survivor.pk == duplicate.pk:
        raise ValidationError(_("Choose two different partners to merge."))
    _check_partner(by, survivor)
    _check_partner(by, duplicate)
    survivor = Partner.objects.select_for_update().get(pk=survivor.pk)
    duplicate = Partner.objects.select_for_update().get(pk=duplicate.pk)
    counts = partner_merge_preview(survivor=survivor, duplicate=duplicate)
    combined: list[str] = []
    for rel in _relations():
        model = rel.related_model
        if rel.many_to_many:
            through = rel.through
            src = rel.field.m2m_reverse_field_name()
            dst = rel.field.m2m_field_name()
            # Each activity, agreement or aid item whose partners change gets its change-log row
            # (before and after), as when its form changes them; the links move in two queries.
            owners = list(model._base_manager.filter(**{rel.field.name: duplicate}))
            logged = is_logged(model)
            before = {owner.pk: snapshot(owner) for owner in owners} if logged else {}
            mine = set(through.objects.filter(**{src: survivor.pk}).values_list(dst, flat=True))
            through.objects.filter(**{src: duplicate.pk, dst + "__in": mine}).delete()
            through.objects.filter(**{src: duplicate.pk}).update(**{src: survivor.pk})
            for owner in owners if logged else ():
                record_change(owner, ObjectChange.Action.UPDATE, before[owner.pk], snapshot(owner))
            continue
        name = rel.field.name
        doomed = _conflicting(model, name, survivor, duplicate)
        if model is Relationship and doomed:
            combined += _combine_relationships(survivor, model._base_manager.filter(pk__in=doomed))
        for row in model._base_manager.filter(pk__in=doomed):
            row.delete()  # logged: the survivor already has this link (a relationship: combined into it)
        # Each moved row is saved, so the change log shows it now points at the survivor.
        for row in model._base_manager.filter(**{name: duplicate}).iterator(chunk_size=500):
            setattr(row, name, survivor)
            row.save(update_fields=[rel.field.attname])
    partner_type = ContentType.objects.get_for_model(Partner)
    for model, _label in _generic_links(partner_type):
        for row in model.objects.filter(object_type=partner_type, object_id=duplicate.pk):
            row.object_id = survivor.pk
            row.unit_id = survivor.unit_id
            row.save(update_fields=["object_id", "unit"])
    survivor.tags.add(*duplicate.tags.all())
    survivor.shared_units.add(*duplicate.shared_units.exclude(pk=survivor.unit_id))
    for field_name in FILLABLE:
        attname = Partner._meta.get_field(field_name).attname
        if getattr(survivor, attname) in (None, "") and getattr(duplicate, attname) not in (None, ""):
            setattr(survivor, attname, getattr(duplicate, attname))
    described = "{} (#{}; {})".format(
        duplicate, duplicate.pk, " / ".join(n for n in (duplicate.name, duplicate.name_vi, duplicate.name_en) if n)
    )
    duplicate.delete()
    survivor.full_clean()
    survivor.save()
    summary = "; ".join(
        "{}: {}".format(link.label, link.moved)
        + (" (+{} {})".format(link.dropped, _("already linked")) if link.dropped else "")
        for link in counts["links"]
    )
    JournalEntry.objects.create(
        object_type=partner_type,
        object_id=survivor.pk,
        unit_id=survivor.unit_id,
        created_by=by,
        kind=JournalEntry.Kind.INFO,
        comments=_("Merged the duplicate partner {duplicate} into this one. Moved: {summary}.").format(
            duplicate=described, summary=summary or _("nothing")
        )
        + (" " + " ".join(combined) if combined else ""),
    )
    return {"survivor": survivor, "links": counts["links"]}


def _join(first: str, second: str, separator: str) -> str:
    first, second = (first or "").strip(), (second or "").strip()
    if not second or second in first:
        return first
    if not first or first in second:
        return second
    return first + separator + second


def _combine_relationships(survivor: Partner, theirs) -> list[str]:
    """Fold each relationship of the duplicate into the survivor's of the same unit and kind
    (one per unit and kind is allowed) instead of losing it: the earlier "since" (the older record
    is usually the true start), the later "until", both descriptions and sources. Each survivor
    row is saved (change-logged); returns a sentence per combined relationship for the note."""
    said = []
    for row in theirs:
        mine = Relationship._base_manager.filter(partner=survivor, unit_id=row.unit_id, kind=row.kind).first()
        if mine is None:
            continue
        if row.since and (mine.since is None or row.since < mine.since):
            mine.since = row.since
        if row.until and mine.until and row.until > mine.until:
            mine.until = row.until
        mine.description = _join(mine.description, row.description, "\n")
        mine.source = _join(mine.source, row.source, "; ")[: Relationship._meta.get_field("source").max_length]
        mine.full_clean()
        mine.save()
        said.append(
            _("The relationship “{}” was combined with the duplicate's (since, description and source).").format(mine)
        )
    return said


# -- contacts, relationships, registrations ----------------------------------------------------


def _save_child(obj, by: User | None, partner: Partner):
    _check_partner(by, partner)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def contact_save(*, contact: Contact, by: User | None) -> Contact:
    return _save_child(contact, by, contact.partner)


@transaction.atomic
def contact_delete(*, contact: Contact, by: User | None) -> None:
    _check_partner(by, contact.partner)
    contact.delete()


@transaction.atomic
def registration_save(*, registration: NgoRegistration, by: User | None) -> NgoRegistration:
    return _save_child(registration, by, registration.partner)


@transaction.atomic
def registration_delete(*, registration: NgoRegistration, by: User | None) -> None:
    _check_partner(by, registration.partner)
    registration.delete()


def _check_relationship(by: User | None, relationship: Relationship) -> None:
    """Our unit must be one the caller keeps, and the caller must see the partner."""
    if by is None:
        return
    _check_unit(by, relationship.unit)
    if not Partner.objects.for_user(by, VIEW).filter(pk=relationship.partner_id).exists():
        raise PermissionDenied(_("You may not see this partner."))


@transaction.atomic
def relationship_save(*, relationship: Relationship, by: User | None) -> Relationship:
    if relationship.pk and by is not None:
        if not Relationship.objects.for_user(by, CHANGE).filter(pk=relationship.pk).exists():
            raise PermissionDenied(_("You may not change this relationship."))
    _check_relationship(by, relationship)
    relationship.full_clean()
    relationship.save()
    return relationship


@transaction.atomic
def relationship_delete(*, relationship: Relationship, by: User | None) -> None:
    if by is not None and not Relationship.objects.for_user(by, CHANGE).filter(pk=relationship.pk).exists():
        raise PermissionDenied(_("You may not change this relationship."))
    relationship.delete()


# -- selectors used by pages and the API -------------------------------------------------------


def registrations_expiring(*, user, within_days: int = 90, today=None):
    """NGO registrations visible to ``user`` that expire within ``within_days`` (and those already
    expired in the last 30 days, so a lapse is not missed), soonest first."""
    from datetime import timedelta

    from django.utils import timezone

    today = today or timezone.localdate()
    return (
        NgoRegistration.objects.for_user(user, VIEW)
        .filter(expires_on__gte=today - timedelta(days=30), expires_on__lte=today + timedelta(days=within_days))
        .select_related("partner", "partner__country", "partner__unit")
        .order_by("expires_on", "id")
    )
