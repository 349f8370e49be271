"""The gateway SIMULATOR on its own: the platform's adapter talking to it over its merchant API, and its statement."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from chinhquyenso.payments.gateways import Outcome, get_adapter, transport
from chinhquyenso.sandbox_pay import services
from chinhquyenso.sandbox_pay.models import SandboxDelivery, SandboxTransaction
from chinhquyenso.sandbox_pay.services import Choice
from chinhquyenso.sandbox_pay.signing import signed

pytestmark = pytest.mark.django_db
SECRET = "cqs-sandbox-pay-demo-secret-NOT-FOR-PRODUCTION"


@pytest.fixture(autouse=True)
def _api_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def post_json(url: str, body: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = (
            Client().post(urlsplit(url).path, json.dumps(body), content_type="application/json").json()
        )
        return answer

    monkeypatch.setattr(transport, "post_json", post_json)


def open_transaction(ref: str = "REF1", amount: int = 25_000) -> SandboxTransaction:
    now = timezone.localtime()
    return services.transaction_open(signed({
        "vnp_Version": "2.1.0", "vnp_Command": "pay", "vnp_TmnCode": "CQSDEMO1", "vnp_Amount": str(amount * 100),
        "vnp_CurrCode": "VND", "vnp_TxnRef": ref, "vnp_OrderInfo": "Nop phi", "vnp_OrderType": "other",
        "vnp_Locale": "vn", "vnp_ReturnUrl": "http://127.0.0.1:8000/thanh-toan/ket-qua/sandbox/",
        "vnp_IpAddr": "127.0.0.1", "vnp_CreateDate": now.strftime("%Y%m%d%H%M%S"),
        "vnp_ExpireDate": (now + timedelta(minutes=15)).strftime("%Y%m%d%H%M%S"),
    }, SECRET))  # fmt: skip


def test_the_adapters_status_query_reads_the_simulators_signed_answer() -> None:
    txn = open_transaction()
    adapter = get_adapter("sandbox")
    pending = adapter.query(txn_ref="REF1", created_at=timezone.now(), client_ip="")
    services.transaction_finish(txn_id=txn.pk, choice=Choice(outcome="success", delivery="none"))

    paid = adapter.query(txn_ref="REF1", created_at=timezone.now(), client_ip="")
    unknown = adapter.query(txn_ref="KHONGCO", created_at=timezone.now(), client_ip="")

    assert pending.outcome is Outcome.PENDING
    assert (paid.outcome, paid.amount, paid.gateway_txn_no) == (Outcome.SUCCESS, 25_000, txn.transaction_no)
    assert unknown.outcome is Outcome.NOT_FOUND


def test_a_refund_is_done_once() -> None:
    txn = open_transaction()
    services.transaction_finish(txn_id=txn.pk, choice=Choice(outcome="success", delivery="none"))
    adapter = get_adapter("sandbox")

    first = adapter.refund(txn_ref="REF1", amount=25_000, gateway_txn_no=txn.transaction_no, created_at=timezone.now(),
                           reason="Dừng xử lý", by="can-bo")  # fmt: skip
    again = adapter.refund(txn_ref="REF1", amount=25_000, gateway_txn_no=txn.transaction_no, created_at=timezone.now(),
                           reason="Dừng xử lý", by="can-bo")  # fmt: skip

    assert first.ok and again.ok
    assert SandboxTransaction.objects.get().refunded_amount == 25_000


def test_the_delivery_plans_of_every_choice() -> None:
    plans = {}
    for delivery in services.DELIVERIES:
        txn = open_transaction(ref=f"P-{delivery}")
        services.transaction_finish(txn_id=txn.pk, choice=Choice(outcome="success", delivery=delivery, late_seconds=40))
        plans[delivery] = list(txn.deliveries.order_by("due_at", "id").values_list("kind", flat=True))

    final, stale = SandboxDelivery.Kind.FINAL, SandboxDelivery.Kind.STALE_FAILURE
    assert plans == {"now": [final], "late": [final], "twice": [final, final], "out_of_order": [final, stale],
                     "failure_first": [stale, final], "none": []}  # fmt: skip
    late = SandboxDelivery.objects.get(transaction__txn_ref="P-late")
    assert 39 <= (late.due_at - timezone.now()).total_seconds() <= 40


def test_the_statement_lists_the_days_finished_transactions() -> None:
    paid, failed, _pending = open_transaction("A"), open_transaction("B"), open_transaction("C")
    services.transaction_finish(txn_id=paid.pk, choice=Choice(outcome="success", delivery="none"))
    services.transaction_finish(txn_id=failed.pk, choice=Choice(outcome="failure", delivery="none"))

    lines = services.statement_csv(day=timezone.localdate()).splitlines()

    assert lines[0] == "txn_ref,transaction_no,amount,status,pay_date,bank_code,refunded_amount"
    assert [line.split(",")[0::3] for line in lines[1:]] == [["A", "success", "0"], ["B", "failed", "0"]]
    assert datetime.strptime(lines[1].split(",")[4], "%Y-%m-%d %H:%M:%S")


def test_a_reused_reference_with_another_amount_is_refused() -> None:
    open_transaction("R", 10_000)

    with pytest.raises(services.SandboxError, match="số tiền khác"):
        open_transaction("R", 20_000)
