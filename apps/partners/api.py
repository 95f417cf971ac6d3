"""Partners, their contacts, relationships and NGO registrations, and countries with their
partnership frameworks, over the API. The services do the work; scoping is the pages'."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from apps.accounts.models import Unit
from apps.core.api_utils import PageInfo, check_version, choice, filtered, page
from apps.core.querysets import CHANGE, VIEW
from apps.partners import services
from apps.partners.filtersets import CountryFilterSet, PartnerAPIFilterSet, RegistrationFilterSet, RelationshipFilterSet
from apps.partners.models import (
    Contact,
    Country,
    FrameworkLevel,
    NgoRegistration,
    Partner,
    PartnershipFramework,
    Relationship,
)

router = Router(tags=["partners"])


def _get(model, request, pk, action=VIEW):
    obj = model.objects.for_user(request.user, VIEW).filter(pk=pk).first()
    if obj is None:
        raise Http404
    if action != VIEW and not model.objects.for_user(request.user, action).filter(pk=pk).exists():
        raise HttpError(403, _("You may see this record but not change it."))
    return obj


# -- countries ---------------------------------------------------------------------------------


class FrameworkOut(Schema):
    id: int
    country_id: int
    level: str
    established_on: date
    precision: str
    source: str
    notes: str
    version: int


class CountryOut(Schema):
    id: int
    code: str
    alpha3: str
    name_vi: str
    name_en: str
    official_name: str
    groups: list[str]
    framework_level: str
    framework_since: date | None
    notes: str
    version: int

    @staticmethod
    def resolve_groups(obj):
        return [g.slug for g in obj.groups.all()]


class CountryPage(Schema):
    items: list[CountryOut]
    page: PageInfo


class CountryPatch(Schema):
    version: int
    name_vi: str | None = Field(None, min_length=1, max_length=200)
    name_en: str | None = Field(None, min_length=1, max_length=200)
    official_name: str | None = Field(None, max_length=300)
    notes: str | None = Field(None, max_length=10000)
    groups: list[str] | None = Field(None, description="slugs: neighbours, asean, major-powers …")


class FrameworkIn(Schema):
    level: str = Field(..., description="special | comprehensive_strategic | strategic | comprehensive")
    established_on: date
    precision: str = Field("day", description="day | month | year")
    source: str = Field(..., min_length=1, max_length=500)
    notes: str = Field("", max_length=5000)


class FrameworkPatch(Schema):
    version: int
    level: str | None = None
    established_on: date | None = None
    precision: str | None = None
    source: str | None = Field(None, min_length=1, max_length=500)
    notes: str | None = Field(None, max_length=5000)


class CountryFilters(Schema):
    q: str | None = None
    group: int | None = None
    framework_level: str | None = None


def _country(request, ref: str, action=VIEW) -> Country:
    """A country by ID or ISO code."""
    ref = (ref or "").strip()
    if ref.isdecimal() and len(ref) < 19:
        pk = int(ref)
    else:
        pk = (
            Country.objects.filter(code=ref.upper()[:2]).values_list("pk", flat=True).first() if len(ref) == 2 else None
        )
        if pk is None:
            raise Http404
    return _get(Country, request, pk, action)


@router.get("/countries/", response=CountryPage, summary="Quốc gia / List countries")
def list_countries(request: HttpRequest, filters: Query[CountryFilters], limit: int = 50, offset: int = 0):
    qs = filtered(CountryFilterSet, request, Country.objects.for_user(request.user).prefetch_related("groups"))
    rows, info = page(qs, limit, offset)
    return {"items": rows, "page": info}


@router.get("/countries/{ref}/", response=CountryOut, summary="Một quốc gia (ID hoặc mã ISO) / One country")
def get_country(request: HttpRequest, ref: str):
    return _country(request, ref)


@router.patch("/countries/{ref}/", response=CountryOut, summary="Sửa quốc gia / Update a country")
def update_country(request: HttpRequest, ref: str, payload: CountryPatch):
    from apps.partners.models import CountryGroup

    country = _country(request, ref, CHANGE)
    data = payload.dict(exclude_unset=True)
    check_version(data.pop("version"), country)
    groups = None
    if data.get("groups") is not None:
        slugs = data.pop("groups")
        groups = list(CountryGroup.objects.filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {g.slug for g in groups})
        if unknown:
            raise ValidationError({"groups": _("Unknown group(s): {}.").format(", ".join(unknown)[:200])})
    data.pop("groups", None)
    for name, value in data.items():
        if value is not None:
            setattr(country, name, value)
    return services.country_update(country=country, by=request.user, groups=groups)


@router.get("/countries/{ref}/frameworks/", response=list[FrameworkOut], summary="Khuôn khổ quan hệ / Frameworks")
def list_frameworks(request: HttpRequest, ref: str):
    return list(_country(request, ref).frameworks.order_by("-established_on", "-id"))


@router.post(
    "/countries/{ref}/frameworks/", response={201: FrameworkOut}, summary="Thêm khuôn khổ / Add a framework step"
)
def create_framework(request: HttpRequest, ref: str, payload: FrameworkIn):
    country = _country(request, ref, CHANGE)
    choice(payload.level, FrameworkLevel.values, "level", optional=True)
    choice(payload.precision, PartnershipFramework.Precision.values, "precision", optional=True)
    framework = PartnershipFramework(country=country, **payload.dict())
    return Status(201, services.framework_save(framework=framework, by=request.user))


@router.patch("/frameworks/{framework_id}/", response=FrameworkOut, summary="Sửa khuôn khổ / Update a framework step")
def update_framework(request: HttpRequest, framework_id: int, payload: FrameworkPatch):
    framework = _get(PartnershipFramework, request, framework_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    check_version(data.pop("version"), framework)
    choice(data.get("level"), FrameworkLevel.values, "level", optional=True)
    choice(data.get("precision"), PartnershipFramework.Precision.values, "precision", optional=True)
    for name, value in data.items():
        if value is not None:
            setattr(framework, name, value)
    return services.framework_save(framework=framework, by=request.user)


@router.delete("/frameworks/{framework_id}/", response={204: None}, summary="Xóa khuôn khổ / Delete a framework step")
def delete_framework(request: HttpRequest, framework_id: int):
    services.framework_delete(framework=_get(PartnershipFramework, request, framework_id, CHANGE), by=request.user)
    return Status(204, None)


# -- partners ----------------------------------------------------------------------------------


class PartnerOut(Schema):
    id: int
    kind: str
    name: str
    name_vi: str
    name_en: str
    abbreviation: str
    country: str | None = Field(None, description="ISO code")
    locality: str
    address: str
    website: str
    email: str
    phone: str
    description: str
    tags: list[str]
    status: str
    iati_ref: str
    unit_id: int
    shared_unit_ids: list[int]
    version: int
    last_updated: datetime

    @staticmethod
    def resolve_country(obj):
        return obj.country.code if obj.country_id else None

    @staticmethod
    def resolve_tags(obj):
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_shared_unit_ids(obj):
        return [u.pk for u in obj.shared_units.all()]


class PartnerPage(Schema):
    items: list[PartnerOut]
    page: PageInfo


class PartnerFilters(Schema):
    q: str | None = Field(None, description="Tên, viết tắt, địa phương (không phân biệt dấu) / name, any spelling")
    kind: str | None = None
    country: str | None = Field(None, description="ISO code, e.g. KH")
    status: str | None = None
    unit: str | None = Field(None, description="owning unit code")
    iati_ref: str | None = None


PARTNER_TEXT = ("name", "name_vi", "name_en", "abbreviation", "locality", "address", "website", "email", "phone",
                "description", "iati_ref")  # fmt: skip


class PartnerIn(Schema):
    kind: str = Field(..., description=" | ".join(Partner.Kind.values))
    name: str = Field(..., min_length=1, max_length=300)
    name_vi: str = Field("", max_length=300)
    name_en: str = Field("", max_length=300)
    abbreviation: str = Field("", max_length=50)
    country: str | None = Field(None, description="ISO code, e.g. KH")
    locality: str = Field("", max_length=200)
    address: str = Field("", max_length=500)
    website: str = Field("", max_length=300)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    description: str = Field("", max_length=20000)
    tags: list[str] = Field(default_factory=list, max_length=20)
    status: str = "active"
    iati_ref: str = Field("", max_length=100)
    unit_id: int
    shared_unit_ids: list[int] = Field(default_factory=list, max_length=200)
    confirm_distinct: bool = Field(False, description="true to save although similar partners exist")


class PartnerPatch(Schema):
    version: int
    kind: str | None = None
    name: str | None = Field(None, min_length=1, max_length=300)
    name_vi: str | None = Field(None, max_length=300)
    name_en: str | None = Field(None, max_length=300)
    abbreviation: str | None = Field(None, max_length=50)
    country: str | None = None
    locality: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=500)
    website: str | None = Field(None, max_length=300)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=50)
    description: str | None = Field(None, max_length=20000)
    tags: list[str] | None = Field(None, max_length=20)
    status: str | None = None
    iati_ref: str | None = Field(None, max_length=100)
    unit_id: int | None = None
    shared_unit_ids: list[int] | None = Field(None, max_length=200)


class DuplicateOut(Schema):
    id: int
    name: str
    display_name: str
    country: str | None
    score: int
    exact: bool


class MergeIn(Schema):
    duplicate_id: int = Field(..., ge=1, le=2**62)


class LinkCountOut(Schema):
    label: str
    moved: int
    dropped: int


class MergeOut(Schema):
    survivor: PartnerOut
    links: list[LinkCountOut]


def _partner_reads(qs):
    return qs.select_related("country").prefetch_related("tags", "shared_units")


def _partner(request, pk, action=VIEW) -> Partner:
    _get(Partner, request, pk, action)
    return _partner_reads(Partner.objects.filter(pk=pk)).get()


def _country_by_code(value):
    if value in (None, ""):
        return None
    country = (
        Country.objects.filter(code=str(value).strip().upper()[:2]).first() if len(str(value).strip()) == 2 else None
    )
    if country is None:
        raise ValidationError(
            {"country": _("No country has the code “{}” (use the ISO code, e.g. KH).").format(str(value)[:20])}
        )
    return country


def _shared_units(request, ids):
    from apps.partners.forms import shareable_units

    units = list(shareable_units(request.user).filter(pk__in=ids))
    unknown = sorted(set(ids) - {u.pk for u in units})
    if unknown:
        raise ValidationError(
            {
                "shared_unit_ids": _("No unit with the ID(s) {} that a partner may be shared with.").format(
                    ", ".join(str(i) for i in unknown[:10])
                )
            }
        )
    return units


def _duplicates_out(found) -> list[dict]:
    return [
        {
            "id": d.partner.pk,
            "name": d.partner.name,
            "display_name": d.partner.display_name,
            "country": d.partner.country.code if d.partner.country_id else None,
            "score": d.score,
            "exact": d.exact,
        }
        for d in found
    ]


@router.get("/partners/", response=PartnerPage, summary="Đối tác / List partners")
def list_partners(request: HttpRequest, filters: Query[PartnerFilters], limit: int = 50, offset: int = 0):
    qs = filtered(PartnerAPIFilterSet, request, _partner_reads(Partner.objects.for_user(request.user)))
    rows, info = page(qs, limit, offset)
    return {"items": rows, "page": info}


@router.get("/partners/duplicates/", response=list[DuplicateOut], summary="Tìm đối tác trùng / Find duplicates")
def find_duplicates(
    request: HttpRequest,
    name: str = Query(..., min_length=1, max_length=300),
    name_vi: str = Query("", max_length=300),
    name_en: str = Query("", max_length=300),
    country: str | None = Query(None, max_length=3),
):
    found = services.partner_duplicates(
        name=name, name_vi=name_vi, name_en=name_en, country=_country_by_code(country), user=request.user
    )
    return _duplicates_out(found)


@router.get("/partners/{partner_id}/", response=PartnerOut, summary="Một đối tác / One partner")
def get_partner(request: HttpRequest, partner_id: int):
    return _partner(request, partner_id)


@router.post(
    "/partners/",
    response={201: PartnerOut, 409: dict},
    summary="Thêm đối tác / Create a partner",
    description="Answers 409 with the similar partners unless confirm_distinct is true.",
)
def create_partner(request: HttpRequest, payload: PartnerIn):
    data = payload.dict()
    choice(data["kind"], Partner.Kind.values, "kind", optional=True)
    choice(data["status"], Partner.Status.values, "status", optional=True)
    unit = Unit.objects.for_user(request.user, CHANGE).filter(pk=data.pop("unit_id")).first()
    if unit is None:
        raise ValidationError({"unit_id": _("No unit with this ID that you may keep partners for.")})
    country = _country_by_code(data.pop("country"))
    shared = _shared_units(request, data.pop("shared_unit_ids"))
    tag_names = data.pop("tags")
    if not any(char.isalnum() for char in data["name"] or ""):
        # before the duplicate search: a name without letters folds to an empty key, "like" nothing
        raise ValidationError({"name": _("The name must contain letters or digits, not only spaces or punctuation.")})
    if not data.pop("confirm_distinct"):
        found = services.partner_duplicates(
            name=data["name"], name_vi=data["name_vi"], name_en=data["name_en"], country=country, user=request.user
        )
        if found:
            # Errors keep the contract's shape; each names one similar partner.
            errors = [
                {"loc": ["name"], "msg": "{} (#{}, {}%)".format(d["display_name"], d["id"], d["score"]), **d}
                for d in _duplicates_out(found)
            ]
            detail = _("This partner may already exist; send confirm_distinct=true to save it anyway.")
            return Status(409, {"detail": detail, "errors": errors})
    tags = services.tags_from_names(tag_names)
    partner = services.partner_create(
        by=request.user, unit=unit, country=country, tags=tags, shared_units=shared, **data
    )
    return Status(201, _partner(request, partner.pk))


@router.patch("/partners/{partner_id}/", response=PartnerOut, summary="Sửa đối tác / Update a partner")
def update_partner(request: HttpRequest, partner_id: int, payload: PartnerPatch):
    partner = _partner(request, partner_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    check_version(data.pop("version"), partner)
    choice(data.get("kind"), Partner.Kind.values, "kind", optional=True)
    choice(data.get("status"), Partner.Status.values, "status", optional=True)
    if "country" in data:
        partner.country = _country_by_code(data.pop("country"))
    if data.get("unit_id") is not None:
        unit = Unit.objects.for_user(request.user, CHANGE).filter(pk=data.pop("unit_id")).first()
        if unit is None:
            raise ValidationError({"unit_id": _("No unit with this ID that you may keep partners for.")})
        partner.unit = unit
    data.pop("unit_id", None)
    tags = services.tags_from_names(data.pop("tags")) if data.get("tags") is not None else None
    data.pop("tags", None)
    shared = _shared_units(request, data.pop("shared_unit_ids")) if data.get("shared_unit_ids") is not None else None
    data.pop("shared_unit_ids", None)
    for name, value in data.items():
        if name in PARTNER_TEXT:
            setattr(partner, name, value or "")
        elif value is not None:
            setattr(partner, name, value)
    services.partner_update(partner=partner, by=request.user, tags=tags, shared_units=shared)
    return _partner(request, partner.pk)


@router.delete("/partners/{partner_id}/", response={204: None}, summary="Xóa đối tác / Delete a partner")
def delete_partner(request: HttpRequest, partner_id: int):
    services.partner_delete(partner=_partner(request, partner_id, CHANGE), by=request.user)
    return Status(204, None)


@router.post(
    "/partners/{partner_id}/merge/",
    response=MergeOut,
    summary="Gộp đối tác trùng / Merge a duplicate into this partner",
)
def merge_partner(request: HttpRequest, partner_id: int, payload: MergeIn):
    survivor = _partner(request, partner_id, CHANGE)
    duplicate = _get(Partner, request, payload.duplicate_id, CHANGE)
    result = services.partner_merge(survivor=survivor, duplicate=duplicate, by=request.user)
    return {
        "survivor": _partner(request, survivor.pk),
        "links": [{"label": link.label, "moved": link.moved, "dropped": link.dropped} for link in result["links"]],
    }


# -- contacts ----------------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    partner_id: int
    name: str
    role: str
    phone: str
    email: str
    notes: str
    is_primary: bool
    version: int


class ContactPage(Schema):
    items: list[ContactOut]
    page: PageInfo


class ContactIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    role: str = Field("", max_length=200)
    phone: str = Field("", max_length=50)
    email: str = Field("", max_length=254)
    notes: str = Field("", max_length=5000)
    is_primary: bool = False


class ContactPatch(Schema):
    version: int
    name: str | None = Field(None, min_length=1, max_length=200)
    role: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=50)
    email: str | None = Field(None, max_length=254)
    notes: str | None = Field(None, max_length=5000)
    is_primary: bool | None = None


def _apply(obj, data: dict, text_fields=()):
    for name, value in data.items():
        if value is None and name in text_fields:
            setattr(obj, name, "")
        elif value is not None:
            setattr(obj, name, value)


@router.get("/contacts/", response=ContactPage, summary="Người liên hệ / List contacts")
def list_contacts(
    request: HttpRequest, q: str | None = None, partner: int | None = None, limit: int = 50, offset: int = 0
):
    from apps.core.filtersets import folded_search

    qs = Contact.objects.for_user(request.user).order_by("name", "id")
    if partner is not None:
        qs = qs.filter(partner_id=partner)
    if q:
        qs = folded_search(qs, q[:200])
    rows, info = page(qs, limit, offset)
    return {"items": rows, "page": info}


@router.get("/contacts/{contact_id}/", response=ContactOut, summary="Một người liên hệ / One contact")
def get_contact(request: HttpRequest, contact_id: int):
    return _get(Contact, request, contact_id)


@router.post(
    "/partners/{partner_id}/contacts/", response={201: ContactOut}, summary="Thêm người liên hệ / Add a contact"
)
def create_contact(request: HttpRequest, partner_id: int, payload: ContactIn):
    partner = _partner(request, partner_id, CHANGE)
    return Status(201, services.contact_save(contact=Contact(partner=partner, **payload.dict()), by=request.user))


@router.patch("/contacts/{contact_id}/", response=ContactOut, summary="Sửa người liên hệ / Update a contact")
def update_contact(request: HttpRequest, contact_id: int, payload: ContactPatch):
    contact = _get(Contact, request, contact_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    check_version(data.pop("version"), contact)
    _apply(contact, data, ("role", "phone", "email", "notes"))
    return services.contact_save(contact=contact, by=request.user)


@router.delete("/contacts/{contact_id}/", response={204: None}, summary="Xóa người liên hệ / Delete a contact")
def delete_contact(request: HttpRequest, contact_id: int):
    services.contact_delete(contact=_get(Contact, request, contact_id, CHANGE), by=request.user)
    return Status(204, None)


# -- relationships -----------------------------------------------------------------------------


class RelationshipOut(Schema):
    id: int
    unit_id: int
    partner_id: int
    kind: str
    since: date | None
    until: date | None
    status: str
    description: str
    source: str
    version: int


class RelationshipPage(Schema):
    items: list[RelationshipOut]
    page: PageInfo


class RelationshipIn(Schema):
    unit_id: int
    partner_id: int
    kind: str = Field(..., description=" | ".join(Relationship.Kind.values))
    since: date | None = None
    until: date | None = None
    status: str = "active"
    description: str = Field("", max_length=5000)
    source: str = Field("", max_length=500)


class RelationshipPatch(Schema):
    version: int
    kind: str | None = None
    since: date | None = None
    until: date | None = None
    status: str | None = None
    description: str | None = Field(None, max_length=5000)
    source: str | None = Field(None, max_length=500)


class RelationshipFilters(Schema):
    q: str | None = None
    kind: str | None = None
    status: str | None = None
    unit: str | None = None
    partner: int | None = None


@router.get("/relationships/", response=RelationshipPage, summary="Quan hệ với đối tác / List relationships")
def list_relationships(request: HttpRequest, filters: Query[RelationshipFilters], limit: int = 50, offset: int = 0):
    qs = filtered(RelationshipFilterSet, request, Relationship.objects.for_user(request.user).order_by("id"))
    rows, info = page(qs, limit, offset)
    return {"items": rows, "page": info}


@router.get("/relationships/{relationship_id}/", response=RelationshipOut, summary="Một quan hệ / One relationship")
def get_relationship(request: HttpRequest, relationship_id: int):
    return _get(Relationship, request, relationship_id)


@router.post("/relationships/", response={201: RelationshipOut}, summary="Thêm quan hệ / Add a relationship")
def create_relationship(request: HttpRequest, payload: RelationshipIn):
    data = payload.dict()
    choice(data["kind"], Relationship.Kind.values, "kind", optional=True)
    choice(data["status"], Relationship.Status.values, "status", optional=True)
    unit = Unit.objects.for_user(request.user, CHANGE).filter(pk=data.pop("unit_id")).first()
    if unit is None:
        raise ValidationError({"unit_id": _("No unit with this ID that you may keep records for.")})
    partner = Partner.objects.for_user(request.user).filter(pk=data.pop("partner_id")).first()
    if partner is None:
        raise ValidationError({"partner_id": _("No partner with this ID that you may see.")})
    relationship = Relationship(unit=unit, partner=partner, **data)
    return Status(201, services.relationship_save(relationship=relationship, by=request.user))


@router.patch(
    "/relationships/{relationship_id}/", response=RelationshipOut, summary="Sửa quan hệ / Update a relationship"
)
def update_relationship(request: HttpRequest, relationship_id: int, payload: RelationshipPatch):
    relationship = _get(Relationship, request, relationship_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    check_version(data.pop("version"), relationship)
    choice(data.get("kind"), Relationship.Kind.values, "kind", optional=True)
    choice(data.get("status"), Relationship.Status.values, "status", optional=True)
    for name in ("since", "until"):
        if name in data:
            setattr(relationship, name, data.pop(name))
    _apply(relationship, data, ("description", "source"))
    return services.relationship_save(relationship=relationship, by=request.user)


@router.delete("/relationships/{relationship_id}/", response={204: None}, summary="Xóa quan hệ / Delete a relationship")
def delete_relationship(request: HttpRequest, relationship_id: int):
    services.relationship_delete(relationship=_get(Relationship, request, relationship_id, CHANGE), by=request.user)
    return Status(204, None)


# -- NGO registrations -------------------------------------------------------------------------


class RegistrationOut(Schema):
    id: int
    partner_id: int
    kind: str
    number: str
    issued_on: date
    expires_on: date
    issuer: str
    permitted_fields: str
    permitted_areas: str
    notes: str
    days_left: int
    version: int

    @staticmethod
    def resolve_days_left(obj):
        return obj.days_left()


class RegistrationPage(Schema):
    items: list[RegistrationOut]
    page: PageInfo


class RegistrationIn(Schema):
    kind: str = Field(..., description="activity (≤ 3 years) | representative_office (≤ 5 years)")
    number: str = Field(..., min_length=1, max_length=100)
    issued_on: date
    expires_on: date
    issuer: str = Field("Bộ Ngoại giao", max_length=200)
    permitted_fields: str = Field("", max_length=5000)
    permitted_areas: str = Field("", max_length=5000)
    notes: str = Field("", max_length=5000)


class RegistrationPatch(Schema):
    version: int
    kind: str | None = None
    number: str | None = Field(None, min_length=1, max_length=100)
    issued_on: date | None = None
    expires_on: date | None = None
    issuer: str | None = Field(None, max_length=200)
    permitted_fields: str | None = Field(None, max_length=5000)
    permitted_areas: str | None = Field(None, max_length=5000)
    notes: str | None = Field(None, max_length=5000)


class RegistrationFilters(Schema):
    q: str | None = None
    kind: str | None = None
    within: int | None = Field(None, description="expiring within this many days (and lapsed in the last 30)")


@router.get(
    "/ngo-registrations/", response=RegistrationPage, summary="Đăng ký của tổ chức PCPNN / List NGO registrations"
)
def list_registrations(request: HttpRequest, filters: Query[RegistrationFilters], limit: int = 50, offset: int = 0):
    qs = filtered(RegistrationFilterSet, request, NgoRegistration.objects.for_user(request.user))
    rows, info = page(qs, limit, offset)
    return {"items": rows, "page": info}


@router.get("/ngo-registrations/{registration_id}/", response=RegistrationOut, summary="Một đăng ký / One registration")
def get_registration(request: HttpRequest, registration_id: int):
    return _get(NgoRegistration, request, registration_id)


@router.post(
    "/partners/{partner_id}/registrations/",
    response={201: RegistrationOut},
    summary="Thêm đăng ký (Nghị định 58/2022/NĐ-CP) / Add an NGO registration",
)
def create_registration(request: HttpRequest, partner_id: int, payload: RegistrationIn):
    partner = _partner(request, partner_id, CHANGE)
    choice(payload.kind, NgoRegistration.Kind.values, "kind", optional=True)
    registration = NgoRegistration(partner=partner, **payload.dict())
    return Status(201, services.registration_save(registration=registration, by=request.user))


@router.patch(
    "/ngo-registrations/{registration_id}/", response=RegistrationOut, summary="Sửa đăng ký / Update a registration"
)
def update_registration(request: HttpRequest, registration_id: int, payload: RegistrationPatch):
    registration = _get(NgoRegistration, request, registration_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    check_version(data.pop("version"), registration)
    choice(data.get("kind"), NgoRegistration.Kind.values, "kind", optional=True)
    _apply(registration, data, ("issuer", "permitted_fields", "permitted_areas", "notes"))
    return services.registration_save(registration=registration, by=request.user)


@router.delete(
    "/ngo-registrations/{registration_id}/", response={204: None}, summary="Xóa đăng ký / Delete a registration"
)
def delete_registration(request: HttpRequest, registration_id: int):
    services.registration_delete(registration=_get(NgoRegistration, request, registration_id, CHANGE), by=request.user)
    return Status(204, None)
