"""The applicant's pages: what to pay and why, pay, the result, the fee receipt.

Work without JavaScript: "Thanh toán" is a POST form carrying a one-time token (a double click opens one payment,
not two); the result page reloads itself with a meta refresh while the payment is being processed.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chinhquyenso.accounts.models import User
from chinhquyenso.core.ratelimit import client_address
from chinhquyenso.payments import selectors, services, tasks
from chinhquyenso.payments.conf import default_gateway_code, gateway_configs
from chinhquyenso.payments.errors import PaymentError, PaymentNotFound
from chinhquyenso.payments.fee_receipts import fee_receipt_document, fee_receipt_pdf_name
from chinhquyenso.payments.models import FeeOrder, Payment
from chinhquyenso.payments.views.gateway import RETURN_FLAG, UNVERIFIED

TOKEN = "khoa"  # noqa: S105 (the name of the form field of the double-click token)
REFRESH_SECONDS = 5


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


def _applicant(request: HttpRequest) -> User:
    user = _user(request)
    if user.is_officer:
        raise PermissionDenied(
            gettext("Trang này dành cho người nộp hồ sơ; cán bộ xem phí tại trang hồ sơ của cán bộ.")
        )
    return user


def _order_page(request: HttpRequest, user: User, pk: int, *, error: str = "", status: int = 200) -> HttpResponse:
    try:
        dossier, order = selectors.fee_order_for_actor(actor=user, dossier_id=pk)
    except PaymentNotFound:
        raise Http404(gettext("Không tìm thấy hồ sơ.")) from None
    configs = gateway_configs()
    gateway = configs.get(default_gateway_code())
    payments = list(order.payments.select_related("fee_receipt").order_by("-created_at", "-id")) if order else []
    context: dict[str, Any] = {
        "dossier": dossier,
        "order": order,
        "lines": list(order.lines.all()) if order else [],
        "payments": payments,
        "fee_receipts": [p.fee_receipt for p in payments if hasattr(p, "fee_receipt")],
        "can_pay": order is not None and order.status == FeeOrder.Status.OPEN and gateway is not None,
        "gateway_label": gateway.label if gateway else "",
        "token": secrets.token_urlsafe(24),
        "token_name": TOKEN,
        "error": error,
        "legal_basis": dossier.case.version.legal_basis,
    }
    return render(request, "payments/applicant/order.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def order(request: HttpRequest, pk: int) -> HttpResponseBase:
    """GET: the fees of dossier ``pk``, why, and the button. POST: open a payment and go to the gateway."""
    user = _applicant(request)
    if request.method != "POST":
        return _order_page(request, user, pk)
    try:
        _, fee_order = selectors.fee_order_for_actor(actor=user, dossier_id=pk)
    except PaymentNotFound:
        raise Http404(gettext("Không tìm thấy hồ sơ.")) from None
    if fee_order is None:
        return _order_page(request, user, pk, error=gettext("Hồ sơ chưa có yêu cầu nộp phí."), status=409)
    try:
        started = services.payment_start(actor=user, order_id=fee_order.pk, client_ip=client_address(request),
                                         idempotency_key=request.POST.get(TOKEN, ""))  # fmt: skip
    except PaymentError as exc:
        return _order_page(request, user, pk, error=exc.message, status=exc.status)
    return _to_gateway(started.redirect_url)


def _to_gateway(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url  # the gateway is another site: not a local redirect
    return response


def _status_context(payment: Payment, flag: str) -> dict[str, Any]:
    return {
        "payment": payment,
        "order": payment.order,
        "dossier": payment.order.dossier,
        "fee_receipt": getattr(payment, "fee_receipt", None),
        "pending": payment.status == Payment.Status.PENDING,
        "gateway_said": flag,
        "unverified": flag == UNVERIFIED,
        "refresh_seconds": REFRESH_SECONDS,
    }


@never_cache
@login_required
@require_safe
def status(request: HttpRequest, txn_ref: str) -> HttpResponse:
    """The result page: what the platform has recorded (never what the browser says)."""
    user = _user(request)
    try:
        payment = selectors.payment_get_for_actor(actor=user, txn_ref=txn_ref)
    except PaymentNotFound:
        raise Http404(gettext("Không tìm thấy giao dịch.")) from None
    context = _status_context(payment, request.GET.get(RETURN_FLAG, ""))
    template = "payments/applicant/status.html"
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        template += "#result"
    return render(request, template, context)


@login_required
@require_POST
def check(request: HttpRequest, txn_ref: str) -> HttpResponse:
    """ "Kiểm tra lại với cổng thanh toán": queue a server-to-server status query, then show the page again."""
    user = _user(request)
    try:
        payment = selectors.payment_get_for_actor(actor=user, txn_ref=txn_ref)
    except PaymentNotFound:
        raise Http404(gettext("Không tìm thấy giao dịch.")) from None
    if payment.status == Payment.Status.PENDING:
        tasks.query_payment.enqueue(payment.pk)
        messages.info(request, gettext("Đã hỏi lại cổng thanh toán; kết quả sẽ hiện trên trang này."))
    return redirect("payments:status", txn_ref=payment.txn_ref)


@login_required
@require_safe
def fee_receipt_pdf(request: HttpRequest, fee_receipt_id: int) -> HttpResponseBase:
    """The electronic fee receipt (PDF), for its payer and the officers who may see the payment."""
    try:
        fee_receipt = selectors.fee_receipt_get_for_actor(actor=_user(request), fee_receipt_id=fee_receipt_id)
    except PaymentNotFound:
        raise Http404(gettext("Không tìm thấy biên lai.")) from None
    fee_receipt = fee_receipt_document(fee_receipt=fee_receipt)
    response = FileResponse(
        fee_receipt.file.open("rb"), content_type="application/pdf", filename=fee_receipt_pdf_name(fee_receipt)
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
