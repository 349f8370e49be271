"""Payment writes: fee orders, online and counter payments, gateway notifications, status queries, refunds
(DOMAIN.md §4; rules in docs/adr/0010-payments.md and docs/payments-protocol.md).

The safety rules, in one place:

- A payment is credited only on a gateway message whose signature verifies *and* whose amount equals the payment's
  (an IPN, or the answer to our own status query). The browser's return is never trusted.
- Every credit runs in one transaction holding the order row (``SELECT … FOR UPDATE``): check, credit, issue the
  fee receipt, settle the dossier, audit. Duplicates and late messages find the payment already final and change
  nothing. A partial unique index (one ``paid`` payment per order) and a unique (gateway, gateway transaction)
  make a second credit impossible even if this code were wrong.
- A verified success for a payment we had marked failed, cancelled or expired still credits it if the order is
  still open (the gateway took the money); if the order was settled another way meanwhile, the payment is kept as
  a double payment, flagged, and refunded through the gateway.
- A failure arriving after a success is stale and ignored. Rejected messages (bad signature, wrong amount, unknown
  reference, malformed) change nothing, are logged and flagged for administrators, and go to the audit chain.

Locks are always taken order → payment → dossier, so these services never deadlock with each other.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Membership, Role
from chinhquyenso.catalog.models import ApplicantCategory, Fee, ProcedureCase
from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.calendar import to_local
from chinhquyenso.dossiers import services as dossier_services
from chinhquyenso.dossiers.errors import DossierError, DossierNotFound
from chinhquyenso.dossiers.models import Dossier, State
from chinhquyenso.dossiers.selectors import dossier_get
from chinhquyenso.payments.errors import (
    GatewayUnavailable,
    InvalidPayment,
    PaymentConflict,
    PaymentNotAllowed,
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
    PaymentRequest,
    UnknownGateway,
    get_adapter,
)
from chinhquyenso.payments.gateways.vnpay import IpnCode
from chinhquyenso.payments.models import (
    CasePaymentRule,
    FeeOrder,
    FeeOrderLine,
    FeeReceipt,
    Payment,
    PaymentChannel,
    PaymentMethod,
    PaymentNotification,
)
from chinhquyenso.payments.money import format_vnd

logger = logging.getLogger(__name__)

COUNTER = "counter"  # Payment.gateway of counter payments
FEE_ROLES = {Role.ONE_STOP, Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN}
ISSUABLE_STATES = (State.RECEIVED, State.PROCESSING, State.PAYING)
REFUNDABLE_DOSSIER_STATES = (State.REFUSED, State.STOPPED)
MAX_AMOUNT = 100_000_000_000  # 100 tỷ đồng: no fee of a procedure comes near; a typo guard
EXPIRY_GRACE = timedelta(minutes=2)  # the gateway's clock may lag ours a little
UNREACHABLE_GIVE_UP = timedelta(hours=24)

_FAILURE_STATUS = {
    Outcome.FAILED: Payment.Status.FAILED,
    Outcome.CANCELLED: Payment.Status.CANCELLED,
    Outcome.EXPIRED: Payment.Status.EXPIRED,
}


# --- who may do what -----------------------------------------------------------------------------------------------
def may_handle_fees(*, actor: User, dossier: Dossier) -> bool:
    """Officers of the receiving desk or of the agency now handling the dossier (or a system administrator)."""
    if not actor.is_authenticated or not actor.is_officer:
        return False
    memberships = Membership.objects.filter(user=actor, active=True)
    if memberships.filter(role=Role.SYSTEM_ADMIN).exists():
        return True
    agencies = {dossier.receiving_agency_id, dossier.current_agency_id}
    return memberships.filter(agency_id__in=agencies, role__in=FEE_ROLES).exists()


def _visible_dossier(actor: User, dossier_id: int) -> Dossier:
    try:
        return dossier_get(actor=actor, dossier_id=dossier_id)
    except DossierNotFound:
        raise PaymentNotFound("Không tìm thấy hồ sơ.") from None


def _fee_officer_dossier(actor: User, dossier_id: int) -> Dossier:
    dossier = _visible_dossier(actor, dossier_id)
    if not may_handle_fees(actor=actor, dossier=dossier):
        raise PaymentNotAllowed("Chỉ cán bộ của bộ phận tiếp nhận hoặc đơn vị đang giải quyết hồ sơ mới thao tác phí.")
    return dossier


# --- fee computation -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FeeLineInput:
    """The officer's input for one fee of the case: how many units, and the amount where the law lets it vary."""

    quantity: int = 1
    unit_amount: int | None = None  # only read for ``Fee.variable`` fees


@dataclass(frozen=True)
class ComputedLine:
    fee: Fee
    unit_amount: int
    quantity: int
    exempt: bool

    @property
    def amount(self) -> int:
        return self.unit_amount * self.quantity


@dataclass(frozen=True)
class FeeComputation:
    lines: list[ComputedLine]
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def gross(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def exempt(self) -> int:
        return sum(line.amount for line in self.lines if line.exempt)

    @property
    def amount(self) -> int:
        return self.gross - self.exempt


def fee_field(fee: Fee, what: str) -> str:
    """Form field names of a fee line: ``phi-<id>-so-tien``, ``phi-<id>-so-luong``."""
    return f"phi-{fee.pk}-{what}"


def fee_compute(
    *, case: ProcedureCase, category: ApplicantCategory | None, inputs: Mapping[int, FeeLineInput]
) -> FeeComputation:
    """The case's fees (catalog amounts, or the officer's amount for variable fees) × quantity; a fee whose
    exemptions include the applicant's category is exempt (DOMAIN.md §4)."""
    lines: list[ComputedLine] = []
    errors: dict[str, list[str]] = {}
    for fee in case.fees.prefetch_related("exemptions").order_by("id"):
        given = inputs.get(fee.pk, FeeLineInput())
        unit_amount: int | None = fee.amount
        if fee.variable:
            unit_amount = given.unit_amount
            if unit_amount is None or unit_amount <= 0:
                errors[fee_field(fee, "so-tien")] = [f"Hãy nhập số tiền của «{fee.name}» (khoản do cán bộ xác định)."]
                continue
        assert unit_amount is not None
        if unit_amount > MAX_AMOUNT:
            errors[fee_field(fee, "so-tien")] = [f"Số tiền của «{fee.name}» quá lớn: {format_vnd(unit_amount)}."]
            continue
        if not 1 <= given.quantity <= 10_000:
            errors[fee_field(fee, "so-luong")] = [f"Số lượng của «{fee.name}» phải từ 1 đến 10.000."]
            continue
        exempt = category is not None and any(c.pk == category.pk for c in fee.exemptions.all())
        lines.append(ComputedLine(fee=fee, unit_amount=unit_amount, quantity=given.quantity, exempt=exempt))
    return FeeComputation(lines=lines, errors=errors)


def pay_before_processing_default(*, case: ProcedureCase) -> bool:
    """The case's rule (``CasePaymentRule``), else ``settings.CQS_PAY_BEFORE_PROCESSING`` (default True)."""
    rule = CasePaymentRule.objects.filter(case=case).first()
    if rule is not None:
        return rule.pay_before_processing
    return bool(getattr(settings, "CQS_PAY_BEFORE_PROCESSING", True))


# --- fee orders ----------------------------------------------------------------------------------------------------
def fee_order_issue(
    *,
    actor: User,
    dossier_id: int,
    category_code: str | None = None,
    inputs: Mapping[int, FeeLineInput] | None = None,
    pay_before_processing: bool | None = None,
    note: str = "",
    exemption_note: str = "",
) -> FeeOrder:
    """Issue the fee order of a received dossier (DOMAIN.md §4). Fully exempt: the order is ``exempt`` at once.
    Pay before processing: the dossier goes to state 6 (through the dossier's own ``request_payment`` action, so
    only the officer who may take that action can do it) and returns to processing when paid."""
    dossier = _fee_officer_dossier(actor, dossier_id)
    if dossier.state not in ISSUABLE_STATES:
        raise PaymentConflict("Chỉ lập yêu cầu nộp phí cho hồ sơ đã tiếp nhận và đang giải quyết.")
    if not dossier.case.fees.exists():
        raise InvalidPayment("Thủ tục (trường hợp) của hồ sơ này không thu phí, lệ phí.")
    category: ApplicantCategory | None = None
    if category_code:
        category = ApplicantCategory.objects.filter(code=category_code).first()
        if category is None:
            message = "Không có đối tượng miễn, giảm này."
            raise InvalidPayment(message, fields={"doi-tuong": [message]})
    computation = fee_compute(case=dossier.case, category=category, inputs=inputs or {})
    if computation.errors:
        raise InvalidPayment("Hãy sửa các khoản phí được nêu.", fields=computation.errors)
    if pay_before_processing is None:
        pay_before_processing = pay_before_processing_default(case=dossier.case)
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if FeeOrder.objects.filter(dossier=locked, status__in=FeeOrder.LIVE).exists():
                raise PaymentConflict("Hồ sơ đã có yêu cầu nộp phí; hủy yêu cầu cũ trước khi lập yêu cầu mới.")
            order = FeeOrder.objects.create(
                dossier=locked,
                agency=locked.receiving_agency,
                status=FeeOrder.Status.OPEN if computation.amount else FeeOrder.Status.EXEMPT,
                gross_amount=computation.gross,
                exempt_amount=computation.exempt,
                amount=computation.amount,
                exemption_category=category,
                exemption_note=exemption_note.strip()[:500],
                pay_before_processing=pay_before_processing,
                note=note.strip()[:500],
                issued_by=actor,
                issued_at=now,
            )
            FeeOrderLine.objects.bulk_create(
                FeeOrderLine(order=order, fee=line.fee, kind=line.fee.kind, name=line.fee.name, unit=line.fee.unit,
                             unit_amount=line.unit_amount, quantity=line.quantity, amount=line.amount,
                             variable=line.fee.variable, exempt=line.exempt, position=index)
                for index, line in enumerate(computation.lines)
            )  # fmt: skip
            audit_record(actor=actor, action="payment.fee_order_issue", obj=order,
                         after={"dossier": locked.pk, "gross": order.gross_amount, "exempt": order.exempt_amount,
                                "amount": order.amount, "pay_before_processing": pay_before_processing})  # fmt: skip
            _after_issue(actor, locked, order, category)
    except IntegrityError:
        # A double click raced past the check above: the unique index kept one order.
        raise PaymentConflict("Hồ sơ đã có yêu cầu nộp phí; hủy yêu cầu cũ trước khi lập yêu cầu mới.") from None
    return order


def _after_issue(actor: User, dossier: Dossier, order: FeeOrder, category: ApplicantCategory | None) -> None:
    if order.status == FeeOrder.Status.EXEMPT:
        who = f" (đối tượng: {category.name})" if category else ""
        note = f"Được miễn toàn bộ phí, lệ phí{who}."
        if dossier.state == State.PAYING:
            dossier_services.dossier_payment_settled(dossier_id=dossier.pk, actor=actor, note=note)
        else:
            dossier_services.dossier_note(dossier_id=dossier.pk, actor=actor, action="fee_exempt", note=note)
        return
    note = (f"Số tiền phí, lệ phí phải nộp: {format_vnd(order.amount)}. Nộp trực tuyến trên trang hồ sơ "
            "hoặc tại Bộ phận Một cửa.")  # fmt: skip
    if order.exempt_amount:
        note += f" Được miễn {format_vnd(order.exempt_amount)}."
    if order.pay_before_processing and dossier.state != State.PAYING:
        try:
            dossier_services.dossier_act(actor=actor, dossier_id=dossier.pk, action="request_payment",
                                         expected_version=None)  # fmt: skip
        except DossierError as exc:
            raise PaymentConflict(
                "Không chuyển được hồ sơ sang «Yêu cầu thực hiện nghĩa vụ tài chính»: "
                + exc.message
                + " Bỏ chọn «Phải nộp trước khi giải quyết» để thu phí song song với giải quyết."
            ) from None
    # The request_payment event already told the applicant; otherwise this note does.
    notify = not order.pay_before_processing
    dossier_services.dossier_note(dossier_id=dossier.pk, actor=actor, action="fee_order_issued", note=note,
                                  notify=notify)  # fmt: skip


def fee_order_cancel(*, actor: User, order_id: int, reason: str) -> FeeOrder:
    """Cancel an open order (e.g. a wrong amount) so that a new one can be issued. A payment still in progress at
    the gateway that succeeds later is refunded (double payment rule)."""
    order = FeeOrder.objects.select_related("dossier").filter(pk=order_id).first()
    if order is None:
        raise PaymentNotFound("Không tìm thấy yêu cầu nộp phí.")
    _fee_officer_dossier(actor, order.dossier_id)
    if not reason.strip():
        raise InvalidPayment("Hãy nhập lý do hủy.", fields={"ly-do": ["Hãy nhập lý do hủy."]})
    with transaction.atomic():
        order = FeeOrder.objects.select_for_update().get(pk=order_id)
        if order.status != FeeOrder.Status.OPEN:
            with translation.override("vi"):  # payment messages are Vietnamese (errors.py): so is the status in them
                status_text = order.get_status_display()
            raise PaymentConflict(f"Yêu cầu nộp phí đang ở trạng thái «{status_text}», không hủy được.")
        order.status = FeeOrder.Status.CANCELLED
        order.cancelled_at = timezone.now()
        order.cancel_reason = reason.strip()[:500]
        order.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        audit_record(actor=actor, action="payment.fee_order_cancel", obj=order, after={"reason": order.cancel_reason})
        dossier_services.dossier_note(dossier_id=order.dossier_id, actor=actor, action="fee_order_cancelled",
                                      note=f"Hủy yêu cầu nộp phí: {order.cancel_reason}")  # fmt: skip
    return order


# --- online payment ------------------------------------------------------------------------------------------------
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
        raise PaymentNotFound("Không tìm thấy khoản phí cần nộp.")
    code = gateway or default_gateway_code()
    try:
        adapter = get_adapter(code)
    except UnknownGateway:
        raise InvalidPayment("Cổng thanh toán trực tuyến chưa được cấu hình; hãy nộp tại Bộ phận Một cửa.") from None
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
        with translation.override("vi"):  # a Vietnamese message: the status in it too
            status_text = payment.get_status_display()
        raise PaymentConflict(f"Giao dịch {payment.txn_ref} đã kết thúc: {status_text.lower()}.")
    return PaymentStart(payment=payment, redirect_url=_payment_request(adapter, payment, order.dossier), created=False)


def _not_open_message(order: FeeOrder) -> str:
    if order.status == FeeOrder.Status.PAID:
        return "Khoản phí này đã được thanh toán; không cần nộp lại."
    if order.status == FeeOrder.Status.EXEMPT:
        return "Hồ sơ được miễn phí, lệ phí; không cần nộp."
    with translation.override("vi"):  # a Vietnamese message: the status in it too
        status_text = order.get_status_display()
    return f"Yêu cầu nộp phí đang ở trạng thái «{status_text}»; không nộp được."


# --- crediting -----------------------------------------------------------------------------------------------------
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


# --- status query, expiry ------------------------------------------------------------------------------------------
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
        raise GatewayUnavailable(f"Cổng thanh toán «{payment.gateway}» không còn được cấu hình.") from None
    except (GatewayError, BadSignature, Malformed) as exc:
        Payment.objects.filter(pk=payment.pk).update(last_checked_at=now)
        raise GatewayUnavailable(f"Chưa đối chiếu được với cổng thanh toán: {exc}") from None
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


# --- counter payments ----------------------------------------------------------------------------------------------
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
        raise PaymentNotFound("Không tìm thấy yêu cầu nộp phí.")
    _fee_officer_dossier(actor, order.dossier_id)
    if method not in (PaymentMethod.CASH, PaymentMethod.CARD):
        raise InvalidPayment("Hình thức nộp tại quầy là tiền mặt hoặc thẻ.", fields={"hinh-thuc": ["Chọn một."]})
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
                message = (f"Số tiền nhận ({format_vnd(amount)}) khác số tiền phải nộp ({format_vnd(order.amount)}); "
                           "không ghi nhận.")  # fmt: skip
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
            raise PaymentConflict("Khoản phí vừa được ghi nhận thanh toán; hãy tải lại trang.") from None
        return existing
    return payment


# --- refunds -------------------------------------------------------------------------------------------------------
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
        raise InvalidPayment("Hãy nhập lý do hoàn phí.", fields={"ly-do": ["Hãy nhập lý do hoàn phí."]})
    if payment.status == Payment.Status.PAID and dossier.state not in REFUNDABLE_DOSSIER_STATES:
        raise PaymentConflict("Chỉ hoàn phí khi hồ sơ bị từ chối hoặc dừng xử lý.")
    now = timezone.now()
    with transaction.atomic():
        FeeOrder.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status not in (Payment.Status.PAID, Payment.Status.REFUND_FAILED):
            with translation.override("vi"):  # a Vietnamese message: the status in it too
                status_text = payment.get_status_display()
            raise PaymentConflict(f"Giao dịch đang ở trạng thái «{status_text}»; không hoàn phí được.")
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
        raise GatewayUnavailable(f"Cổng thanh toán «{payment.gateway}» không còn được cấu hình.") from None
    except (GatewayError, BadSignature, Malformed) as exc:
        raise GatewayUnavailable(f"Đã ghi nhận yêu cầu hoàn phí; cổng thanh toán chưa xác nhận ({exc}). "
                                 "Hệ thống sẽ tự thử lại.") from None  # fmt: skip
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


# --- administrators ------------------------------------------------------------------------------------------------
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
