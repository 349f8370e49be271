"""Fees computed from the catalog and fee orders issued or cancelled by officers (DOMAIN.md §4)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.catalog.models import ApplicantCategory, Fee, ProcedureCase
from chinhquyenso.core.audit import audit_record
from chinhquyenso.dossiers import services as dossier_services
from chinhquyenso.dossiers.errors import DossierError
from chinhquyenso.dossiers.models import Dossier, State
from chinhquyenso.payments.errors import (
    InvalidPayment,
    PaymentConflict,
    PaymentNotFound,
)
from chinhquyenso.payments.models import (
    CasePaymentRule,
    FeeOrder,
    FeeOrderLine,
)
from chinhquyenso.payments.money import format_vnd
from chinhquyenso.payments.services.access import ISSUABLE_STATES, MAX_AMOUNT, _fee_officer_dossier


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
                errors[fee_field(fee, "so-tien")] = [
                    gettext("Hãy nhập số tiền của «%(fee)s» (khoản do cán bộ xác định).") % {"fee": fee.name}
                ]
                continue
        assert unit_amount is not None
        if unit_amount > MAX_AMOUNT:
            errors[fee_field(fee, "so-tien")] = [
                gettext("Số tiền của «%(fee)s» quá lớn: %(amount)s.")
                % {"fee": fee.name, "amount": format_vnd(unit_amount)}
            ]
            continue
        if not 1 <= given.quantity <= 10_000:
            errors[fee_field(fee, "so-luong")] = [
                gettext("Số lượng của «%(fee)s» phải từ 1 đến 10.000.") % {"fee": fee.name}
            ]
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


# --- fee orders
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
        raise PaymentConflict(gettext("Chỉ lập yêu cầu nộp phí cho hồ sơ đã tiếp nhận và đang giải quyết."))
    if not dossier.case.fees.exists():
        raise InvalidPayment(gettext("Thủ tục (trường hợp) của hồ sơ này không thu phí, lệ phí."))
    category: ApplicantCategory | None = None
    if category_code:
        category = ApplicantCategory.objects.filter(code=category_code).first()
        if category is None:
            message = gettext("Không có đối tượng miễn, giảm này.")
            raise InvalidPayment(message, fields={"doi-tuong": [message]})
    computation = fee_compute(case=dossier.case, category=category, inputs=inputs or {})
    if computation.errors:
        raise InvalidPayment(gettext("Hãy sửa các khoản phí được nêu."), fields=computation.errors)
    if pay_before_processing is None:
        pay_before_processing = pay_before_processing_default(case=dossier.case)
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if FeeOrder.objects.filter(dossier=locked, status__in=FeeOrder.LIVE).exists():
                raise PaymentConflict(gettext("Hồ sơ đã có yêu cầu nộp phí; hủy yêu cầu cũ trước khi lập yêu cầu mới."))
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
        raise PaymentConflict(
            gettext("Hồ sơ đã có yêu cầu nộp phí; hủy yêu cầu cũ trước khi lập yêu cầu mới.")
        ) from None
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
                gettext(
                    "Không chuyển được hồ sơ sang «Yêu cầu thực hiện nghĩa vụ tài chính»: %(reason)s "
                    "Bỏ chọn «Phải nộp trước khi giải quyết» để thu phí song song với giải quyết."
                )
                % {"reason": exc.message}
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
        raise PaymentNotFound(gettext("Không tìm thấy yêu cầu nộp phí."))
    _fee_officer_dossier(actor, order.dossier_id)
    if not reason.strip():
        message = gettext("Hãy nhập lý do hủy.")
        raise InvalidPayment(message, fields={"ly-do": [message]})
    with transaction.atomic():
        order = FeeOrder.objects.select_for_update().get(pk=order_id)
        if order.status != FeeOrder.Status.OPEN:
            raise PaymentConflict(
                gettext("Yêu cầu nộp phí đang ở trạng thái «%(status)s», không hủy được.")
                % {"status": order.get_status_display()}
            )
        order.status = FeeOrder.Status.CANCELLED
        order.cancelled_at = timezone.now()
        order.cancel_reason = reason.strip()[:500]
        order.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        audit_record(actor=actor, action="payment.fee_order_cancel", obj=order, after={"reason": order.cancel_reason})
        dossier_services.dossier_note(dossier_id=order.dossier_id, actor=actor, action="fee_order_cancelled",
                                      note=f"Hủy yêu cầu nộp phí: {order.cancel_reason}")  # fmt: skip
    return order
