"""Paying online through the gateway simulator: what the applicant sees, and what the platform records, for every
way a notification can arrive (now, late, twice, out of order, failure first, never) and for forged ones."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chinhquyenso.core.audit import audit_verify
from chinhquyenso.core.models import AuditEntry
from chinhquyenso.dossiers.models import State
from chinhquyenso.dossiers.tests.conftest import World
from chinhquyenso.payments import services
from chinhquyenso.payments.models import FeeOrder, FeeReceipt, Payment, PaymentNotification
from chinhquyenso.payments.signing import sign_query
from chinhquyenso.payments.tests.conftest import received, signed_in
from chinhquyenso.payments.tests.factories import choose, follow_return, issue, start_payment
from chinhquyenso.sandbox_pay import services as sandbox
from chinhquyenso.sandbox_pay.models import SandboxTransaction

pytestmark = pytest.mark.django_db

SECRET = "cqs-sandbox-pay-demo-secret-NOT-FOR-PRODUCTION"


@pytest.fixture
def paying(world: World, fees: Any) -> Any:
    """A received dossier whose fees (8.000 + 2.000 đ) must be paid before processing: state 6."""
    dossier = received(world)
    order = issue(world, dossier)
    return dossier, order


def ipn(params: dict[str, str], remote: str = "198.51.100.7") -> dict[str, str]:
    response = Client(REMOTE_ADDR=remote).get(f"/thanh-toan/ipn/sandbox/?{urlencode(params)}")
    assert response.status_code == 200
    body: dict[str, str] = response.json()
    return body


def test_citizen_pays_online_and_the_dossier_resumes_with_a_receipt(
    world: World, paying: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dossier, order = paying
    assert dossier.__class__.objects.get(pk=dossier.pk).state == State.PAYING
    citizen = signed_in(world.citizen)
    page = citizen.get(reverse("payments:order", args=[dossier.pk])).content.decode()
    assert "Lệ phí đăng ký khai sinh" in page and "10.000\u00a0đ" in page and "Mười nghìn đồng" in page

    payment, gateway_url = start_payment(citizen, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        back = choose(citizen, gateway_url, "success")
    result = follow_return(citizen, back["Location"]).content.decode()

    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert "Thanh toán thành công" in result and "Tải biên lai điện tử số 0000001" in result
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert dossier.events.filter(action="payment_settled").count() == 1
    assert FeeOrder.objects.get(pk=order.pk).status == FeeOrder.Status.PAID
    fee_receipt = FeeReceipt.objects.get(payment=payment)
    assert (fee_receipt.amount, fee_receipt.number) == (10000, "0000001")
    assert audit_verify().ok


def test_the_browser_return_alone_never_marks_anything_paid(
    world: World, paying: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dossier, _ = paying
    citizen = signed_in(world.citizen)
    payment, gateway_url = start_payment(citizen, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        back = choose(citizen, gateway_url, "success", delivery="late")  # the IPN has not arrived yet

    page = follow_return(citizen, back["Location"]).content.decode()

    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert "Đang xử lý thanh toán" in page
    assert "Cổng thanh toán báo bạn đã thanh toán xong" in page
    assert '<meta http-equiv="refresh"' in page
    assert FeeReceipt.objects.count() == 0


def test_a_forged_success_return_is_not_believed(world: World, paying: Any) -> None:
    dossier, _ = paying
    citizen = signed_in(world.citizen)
    payment, _ = start_payment(citizen, dossier)
    forged = {"vnp_TxnRef": payment.txn_ref, "vnp_Amount": str(payment.amount * 100), "vnp_ResponseCode": "00",
              "vnp_TransactionStatus": "00", "vnp_TmnCode": "CQSDEMO1", "vnp_SecureHash": "ab" * 64}  # fmt: skip

    back = citizen.get(f"/thanh-toan/ket-qua/sandbox/?{urlencode(forged)}")
    page = citizen.get(back["Location"]).content.decode()

    assert "Không xác thực được thông tin trình duyệt mang về" in page
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_a_late_notification_credits_when_it_arrives(
    world: World, paying: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dossier, _ = paying
    citizen = signed_in(world.citizen)
    payment, gateway_url = start_payment(citizen, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        choose(citizen, gateway_url, "success", delivery="late", late_seconds=30)
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING

    assert sandbox.deliver_due(now=timezone.now() + timedelta(seconds=31)) == 1

    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PAID


def test_a_notification_delivered_twice_credits_once(
    world: World, paying: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dossier, _ = paying
    citizen = signed_in(world.citizen)
    payment, gateway_url = start_payment(citizen, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        choose(citizen, gateway_url, "success", delivery="twice")

    answers = list(SandboxTransaction.objects.get().deliveries.values_list("answer", flat=True))
    assert '"RspCode": "00"' in answers[0] and '"RspCode": "02"' in answers[1]
    assert FeeReceipt.objects.count() == 1
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PAID
    assert dossier.events.filter(action="payment_settled").count() == 1


def test_a_stale_failure_arriving_after_the_success_changes_nothing(
    world: World, paying: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dossier, _ = paying
    citizen = signed_in(world.citizen)
    payment, gateway_url = start_payment(citizen, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        choose(citizen, gateway_url, "success", delivery="out_of_order")

    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PAID
    outcomes = list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["credited", "stale"]


def test_a_success_after_a_failure_for_the_same_transaction_still_credits(
    world: World, paying: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dossier, _ = paying
    citizen = signed_in(world.citizen)
    payment, gateway_url = start_payment(citizen, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        choose(citizen, gateway_url, "success", delivery="failure_first")

    outcomes = list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["not_paid", "credited"]
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PAID
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING


def test_a_cancelled_payment_can_be_paid_again(
    world: World, paying: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dossier, _ = paying
    citizen = signed_in(world.citizen)
    first, gateway_url = start_payment(citizen, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        back = choose(citizen, gateway_url, "cancel")
    page = follow_return(citizen, back["Location"]).content.decode()

    assert Payment.objects.get(pk=first.pk).status == Payment.Status.CANCELLED
    assert "Thanh toán không thành công" in page and "Thanh toán lại" in page
    second, _ = start_payment(citizen, dossier)
    assert second.pk != first.pk and second.status == Payment.Status.PENDING


def test_a_double_click_on_thanh_toan_opens_one_payment(world: World, paying: Any) -> None:
    dossier, _ = paying
    citizen = signed_in(world.citizen)
    page = citizen.get(reverse("payments:order", args=[dossier.pk])).content.decode()
    token = page.split('name="khoa" value="')[1].split('"')[0]

    first = citizen.post(reverse("payments:order", args=[dossier.pk]), {"khoa": token})
    second = citizen.post(reverse("payments:order", args=[dossier.pk]), {"khoa": token})

    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Payment.objects.count() == 1


def test_a_lost_notification_is_found_by_the_expiry_task_and_credited(
    world: World, paying: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dossier, _ = paying
    citizen = signed_in(world.citizen)
    payment, gateway_url = start_payment(citizen, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        choose(citizen, gateway_url, "success", delivery="none")
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING

    summary = services.payments_expire(now=timezone.now() + timedelta(minutes=30))

    assert (summary.checked, summary.credited) == (1, 1)
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PAID
    assert PaymentNotification.objects.get().source == "query"


def test_an_abandoned_payment_expires(world: World, paying: Any, django_capture_on_commit_callbacks: Any) -> None:
    dossier, order = paying
    citizen = signed_in(world.citizen)
    _, gateway_url = start_payment(citizen, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        page = choose(citizen, gateway_url, "timeout", delivery="none")
    start_payment(citizen, dossier)  # a second attempt: the payer closed the tab before the gateway's page
    assert "hết thời gian chờ" in page.content.decode()

    summary = services.payments_expire(now=timezone.now() + timedelta(minutes=30))

    assert (summary.checked, summary.expired) == (2, 2)
    assert set(Payment.objects.values_list("status", flat=True)) == {Payment.Status.EXPIRED}
    assert FeeOrder.objects.get(pk=order.pk).status == FeeOrder.Status.OPEN  # the citizen can still pay


def test_the_check_again_button_asks_the_gateway(
    world: World, paying: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dossier, _ = paying
    citizen = signed_in(world.citizen)
    payment, gateway_url = start_payment(citizen, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        choose(citizen, gateway_url, "success", delivery="none")

    page = citizen.post(reverse("payments:check", args=[payment.txn_ref]), follow=True).content.decode()

    assert "Thanh toán thành công" in page


# --- forged and wrong notifications ------------------------------------------------------------------------------
def _genuine(payment: Payment, **changes: str) -> dict[str, str]:
    params = {"vnp_TmnCode": "CQSDEMO1", "vnp_Amount": str(payment.amount * 100), "vnp_BankCode": "NCB",
              "vnp_OrderInfo": "Nop phi", "vnp_PayDate": "20261116090000", "vnp_ResponseCode": "00",
              "vnp_TransactionNo": "14000001", "vnp_TransactionStatus": "00", "vnp_TxnRef": payment.txn_ref}  # fmt: skip
    params.update(changes)
    params["vnp_SecureHash"] = sign_query(params, SECRET)
    return params


def test_a_forged_notification_is_rejected_flagged_and_audited(world: World, paying: Any) -> None:
    dossier, _ = paying
    payment, _ = start_payment(signed_in(world.citizen), dossier)
    forged = _genuine(payment)
    forged["vnp_SecureHash"] = sign_query(forged, "not-the-secret")

    answer = ipn(forged)

    assert answer == {"RspCode": "97", "Message": "Invalid signature"}
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING
    logged = PaymentNotification.objects.get()
    assert (logged.outcome, logged.flagged, logged.remote_addr) == ("bad_signature", True, "198.51.100.7")
    assert AuditEntry.objects.filter(action="payment.notification_rejected.bad_signature").count() == 1


def test_a_notification_with_another_amount_is_rejected_and_flagged(world: World, paying: Any) -> None:
    dossier, _ = paying
    payment, _ = start_payment(signed_in(world.citizen), dossier)

    answer = ipn(_genuine(payment, vnp_Amount="100"))  # 1 đồng instead of 10.000

    assert answer == {"RspCode": "04", "Message": "Invalid amount"}
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING
    assert PaymentNotification.objects.get().outcome == "amount_mismatch"
    assert AuditEntry.objects.filter(action="payment.notification_rejected.amount_mismatch").exists()
    assert FeeReceipt.objects.count() == 0


def test_a_notification_for_an_unknown_transaction_is_rejected(world: World, paying: Any) -> None:
    dossier, _ = paying
    payment, _ = start_payment(signed_in(world.citizen), dossier)

    answer = ipn(_genuine(payment, vnp_TxnRef="KHONGCO"))

    assert answer["RspCode"] == "01"
    assert PaymentNotification.objects.get().flagged


def test_a_notification_with_a_repeated_parameter_is_refused(world: World, paying: Any) -> None:
    dossier, _ = paying
    payment, _ = start_payment(signed_in(world.citizen), dossier)
    query = urlencode(_genuine(payment)) + "&vnp_Amount=100"

    answer = Client().get(f"/thanh-toan/ipn/sandbox/?{query}").json()

    assert answer["RspCode"] == "99"
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING


def test_the_ipn_answers_confirm_success_then_already_confirmed(world: World, paying: Any) -> None:
    dossier, _ = paying
    payment, _ = start_payment(signed_in(world.citizen), dossier)
    params = _genuine(payment)

    assert ipn(params) == {"RspCode": "00", "Message": "Confirm Success"}
    assert ipn(params) == {"RspCode": "02", "Message": "Order already confirmed"}
    assert FeeReceipt.objects.count() == 1


def test_paying_online_after_paying_at_the_counter_is_refunded(
    world: World, paying: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dossier, order = paying
    citizen = signed_in(world.citizen)
    online, gateway_url = start_payment(citizen, dossier)
    services.payment_record_counter(actor=world.desk, order_id=order.pk, method="cash", amount=10000)

    with django_capture_on_commit_callbacks(execute=True):
        choose(citizen, gateway_url, "success")

    online.refresh_from_db()
    assert online.status == Payment.Status.REFUNDED
    assert online.flagged and "Nộp trùng" in online.flag_reason
    assert SandboxTransaction.objects.get().status == SandboxTransaction.Status.REFUNDED
    assert FeeReceipt.objects.count() == 1  # only the counter payment's
    assert FeeOrder.objects.get(pk=order.pk).status == FeeOrder.Status.PAID


def test_the_return_url_writes_nothing(world: World, paying: Any) -> None:
    dossier, _ = paying
    citizen = signed_in(world.citizen)
    payment, _ = start_payment(citizen, dossier)
    before = (PaymentNotification.objects.count(), AuditEntry.objects.count())

    citizen.get(f"/thanh-toan/ket-qua/sandbox/?{urlencode(_genuine(payment))}")

    assert (PaymentNotification.objects.count(), AuditEntry.objects.count()) == before
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING


def test_the_redirect_to_the_gateway_is_signed_and_carries_the_amount_times_100(world: World, paying: Any) -> None:
    dossier, _ = paying
    _, url = start_payment(signed_in(world.citizen), dossier)
    params = dict(parse_qsl(urlsplit(url).query))

    assert urlsplit(url).path == "/sandbox-pay/paymentv2/vpcpay.html"
    assert params["vnp_Amount"] == "1000000" and params["vnp_CurrCode"] == "VND"
    assert params["vnp_SecureHash"] == sign_query(params, SECRET)
    assert params["vnp_ReturnUrl"].endswith("/thanh-toan/ket-qua/sandbox/")
