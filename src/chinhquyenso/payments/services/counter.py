"""Payments taken at the counter (cash, card terminal) by the one-stop desk."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.payments.errors import (
    InvalidPayment,
    PaymentConflict,
    PaymentNotFound,
)
from chinhquyenso.payments.models import (
    FeeOrder,
    Payment,
    PaymentChannel,
    PaymentMethod,
)
from chinhquyenso.payments.money import format_vnd
from chinhquyenso.payments.services.access import COUNTER, _fee_officer_dossier
from chinhquyenso.payments.services.crediting import _credit
from chinhquyenso.payments.services.online import _new_txn_ref, _not_open_message


def payment_record_counter(
    *,
    actor: User,
    order_id: int,
    method: str,
    amount: int,
    reference: str = "",
    idempotency_key: str | None = None,
) -> Payment:
    """An officer records a payment received at the desk (cash or card) and the fee receipt is issued."""
    order = FeeOrder.objects.select_related("dossier").filter(pk=order_id).first()
    if order is None:
        raise PaymentNotFound(gettext("Không tìm thấy yêu cầu nộp phí."))
    _fee_officer_dossier(actor, order.dossier_id)
    if method not in (PaymentMethod.CASH, PaymentMethod.CARD):
        raise InvalidPayment(gettext("Hình thức nộp tại quầy là tiền mặt hoặc thẻ."),
                             fields={"hinh-thuc": [gettext("Chọn một.")]})  # fmt: skip
    key = (idempotency_key or "").strip()[:100] or None
    now = timezone.now()
    try:
        with transaction.atomic():
            order = FeeOrder.objects.select_for_update().get(pk=order_id)
            if key:
                existing = Payment.objects.filter(order=order, idempotency_key=key).first()
                if existing is not None:
                    return existing  # a double click on "Ghi nhận": the first one stands
            if order.status != FeeOrder.Status.OPEN:
                raise PaymentConflict(_not_open_message(order))
            if amount != order.amount:
                message = gettext("Số tiền nhận (%(received)s) khác số tiền phải nộp (%(due)s); không ghi nhận.") % {
                    "received": format_vnd(amount),
                    "due": format_vnd(order.amount),
                }
                raise InvalidPayment(message, fields={"so-tien": [message]})
            payment = Payment.objects.create(
                order=order, agency_id=order.agency_id, txn_ref=_new_txn_ref(now), gateway=COUNTER,
                channel=PaymentChannel.COUNTER, method=method, amount=amount, status=Payment.Status.PENDING,
                created_at=now, paid_at=now, created_by=actor, counter_reference=reference.strip()[:60],
                idempotency_key=key,
            )  # fmt: skip
            _credit(order, payment, actor=actor, now=now)
    except IntegrityError:
        existing = Payment.objects.filter(order_id=order_id, idempotency_key=key).first() if key else None
        if existing is None:
            raise PaymentConflict(gettext("Khoản phí vừa được ghi nhận thanh toán; hãy tải lại trang.")) from None
        return existing
    return payment
