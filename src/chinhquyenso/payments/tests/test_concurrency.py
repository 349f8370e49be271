"""Duplicate notifications at once, on real concurrent PostgreSQL connections: exactly one credit."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import RequestFactory

from chinhquyenso.dossiers.models import Dossier, State
from chinhquyenso.dossiers.tests.conftest import World
from chinhquyenso.payments import services
from chinhquyenso.payments.errors import PaymentConflict
from chinhquyenso.payments.models import FeeOrder, FeeReceipt, Payment, PaymentNotification
from chinhquyenso.payments.signing import sign_query
from chinhquyenso.payments.tests.conftest import received, signed_in
from chinhquyenso.payments.tests.factories import issue, start_payment
from chinhquyenso.payments.views.gateway import ipn

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent connections need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
THREADS, PER_THREAD = 20, 50
SECRET = "cqs-sandbox-pay-demo-secret-NOT-FOR-PRODUCTION"


def success_params(payment: Payment) -> dict[str, str]:
    params = {"vnp_TmnCode": "CQSDEMO1", "vnp_Amount": str(payment.amount * 100), "vnp_BankCode": "NCB",
              "vnp_OrderInfo": "Nop phi", "vnp_PayDate": "20261116090000", "vnp_ResponseCode": "00",
              "vnp_TransactionNo": "14000001", "vnp_TransactionStatus": "00", "vnp_TxnRef": payment.txn_ref}  # fmt: skip
    params["vnp_SecureHash"] = sign_query(params, SECRET)
    return params


def run_threads(count: int, work: Callable[[int], list[Any]]) -> list[Any]:
    """``count`` threads start together, each on its own database connection; returns every result."""
    barrier = threading.Barrier(count)
    results: list[list[Any]] = [[] for _ in range(count)]

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(index)
        except Exception as exc:  # collected for the assertions
            results[index] = [exc]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for chunk in results for r in chunk]


def test_a_thousand_concurrent_duplicate_notifications_credit_exactly_once(world: World, fees: Any) -> None:
    dossier = received(world)
    issue(world, dossier)
    payment, _ = start_payment(signed_in(world.citizen), dossier)
    params = success_params(payment)
    factory = RequestFactory()

    def deliver(_: int) -> list[Any]:
        return [ipn(factory.get("/thanh-toan/ipn/sandbox/", params), "sandbox").content.decode()
                for _ in range(PER_THREAD)]  # fmt: skip

    answers = Counter(run_threads(THREADS, deliver))

    assert answers == {'{"RspCode": "00", "Message": "Confirm Success"}': 1,
                       '{"RspCode": "02", "Message": "Order already confirmed"}': THREADS * PER_THREAD - 1}  # fmt: skip
    assert Payment.objects.filter(status=Payment.Status.PAID).count() == 1
    assert FeeReceipt.objects.count() == 1
    assert FeeOrder.objects.get().status == FeeOrder.Status.PAID
    assert Dossier.objects.get(pk=dossier.pk).state == State.PROCESSING
    assert Dossier.objects.get(pk=dossier.pk).events.filter(action="payment_settled").count() == 1
    outcomes = Counter(PaymentNotification.objects.values_list("outcome", flat=True))
    assert outcomes == {"credited": 1, "duplicate": THREADS * PER_THREAD - 1}


def test_a_notification_and_a_counter_payment_at_once_credit_once_and_refund_the_other(world: World, fees: Any) -> None:
    dossier = received(world)
    order = issue(world, dossier)
    online, _ = start_payment(signed_in(world.citizen), dossier)
    params = success_params(online)
    factory = RequestFactory()

    def work(index: int) -> list[Any]:
        if index == 0:
            return [ipn(factory.get("/thanh-toan/ipn/sandbox/", params), "sandbox").status_code]
        return [services.payment_record_counter(actor=world.desk, order_id=order.pk, method="cash", amount=10000)]

    results = run_threads(2, work)

    conflicts = [r for r in results if isinstance(r, PaymentConflict)]
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, PaymentConflict)]
    assert Payment.objects.filter(status=Payment.Status.PAID).count() == 1
    assert FeeReceipt.objects.count() == 1
    refunding = Payment.objects.filter(flagged=True, status__in=Payment.REFUND_STATES).count()
    assert len(conflicts) + refunding == 1  # the counter was refused, or the online payment is being refunded
