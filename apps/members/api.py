"""Member organisations and awards over the API (same scoping, filters and services as the pages)."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from apps.accounts.models import Unit
from apps.core.api_utils import PageInfo, check_id, choice, filtered, page
from apps.core.querysets import CHANGE, VIEW
from apps.members import selectors, services
from apps.members.filtersets import AwardFilterSet, MemberOrganisationFilterSet
from apps.members.models import Award, MemberOrganisation

router = Router()


class UnitRef(Schema):
    id: int
    code: str
    name: str


class CountOut(Schema):
    year: int
    members: int


class CongressOut(Schema):
    number: int
    held_on: date
    term_start: int
    term_end: int
    outcome: str


class OrganisationOut(Schema):
    id: int
    unit: UnitRef
    kind: str
    countries: list[str]
    founded_on: date | None
    description: str
    member_counts: list[CountOut]
    congresses: list[CongressOut]
    version: int


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    page: PageInfo


class AwardOut(Schema):
    id: int
    kind: str
    level: str
    name: str
    issuer: str
    year: int
    decision_id: int | None
    unit: UnitRef
    person: str
    person_position: str
    reason: str
    version: int
    created: datetime


class AwardPage(Schema):
    items: list[AwardOut]
    page: PageInfo


class AwardIn(Schema):
    kind: str = Field(..., description=" | ".join(Award.Kind.values))
    level: str = Field(Award.Level.PROVINCIAL, description=" | ".join(Award.Level.values))
    name: str = Field(..., min_length=1, max_length=300)
    issuer: str = Field(..., min_length=1, max_length=255)
    year: int = Field(..., ge=1945, le=2100)
    decision_id: int | None = None
    unit_id: int
    person: str = Field("", max_length=200)
    person_position: str = Field("", max_length=200)
    reason: str = Field("", max_length=20000)


class AwardPatch(Schema):
    version: int
    kind: str | None = None
    level: str | None = None
    name: str | None = Field(None, min_length=1, max_length=300)
    issuer: str | None = Field(None, min_length=1, max_length=255)
    year: int | None = Field(None, ge=1945, le=2100)
    decision_id: int | None = None
    unit_id: int | None = None
    person: str | None = Field(None, max_length=200)
    person_position: str | None = Field(None, max_length=200)
    reason: str | None = Field(None, max_length=20000)


class Filters(Schema):
    q: str | None = Field(None, description="Tìm không dấu / diacritic-insensitive search")


def unit_ref(unit: Unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


def organisation_out(o: MemberOrganisation) -> dict:
    return {
        "id": o.pk,
        "unit": unit_ref(o.unit),
        "kind": o.kind,
        "countries": [c.code for c in o.countries.all()],
        "founded_on": o.founded_on,
        "description": o.description,
        "member_counts": [{"year": c.year, "members": c.members} for c in o.member_counts.all()],
        "congresses": [
            {
                "number": c.number,
                "held_on": c.held_on,
                "term_start": c.term_start,
                "term_end": c.term_end,
                "outcome": c.outcome,
            }
            for c in o.congresses.all()
        ],
        "version": o.version,
    }


def award_out(a: Award) -> dict:
    return {
        **{
            f: getattr(a, f)
            for f in (
                "id",
                "kind",
                "level",
                "name",
                "issuer",
                "year",
                "decision_id",
                "person",
                "person_position",
                "reason",
                "version",
                "created",
            )
        },
        "unit": unit_ref(a.unit),
    }


def _organisations(request):
    return selectors.organisation_reads(MemberOrganisation.objects.for_user(request.user, VIEW)).prefetch_related(
        "member_counts", "congresses"
    )


@router.get(
    "/member-organisations/",
    response=OrganisationPage,
    tags=["members"],
    summary="Tổ chức thành viên / Member organisations",
)
def list_organisations(request: HttpRequest, filters: Query[Filters], limit: int = 50, offset: int = 0):
    rows, info = page(filtered(MemberOrganisationFilterSet, request, _organisations(request)), limit, offset)
    return {"items": [organisation_out(o) for o in rows], "page": info}


@router.get(
    "/member-organisations/{pk}/",
    response=OrganisationOut,
    tags=["members"],
    summary="Một tổ chức thành viên / One member organisation",
)
def get_organisation(request: HttpRequest, pk: int):
    check_id(pk, "id")
    organisation = _organisations(request).filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation_out(organisation)


def _visible_award(request, pk: int, action: str = VIEW) -> Award:
    check_id(pk, "id")
    award = Award.objects.for_user(request.user, VIEW).select_related("unit").filter(pk=pk).first()
    if award is None:
        raise Http404
    if action != VIEW and not Award.objects.for_user(request.user, action).filter(pk=pk).exists():
        raise HttpError(403, _("You may see this record but not change it."))
    return award


def _unit(request, pk):
    check_id(pk, "unit_id")
    unit = Unit.objects.for_user(request.user, VIEW).filter(pk=pk).first()
    if unit is None:
        raise ValidationError({"unit_id": _("No unit with ID {} that you may see.").format(pk)})
    return unit


def _decision(request, pk):
    if pk is None:
        return None
    check_id(pk, "decision_id")
    from apps.documents.models import Document

    document = Document.objects.for_user(request.user, VIEW).filter(pk=pk).first()
    if document is None:
        raise ValidationError({"decision_id": _("No document with ID {} that you may see.").format(pk)})
    return document


@router.get("/awards/", response=AwardPage, tags=["members"], summary="Khen thưởng / Awards")
def list_awards(request: HttpRequest, filters: Query[Filters], limit: int = 50, offset: int = 0):
    qs = Award.objects.for_user(request.user, VIEW).select_related("unit")
    rows, info = page(filtered(AwardFilterSet, request, qs), limit, offset)
    return {"items": [award_out(a) for a in rows], "page": info}


@router.get("/awards/{pk}/", response=AwardOut, tags=["members"], summary="Một khen thưởng / One award")
def get_award(request: HttpRequest, pk: int):
    return award_out(_visible_award(request, pk))


@router.post("/awards/", response={201: AwardOut}, tags=["members"], summary="Ghi khen thưởng / Record an award")
def create_award(request: HttpRequest, payload: AwardIn):
    data = payload.dict()
    award = services.award_save(
        by=request.user,
        unit=_unit(request, data.pop("unit_id")),
        decision=_decision(request, data.pop("decision_id")),
        kind=choice(data.pop("kind"), Award.Kind, "kind"),
        level=choice(data.pop("level"), Award.Level, "level"),
        **data,
    )
    return Status(201, award_out(_visible_award(request, award.pk)))


@router.patch("/awards/{pk}/", response=AwardOut, tags=["members"], summary="Sửa khen thưởng / Update an award")
def update_award(request: HttpRequest, pk: int, payload: AwardPatch):
    award = _visible_award(request, pk, CHANGE)
    data = payload.dict(exclude_unset=True)
    if data.pop("version") != award.version:
        raise HttpError(
            409,
            _("Someone else changed this record since version {}; fetch it again and retry.").format(payload.version),
        )
    unit = _unit(request, data.pop("unit_id")) if "unit_id" in data else award.unit
    if "decision_id" in data:
        data["decision"] = _decision(request, data.pop("decision_id"))
    for name, choices in (("kind", Award.Kind), ("level", Award.Level)):
        if name in data:
            choice(data[name], choices, name)
    data = {k: v for k, v in data.items() if v is not None or k == "decision"}
    services.award_save(by=request.user, unit=unit, instance=award, **data)
    return award_out(_visible_award(request, pk))


@router.delete("/awards/{pk}/", response={204: None}, tags=["members"], summary="Xóa khen thưởng / Delete an award")
def delete_award(request: HttpRequest, pk: int):
    services.award_delete(by=request.user, award=_visible_award(request, pk, CHANGE))
    return Status(204, None)
