"""Starting an online payment: the gateway request, one open attempt per order, started again on a retry."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.calendar import to_local
from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.payments.errors import (
    InvalidPayment,
    PaymentConflict,
    PaymentNotFound,
)
from chinhquyenso.payments.gateways import (
    GatewayAdapter,
    PaymentRequest,
    UnknownGateway,
    get_adapter,
)
from chinhquyenso.payments.models import (
    FeeOrder,
    Payment,
    PaymentMethod,
)


@dataclass(frozen=True)
class PaymentStart:
    payment: Payment
    redirect_url: str
    created: bool


def _new_txn_ref(now: datetime) -> str:
    return f"{to_local(now):%y%m%d}{secrets.token_hex(5).upper()}"


def return_url(gateway: str) -> str:
    base = str(getattr(settings, "CQS_PUBLIC_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return base + reverse("payments:return", args=[gateway])


def _payment_request(adapter: GatewayAdapter, payment: Payment, dossier: Dossier) -> str:
    assert payment.expires_at is not None
    info = f"Nop phi ho so {dossier.code or dossier.pk} ma GD {payment.txn_ref}"
    return adapter.payment_url(PaymentRequest(
        txn_ref=payment.txn_ref, amount=payment.amount, order_info=info, return_url=return_url(adapter.code),
        client_ip=payment.client_ip or "", created_at=payment.created_at, expires_at=payment.expires_at,
    ))  # fmt: skip


def payment_start(
    *,
    actor: User,
    order_id: int,
    client_ip: str = "",
    gateway: str | None = None,
    idempotency_key: str | None = None,
) -> PaymentStart:
    """The applicant pays an open order online: a pending payment and the gateway URL to redirect to.

    With an ``idempotency_key`` (the payment page's token, or the API's Idempotency-Key) a double click or a retry
    returns the payment the first request created, with the same URL.
    """
    from chinhquyenso.payments.conf import default_gateway_code

    order = FeeOrder.objects.select_related("dossier").filter(pk=order_id).first()
    if order is None or order.dossier.applicant_id != actor.pk or actor.is_officer:
        raise PaymentNotFound(gettext("Không tìm thấy khoản phí cần nộp."))
    code = gateway or default_gateway_code()
    try:
        adapter = get_adapter(code)
    except UnknownGateway:
        raise InvalidPayment(
            gettext("Cổng thanh toán trực tuyến chưa được cấu hình; hãy nộp tại Bộ phận Một cửa.")
        ) from None
    key = (idempotency_key or "").strip()[:100] or None
    now = timezone.now()
    try:
        with transaction.atomic():
            order = FeeOrder.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=order_id)
            existing = Payment.objects.filter(order=order, idempotency_key=key).first() if key else None
            if existing is not None:
                return _start_again(adapter, existing, order)
            if order.status != FeeOrder.Status.OPEN:
                raise PaymentConflict(_not_open_message(order))
            payment = Payment.objects.create(
                order=order, agency_id=order.agency_id, txn_ref=_new_txn_ref(now), gateway=adapter.code,
                channel=adapter.config.channel, method=PaymentMethod.GATEWAY, amount=order.amount,
                status=Payment.Status.PENDING, created_at=now,
                expires_at=now + timedelta(minutes=adapter.config.timeout_minutes),
                created_by=actor, client_ip=client_ip or None, idempotency_key=key,
            )  # fmt: skip
            audit_record(actor=actor, action="payment.start", obj=payment,
                         after={"order": order.pk, "amount": payment.amount, "gateway": adapter.code})  # fmt: skip
    except IntegrityError:
        existing = Payment.objects.filter(order_id=order_id, idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return _start_again(adapter, existing, existing.order)
    return PaymentStart(payment=payment, redirect_url=_payment_request(adapter, payment, order.dossier), created=True)


def _start_again(adapter: GatewayAdapter, payment: Payment, order: FeeOrder) -> PaymentStart:
    if payment.status != Payment.Status.PENDING:
        raise PaymentConflict(
            gettext("Giao dịch %(txn_ref)s đã kết thúc: %(status)s.")
            % {"txn_ref": payment.txn_ref, "status": payment.get_status_display().lower()}
        )
    return PaymentStart(payment=payment, redirect_url=_payment_request(adapter, payment, order.dossier), created=False)


def _not_open_message(order: FeeOrder) -> str:
    if order.status == FeeOrder.Status.PAID:
        return gettext("Khoản phí này đã được thanh toán; không cần nộp lại.")
    if order.status == FeeOrder.Status.EXEMPT:
        return gettext("Hồ sơ được miễn phí, lệ phí; không cần nộp.")
    return gettext("Yêu cầu nộp phí đang ở trạng thái «%(status)s»; không nộp được.") % {
        "status": order.get_status_display()
    }
