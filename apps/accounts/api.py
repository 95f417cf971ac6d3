"""Units and users over the API, with the same scoping, filters and services as the pages."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from apps.accounts import services
from apps.accounts.filtersets import UnitFilterSet, UserFilterSet
from apps.accounts.models import Unit, User
from apps.core.api_utils import PageInfo, filtered, page
from apps.core.querysets import MANAGE

router = Router()


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    kind: str
    kind_label: str
    parent_id: int | None
    depth: int
    is_focal_point: bool
    valid_from: date | None
    valid_to: date | None
    successor_id: int | None
    email: str
    phone: str
    address: str
    version: int
    last_updated: datetime


def unit_out(unit: Unit, parent_ids: dict[str, int] | None = None) -> dict:
    parent_path = unit.path[: -Unit.steplen] if unit.depth > 1 else None
    if parent_ids is not None:
        parent_id = parent_ids.get(parent_path) if parent_path else None
    else:
        parent_id = Unit.objects.filter(path=parent_path).values_list("pk", flat=True).first() if parent_path else None
    data = {f: getattr(unit, f) for f in UnitOut.model_fields if hasattr(unit, f)}
    data.update(parent_id=parent_id, kind_label=str(unit.get_kind_display()))
    return data


class UnitPage(Schema):
    items: list[UnitOut]
    page: PageInfo


class UnitFilters(Schema):
    q: str | None = Field(None, description="Tìm không dấu theo tên, tên viết tắt, mã / diacritic-insensitive search")
    kind: str | None = None
    status: str | None = Field(None, description="active | ended")
    parent: str | None = Field(
        None, description="Mã hoặc ID đơn vị: chỉ các đơn vị trực thuộc / code or ID: only units under this one"
    )


class UnitIn(Schema):
    name: str = Field(..., min_length=1, max_length=255)
    short_name: str = Field("", max_length=100)
    code: str = Field(..., min_length=1, max_length=50)
    kind: str
    parent_id: int | None = None
    is_focal_point: bool = False
    valid_from: date | None = None
    valid_to: date | None = None
    successor_id: int | None = None
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    address: str = Field("", max_length=300)
    description: str = Field("", max_length=10000)


class UnitPatch(Schema):
    version: int = Field(..., description="Phiên bản đang sửa (chống ghi đè) / the version being edited")
    name: str | None = Field(None, min_length=1, max_length=255)
    short_name: str | None = Field(None, max_length=100)
    code: str | None = Field(None, min_length=1, max_length=50)
    kind: str | None = None
    parent_id: int | None = None
    is_focal_point: bool | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    successor_id: int | None = None
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=50)
    address: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=10000)


def _parent_ids(units) -> dict[str, int]:
    paths = {u.path[: -Unit.steplen] for u in units if u.depth > 1}
    return dict(Unit.objects.filter(path__in=paths).values_list("path", "pk")) if paths else {}


def _visible_unit(request, unit_id, action="view") -> Unit:
    unit = Unit.objects.for_user(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    if action != "view" and not Unit.objects.for_user(request.user, action).filter(pk=unit_id).exists():
        raise HttpError(403, _("You may see this unit but not change it."))
    return unit


def _ref(model, pk, field, request):
    if pk is None:
        return None
    obj = model.objects.for_user(request.user).filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: _("No unit with ID {} that you may see.").format(pk)})
    return obj


@router.get("/units/", response=UnitPage, tags=["units"], summary="Danh sách đơn vị / List units")
def list_units(request: HttpRequest, filters: Query[UnitFilters], limit: int = 50, offset: int = 0):
    qs = filtered(UnitFilterSet, request, Unit.objects.for_user(request.user))
    rows, info = page(qs, limit, offset)
    parents = _parent_ids(rows)
    return {"items": [unit_out(u, parents) for u in rows], "page": info}


@router.get("/units/{unit_id}/", response=UnitOut, tags=["units"], summary="Một đơn vị / One unit")
def get_unit(request: HttpRequest, unit_id: int):
    return unit_out(_visible_unit(request, unit_id))


@router.post("/units/", response={201: UnitOut}, tags=["units"], summary="Thêm đơn vị / Create a unit")
def create_unit(request: HttpRequest, payload: UnitIn):
    data = payload.dict()
    if data["kind"] not in Unit.Kind.values:
        raise ValidationError(
            {"kind": _("Unknown kind “{}”. Use one of: {}.").format(data["kind"], ", ".join(Unit.Kind.values))}
        )
    parent = _ref(Unit, data.pop("parent_id"), "parent_id", request)
    data["successor"] = _ref(Unit, data.pop("successor_id"), "successor_id", request)
    data["code"] = data["code"].strip().upper()
    unit = services.unit_create(parent=parent, by=request.user, **data)
    return Status(201, unit_out(unit))


@router.patch("/units/{unit_id}/", response=UnitOut, tags=["units"], summary="Sửa đơn vị / Update a unit")
def update_unit(request: HttpRequest, unit_id: int, payload: UnitPatch):
    unit = _visible_unit(request, unit_id, MANAGE)
    data = payload.dict(exclude_unset=True)
    if data.pop("version") != unit.version:
        raise HttpError(
            409, _("Someone else changed this unit since version {}; fetch it again and retry.").format(payload.version)
        )
    if "kind" in data and data["kind"] not in Unit.Kind.values:
        raise ValidationError(
            {"kind": _("Unknown kind “{}”. Use one of: {}.").format(data["kind"], ", ".join(Unit.Kind.values))}
        )
    move = "parent_id" in data
    parent = _ref(Unit, data.pop("parent_id", None), "parent_id", request) if move else None
    if "successor_id" in data:
        data["successor"] = _ref(Unit, data.pop("successor_id"), "successor_id", request)
    if "code" in data and data["code"]:
        data["code"] = data["code"].strip().upper()
    for required in ("name", "code", "kind"):
        if required in data and data[required] is None:
            raise ValidationError({required: _("This field cannot be empty.")})
    for name, value in data.items():
        setattr(
            unit,
            name,
            "" if value is None and name in ("short_name", "email", "phone", "address", "description") else value,
        )
    unit = services.unit_update(unit=unit, by=request.user, parent=parent, move=move)
    return unit_out(unit)


@router.delete("/units/{unit_id}/", response={204: None}, tags=["units"], summary="Xóa đơn vị / Delete a unit")
def delete_unit(request: HttpRequest, unit_id: int):
    unit = _visible_unit(request, unit_id, MANAGE)
    services.unit_delete(unit=unit, by=request.user)
    return Status(204, None)


class RoleOut(Schema):
    unit_id: int
    unit_name: str
    role: str


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    position: str
    email: str
    is_active: bool
    last_login: datetime | None
    roles: list[RoleOut]


class UserPage(Schema):
    items: list[UserOut]
    page: PageInfo


class UserFilters(Schema):
    q: str | None = None
    role: str | None = None
    unit: str | None = Field(None, description="Mã hoặc ID đơn vị / unit code or ID")
    is_active: str | None = Field(None, description="true | false")


def user_out(user: User) -> dict:
    return {
        **{
            f: getattr(user, f) for f in ("id", "username", "full_name", "position", "email", "is_active", "last_login")
        },
        "roles": [{"unit_id": r.unit_id, "unit_name": r.unit.name, "role": r.role} for r in user.roles.all()],
    }


@router.get("/users/", response=UserPage, tags=["users"], summary="Danh sách người dùng / List users")
def list_users(request: HttpRequest, filters: Query[UserFilters], limit: int = 50, offset: int = 0):
    qs = filtered(UserFilterSet, request, User.objects.for_user(request.user).prefetch_related("roles__unit"))
    rows, info = page(qs, limit, offset)
    return {"items": [user_out(u) for u in rows], "page": info}


@router.get("/users/me/", response=UserOut, tags=["users"], summary="Tôi / The signed-in user")
def me(request: HttpRequest):
    return user_out(User.objects.prefetch_related("roles__unit").get(pk=request.user.pk))


@router.get("/users/{user_id}/", response=UserOut, tags=["users"], summary="Một người dùng / One user")
def get_user(request: HttpRequest, user_id: int):
    user = User.objects.for_user(request.user).prefetch_related("roles__unit").filter(pk=user_id).first()
    if user is None:
        raise Http404
    return user_out(user)
