from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema

from apps.core.api_utils import PageInfo, page
from apps.core.filtersets import ObjectChangeFilterSet
from apps.core.models import ObjectChange

router = Router(tags=["change log"])


class ChangeOut(Schema):
    id: int
    time: datetime
    user_name: str
    action: str
    object_type: str
    object_id: int
    object_repr: str
    request_id: UUID | None
    prechange_data: dict | None
    postchange_data: dict | None


class ChangePage(Schema):
    items: list[ChangeOut]
    page: PageInfo


class ChangeFilters(Schema):
    q: str | None = None
    action: str | None = None
    user_name: str | None = None
    object_id: int | None = None
    request_id: UUID | None = None


@router.get("/changes/", response=ChangePage, summary="Nhật ký thay đổi / Change log")
def list_changes(request: HttpRequest, filters: Query[ChangeFilters], limit: int = 50, offset: int = 0):
    qs = ObjectChange.objects.for_user(request.user).select_related("changed_object_type")
    filterset = ObjectChangeFilterSet(request.GET, queryset=qs)
    if not filterset.is_valid():
        from django.core.exceptions import ValidationError

        raise ValidationError(filterset.errors)
    rows, info = page(filterset.qs, limit, offset)
    return {
        "items": [
            {
                **{
                    f: getattr(c, f)
                    for f in (
                        "id",
                        "time",
                        "user_name",
                        "action",
                        "object_repr",
                        "request_id",
                        "prechange_data",
                        "postchange_data",
                    )
                },
                "object_type": c.changed_object_type.model,
                "object_id": c.changed_object_id,
            }
            for c in rows
        ],
        "page": info,
    }
