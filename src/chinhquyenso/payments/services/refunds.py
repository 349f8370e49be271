"""Refunds (officer-initiated, executed through the gateway) and the administrators' review of rejected notifications."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.core.audit import audit_record
from chinhquyenso.dossiers import services as dossier_services
from chinhquyenso.payments.errors import (
    GatewayUnavailable,
    InvalidPayment,
    PaymentConflict,
    PaymentNotFound,
)
from chinhquyenso.payments.gateways import (
    BadSignature,
    GatewayError,
    Malformed,
    UnknownGateway,
    get_adapter,
)
from chinhquyenso.payments.models import (
    FeeOrder,
    Payment,
    PaymentNotification,
)
from chinhquyenso.payments.money import format_vnd
from chinhquyenso.payments.services.access import COUNTER, REFUNDABLE_DOSSIER_STATES, _fee_officer_dossier


def payment_refund(*, actor: User, payment_id: int, reason: str) -> Payment:
    """Refund the fees of a dossier that was refused or stopped (or retry a refund the gateway refused).

    Online payments are refunded through the gateway (state ``refund_pending`` until it confirms); money paid at the
    counter is handed back by the officer, who records it here.
    """
    payment = Payment.objects.select_related("order__dossier").filter(pk=payment_id).first()
    if payment is None:
        raise PaymentNotFound
    dossier = _fee_officer_dossier(actor, payment.order.dossier_id)
    reason = reason.strip()
    if not reason:
        message = gettext("Hãy nhập lý do hoàn phí.")
        raise InvalidPayment(message, fields={"ly-do": [message]})
    if payment.status == Payment.Status.PAID and dossier.state not in REFUNDABLE_DOSSIER_STATES:
        raise PaymentConflict(gettext("Chỉ hoàn phí khi hồ sơ bị từ chối hoặc dừng xử lý."))
    now = timezone.now()
    with transaction.atomic():
        FeeOrder.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status not in (Payment.Status.PAID, Payment.Status.REFUND_FAILED):
            raise PaymentConflict(
                gettext("Giao dịch đang ở trạng thái «%(status)s»; không hoàn phí được.")
                % {"status": payment.get_status_display()}
            )
        payment.status = Payment.Status.REFUND_PENDING
        payment.refund_reason = reason[:500]
        payment.refund_requested_at = now
        payment.refund_by = actor
        payment.save(update_fields=["status", "refund_reason", "refund_requested_at", "refund_by"])
        audit_record(actor=actor, action="payment.refund_request", obj=payment, after={"reason": payment.refund_reason})
        if payment.gateway == COUNTER:
            _refunded(payment, now=now, actor=actor, refund_ref="")
            return payment
    return payment_refund_execute(payment_id=payment_id)


def payment_refund_execute(*, payment_id: int) -> Payment:
    """Ask the gateway to refund a ``refund_pending`` payment. Safe to repeat: the gateway refunds a transaction
    once; a refund it refuses is flagged ``refund_failed`` for a person to look at."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise PaymentNotFound
    if payment.status != Payment.Status.REFUND_PENDING or payment.gateway == COUNTER:
        return payment
    try:
        adapter = get_adapter(payment.gateway)
        result = adapter.refund(txn_ref=payment.txn_ref, amount=payment.amount, gateway_txn_no=payment.gateway_txn_no or "",
                                created_at=payment.created_at, reason=payment.refund_reason or "Hoan phi",
                                by=payment.refund_by.get_username() if payment.refund_by else "he-thong")  # fmt: skip
    except UnknownGateway:
        raise GatewayUnavailable(
            gettext("Cổng thanh toán «%(gateway)s» không còn được cấu hình.") % {"gateway": payment.gateway}
        ) from None
    except (GatewayError, BadSignature, Malformed) as exc:
        raise GatewayUnavailable(
            gettext("Đã ghi nhận yêu cầu hoàn phí; cổng thanh toán chưa xác nhận (%(error)s). Hệ thống sẽ tự thử lại.")
            % {"error": exc}
        ) from None
    now = timezone.now()
    with transaction.atomic():
        FeeOrder.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status != Payment.Status.REFUND_PENDING:
            return payment
        if result.ok:
            _refunded(payment, now=now, actor=payment.refund_by, refund_ref=result.refund_ref)
        else:
            payment.status = Payment.Status.REFUND_FAILED
            payment.flagged = True
            payment.flag_reason = f"Cổng thanh toán từ chối hoàn tiền (mã {result.response_code}): {result.message}"[
                :500
            ]
            payment.save(update_fields=["status", "flagged", "flag_reason"])
            audit_record(actor=None, action="payment.refund_failed", obj=payment,
                         after={"code": result.response_code, "message": result.message})  # fmt: skip
    return payment


def _refunded(payment: Payment, *, now: datetime, actor: User | None, refund_ref: str) -> None:
    payment.status = Payment.Status.REFUNDED
    payment.refunded_at = now
    payment.refund_ref = refund_ref
    payment.save(update_fields=["status", "refunded_at", "refund_ref"])
    order = FeeOrder.objects.get(pk=payment.order_id)
    credited = hasattr(payment, "fee_receipt") and order.status == FeeOrder.Status.PAID
    if credited:
        order.status = FeeOrder.Status.REFUNDED
        order.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action="payment.refunded", obj=payment, after={"amount": payment.amount, "ref": refund_ref}
    )
    dossier_services.dossier_note(dossier_id=order.dossier_id, actor=actor, action="fee_refunded", notify=True,
                                  note=f"Đã hoàn trả {format_vnd(payment.amount)} (giao dịch {payment.txn_ref}).")  # fmt: skip


# --- administrators
def notification_mark_reviewed(*, actor: User, notification_ids: list[int]) -> int:
    """An administrator has looked at flagged notifications (the flag stays in the audit chain)."""
    now = timezone.now()
    with transaction.atomic():
        count = PaymentNotification.objects.filter(pk__in=notification_ids, reviewed_at__isnull=True).update(
            reviewed_at=now, reviewed_by=actor
        )
        audit_record(actor=actor, action="payment.notifications_reviewed", object_type="payments.paymentnotification",
                     object_id=",".join(map(str, notification_ids))[:200], after={"count": count})  # fmt: skip
    return count
