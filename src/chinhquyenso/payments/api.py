"""The payments API (``/api/v1/payments``): fee orders, online and counter payments, refunds, fee receipts.

Handlers parse, call one service or selector, and render; ``PaymentError`` becomes RFC 9457 problem details. The
gateway's own endpoints (IPN, browser return) are not here: they speak the gateway's protocol, see
docs/payments-protocol.md.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from ninja import HeaderEx, P, Query, Router, Status
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from chinhquyenso.accounts.api_auth import TokenAuth
from chinhquyenso.accounts.models import User
from chinhquyenso.catalog.schemas import AgencyOut
from chinhquyenso.core.errors import problem
from chinhquyenso.core.ratelimit import client_address
from chinhquyenso.payments import selectors, services
from chinhquyenso.payments.errors import PaymentError, PaymentNotFound
from chinhquyenso.payments.models import FeeOrder, FeeOrderLine, FeeReceipt, Payment, PaymentChannel
from chinhquyenso.payments.schemas import (
    ChannelId,
    ChannelOut,
    CounterPaymentIn,
    ExemptionOut,
    FeeKind,
    FeeLineOut,
    FeeOrderIn,
    FeeOrderOut,
    FeeOrderStatus,
    FeeReceiptOut,
    MethodCode,
    PaymentFilterQuery,
    PaymentOut,
    PaymentPageOut,
    PaymentProblemOut,
    PaymentStartIn,
    PaymentStartOut,
    PaymentStatus,
    ReasonIn,
)

router = Router(tags=["Thanh toán"])

AUTH = [TokenAuth(), django_auth]
APPLICANT = ["Thanh toán — người nộp"]
OFFICER = ["Thanh toán — cán bộ"]
Problem = PaymentProblemOut
IdempotencyKey = HeaderEx[
    str | None,
    P(alias="Idempotency-Key", min_length=1, max_length=100, description="Khóa chống tạo trùng khi gửi lại."),
]


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise AuthenticationError
    return user


def payment_problem(request: HttpRequest, exc: PaymentError) -> HttpResponse:
    extra: dict[str, object] = {"code": exc.code}
    if exc.fields:
        extra["errors"] = [{"field": f, "message": m} for f, messages in exc.fields.items() for m in messages]
    return problem(request, exc.status, str(exc.title), exc.message, **extra)


def _officer_only(request: HttpRequest, actor: User) -> HttpResponse | None:
    if actor.is_officer:
        return None
    return problem(request, 403, gettext("Không có quyền"), gettext("Chức năng này dành cho tài khoản cán bộ."),
                   code="not_allowed")  # fmt: skip


# --- rendering -------------------------------------------------------------------------------------------------------
def _fee_receipt(fee_receipt: FeeReceipt) -> FeeReceiptOut:
    return FeeReceiptOut(id=fee_receipt.pk, symbol=fee_receipt.symbol, number=fee_receipt.number, issued_at=fee_receipt.issued_at,
                      payer_name=fee_receipt.payer_name, amount=fee_receipt.amount,
                      pdf_url=reverse("payments:fee_receipt", args=[fee_receipt.pk]))  # fmt: skip


def _payment(payment: Payment) -> PaymentOut:
    fee_receipt = getattr(payment, "fee_receipt", None)
    return PaymentOut(
        txn_ref=payment.txn_ref,
        order_id=payment.order_id,
        dossier_id=payment.order.dossier_id,
        dossier_code=payment.order.dossier.code,
        status=cast(PaymentStatus, payment.status),
        status_name=payment.get_status_display(),
        channel=ChannelOut(id=cast(ChannelId, payment.channel), name=str(PaymentChannel(payment.channel).label)),
        method=cast(MethodCode, payment.method),
        gateway=payment.gateway,
        amount=payment.amount,
        created_at=payment.created_at,
        expires_at=payment.expires_at,
        paid_at=payment.paid_at,
        gateway_txn_no=payment.gateway_txn_no,
        bank_code=payment.bank_code,
        refunded_at=payment.refunded_at,
        refund_reason=payment.refund_reason,
        flagged=payment.flagged,
        fee_receipt=_fee_receipt(fee_receipt) if isinstance(fee_receipt, FeeReceipt) else None,
    )


def _line(line: FeeOrderLine) -> FeeLineOut:
    return FeeLineOut(
        fee_id=line.fee_id,
        kind=cast(FeeKind, line.kind),
        name=line.name,
        unit=line.unit,
        unit_amount=line.unit_amount,
        quantity=line.quantity,
        amount=line.amount,
        variable=line.variable,
        exempt=line.exempt,
    )


def _order(order: FeeOrder) -> FeeOrderOut:
    payments = order.payments.select_related("order__dossier", "fee_receipt").order_by("-created_at", "-id")
    category = order.exemption_category
    return FeeOrderOut(
        id=order.pk,
        dossier_id=order.dossier_id,
        dossier_code=order.dossier.code,
        agency=AgencyOut(id=order.agency.pk, code=order.agency.code, name=order.agency.name),
        status=cast(FeeOrderStatus, order.status),
        status_name=order.get_status_display(),
        gross_amount=order.gross_amount,
        exempt_amount=order.exempt_amount,
        amount=order.amount,
        exemption=ExemptionOut(code=category.code, name=category.name) if category else None,
        pay_before_processing=order.pay_before_processing,
        note=order.note,
        issued_at=order.issued_at,
        paid_at=order.paid_at,
        lines=[_line(line) for line in order.lines.all()],
        payments=[_payment(p) for p in payments],
    )


# --- fee orders ------------------------------------------------------------------------------------------------------
@router.get(
    "/dossiers/{dossier_id}/fee-order",
    response={200: FeeOrderOut, 401: Problem, 404: Problem},
    auth=AUTH,
    operation_id="fee_order_get",
    summary="Phí, lệ phí của một hồ sơ",
    description="Yêu cầu nộp phí hiện hành của hồ sơ (hoặc yêu cầu gần nhất đã hủy/hoàn trả), các khoản, miễn giảm "
    "và các giao dịch. Người nộp xem hồ sơ của mình; cán bộ xem hồ sơ qua đơn vị mình. Chưa có yêu cầu nộp phí: 404 "
    "(code = no_fee_order).",
    tags=[*APPLICANT, *OFFICER],
)
def fee_order_get(request: HttpRequest, dossier_id: int) -> FeeOrderOut | HttpResponse:
    try:
        _, order = selectors.fee_order_for_actor(actor=_actor(request), dossier_id=dossier_id)
    except PaymentError as exc:
        return payment_problem(request, exc)
    if order is None:
        return problem(request, 404, gettext("Chưa có yêu cầu nộp phí"),
                       gettext("Hồ sơ chưa có yêu cầu nộp phí, lệ phí."), code="no_fee_order")  # fmt: skip
    return _order(order)


@router.post(
    "/dossiers/{dossier_id}/fee-order",
    response={201: FeeOrderOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=AUTH,
    operation_id="fee_order_issue",
    summary="Lập yêu cầu nộp phí, lệ phí",
    description="Cán bộ lập yêu cầu nộp phí từ các khoản phí của trường hợp thủ tục mà hồ sơ đã ghim, trừ khoản được "
    "miễn cho đối tượng `exemption_code`; khoản do cán bộ xác định cần `unit_amount`. `pay_before_processing` = true: "
    "hồ sơ chuyển sang trạng thái 6 đến khi nộp xong. Miễn toàn bộ: trạng thái `exempt`. Hồ sơ đã có yêu cầu "
    "đang hiệu lực, hoặc chưa tiếp nhận: 409. Khoản phí sai: 422 với `errors`.",
    tags=OFFICER,
)
def fee_order_issue(request: HttpRequest, dossier_id: int, payload: FeeOrderIn) -> Status[FeeOrderOut] | HttpResponse:
    actor = _actor(request)
    if (denied := _officer_only(request, actor)) is not None:
        return denied
    inputs = {line.fee_id: services.FeeLineInput(quantity=line.quantity, unit_amount=line.unit_amount)
              for line in payload.lines}  # fmt: skip
    try:
        order = services.fee_order_issue(
            actor=actor, dossier_id=dossier_id, category_code=payload.exemption_code, inputs=inputs,
            pay_before_processing=payload.pay_before_processing, note=payload.note,
            exemption_note=payload.exemption_note,
        )  # fmt: skip
    except PaymentError as exc:
        return payment_problem(request, exc)
    return Status(201, _order(order))


@router.post(
    "/fee-orders/{order_id}/cancel",
    response={200: FeeOrderOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=AUTH,
    operation_id="fee_order_cancel",
    summary="Hủy yêu cầu nộp phí",
    description="Chỉ yêu cầu đang chờ thanh toán. Giao dịch trực tuyến đang dở mà sau đó thành công sẽ được hoàn tiền.",
    tags=OFFICER,
)
def fee_order_cancel(request: HttpRequest, order_id: int, payload: ReasonIn) -> FeeOrderOut | HttpResponse:
    actor = _actor(request)
    if (denied := _officer_only(request, actor)) is not None:
        return denied
    try:
        selectors.order_get_for_actor(actor=actor, order_id=order_id)
        order = services.fee_order_cancel(actor=actor, order_id=order_id, reason=payload.reason)
    except PaymentError as exc:
        return payment_problem(request, exc)
    return _order(order)


# --- paying ----------------------------------------------------------------------------------------------------------
@router.post(
    "/fee-orders/{order_id}/payments",
    response={200: PaymentStartOut, 201: PaymentStartOut, 401: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=AUTH,
    operation_id="payment_start",
    summary="Thanh toán trực tuyến",
    description="Người nộp mở một giao dịch cho yêu cầu nộp phí đang chờ và nhận `redirect_url` của cổng thanh toán. "
    "Kết quả chỉ được ghi nhận khi cổng báo về (IPN) hoặc khi hệ thống hỏi lại cổng; việc trình duyệt quay về không "
    "ghi nhận gì. Gửi `Idempotency-Key` để gửi lại an toàn: cùng khóa thì trả về giao dịch đã mở (200). Đã thanh toán, "
    "được miễn hoặc đã hủy: 409.",
    tags=APPLICANT,
)
def payment_start(
    request: HttpRequest, order_id: int, payload: PaymentStartIn, idempotency_key: IdempotencyKey = None
) -> Status[PaymentStartOut] | HttpResponse:
    try:
        started = services.payment_start(actor=_actor(request), order_id=order_id, client_ip=client_address(request),
                                         gateway=payload.gateway, idempotency_key=idempotency_key)  # fmt: skip
    except PaymentError as exc:
        return payment_problem(request, exc)
    out = PaymentStartOut(payment=_payment(started.payment), redirect_url=started.redirect_url)
    return Status(201 if started.created else 200, out)


@router.post(
    "/fee-orders/{order_id}/counter-payments",
    response={200: PaymentOut, 201: PaymentOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=AUTH,
    operation_id="payment_record_counter",
    summary="Ghi nhận nộp tại quầy",
    description="Cán bộ ghi nhận tiền mặt hoặc thẻ đã thu; biên lai điện tử được lập ngay. Số tiền phải bằng số phải "
    "nộp (khác: 422). `Idempotency-Key` chống ghi nhận hai lần.",
    tags=OFFICER,
)
def payment_record_counter(
    request: HttpRequest, order_id: int, payload: CounterPaymentIn, idempotency_key: IdempotencyKey = None
) -> Status[PaymentOut] | HttpResponse:
    actor = _actor(request)
    if (denied := _officer_only(request, actor)) is not None:
        return denied
    try:
        selectors.order_get_for_actor(actor=actor, order_id=order_id)
        before = (
            Payment.objects.filter(order_id=order_id, idempotency_key=idempotency_key).exists()
            if idempotency_key
            else False
        )
        payment = services.payment_record_counter(actor=actor, order_id=order_id, method=payload.method,
                                                  amount=payload.amount, reference=payload.reference,
                                                  idempotency_key=idempotency_key)  # fmt: skip
    except PaymentError as exc:
        return payment_problem(request, exc)
    payment = selectors.payment_get_for_actor(actor=actor, txn_ref=payment.txn_ref)
    return Status(200 if before else 201, _payment(payment))


# --- transactions ----------------------------------------------------------------------------------------------------
@router.get(
    "/transactions",
    response={200: PaymentPageOut, 401: Problem, 403: Problem},
    auth=AUTH,
    operation_id="payment_list",
    summary="Giao dịch của đơn vị",
    description="Giao dịch do các đơn vị của cán bộ thu, hoặc của hồ sơ đi qua đơn vị mình, mới trước, có bộ lọc.",
    tags=OFFICER,
)
def payment_list(request: HttpRequest, filters: Query[PaymentFilterQuery]) -> PaymentPageOut | HttpResponse:
    actor = _actor(request)
    if (denied := _officer_only(request, actor)) is not None:
        return denied
    qs = selectors.payment_list_for_officer(actor=actor, filters=selectors.PaymentFilter(
        status=filters.status, channel=filters.channel, date_from=filters.date_from, date_to=filters.date_to,
        q=filters.q, agency_id=filters.agency_id, flagged=filters.flagged, refund_due=filters.refund_due,
    ))  # fmt: skip
    count = qs.count()
    start = (filters.page - 1) * filters.page_size
    items = list(qs[start : start + filters.page_size]) if start < count else []
    return PaymentPageOut(items=[_payment(p) for p in items], count=count, page=filters.page,
                          page_size=filters.page_size)  # fmt: skip


@router.get(
    "/transactions/{txn_ref}",
    response={200: PaymentOut, 401: Problem, 404: Problem},
    auth=AUTH,
    operation_id="payment_get",
    summary="Trạng thái một giao dịch",
    description="Trạng thái hệ thống đã ghi nhận (pending khi cổng chưa báo kết quả).",
    tags=[*APPLICANT, *OFFICER],
)
def payment_get(request: HttpRequest, txn_ref: str) -> PaymentOut | HttpResponse:
    try:
        return _payment(selectors.payment_get_for_actor(actor=_actor(request), txn_ref=txn_ref))
    except PaymentError as exc:
        return payment_problem(request, exc)


@router.post(
    "/transactions/{txn_ref}/query",
    response={200: PaymentOut, 401: Problem, 404: Problem, 502: Problem},
    auth=AUTH,
    operation_id="payment_query",
    summary="Hỏi lại cổng thanh toán",
    description="Hỏi trạng thái giao dịch từ cổng (máy chủ tới máy chủ, có chữ ký) và áp dụng kết quả như một thông "
    "báo IPN. Cổng không trả lời: 502 (code = gateway_unavailable).",
    tags=[*APPLICANT, *OFFICER],
)
def payment_query(request: HttpRequest, txn_ref: str) -> PaymentOut | HttpResponse:
    actor = _actor(request)
    try:
        payment = selectors.payment_get_for_actor(actor=actor, txn_ref=txn_ref)
        if payment.status == Payment.Status.PENDING:
            services.payment_query(payment_id=payment.pk)
        return _payment(selectors.payment_get_for_actor(actor=actor, txn_ref=txn_ref))
    except PaymentError as exc:
        return payment_problem(request, exc)


@router.post(
    "/transactions/{txn_ref}/refund",
    response={200: PaymentOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 502: Problem},
    auth=AUTH,
    operation_id="payment_refund",
    summary="Hoàn phí",
    description="Hoàn phí của hồ sơ bị từ chối hoặc dừng xử lý: trực tuyến thì qua cổng thanh toán (refund_pending đến "
    "khi cổng xác nhận; cổng chưa trả lời: 502, hệ thống tự thử lại), tại quầy thì cán bộ trả lại tiền mặt và ghi nhận.",
    tags=OFFICER,
)
def payment_refund(request: HttpRequest, txn_ref: str, payload: ReasonIn) -> PaymentOut | HttpResponse:
    actor = _actor(request)
    if (denied := _officer_only(request, actor)) is not None:
        return denied
    try:
        payment = selectors.payment_get_for_actor(actor=actor, txn_ref=txn_ref)
        services.payment_refund(actor=actor, payment_id=payment.pk, reason=payload.reason)
        return _payment(selectors.payment_get_for_actor(actor=actor, txn_ref=txn_ref))
    except PaymentError as exc:
        return payment_problem(request, exc)


@router.get(
    "/fee-receipts/{fee_receipt_id}",
    response={200: FeeReceiptOut, 401: Problem, 404: Problem},
    auth=AUTH,
    operation_id="fee_receipt_get",
    summary="Biên lai điện tử",
    description="Thông tin biên lai và địa chỉ tải bản PDF.",
    tags=[*APPLICANT, *OFFICER],
)
def fee_receipt_get(request: HttpRequest, fee_receipt_id: int) -> FeeReceiptOut | HttpResponse:
    try:
        return _fee_receipt(selectors.fee_receipt_get_for_actor(actor=_actor(request), fee_receipt_id=fee_receipt_id))
    except PaymentNotFound as exc:
        return payment_problem(request, exc)
