"""Aid items, their transactions and steps, exchange rates and statistics over the API; the
services do the work, scoping as on the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from apps.accounts.models import Unit
from apps.aid import services, statistics
from apps.aid.filtersets import AidItemFilterSet, ExchangeRateFilterSet, TransactionFilterSet
from apps.aid.models import AidItem, AidStatus, ExchangeRate, Transaction
from apps.core.api_utils import PageInfo, choice, filtered, page
from apps.core.querysets import CHANGE

router = Router(tags=["aid"])

MAX_MONEY = Decimal("999999999999999999.99")


class ShareIn(Schema):
    code: str = Field(..., max_length=20)
    percentage: Decimal = Field(..., gt=0, le=100)
    vocabulary: str = Field("1", max_length=3)


class LocationIn(Schema):
    province_code: int = Field(..., ge=1, le=999)
    ward_code: int | None = Field(None, ge=1, le=999999)
    percentage: Decimal = Field(..., gt=0, le=100)


class AidItemOut(Schema):
    id: int
    code: str
    kind: str
    form: str
    title_vi: str
    title_en: str
    description: str
    donor_id: int | None
    unit_id: int
    managing_agency: str
    status: str
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    iati_identifier: str
    committed_amount: Decimal
    currency: str
    committed_usd: Decimal | None
    committed_vnd: Decimal | None
    counterpart_amount: Decimal
    counterpart_currency: str
    approved_on: date | None
    approval_document_id: int | None
    approving_authority: str
    version: int
    last_updated: datetime


class AidItemPage(Schema):
    items: list[AidItemOut]
    page: PageInfo


class AidItemFilters(Schema):
    q: str | None = Field(None, description="Từ khóa không dấu / diacritic-free search")
    kind: str | None = None
    status: str | None = None
    approved_after: date | None = None
    approved_before: date | None = None
    sector: str | None = None
    province: int | None = None


class AidItemIn(Schema):
    code: str = Field(..., min_length=1, max_length=120)
    kind: str
    form: str = ""
    title_vi: str = Field(..., min_length=1, max_length=500)
    title_en: str = Field("", max_length=500)
    description: str = Field("", max_length=100_000)
    donor_id: int | None = None
    unit_id: int
    managing_agency: str = Field("", max_length=300)
    committed_amount: Decimal = Field(Decimal(0), ge=0, le=MAX_MONEY)
    currency: str = Field("USD", min_length=3, max_length=3)
    rate_date: date | None = None
    counterpart_amount: Decimal = Field(Decimal(0), ge=0, le=MAX_MONEY)
    counterpart_currency: str = Field("VND", min_length=3, max_length=3)
    planned_start: date | None = None
    planned_end: date | None = None
    iati_identifier: str = Field("", max_length=200)
    sectors: list[ShareIn] | None = None
    locations: list[LocationIn] | None = None


class AidItemPatch(Schema):
    version: int
    title_vi: str | None = Field(None, min_length=1, max_length=500)
    title_en: str | None = Field(None, max_length=500)
    description: str | None = Field(None, max_length=100_000)
    managing_agency: str | None = Field(None, max_length=300)
    committed_amount: Decimal | None = Field(None, ge=0, le=MAX_MONEY)
    currency: str | None = Field(None, min_length=3, max_length=3)
    planned_start: date | None = None
    planned_end: date | None = None
    sectors: list[ShareIn] | None = None
    locations: list[LocationIn] | None = None


class StepIn(Schema):
    action: str = Field(..., max_length=30)
    on: date | None = None
    document_id: int | None = None
    reason: str = Field("", max_length=5000)
    agency: str = Field("", max_length=20)
    opinion: str = Field("", max_length=5000)
    favourable: bool | None = None
    approving_authority: str = Field("", max_length=300)


class StepOut(Schema):
    id: int
    action: str
    from_status: str
    to_status: str
    by_id: int | None
    at: datetime
    on: date
    agency: str
    opinion: str
    reason: str
    document_id: int | None


class TransactionOut(Schema):
    id: int
    aid_item_id: int
    kind: str
    date: date
    amount: Decimal
    currency: str
    value_date: date | None
    amount_usd: Decimal | None
    amount_vnd: Decimal | None
    description: str


class TransactionPage(Schema):
    items: list[TransactionOut]
    page: PageInfo


class TransactionIn(Schema):
    aid_item_id: int
    kind: str
    date: date
    amount: Decimal = Field(..., ge=-MAX_MONEY, le=MAX_MONEY)  # negative: a correction (see the model)
    currency: str = Field("USD", min_length=3, max_length=3)
    value_date: date | None = None
    description: str = Field("", max_length=500)


class RateOut(Schema):
    id: int
    currency: str
    date: date
    rate_vnd: Decimal
    source: str


class RatePage(Schema):
    items: list[RateOut]
    page: PageInfo


class RateIn(Schema):
    currency: str = Field(..., min_length=3, max_length=3)
    date: date
    rate_vnd: Decimal = Field(..., gt=0, le=Decimal("99999999999999"))
    source: str = Field(..., min_length=1, max_length=200)


class StatisticsRow(Schema):
    kind: str
    label: str
    count: int
    committed_usd: Decimal
    committed_vnd: Decimal
    disbursed_usd: Decimal
    disbursed_vnd: Decimal


class StatisticsOut(Schema):
    sentence: str
    rows: list[StatisticsRow]
    total: StatisticsRow


def _item(request, pk, action="view") -> AidItem:
    item = AidItem.objects.for_user(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    if action != "view" and not AidItem.objects.for_user(request.user, action).filter(pk=pk).exists():
        raise HttpError(403, _("You may see this aid item but not change it."))
    return item


@router.get("/aid-items/", response=AidItemPage, summary="Khoản viện trợ / List aid items")
def list_items(request: HttpRequest, filters: Query[AidItemFilters], limit: int = 50, offset: int = 0):
    rows, info = page(filtered(AidItemFilterSet, request, AidItem.objects.for_user(request.user)), limit, offset)
    return {"items": rows, "page": info}


@router.get("/aid-items/statistics/", response=StatisticsOut, summary="Thống kê viện trợ / Aid statistics")
def item_statistics(
    request: HttpRequest,
    date_from: date | None = None,
    date_to: date | None = None,
    unit_id: int | None = None,
    donor_id: int | None = None,
    country_id: int | None = None,
    sector: str = "",
    province_code: int | None = None,
    kind: str = "",
):
    unit = None
    if unit_id is not None:
        unit = Unit.objects.for_user(request.user).filter(pk=unit_id).first()
        if unit is None:
            raise Http404
    stats = statistics.compute(
        request.user,
        statistics.Filters(
            date_from=date_from,
            date_to=date_to,
            unit=unit,
            donor_id=donor_id,
            country_id=country_id,
            sector=sector[:20],
            province_code=province_code,
            kind=kind[:20],
        ),
    )
    return {"sentence": stats.sentence, "rows": [r.__dict__ for r in stats.rows], "total": stats.total.__dict__}


@router.get("/aid-items/{item_id}/", response=AidItemOut, summary="Một khoản viện trợ / One aid item")
def get_item(request: HttpRequest, item_id: int):
    return _item(request, item_id)


@router.post("/aid-items/", response={201: AidItemOut}, summary="Thêm khoản viện trợ / Create an aid item")
def create_item(request: HttpRequest, payload: AidItemIn):
    data = payload.dict()
    choice(data["kind"], AidItem.Kind.values, "kind")
    if data["form"]:
        choice(data["form"], AidItem.Form.values, "form")
    unit = Unit.objects.for_user(request.user, CHANGE).filter(pk=data.pop("unit_id")).first()
    if unit is None:
        raise ValidationError({"unit_id": _("No unit with this ID that you may keep aid items for.")})
    donor_id = data.pop("donor_id")
    if donor_id is not None:
        from apps.partners.models import Partner

        if not Partner.objects.for_user(request.user).filter(pk=donor_id).exists():
            raise ValidationError({"donor_id": _("No partner with this ID that you may see.")})
    sectors, locations = data.pop("sectors"), data.pop("locations")
    item = services.aiditem_create(
        by=request.user, unit=unit, donor_id=donor_id, sectors=sectors, locations=locations, **data
    )
    return Status(201, item)


@router.patch("/aid-items/{item_id}/", response=AidItemOut, summary="Sửa khoản viện trợ / Update an aid item")
def update_item(request: HttpRequest, item_id: int, payload: AidItemPatch):
    item = _item(request, item_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    if data.pop("version") != item.version:
        raise HttpError(
            409,
            _("Someone else changed this aid item since version {}; fetch it again and retry.").format(payload.version),
        )
    sectors, locations = data.pop("sectors", None), data.pop("locations", None)
    for name, value in data.items():
        if value is None and name in (
            "title_vi",
            "title_en",
            "description",
            "managing_agency",
            "currency",
            "committed_amount",
        ):
            continue
        setattr(item, name, value)
    return services.aiditem_update(item=item, by=request.user, sectors=sectors, locations=locations)


@router.delete("/aid-items/{item_id}/", response={204: None}, summary="Xóa khoản viện trợ / Delete an aid item")
def delete_item(request: HttpRequest, item_id: int):
    services.aiditem_delete(item=_item(request, item_id, CHANGE), by=request.user)
    return Status(204, None)


@router.get("/aid-items/{item_id}/steps/", response=list[StepOut], summary="Các bước phê duyệt / Approval steps")
def list_steps(request: HttpRequest, item_id: int):
    return list(_item(request, item_id).events.all()[:500])


@router.post("/aid-items/{item_id}/steps/", response={201: StepOut}, summary="Thực hiện một bước / Take a step")
def take_step(request: HttpRequest, item_id: int, payload: StepIn):
    item = _item(request, item_id, CHANGE)
    document = None
    if payload.document_id is not None:
        from apps.documents.models import Document

        document = Document.objects.for_user(request.user).filter(pk=payload.document_id).first()
        if document is None:
            raise ValidationError({"document_id": _("No document with this ID that you may see.")})
    event = services.aid_step(
        item=item,
        action=payload.action,
        by=request.user,
        on=payload.on,
        document=document,
        reason=payload.reason,
        agency=payload.agency,
        opinion=payload.opinion,
        favourable=payload.favourable,
        approving_authority=payload.approving_authority,
    )
    return Status(201, event)


@router.get("/aid-transactions/", response=TransactionPage, summary="Giao dịch viện trợ / List transactions")
def list_transactions(request: HttpRequest, limit: int = 50, offset: int = 0):
    rows, info = page(
        filtered(TransactionFilterSet, request, Transaction.objects.for_user(request.user)), limit, offset
    )
    return {"items": rows, "page": info}


@router.get("/aid-transactions/{tx_id}/", response=TransactionOut, summary="Một giao dịch / One transaction")
def get_transaction(request: HttpRequest, tx_id: int):
    tx = Transaction.objects.for_user(request.user).filter(pk=tx_id).first()
    if tx is None:
        raise Http404
    return tx


@router.post("/aid-transactions/", response={201: TransactionOut}, summary="Thêm giao dịch / Add a transaction")
def create_transaction(request: HttpRequest, payload: TransactionIn):
    data = payload.dict()
    choice(data["kind"], Transaction.Kind.values, "kind")
    item = _item(request, data.pop("aid_item_id"), CHANGE)
    return Status(201, services.transaction_add(item=item, by=request.user, **data))


@router.delete("/aid-transactions/{tx_id}/", response={204: None}, summary="Xóa giao dịch / Delete a transaction")
def delete_transaction(request: HttpRequest, tx_id: int):
    tx = Transaction.objects.for_user(request.user).filter(pk=tx_id).first()
    if tx is None:
        raise Http404
    if not Transaction.objects.for_user(request.user, CHANGE).filter(pk=tx_id).exists():
        raise HttpError(403, _("You may see this transaction but not change it."))
    services.transaction_delete(tx=tx, by=request.user)
    return Status(204, None)


@router.get("/exchange-rates/", response=RatePage, summary="Tỷ giá / Exchange rates")
def list_rates(request: HttpRequest, limit: int = 50, offset: int = 0):
    rows, info = page(
        filtered(ExchangeRateFilterSet, request, ExchangeRate.objects.for_user(request.user)), limit, offset
    )
    return {"items": rows, "page": info}


@router.get("/exchange-rates/{rate_id}/", response=RateOut, summary="Một tỷ giá / One rate")
def get_rate(request: HttpRequest, rate_id: int):
    rate = ExchangeRate.objects.for_user(request.user).filter(pk=rate_id).first()
    if rate is None:
        raise Http404
    return rate


@router.post("/exchange-rates/", response={201: RateOut}, summary="Thêm tỷ giá / Add a rate")
def create_rate(request: HttpRequest, payload: RateIn):
    rate = ExchangeRate(**payload.dict())
    return Status(201, services.rate_save(rate=rate, by=request.user))


__all__ = ["router", "AidStatus"]
