"""The permission matrix for aid items, their transactions and the exchange-rate table, plus the
API's answers to bad input (never a 500)."""

from datetime import date
from decimal import Decimal

import pytest

from apps.aid import services
from apps.aid.models import AidItem, ExchangeRate, Transaction
from apps.core.changelog import change_logging
from tests.matrix import FULL, READ_ONLY, PermissionMatrix


def new_item(unit, code="VT-MATRIX", status="draft"):
    with change_logging(user=None):
        item = services.aiditem_create(
            by=None,
            unit=unit,
            code=code,
            kind="project",
            title_vi="Viện trợ thử nghiệm",
            committed_amount=Decimal("1000"),
            currency="USD",
        )
    if status != "draft":
        AidItem.objects.filter(pk=item.pk).update(status=status, approved_on=date(2025, 1, 1))
        item.refresh_from_db()
    return item


class TestAidItemPermissions(PermissionMatrix):
    model = AidItem
    api_list = "/api/aid-items/"

    def make(self, province, unit):
        return new_item(unit)


class TestTransactionPermissions(PermissionMatrix):
    model = Transaction
    api_list = "/api/aid-transactions/"
    may_add = ()  # transactions are added from their aid item's page

    def make(self, province, unit):
        item = new_item(unit, status="approved")
        with change_logging(user=None):
            return services.transaction_add(
                item=item, by=None, kind="disbursement", date=date(2025, 2, 1), amount=Decimal("10")
            )


class TestExchangeRatePermissions(PermissionMatrix):
    """Rates are reference data: everyone signed in reads them; coordinators and administrators keep them."""

    model = ExchangeRate
    api_list = "/api/exchange-rates/"
    expected = {"officer_a": READ_ONLY, "officer_b": READ_ONLY, "coordinator": FULL}
    may_add = ("coordinator", "admin", "superuser")

    def make(self, province, unit):
        with change_logging(user=None):
            return ExchangeRate.objects.create(
                currency="USD", date=date(2025, 1, 1), rate_vnd=Decimal("25000"), source="SBV"
            )


@pytest.mark.django_db
def test_the_api_never_answers_500(login, province):
    client = login("officer_a")
    item = new_item(province.union)
    bad = [
        ("post", "/api/aid-items/", {"code": "X", "kind": "nonsense", "title_vi": "x", "unit_id": province.union.pk}),
        ("post", "/api/aid-items/", {"code": "X", "kind": "project", "title_vi": "x", "unit_id": 999999}),
        (
            "post",
            "/api/aid-items/",
            {
                "code": "X",
                "kind": "project",
                "title_vi": "x",
                "unit_id": province.union.pk,
                "committed_amount": "1e400",
            },
        ),
        (
            "post",
            "/api/aid-items/",
            {"code": "X", "kind": "project", "title_vi": "x", "unit_id": province.union.pk, "currency": "U$D"},
        ),
        (
            "post",
            "/api/aid-items/",
            {
                "code": "X",
                "kind": "project",
                "title_vi": "x",
                "unit_id": province.union.pk,
                "sectors": [{"code": "12220", "percentage": 50}],
            },
        ),
        ("post", "/api/aid-items/{}/steps/".format(item.pk), {"action": "approve"}),
        ("post", "/api/aid-items/{}/steps/".format(item.pk), {"action": "??"}),
        (
            "post",
            "/api/aid-transactions/",
            {"aid_item_id": item.pk, "kind": "disbursement", "date": "2025-01-01", "amount": "5"},
        ),
        ("post", "/api/exchange-rates/", {"currency": "USD", "date": "2025-01-01", "rate_vnd": "25000", "source": "x"}),
        ("patch", "/api/aid-items/{}/".format(item.pk), {"version": 999}),
    ]
    for method, url, body in bad:
        response = getattr(client, method)(url, body, content_type="application/json")
        assert 400 <= response.status_code < 500, (url, body, response.status_code, response.content[:300])
        assert set(response.json()) == {"detail", "errors"}
    for query in ("?limit=0", "?approved_after=xx", "?province=abc", "?offset=-1"):
        response = client.get("/api/aid-items/" + query)
        assert response.status_code in (400, 422) and set(response.json()) == {"detail", "errors"}
    assert client.get("/api/aid-items/statistics/?date_from=2021-01-01").status_code == 200


@pytest.mark.django_db
def test_an_aid_item_goes_through_the_api(login, province):
    client = login("coordinator")
    services.rate_save(
        rate=ExchangeRate(currency="USD", date=date(2020, 1, 1), rate_vnd=Decimal("23000"), source="SBV"), by=None
    )
    response = client.post(
        "/api/aid-items/",
        {
            "code": "API-1",
            "kind": "non_project",
            "title_vi": "Thiết bị y tế",
            "unit_id": province.union.pk,
            "committed_amount": "2500.50",
            "currency": "USD",
            "sectors": [{"code": "12220", "percentage": 100}],
            "locations": [{"province_code": 82, "percentage": 100}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["committed_vnd"] == "57511500.00"
    from apps.documents.models import Document

    doc = Document.objects.create(unit=province.union, notation="9/QĐ-UBND")
    for step in (
        {"action": "submit"},
        {"action": "appraise", "agency": "finance", "opinion": "OK"},
        {"action": "approve", "document_id": doc.pk, "on": "2025-03-01"},
    ):
        assert (
            client.post(
                "/api/aid-items/{}/steps/".format(item["id"]), step, content_type="application/json"
            ).status_code
            == 201
        )
    assert client.get("/api/aid-items/{}/".format(item["id"])).json()["status"] == "approved"
    steps = client.get("/api/aid-items/{}/steps/".format(item["id"])).json()
    assert [s["action"] for s in steps] == ["submit", "appraise", "approve"] and all(s["by_id"] for s in steps)
