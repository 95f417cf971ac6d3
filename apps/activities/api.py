"""Agreements (with their commitments), activities and delegation members over the API. The
services do the work; scoping and filters are the pages'."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from apps.accounts.models import Unit
from apps.activities import selectors, services
from apps.activities.filtersets import ActivityFilterSet, AgreementFilterSet
from apps.activities.models import Activity, Agreement, Commitment, DelegationMember, Pillar
from apps.core.api_utils import PageInfo, check_version, choice, filtered, page
from apps.core.querysets import CHANGE, VIEW

router = Router(tags=["activities"])

MAX_ID = 2**62


def _get(model, request, pk, action=VIEW, reads=None):
    if not 0 < pk <= MAX_ID:
        raise Http404
    qs = model.objects.for_user(request.user, VIEW).filter(pk=pk)
    obj = (reads(qs) if reads else qs).first()
    if obj is None:
        raise Http404
    if action != VIEW and not model.objects.for_user(request.user, action).filter(pk=pk).exists():
        raise HttpError(403, _("You may see this record but not change it."))
    return obj


def _unit(request, pk, field="unit_id") -> Unit:
    unit = Unit.objects.for_user(request.user, CHANGE).filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if unit is None:
        raise ValidationError({field: _("No unit with this ID that you may keep records for.")})
    return unit


def _rows(request, model, ids, field, action=VIEW):
    ids = [i for i in ids or []]
    if any(not 0 < i <= MAX_ID for i in ids):
        raise ValidationError({field: _("An ID is out of range.")})
    if model is Unit:
        from apps.partners.forms import shareable_units

        qs = shareable_units(request.user)
    elif hasattr(model.objects, "for_user") and model.__name__ != "Country":
        qs = model.objects.for_user(request.user, action)
    else:
        qs = model.objects.all()
    found = list(qs.filter(pk__in=set(ids)))
    missing = sorted(set(ids) - {r.pk for r in found})
    if missing:
        raise ValidationError(
            {field: _("No record with the ID(s) {} that you may use.").format(", ".join(map(str, missing[:10])))}
        )
    return found


def _listed(obj, attr, relation):
    """A prefetched list (selectors use to_attr), or the relation itself."""
    found = getattr(obj, attr, None)
    return found if found is not None else getattr(obj, relation).all()


# -- agreements --------------------------------------------------------------------------------


class CommitmentOut(Schema):
    id: int
    text: str
    responsible_unit_id: int | None
    due_date: date | None
    position: int


class AgreementOut(Schema):
    id: int
    kind: str
    title: str
    number: str
    unit_id: int
    other_unit_ids: list[int]
    partner_ids: list[int]
    signed_on: date | None
    signed_place: str
    valid_from: date | None
    valid_to: date | None
    status: str
    fields_of_cooperation: str
    summary: str
    pillar: str
    terminated_on: date | None
    termination_reason: str
    commitments: list[CommitmentOut]
    version: int
    last_updated: datetime

    @staticmethod
    def resolve_other_unit_ids(obj):
        return [u.pk for u in obj.other_units.all()]

    @staticmethod
    def resolve_partner_ids(obj):
        return [p.pk for p in _listed(obj, "partner_list", "partners")]

    @staticmethod
    def resolve_commitments(obj):
        return list(obj.commitments.all())


class AgreementPage(Schema):
    items: list[AgreementOut]
    page: PageInfo


class AgreementFilters(Schema):
    q: str | None = Field(None, description="Tên, số, nơi ký, lĩnh vực (không phân biệt dấu)")
    kind: str | None = None
    status: str | None = Field(None, description="not_yet_in_force | in_force | expired | terminated")
    expiring_within: int | None = Field(None, description="ending within N days")
    idle_days: int | None = Field(None, description="no activity for N days (365 = a year)")
    partner: int | None = None
    pillar: str | None = None
    unit: str | None = Field(None, description="signing unit code")


class AgreementIn(Schema):
    kind: str = Field(..., description=" | ".join(Agreement.Kind.values))
    title: str = Field(..., min_length=1, max_length=500)
    number: str = Field("", max_length=100)
    unit_id: int
    other_unit_ids: list[int] = Field(default_factory=list, max_length=200)
    partner_ids: list[int] = Field(default_factory=list, max_length=200)
    signed_on: date | None = None
    signed_place: str = Field("", max_length=300)
    valid_from: date | None = None
    valid_to: date | None = None
    fields_of_cooperation: str = Field("", max_length=10000)
    summary: str = Field("", max_length=20000)
    pillar: str = Field("", description="party | state | people")
    terminated_on: date | None = None
    termination_reason: str = Field("", max_length=500)
    commitments: list[str] = Field(default_factory=list, max_length=200)


class AgreementPatch(Schema):
    version: int
    kind: str | None = None
    title: str | None = Field(None, min_length=1, max_length=500)
    number: str | None = Field(None, max_length=100)
    unit_id: int | None = None
    other_unit_ids: list[int] | None = Field(None, max_length=200)
    partner_ids: list[int] | None = Field(None, max_length=200)
    signed_on: date | None = None
    signed_place: str | None = Field(None, max_length=300)
    valid_from: date | None = None
    valid_to: date | None = None
    fields_of_cooperation: str | None = Field(None, max_length=10000)
    summary: str | None = Field(None, max_length=20000)
    pillar: str | None = None
    terminated_on: date | None = None
    termination_reason: str | None = Field(None, max_length=500)
    commitments: list[str] | None = Field(None, max_length=200)


AGREEMENT_TEXT = ("number", "signed_place", "fields_of_cooperation", "summary", "pillar", "termination_reason")
AGREEMENT_DATES = ("signed_on", "valid_from", "valid_to", "terminated_on")


def _agreement_reads(qs):
    return qs.select_related("unit").prefetch_related("other_units", "partners", "commitments")


@router.get("/agreements/", response=AgreementPage, summary="Thỏa thuận hợp tác / List agreements")
def list_agreements(request: HttpRequest, filters: Query[AgreementFilters], limit: int = 50, offset: int = 0):
    qs = filtered(AgreementFilterSet, request, _agreement_reads(Agreement.objects.for_user(request.user)))
    rows, info = page(qs, limit, offset)
    return {"items": rows, "page": info}


@router.get("/agreements/{agreement_id}/", response=AgreementOut, summary="Một thỏa thuận / One agreement")
def get_agreement(request: HttpRequest, agreement_id: int):
    return _get(Agreement, request, agreement_id, reads=_agreement_reads)


@router.post("/agreements/", response={201: AgreementOut}, summary="Thêm thỏa thuận / Create an agreement")
def create_agreement(request: HttpRequest, payload: AgreementIn):
    from apps.partners.models import Partner

    data = payload.dict()
    choice(data["kind"], Agreement.Kind.values, "kind", optional=True)
    choice(data["pillar"], Pillar.values, "pillar", optional=True, blank_ok=True)
    unit = _unit(request, data.pop("unit_id"))
    other_units = _rows(request, Unit, data.pop("other_unit_ids"), "other_unit_ids")
    partners = _rows(request, Partner, data.pop("partner_ids"), "partner_ids")
    commitments = data.pop("commitments")
    agreement = services.agreement_save(
        agreement=Agreement(unit=unit, **data),
        by=request.user,
        other_units=other_units,
        partners=partners,
        commitments=commitments,
    )
    return Status(201, _get(Agreement, request, agreement.pk, reads=_agreement_reads))


@router.patch("/agreements/{agreement_id}/", response=AgreementOut, summary="Sửa thỏa thuận / Update an agreement")
def update_agreement(request: HttpRequest, agreement_id: int, payload: AgreementPatch):
    from apps.partners.models import Partner

    agreement = _get(Agreement, request, agreement_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    check_version(data.pop("version"), agreement)
    choice(data.get("kind"), Agreement.Kind.values, "kind", optional=True)
    choice(data.get("pillar"), Pillar.values, "pillar", optional=True, blank_ok=True)
    if data.get("unit_id") is not None:
        agreement.unit = _unit(request, data["unit_id"])
    data.pop("unit_id", None)
    other = data.pop("other_unit_ids", None)
    partners = data.pop("partner_ids", None)
    commitments = data.pop("commitments", None)
    for name, value in data.items():
        if name in AGREEMENT_TEXT:
            setattr(agreement, name, value or "")
        elif name in AGREEMENT_DATES or value is not None:
            setattr(agreement, name, value)
    services.agreement_save(
        agreement=agreement,
        by=request.user,
        other_units=_rows(request, Unit, other, "other_unit_ids") if other is not None else None,
        partners=_rows(request, Partner, partners, "partner_ids") if partners is not None else None,
        commitments=commitments,
    )
    return _get(Agreement, request, agreement.pk, reads=_agreement_reads)


@router.delete("/agreements/{agreement_id}/", response={204: None}, summary="Xóa thỏa thuận / Delete an agreement")
def delete_agreement(request: HttpRequest, agreement_id: int):
    services.agreement_delete(agreement=_get(Agreement, request, agreement_id, CHANGE), by=request.user)
    return Status(204, None)


class YearOut(Schema):
    year: int
    n: int
    vn: int | None
    foreign: int | None
    budget: Decimal | None
    activity_ids: list[int]

    @staticmethod
    def resolve_activity_ids(obj):
        return [a.pk for a in obj["activities"]]


@router.get(
    "/agreements/{agreement_id}/implementation/",
    response=list[YearOut],
    summary="Kết quả thực hiện theo năm / What was done each year",
)
def agreement_implementation(request: HttpRequest, agreement_id: int):
    agreement = _get(Agreement, request, agreement_id)
    return selectors.agreement_years(agreement=agreement, user=request.user)


# -- activities --------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    name: str
    position: str
    organisation: str
    is_head: bool
    order: int
    version: int


class ActivityOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    status: str
    start_date: date
    end_date: date | None
    vn_province_code: int | None
    vn_ward_code: int | None
    foreign_locality: str
    venue: str
    place_name: str
    unit_id: int
    participating_unit_ids: list[int]
    partner_ids: list[int]
    countries: list[str] = Field(..., description="ISO codes")
    vn_participants: int | None
    foreign_participants: int | None
    budget: Decimal | None
    budget_source: str
    outcome: str
    pillar: str
    task_ids: list[int]
    agreement_ids: list[int]
    commitment_ids: list[int]
    purpose: str
    itinerary: str
    approval_document_id: int | None
    members: list[MemberOut]
    version: int
    last_updated: datetime

    @staticmethod
    def resolve_participating_unit_ids(obj):
        return [u.pk for u in obj.participating_units.all()]

    # The links the viewer may see (``_activity_reads_for``), never the IDs of hidden records.
    @staticmethod
    def resolve_partner_ids(obj):
        return [p.pk for p in obj.visible_partners]

    @staticmethod
    def resolve_countries(obj):
        return [c.code for c in _listed(obj, "country_list", "countries")]

    @staticmethod
    def resolve_task_ids(obj):
        return [t.pk for t in obj.visible_tasks]

    @staticmethod
    def resolve_agreement_ids(obj):
        return [a.pk for a in obj.visible_agreements]

    @staticmethod
    def resolve_commitment_ids(obj):
        return [c.pk for c in obj.visible_commitments]

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.all())


class ActivityPage(Schema):
    items: list[ActivityOut]
    page: PageInfo


class ActivityFilters(Schema):
    q: str | None = Field(None, description="Tên, nơi, mục đích, kết quả (không phân biệt dấu)")
    kind: str | None = None
    status: str | None = None
    year: int | None = None
    start_after: date | None = None
    start_before: date | None = None
    overlapping: bool | None = Field(
        None, description="with start_after: also those begun earlier and still going on that day"
    )
    not_cancelled: bool | None = None
    country: str | None = Field(None, description="ISO code, e.g. KH")
    partner: int | None = None
    agreement: int | None = None
    pillar: str | None = None
    unit: str | None = Field(None, description="organising unit code")


class ActivityIn(Schema):
    kind: str = Field(..., description=" | ".join(Activity.Kind.values))
    title: str = Field(..., min_length=1, max_length=500)
    description: str = Field("", max_length=20000)
    status: str = Field("planned", description="planned | done | cancelled")
    start_date: date
    end_date: date | None = None
    vn_province_code: int | None = Field(None, ge=0, le=32767)
    vn_ward_code: int | None = Field(None, ge=0, le=2**31 - 1)
    foreign_locality: str = Field("", max_length=300)
    venue: str = Field("", max_length=300)
    unit_id: int
    participating_unit_ids: list[int] = Field(default_factory=list, max_length=200)
    partner_ids: list[int] = Field(default_factory=list, max_length=200)
    countries: list[str] = Field(default_factory=list, max_length=250, description="ISO codes")
    vn_participants: int | None = Field(None, ge=0, le=10_000_000)
    foreign_participants: int | None = Field(None, ge=0, le=10_000_000)
    budget: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=0)
    budget_source: str = ""
    outcome: str = Field("", max_length=20000)
    pillar: str = "people"
    task_ids: list[int] = Field(default_factory=list, max_length=200)
    agreement_ids: list[int] = Field(default_factory=list, max_length=200)
    commitment_ids: list[int] = Field(default_factory=list, max_length=200)
    purpose: str = Field("", max_length=10000)
    itinerary: str = Field("", max_length=20000)
    approval_document_id: int | None = None


class ActivityPatch(Schema):
    version: int
    kind: str | None = None
    title: str | None = Field(None, min_length=1, max_length=500)
    description: str | None = Field(None, max_length=20000)
    status: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    vn_province_code: int | None = Field(None, ge=0, le=32767)
    vn_ward_code: int | None = Field(None, ge=0, le=2**31 - 1)
    foreign_locality: str | None = Field(None, max_length=300)
    venue: str | None = Field(None, max_length=300)
    unit_id: int | None = None
    participating_unit_ids: list[int] | None = Field(None, max_length=200)
    partner_ids: list[int] | None = Field(None, max_length=200)
    countries: list[str] | None = Field(None, max_length=250)
    vn_participants: int | None = Field(None, ge=0, le=10_000_000)
    foreign_participants: int | None = Field(None, ge=0, le=10_000_000)
    budget: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=0)
    budget_source: str | None = None
    outcome: str | None = Field(None, max_length=20000)
    pillar: str | None = None
    task_ids: list[int] | None = Field(None, max_length=200)
    agreement_ids: list[int] | None = Field(None, max_length=200)
    commitment_ids: list[int] | None = Field(None, max_length=200)
    purpose: str | None = Field(None, max_length=10000)
    itinerary: str | None = Field(None, max_length=20000)
    approval_document_id: int | None = None


class StatusIn(Schema):
    status: str = Field(..., description="planned | done | cancelled")


class MemberIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    position: str = Field("", max_length=200)
    organisation: str = Field("", max_length=300)
    is_head: bool = False
    order: int = Field(0, ge=0, le=32767)


class MemberPatch(Schema):
    version: int
    name: str | None = Field(None, min_length=1, max_length=200)
    position: str | None = Field(None, max_length=200)
    organisation: str | None = Field(None, max_length=300)
    is_head: bool | None = None
    order: int | None = Field(None, ge=0, le=32767)


ACTIVITY_TEXT = ("description", "foreign_locality", "venue", "budget_source", "outcome", "purpose", "itinerary")
ACTIVITY_NULLABLE = (
    "end_date",
    "vn_province_code",
    "vn_ward_code",
    "vn_participants",
    "foreign_participants",
    "budget",
)


def _activity_reads_for(user):
    """The API's reads of activities for ``user``: links only to records the user may see (a
    coordinator may link an officer's activity to an agreement the officer does not see; its ID is
    not the officer's to read). One query per kind of link, whatever the page size."""
    from django.db.models import Prefetch

    from apps.partners.models import Partner
    from apps.tasks.models import Task

    def reads(qs):
        visible_agreements = Agreement.objects.for_user(user, VIEW)
        return selectors.activity_reads(qs).prefetch_related(
            "participating_units",
            "members",
            Prefetch("partners", queryset=Partner.objects.for_user(user, VIEW).only("pk"), to_attr="visible_partners"),
            Prefetch("tasks", queryset=Task.objects.for_user(user, VIEW).only("pk"), to_attr="visible_tasks"),
            Prefetch("agreements", queryset=visible_agreements.only("pk"), to_attr="visible_agreements"),
            Prefetch(
                "commitments",
                queryset=Commitment.objects.filter(agreement__in=visible_agreements.values("pk")).only("pk"),
                to_attr="visible_commitments",
            ),
        )

    return reads


def _countries(codes):
    from apps.partners.models import Country

    wanted = {str(c).strip().upper()[:3] for c in codes or []}
    found = list(Country.objects.filter(code__in=wanted))
    missing = sorted(wanted - {c.code for c in found})
    if missing:
        raise ValidationError(
            {"countries": _("No country has the code(s) {} (use ISO codes, e.g. KH).").format(", ".join(missing[:10]))}
        )
    return found


def _document(request, pk):
    if pk is None:
        return None
    from apps.documents.models import Document

    doc = Document.objects.for_user(request.user, VIEW).filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if doc is None:
        raise ValidationError({"approval_document_id": _("No document with this ID that you may see.")})
    return doc


def _linked(activity, relation, ids):
    """Of ``ids``, those ``activity`` is already linked to through ``relation``: a client may
    send back a link it cannot see (the service keeps those as they are)."""
    if activity is None or not ids:
        return []
    return list(getattr(activity, relation).filter(pk__in=set(ids)))


def _links(request, data, activity=None):
    from apps.partners.models import Partner
    from apps.tasks.models import Task

    out = {}
    if data.get("participating_unit_ids") is not None:
        out["participating_units"] = _rows(request, Unit, data["participating_unit_ids"], "participating_unit_ids")
    if data.get("countries") is not None:
        out["countries"] = _countries(data["countries"])
    for relation, model, field in (
        ("partners", Partner, "partner_ids"),
        ("tasks", Task, "task_ids"),
        ("agreements", Agreement, "agreement_ids"),
    ):
        if data.get(field) is not None:
            ids = data[field]
            already = _linked(activity, relation, ids)
            known = {row.pk for row in already}
            out[relation] = already + _rows(request, model, [i for i in ids if i not in known], field)
    if data.get("commitment_ids") is not None:
        ids = data["commitment_ids"]
        if any(not 0 < i <= MAX_ID for i in ids):
            raise ValidationError({"commitment_ids": _("An ID is out of range.")})
        already = _linked(activity, "commitments", ids)
        rest = set(ids) - {row.pk for row in already}
        visible = Commitment.objects.filter(agreement__in=Agreement.objects.for_user(request.user).values("pk"))
        found = list(visible.filter(pk__in=rest))
        if len(found) != len(rest):
            raise ValidationError({"commitment_ids": _("A commitment ID is unknown or not visible to you.")})
        out["commitments"] = already + found
    for key in ("participating_unit_ids", "partner_ids", "countries", "task_ids", "agreement_ids", "commitment_ids"):
        data.pop(key, None)
    return out


def _activity_choices(data):
    choice(data.get("kind"), Activity.Kind.values, "kind", optional=True)
    choice(data.get("status"), Activity.Status.values, "status", optional=True)
    choice(data.get("pillar"), Pillar.values, "pillar", optional=True)
    choice(data.get("budget_source"), Activity.BudgetSource.values, "budget_source", optional=True, blank_ok=True)


@router.get("/activities/", response=ActivityPage, summary="Hoạt động đối ngoại / List activities")
def list_activities(request: HttpRequest, filters: Query[ActivityFilters], limit: int = 50, offset: int = 0):
    qs = filtered(
        ActivityFilterSet, request, _activity_reads_for(request.user)(Activity.objects.for_user(request.user))
    )
    rows, info = page(qs, limit, offset)
    return {"items": rows, "page": info}


@router.get("/activities/{activity_id}/", response=ActivityOut, summary="Một hoạt động / One activity")
def get_activity(request: HttpRequest, activity_id: int):
    return _get(Activity, request, activity_id, reads=_activity_reads_for(request.user))


@router.post("/activities/", response={201: ActivityOut}, summary="Thêm hoạt động / Create an activity")
def create_activity(request: HttpRequest, payload: ActivityIn):
    data = payload.dict()
    _activity_choices(data)
    unit = _unit(request, data.pop("unit_id"))
    document = _document(request, data.pop("approval_document_id"))
    links = _links(request, data)
    activity = services.activity_save(
        activity=Activity(unit=unit, approval_document=document, **data), by=request.user, **links
    )
    return Status(201, _get(Activity, request, activity.pk, reads=_activity_reads_for(request.user)))


@router.patch("/activities/{activity_id}/", response=ActivityOut, summary="Sửa hoạt động / Update an activity")
def update_activity(request: HttpRequest, activity_id: int, payload: ActivityPatch):
    activity = _get(Activity, request, activity_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    check_version(data.pop("version"), activity)
    _activity_choices(data)
    if data.get("unit_id") is not None:
        activity.unit = _unit(request, data["unit_id"])
    data.pop("unit_id", None)
    if "approval_document_id" in data:
        activity.approval_document = _document(request, data.pop("approval_document_id"))
    links = _links(request, data, activity)
    for name, value in data.items():
        if name in ACTIVITY_TEXT:
            setattr(activity, name, value or "")
        elif name in ACTIVITY_NULLABLE or value is not None:
            setattr(activity, name, value)
    services.activity_save(activity=activity, by=request.user, **links)
    return _get(Activity, request, activity.pk, reads=_activity_reads_for(request.user))


@router.post("/activities/{activity_id}/status/", response=ActivityOut, summary="Đổi trạng thái / Set the status")
def set_activity_status(request: HttpRequest, activity_id: int, payload: StatusIn):
    activity = _get(Activity, request, activity_id, CHANGE)
    services.activity_set_status(activity=activity, status=payload.status, by=request.user)
    return _get(Activity, request, activity.pk, reads=_activity_reads_for(request.user))


@router.delete("/activities/{activity_id}/", response={204: None}, summary="Xóa hoạt động / Delete an activity")
def delete_activity(request: HttpRequest, activity_id: int):
    services.activity_delete(activity=_get(Activity, request, activity_id, CHANGE), by=request.user)
    return Status(204, None)


@router.post(
    "/activities/{activity_id}/members/", response={201: MemberOut}, summary="Thêm thành viên đoàn / Add a member"
)
def create_member(request: HttpRequest, activity_id: int, payload: MemberIn):
    activity = _get(Activity, request, activity_id, CHANGE)
    member = DelegationMember(activity=activity, **payload.dict())
    return Status(201, services.member_save(member=member, by=request.user))


@router.patch("/delegation-members/{member_id}/", response=MemberOut, summary="Sửa thành viên đoàn / Update a member")
def update_member(request: HttpRequest, member_id: int, payload: MemberPatch):
    member = _get(DelegationMember, request, member_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    check_version(data.pop("version"), member)
    for name, value in data.items():
        if name in ("position", "organisation"):
            setattr(member, name, value or "")
        elif value is not None:
            setattr(member, name, value)
    return services.member_save(member=member, by=request.user)


@router.delete(
    "/delegation-members/{member_id}/", response={204: None}, summary="Xóa thành viên đoàn / Delete a member"
)
def delete_member(request: HttpRequest, member_id: int):
    services.member_delete(member=_get(DelegationMember, request, member_id, CHANGE), by=request.user)
    return Status(204, None)
