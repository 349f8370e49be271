"""Gateway notifications and status queries: a payment is credited only on a verified message with the right amount; expiry of abandoned attempts."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.core.audit import audit_record
from chinhquyenso.dossiers import services as dossier_services
from chinhquyenso.dossiers.models import Dossier, State
from chinhquyenso.payments.errors import (
    GatewayUnavailable,
    PaymentNotFound,
)
from chinhquyenso.payments.fee_receipts import fee_receipt_issue
from chinhquyenso.payments.gateways import (
    BadSignature,
    GatewayAdapter,
    GatewayError,
    GatewayResult,
    Malformed,
    Outcome,
    UnknownGateway,
    get_adapter,
)
from chinhquyenso.payments.gateways.vnpay import IpnCode
from chinhquyenso.payments.models import (
    FeeOrder,
    FeeReceipt,
    Payment,
    PaymentNotification,
)
from chinhquyenso.payments.money import format_vnd
from chinhquyenso.payments.services.access import _FAILURE_STATUS, COUNTER, EXPIRY_GRACE, UNREACHABLE_GIVE_UP
from chinhquyenso.payments.services.refunds import payment_refund_execute

logger = logging.getLogger(__name__)


def _credit(order: FeeOrder, payment: Payment, *, actor: User | None, now: datetime) -> FeeReceipt:
    """Mark the payment and its order paid, issue the fee receipt, settle the dossier. Caller holds the order lock."""
    payment.status = Payment.Status.PAID
    payment.paid_at = payment.paid_at or now
    payment.closed_at = now
    payment.save()
    order.status = FeeOrder.Status.PAID
    order.paid_at = payment.paid_at
    order.save(update_fields=["status", "paid_at", "updated_at"])
    fee_receipt = fee_receipt_issue(payment=payment, order=order)
    audit_record(actor=actor, action="payment.credit", obj=payment,
                 after={"order": order.pk, "amount": payment.amount, "channel": payment.channel,
                        "fee_receipt": f"{fee_receipt.symbol} {fee_receipt.number}"})  # fmt: skip
    note = (f"Đã nộp {format_vnd(payment.amount)} phí, lệ phí "
            f"(biên lai số {fee_receipt.number}, ký hiệu {fee_receipt.symbol}).")  # fmt: skip
    dossier = Dossier.objects.select_for_update().get(pk=order.dossier_id)
    if dossier.state == State.PAYING:
        dossier_services.dossier_payment_settled(dossier_id=dossier.pk, actor=actor, note=note)
    else:
        dossier_services.dossier_note(dossier_id=dossier.pk, actor=actor, action="fee_paid", note=note, notify=True)
    return fee_receipt


@dataclass(frozen=True)
class NotificationAnswer:
    """What to answer the gateway, and what we did."""

    code: str
    message: str
    outcome: str
    payment: Payment | None = None

    @property
    def body(self) -> dict[str, str]:
        return {"RspCode": self.code, "Message": self.message}


def _log(
    *,
    gateway: str,
    source: str,
    params: Mapping[str, Any],
    outcome: str,
    rsp: tuple[str, str] | None,
    remote_addr: str | None,
    payment: Payment | None = None,
    result: GatewayResult | None = None,
    signature_valid: bool = True,
    flagged: bool = False,
) -> PaymentNotification:
    return PaymentNotification.objects.create(
        gateway=gateway[:30], source=source, received_at=timezone.now(), payment=payment,
        txn_ref=(result.txn_ref if result else str(params.get("vnp_TxnRef", "")))[:100],
        gateway_txn_no=(result.gateway_txn_no if result else "")[:40],
        amount=result.amount if result else None, response_code=(result.response_code if result else "")[:4],
        outcome=outcome, rsp_code=rsp[0] if rsp else "", signature_valid=signature_valid,
        params={str(k)[:100]: str(v)[:500] for k, v in list(params.items())[:60]},
        remote_addr=remote_addr or None, flagged=flagged,
    )  # fmt: skip


def _reject(
    *,
    gateway: str,
    source: str,
    params: Mapping[str, Any],
    outcome: str,
    rsp: tuple[str, str],
    remote_addr: str | None,
    reason: str,
    payment: Payment | None = None,
    result: GatewayResult | None = None,
    signature_valid: bool = True,
) -> NotificationAnswer:
    """Log, flag and audit a message we refuse; nothing else is written."""
    with transaction.atomic():
        logged = _log(gateway=gateway, source=source, params=params, outcome=outcome, rsp=rsp, remote_addr=remote_addr,
                      payment=payment, result=result, signature_valid=signature_valid, flagged=True)  # fmt: skip
        audit_record(actor=None, action=f"payment.notification_rejected.{outcome}", obj=logged,
                     after={"reason": reason, "txn_ref": logged.txn_ref, "gateway": gateway,
                            "remote_addr": remote_addr or ""})  # fmt: skip
    logger.warning("payment notification rejected: %s (%s)", outcome, reason)
    return NotificationAnswer(code=rsp[0], message=rsp[1], outcome=outcome, payment=payment)


def notification_handle(
    *, gateway: str, params: Mapping[str, str], remote_addr: str | None = None, source: str = "ipn"
) -> NotificationAnswer:
    """Handle a gateway's payment notification (IPN): verify, then apply ``_apply``'s rules under the order lock."""
    try:
        adapter = get_adapter(gateway)
    except UnknownGateway:
        return _reject(gateway=gateway, source=source, params=params, outcome=PaymentNotification.Outcome.MALFORMED,
                       rsp=IpnCode.UNKNOWN_ERROR, remote_addr=remote_addr, reason="cổng thanh toán không được cấu hình",
                       signature_valid=False)  # fmt: skip
    try:
        with translation.override("vi"):  # why a message was refused goes into the audit chain: in Vietnamese
            result = adapter.parse_callback(params)
    except BadSignature as exc:
        return _reject(gateway=gateway, source=source, params=params, outcome=PaymentNotification.Outcome.BAD_SIGNATURE,
                       rsp=IpnCode.INVALID_SIGNATURE, remote_addr=remote_addr, reason=str(exc),
                       signature_valid=False)  # fmt: skip
    except Malformed as exc:
        return _reject(gateway=gateway, source=source, params=params, outcome=PaymentNotification.Outcome.MALFORMED,
                       rsp=IpnCode.UNKNOWN_ERROR, remote_addr=remote_addr, reason=str(exc))  # fmt: skip
    return _handle_result(adapter, result, params=params, remote_addr=remote_addr, source=source)


def _handle_result(
    adapter: GatewayAdapter, result: GatewayResult, *, params: Mapping[str, Any], remote_addr: str | None, source: str
) -> NotificationAnswer:
    try:  # get(), not first(): the reference is unique, and no ORDER BY to compile on the hot path
        seen: Payment | None = Payment.objects.get(txn_ref=result.txn_ref[:34], gateway=adapter.code)
    except Payment.DoesNotExist:
        seen = None
    if seen is None:
        return _reject(gateway=adapter.code, source=source, params=params, result=result,
                       outcome=PaymentNotification.Outcome.UNKNOWN_PAYMENT, rsp=IpnCode.NOT_FOUND,
                       remote_addr=remote_addr, reason="không có giao dịch mang mã này")  # fmt: skip
    if result.outcome not in (Outcome.PENDING, Outcome.NOT_FOUND) and result.amount != seen.amount:
        return _reject(gateway=adapter.code, source=source, params=params, result=result, payment=seen,
                       outcome=PaymentNotification.Outcome.AMOUNT_MISMATCH, rsp=IpnCode.INVALID_AMOUNT,
                       remote_addr=remote_addr,
                       reason=f"cổng báo {result.amount} đồng, giao dịch là {seen.amount} đồng")  # fmt: skip
    if seen.status in SETTLED:
        # Paid (or being refunded) is final for every message: answer without locking, so that a gateway's retry
        # storm costs one lookup and one insert each. The amount never changes, so the check above holds.
        outcome, rsp, flagged = _settled_answer(seen, result)
        _log(gateway=adapter.code, source=source, params=params, outcome=outcome, rsp=rsp, remote_addr=remote_addr,
             payment=seen, result=result, flagged=flagged)  # fmt: skip
        return NotificationAnswer(code=rsp[0], message=rsp[1], outcome=outcome, payment=seen)
    payment_id = seen.pk
    with transaction.atomic():
        order = FeeOrder.objects.select_for_update().get(pk=seen.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        answer, rsp_, flagged_ = _apply(order, payment, result, now=timezone.now())
        _log(gateway=adapter.code, source=source, params=params, outcome=answer, rsp=rsp_, remote_addr=remote_addr,
             payment=payment, result=result, flagged=flagged_)  # fmt: skip
        if answer == PaymentNotification.Outcome.DOUBLE_PAYMENT:
            from chinhquyenso.payments import tasks

            transaction.on_commit(lambda: tasks.refund_payment.enqueue(payment_id))
    return NotificationAnswer(code=rsp_[0] if rsp_ else "", message=rsp_[1] if rsp_ else "", outcome=answer,
                              payment=payment)  # fmt: skip


SETTLED = frozenset({Payment.Status.PAID, *Payment.REFUND_STATES})


def _settled_answer(payment: Payment, result: GatewayResult) -> tuple[str, tuple[str, str], bool]:
    """A message about a payment already paid (or refunded) changes nothing: a success is a duplicate (or, with
    another gateway transaction number, a conflict to look at); a failure is stale, out of order."""
    out = PaymentNotification.Outcome
    if result.outcome is Outcome.SUCCESS:
        if payment.gateway_txn_no and result.gateway_txn_no and payment.gateway_txn_no != result.gateway_txn_no:
            return out.CONFLICT, IpnCode.ALREADY_CONFIRMED, True
        return out.DUPLICATE, IpnCode.ALREADY_CONFIRMED, False
    if result.outcome in (Outcome.PENDING, Outcome.NOT_FOUND):
        return out.STILL_PENDING, IpnCode.ALREADY_CONFIRMED, False
    return out.STALE, IpnCode.ALREADY_CONFIRMED, False


def _apply(
    order: FeeOrder, payment: Payment, result: GatewayResult, *, now: datetime
) -> tuple[str, tuple[str, str] | None, bool]:
    """The rules for a verified message about ``payment`` (order and payment locked): (outcome, answer, flag)."""
    out = PaymentNotification.Outcome
    status = payment.status
    if status in SETTLED:
        return _settled_answer(payment, result)
    if result.outcome is Outcome.SUCCESS:
        txn_no = result.gateway_txn_no or None
        if (
            txn_no
            and Payment.objects.filter(gateway=payment.gateway, gateway_txn_no=txn_no).exclude(pk=payment.pk).exists()
        ):
            return out.CONFLICT, IpnCode.ALREADY_CONFIRMED, True  # one gateway transaction cannot pay two payments
        payment.gateway_txn_no = txn_no
        payment.bank_code = result.bank_code
        payment.response_code = result.response_code
        payment.paid_at = result.paid_at or now
        if order.status == FeeOrder.Status.OPEN:
            _credit(order, payment, actor=None, now=now)
            return out.CREDITED, IpnCode.CONFIRMED, False
        # Settled another way (the counter, another attempt) or cancelled meanwhile: the money goes back.
        payment.status = Payment.Status.REFUND_PENDING
        payment.closed_at = now
        payment.refund_reason = (
            "Nộp trùng: khoản phí đã được thanh toán hoặc đã hủy trước khi giao dịch này thành công."
        )
        payment.refund_requested_at = now
        payment.flagged = True
        payment.flag_reason = payment.refund_reason
        payment.save()
        audit_record(actor=None, action="payment.double_payment", obj=payment,
                     after={"order": order.pk, "order_status": order.status, "amount": payment.amount})  # fmt: skip
        return out.DOUBLE_PAYMENT, IpnCode.CONFIRMED, True
    if result.outcome in (Outcome.PENDING, Outcome.NOT_FOUND):
        return out.STILL_PENDING, None, False
    if status == Payment.Status.PENDING:
        payment.status = _FAILURE_STATUS[result.outcome]
        payment.response_code = result.response_code
        payment.closed_at = now
        payment.save(update_fields=["status", "response_code", "closed_at"])
        return out.NOT_PAID, IpnCode.CONFIRMED, False
    if status in Payment.NOT_PAID:
        return out.DUPLICATE, IpnCode.ALREADY_CONFIRMED, False
    return out.STALE, IpnCode.ALREADY_CONFIRMED, False  # a failure after the success: out of order, ignored


# --- status query, expiry
def payment_query(*, payment_id: int, now: datetime | None = None) -> Payment:
    """Ask the gateway (server to server, signed both ways) what happened to an online payment and apply the
    answer with the notification rules. A payment past its expiry that the gateway does not know, or still calls
    unfinished, is abandoned: expired. Raises GatewayUnavailable when the gateway cannot be asked."""
    now = now or timezone.now()
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise PaymentNotFound
    if payment.gateway == COUNTER:
        return payment
    try:
        adapter = get_adapter(payment.gateway)
        result = adapter.query(
            txn_ref=payment.txn_ref, created_at=payment.created_at, client_ip=payment.client_ip or ""
        )
    except UnknownGateway:
        raise GatewayUnavailable(
            gettext("Cổng thanh toán «%(gateway)s» không còn được cấu hình.") % {"gateway": payment.gateway}
        ) from None
    except (GatewayError, BadSignature, Malformed) as exc:
        Payment.objects.filter(pk=payment.pk).update(last_checked_at=now)
        raise GatewayUnavailable(
            gettext("Chưa đối chiếu được với cổng thanh toán: %(error)s") % {"error": exc}
        ) from None
    answer = _handle_result(adapter, result, params={"query": result.outcome.value, "vnp_TxnRef": payment.txn_ref},
                            remote_addr=None, source=PaymentNotification.Source.QUERY)  # fmt: skip
    if answer.outcome == PaymentNotification.Outcome.STILL_PENDING:
        _expire_if_abandoned(payment.pk, now)
    Payment.objects.filter(pk=payment.pk).update(last_checked_at=now)
    payment.refresh_from_db()
    return payment


def _expire_if_abandoned(payment_id: int, now: datetime, *, flag_reason: str = "") -> bool:
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status != Payment.Status.PENDING or payment.expires_at is None:
            return False
        if payment.expires_at + EXPIRY_GRACE > now:
            return False
        payment.status = Payment.Status.EXPIRED
        payment.closed_at = now
        if flag_reason:
            payment.flagged = True
            payment.flag_reason = flag_reason
        payment.save(update_fields=["status", "closed_at", "flagged", "flag_reason"])
        audit_record(actor=None, action="payment.expire", obj=payment, after={"reason": flag_reason or "abandoned"})
    return True


@dataclass
class ExpireSummary:
    checked: int = 0
    credited: int = 0
    not_paid: int = 0
    expired: int = 0
    unreachable: int = 0
    refunds_retried: int = 0


def payments_expire(*, now: datetime | None = None, limit: int = 500) -> ExpireSummary:
    """Reconciliation of pending payments (run every few minutes: ``cqs payments expire``): each pending online
    payment past its expiry is checked with the gateway, so a lost notification is still credited; abandoned ones
    expire. Refunds the gateway did not confirm are tried again."""
    now = now or timezone.now()
    summary = ExpireSummary()
    due = (
        Payment.objects.filter(status=Payment.Status.PENDING, expires_at__lt=now - EXPIRY_GRACE)
        .exclude(gateway=COUNTER)
        .order_by("expires_at")
        .values_list("pk", flat=True)[:limit]
    )
    for payment_id in list(due):
        summary.checked += 1
        try:
            payment = payment_query(payment_id=payment_id, now=now)
        except GatewayUnavailable:
            summary.unreachable += 1
            payment = Payment.objects.get(pk=payment_id)
            if payment.expires_at is not None and payment.expires_at + UNREACHABLE_GIVE_UP < now:
                _expire_if_abandoned(
                    payment_id, now, flag_reason="Hết hạn mà không đối chiếu được với cổng thanh toán."
                )
                summary.expired += 1
            continue
        if payment.status == Payment.Status.PAID:
            summary.credited += 1
        elif payment.status == Payment.Status.EXPIRED:
            summary.expired += 1
        elif payment.status in Payment.NOT_PAID:
            summary.not_paid += 1
    for payment_id in list(
        Payment.objects.filter(status=Payment.Status.REFUND_PENDING, refund_requested_at__lt=now - EXPIRY_GRACE)
        .exclude(gateway=COUNTER).values_list("pk", flat=True)[:limit]
    ):  # fmt: skip
        summary.refunds_retried += 1
        try:
            payment_refund_execute(payment_id=payment_id)
        except GatewayUnavailable:
            continue
    return summary
