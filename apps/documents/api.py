"""Documents and their links over the API; the services do the work, scoping as on the pages."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from apps.accounts.models import Unit
from apps.core.api_utils import PageInfo, page
from apps.core.querysets import CHANGE
from apps.documents import services
from apps.documents.filtersets import DocumentFilterSet
from apps.documents.models import Document, DocumentLink

router = Router(tags=["documents"])

EDITABLE = ("notation", "system", "type_name", "issued_on", "issuer", "signer", "title", "is_draft", "body")


class DocumentOut(Schema):
    id: int
    notation: str
    system: str
    type_code: str
    type_name: str
    number: str
    year: int | None
    issuer_code: str
    issuer: str
    issued_on: date | None
    title: str
    signer: str
    is_draft: bool
    is_placeholder: bool
    unit_id: int
    version: int
    last_updated: datetime


class DocumentPage(Schema):
    items: list[DocumentOut]
    page: PageInfo


class DocumentFilters(Schema):
    q: str | None = Field(
        None, description="Số ký hiệu theo cách viết bất kỳ (12/CT-TW, CT 12, chỉ thị 12) hoặc từ khóa"
    )
    system: str | None = None
    type_code: str | None = None
    issued_after: date | None = None
    issued_before: date | None = None


class DocumentIn(Schema):
    notation: str = Field("", max_length=100)
    system: str = Field("state", description="party | state | mass")
    type_name: str = Field("", max_length=100)
    issued_on: date | None = None
    issuer: str = Field("", max_length=255)
    signer: str = Field("", max_length=200)
    title: str = Field("", max_length=5000)
    is_draft: bool = False
    body: str = Field("", max_length=2_000_000)
    unit_id: int


class DocumentPatch(Schema):
    version: int
    notation: str | None = Field(None, max_length=100)
    system: str | None = None
    type_name: str | None = Field(None, max_length=100)
    issued_on: date | None = None
    issuer: str | None = Field(None, max_length=255)
    signer: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=5000)
    is_draft: bool | None = None
    body: str | None = Field(None, max_length=2_000_000)


class LinkOut(Schema):
    id: int
    source_id: int
    target_id: int
    target_notation: str
    kind: str
    note: str


class LinkIn(Schema):
    target: str = Field(
        ...,
        min_length=1,
        max_length=100,
        description="Số ký hiệu văn bản được liên kết / notation of the linked document",
    )
    kind: str = "implements"
    note: str = Field("", max_length=300)


def _visible(request, pk, action="view") -> Document:
    document = Document.objects.for_user(request.user).filter(pk=pk).first()
    if document is None:
        raise Http404
    if action != "view" and not Document.objects.for_user(request.user, action).filter(pk=pk).exists():
        raise HttpError(403, _("You may see this document but not change it."))
    return document


def _check_system(value):
    if value is not None and value not in Document.System.values:
        raise ValidationError(
            {"system": _("Unknown system “{}”. Use one of: {}.").format(value, ", ".join(Document.System.values))}
        )


@router.get("/documents/", response=DocumentPage, summary="Văn bản / List documents")
def list_documents(request: HttpRequest, filters: Query[DocumentFilters], limit: int = 50, offset: int = 0):
    filterset = DocumentFilterSet(request.GET, queryset=Document.objects.for_user(request.user), request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    rows, info = page(filterset.qs, limit, offset)
    return {"items": rows, "page": info}


@router.get("/documents/{document_id}/", response=DocumentOut, summary="Một văn bản / One document")
def get_document(request: HttpRequest, document_id: int):
    return _visible(request, document_id)


@router.post("/documents/", response={201: DocumentOut}, summary="Thêm văn bản / Create a document")
def create_document(request: HttpRequest, payload: DocumentIn):
    data = payload.dict()
    _check_system(data["system"])
    unit = Unit.objects.for_user(request.user, CHANGE).filter(pk=data.pop("unit_id")).first()
    if unit is None:
        raise ValidationError({"unit_id": _("No unit with this ID that you may keep documents for.")})
    return Status(201, services.document_create(by=request.user, unit=unit, **data))


@router.patch("/documents/{document_id}/", response=DocumentOut, summary="Sửa văn bản / Update a document")
def update_document(request: HttpRequest, document_id: int, payload: DocumentPatch):
    document = _visible(request, document_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    if data.pop("version") != document.version:
        raise HttpError(
            409,
            _("Someone else changed this document since version {}; fetch it again and retry.").format(payload.version),
        )
    _check_system(data.get("system"))
    for name, value in data.items():
        if name in EDITABLE:
            setattr(document, name, "" if value is None and name not in ("issued_on", "is_draft") else value)
    if document.is_draft is None:
        document.is_draft = False
    return services.document_update(document=document, by=request.user)


@router.delete("/documents/{document_id}/", response={204: None}, summary="Xóa văn bản / Delete a document")
def delete_document(request: HttpRequest, document_id: int):
    services.document_delete(document=_visible(request, document_id, CHANGE), by=request.user)
    return Status(204, None)


def link_out(link: DocumentLink) -> dict:
    return {
        "id": link.pk,
        "source_id": link.source_id,
        "target_id": link.target_id,
        "target_notation": link.target.notation,
        "kind": link.kind,
        "note": link.note,
    }


@router.get(
    "/documents/{document_id}/links/", response=list[LinkOut], summary="Liên kết của văn bản / A document's links"
)
def list_links(request: HttpRequest, document_id: int):
    document = _visible(request, document_id)
    visible = Document.objects.for_user(request.user)
    return [link_out(link) for link in document.links_out.filter(target__in=visible).select_related("target")[:500]]


@router.post("/documents/{document_id}/links/", response={201: LinkOut}, summary="Liên kết văn bản / Link documents")
def create_link(request: HttpRequest, document_id: int, payload: LinkIn):
    document = _visible(request, document_id, CHANGE)
    if payload.kind not in DocumentLink.Kind.values:
        raise ValidationError(
            {
                "kind": _("Unknown relation “{}”. Use one of: {}.").format(
                    payload.kind, ", ".join(DocumentLink.Kind.values)
                )
            }
        )
    # Only a document the user may see: an unknown and a hidden one get the same 400 (services.link_target).
    target = services.link_target(notation=payload.target, user=request.user)
    return Status(
        201,
        link_out(
            services.document_link(
                source=document, target=target, kind=payload.kind, by=request.user, note=payload.note
            )
        ),
    )


@router.delete(
    "/documents/{document_id}/links/{link_id}/",
    response={204: None},
    summary="Gỡ liên kết văn bản / Remove a link",
)
def delete_link(request: HttpRequest, document_id: int, link_id: int):
    """Who may link a document may unlink it: the link is one of the document's own (``source``),
    to a document the user may see, as the list of links shows them."""
    document = _visible(request, document_id, CHANGE)
    visible = Document.objects.for_user(request.user)
    link = document.links_out.filter(pk=link_id, target__in=visible).first()
    if link is None:
        raise Http404
    services.document_unlink(link=link, by=request.user)
    return Status(204, None)
