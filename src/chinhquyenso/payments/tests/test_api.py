"""The payments API: fee orders, paying, counter payments, refunds, problem+json, and the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chinhquyenso.dossiers.models import Dossier, State
from chinhquyenso.dossiers.tests.conftest import World
from chinhquyenso.payments.models import Payment
from chinhquyenso.payments.tests.conftest import received, signed_in
from chinhquyenso.payments.tests.urls import API

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(API + path, body, content_type="application/json", headers=headers)


@pytest.fixture
def dossier(world: World, fees: Any) -> Dossier:
    return received(world)


def test_an_officer_issues_an_order_and_the_applicant_reads_it(world: World, fees: Any, dossier: Dossier) -> None:
    created = post(signed_in(world.specialist), f"/dossiers/{dossier.pk}/fee-order",
                   {"exemption_code": "ho-ngheo", "lines": [{"fee_id": fees["copy"].pk, "quantity": 2}]})  # fmt: skip
    read = signed_in(world.citizen).get(f"{API}/dossiers/{dossier.pk}/fee-order")

    assert created.status_code == 201
    body = read.json()
    assert (body["gross_amount"], body["exempt_amount"], body["amount"]) == (12000, 8000, 4000)
    assert body["exemption"] == {"code": "ho-ngheo", "name": "Hộ nghèo"}
    assert body["pay_before_processing"] is True and body["status"] == "open"
    assert Dossier.objects.get(pk=dossier.pk).state == State.PAYING


def test_errors_are_problem_details_in_vietnamese(world: World, fees: Any, dossier: Dossier) -> None:
    officer = signed_in(world.specialist)
    post(officer, f"/dossiers/{dossier.pk}/fee-order", {})

    again = post(officer, f"/dossiers/{dossier.pk}/fee-order", {})
    missing = signed_in(world.citizen).get(f"{API}/dossiers/999999/fee-order")
    citizen_issue = post(signed_in(world.citizen), f"/dossiers/{dossier.pk}/fee-order", {})

    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert again.json()["detail"] == "Hồ sơ đã có yêu cầu nộp phí; hủy yêu cầu cũ trước khi lập yêu cầu mới."
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert (citizen_issue.status_code, citizen_issue.json()["code"]) == (403, "not_allowed")


def test_the_applicant_starts_a_payment_idempotently(world: World, fees: Any, dossier: Dossier) -> None:
    order = post(signed_in(world.specialist), f"/dossiers/{dossier.pk}/fee-order", {}).json()
    citizen = signed_in(world.citizen)

    first = post(citizen, f"/fee-orders/{order['id']}/payments", {}, **{"Idempotency-Key": "k-1"})
    again = post(citizen, f"/fee-orders/{order['id']}/payments", {}, **{"Idempotency-Key": "k-1"})
    stranger = post(signed_in(world.stranger), f"/fee-orders/{order['id']}/payments", {})

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["redirect_url"] == again.json()["redirect_url"]
    assert first.json()["payment"]["status"] == "pending" and first.json()["payment"]["amount"] == 10000
    assert Payment.objects.count() == 1
    assert stranger.status_code == 404


def test_a_counter_payment_through_the_api_returns_its_receipt(world: World, fees: Any, dossier: Dossier) -> None:
    officer = signed_in(world.desk)
    order = post(signed_in(world.specialist), f"/dossiers/{dossier.pk}/fee-order", {}).json()

    wrong = post(officer, f"/fee-orders/{order['id']}/counter-payments", {"method": "cash", "amount": 5000})
    paid = post(officer, f"/fee-orders/{order['id']}/counter-payments", {"method": "cash", "amount": 10000},
                **{"Idempotency-Key": "quay-1"})  # fmt: skip
    again = post(officer, f"/fee-orders/{order['id']}/counter-payments", {"method": "cash", "amount": 10000},
                 **{"Idempotency-Key": "quay-1"})  # fmt: skip

    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "so-tien"
    assert paid.status_code == 201 and again.status_code == 200
    assert paid.json()["fee_receipt"]["number"] == "0000001"
    assert paid.json()["channel"] == {"id": 3, "name": "Tại Bộ phận Một cửa"}
    listing = signed_in(world.desk).get(f"{API}/transactions?channel=3").json()
    assert listing["count"] == 1 and listing["items"][0]["txn_ref"] == paid.json()["txn_ref"]
    stranger = signed_in(world.stranger).get(f"{API}/transactions")
    assert stranger.json()["count"] == 0, stranger.content


def test_the_openapi_document_lists_the_payment_operations(world: World) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}

    assert {"fee_order_get", "fee_order_issue", "fee_order_cancel", "payment_start", "payment_record_counter",
            "payment_list", "payment_get", "payment_query", "payment_refund", "fee_receipt_get"} <= operations  # fmt: skip
    start = schema["paths"]["/api/v1/payments/fee-orders/{order_id}/payments"]["post"]
    assert "problem" in str(start["responses"]["409"]).lower() or "PaymentProblemOut" in str(start["responses"]["409"])
