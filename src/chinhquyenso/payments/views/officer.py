"""Officers: their agencies' payments with filters, and the fee page of one dossier (issue the fee order, record
a counter payment, cancel, refund). Reads through selectors, one service call per POST; a dossier outside the
officer's route is a 404.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.selectors import membership_list_for_user
from chinhquyenso.payments import selectors, services
from chinhquyenso.payments.errors import GatewayUnavailable, PaymentError, PaymentNotFound
from chinhquyenso.payments.forms import CounterPaymentForm, FeeOrderForm, PaymentFilterForm, ReasonForm
from chinhquyenso.payments.models import FeeOrder, Payment
from chinhquyenso.payments.selectors import REFUNDABLE_DOSSIER_STATES

PAGE_SIZE = 25
ACTION = "thao-tac"
ISSUE, COUNTER, CANCEL, REFUND = "lap", "thu-tai-quay", "huy", "hoan-phi"


def _officer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not user.is_officer:
        raise PermissionDenied(gettext("Trang này dành cho cán bộ, công chức."))
    return user


@never_cache
@login_required
@require_GET
def payment_list(request: HttpRequest) -> HttpResponse:
    """Payments of the officer's agencies, newest first, 25 a page."""
    actor = _officer(request)
    agencies = sorted({m.agency_id: m.agency for m in membership_list_for_user(actor=actor)}.values(),
                      key=lambda a: a.name)  # fmt: skip
    form = PaymentFilterForm(request.GET or None, agencies=agencies)
    payments = selectors.payment_list_for_officer(actor=actor, filters=form.filters())
    page = Paginator(payments, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "flagged": selectors.notifications_flagged().count(),
    }
    return render(request, "payments/officer/list.html", context)


def _panel(
    request: HttpRequest,
    actor: User,
    pk: int,
    *,
    issue_form: FeeOrderForm | None = None,
    counter_form: CounterPaymentForm | None = None,
    reason_form: ReasonForm | None = None,
    reason_for: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    try:
        dossier, order = selectors.fee_order_for_actor(actor=actor, dossier_id=pk)
    except PaymentNotFound:
        raise Http404(gettext("Không tìm thấy hồ sơ.")) from None
    may = services.may_handle_fees(actor=actor, dossier=dossier)
    live = order is not None and order.status in FeeOrder.LIVE
    can_issue = may and not live and dossier.state in services.ISSUABLE_STATES and dossier.case.fees.exists()
    if can_issue and issue_form is None:
        issue_form = FeeOrderForm(case=dossier.case, prefix="lap",
                                  initial={"pay_before_processing": services.pay_before_processing_default(case=dossier.case)})  # fmt: skip
    is_open = may and order is not None and order.status == FeeOrder.Status.OPEN
    if is_open and counter_form is None:
        counter_form = CounterPaymentForm(prefix="quay", initial={"token": secrets.token_urlsafe(24)})
    payments = list(order.payments.select_related("fee_receipt").order_by("-created_at", "-id")) if order else []
    refundable = [p for p in payments if may and (
        (p.status == Payment.Status.PAID and dossier.state in REFUNDABLE_DOSSIER_STATES)
        or p.status == Payment.Status.REFUND_FAILED)]  # fmt: skip
    context: dict[str, Any] = {
        "dossier": dossier,
        "order": order,
        "lines": list(order.lines.all()) if order else [],
        "payments": payments,
        "may": may,
        "issue_form": issue_form if can_issue else None,
        "counter_form": counter_form if is_open else None,
        "can_cancel": is_open,
        "refundable": refundable,
        "reason_form": reason_form or ReasonForm(prefix="ly-do"),
        "reason_for": reason_for,
        "error_form": next((f for f in (issue_form, counter_form, reason_form) if f is not None and f.errors), None),
        "error": error,
        "actions": {"issue": ISSUE, "counter": COUNTER, "cancel": CANCEL, "refund": REFUND, "name": ACTION},
        "has_fees": dossier.case.fees.exists(),
    }
    return render(request, "payments/officer/dossier_fees.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def dossier_fees(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _officer(request)
    if request.method != "POST":
        return _panel(request, actor, pk)
    action = request.POST.get(ACTION, "")
    try:
        dossier, order = selectors.fee_order_for_actor(actor=actor, dossier_id=pk)
    except PaymentNotFound:
        raise Http404(gettext("Không tìm thấy hồ sơ.")) from None
    if action == ISSUE:
        form = FeeOrderForm(request.POST, case=dossier.case, prefix="lap")
        if not form.is_valid():
            return _panel(request, actor, pk, issue_form=form, status=422)
        try:
            issued = services.fee_order_issue(
                actor=actor, dossier_id=dossier.pk, category_code=form.cleaned_data["category"] or None,
                inputs=form.inputs(), pay_before_processing=form.cleaned_data["pay_before_processing"],
                note=form.cleaned_data["note"], exemption_note=form.cleaned_data["exemption_note"],
            )  # fmt: skip
        except PaymentError as exc:
            form.add_service_errors(exc.fields)
            if not exc.fields:
                form.add_error(None, exc.message)
            return _panel(request, actor, pk, issue_form=form, status=exc.status)
        messages.success(
            request, gettext("Đã lập yêu cầu nộp phí: %(state)s.") % {"state": issued.get_status_display()}
        )
        return redirect("payments:officer_dossier", pk=pk)
    if order is None:
        return _panel(request, actor, pk, error=gettext("Hồ sơ chưa có yêu cầu nộp phí."), status=409)
    if action == COUNTER:
        counter = CounterPaymentForm(request.POST, prefix="quay")
        if not counter.is_valid():
            return _panel(request, actor, pk, counter_form=counter, status=422)
        try:
            payment = services.payment_record_counter(
                actor=actor, order_id=order.pk, method=counter.cleaned_data["method"],
                amount=counter.cleaned_data["amount"], reference=counter.cleaned_data["reference"],
                idempotency_key=counter.cleaned_data["token"],
            )  # fmt: skip
        except PaymentError as exc:
            counter.add_error("amount" if "so-tien" in exc.fields else None, exc.message)
            return _panel(request, actor, pk, counter_form=counter, status=exc.status)
        fee_receipt = getattr(payment, "fee_receipt", None)
        messages.success(request, gettext("Đã ghi nhận nộp tại quầy; biên lai số %(number)s.")
                         % {"number": fee_receipt.number if fee_receipt else "—"})  # fmt: skip
        return redirect("payments:officer_dossier", pk=pk)
    if action in (CANCEL, REFUND):
        reason = ReasonForm(request.POST, prefix="ly-do")
        if not reason.is_valid():
            return _panel(request, actor, pk, reason_form=reason, reason_for=action, status=422)
        try:
            if action == CANCEL:
                services.fee_order_cancel(actor=actor, order_id=order.pk, reason=reason.cleaned_data["reason"])
                messages.success(request, gettext("Đã hủy yêu cầu nộp phí."))
            else:
                payment_id = int(request.POST.get("giao-dich", "0") or 0)
                if not order.payments.filter(pk=payment_id).exists():
                    raise PaymentNotFound
                refunded = services.payment_refund(actor=actor, payment_id=payment_id,
                                                   reason=reason.cleaned_data["reason"])  # fmt: skip
                messages.success(request, gettext("Hoàn phí: %(state)s.") % {"state": refunded.get_status_display()})
        except GatewayUnavailable as exc:
            messages.warning(request, exc.message)
        except PaymentError as exc:
            reason.add_error(None, exc.message)
            return _panel(request, actor, pk, reason_form=reason, reason_for=action, status=exc.status)
        return redirect("payments:officer_dossier", pk=pk)
    return _panel(request, actor, pk, error=gettext("Thao tác không hợp lệ."), status=400)
