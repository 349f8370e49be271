"""Pages of the payment gateway SIMULATOR (cổng thanh toán GIẢ LẬP), under /sandbox-pay/. Demo and tests only:
the URLs are mounted only when ``CQS_SANDBOX_PAY`` is on, and every view refuses to run otherwise."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chinhquyenso.sandbox_pay import conf, services
from chinhquyenso.sandbox_pay.models import SandboxTransaction

OUTCOME_CHOICES = [
    ("success", "Thành công — trừ tiền và báo thành công"),
    ("failure", "Không thành công — tài khoản không đủ số dư (mã 51)"),
    ("cancel", "Khách hàng hủy giao dịch (mã 24)"),
    ("timeout", "Hết thời gian chờ — bỏ dở, không quay về (mã 11)"),
]
DELIVERY_CHOICES = [
    ("now", "Gửi thông báo (IPN) ngay"),
    ("late", "Gửi thông báo trễ (sau số giây bên dưới)"),
    ("twice", "Gửi thông báo hai lần (trùng lặp)"),
    ("out_of_order", "Sai thứ tự: sau kết quả, gửi thêm một thông báo cũ «không thành công»"),
    ("failure_first", "Sai thứ tự: gửi «không thành công» trước, rồi mới gửi kết quả"),
    ("none", "Không gửi thông báo (mất IPN: hệ thống phải tự hỏi lại cổng)"),
]


def sandbox_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not conf.enabled():
            raise Http404("Cổng thanh toán giả lập không bật.")
        return view(request, *args, **kwargs)

    return wrapped


class ChoiceForm(forms.Form):
    outcome = forms.ChoiceField(label="Kết quả giao dịch", choices=OUTCOME_CHOICES, widget=forms.RadioSelect,
                                initial="success")  # fmt: skip
    delivery = forms.ChoiceField(label="Thông báo kết quả cho đơn vị (IPN)", choices=DELIVERY_CHOICES,
                                 widget=forms.RadioSelect, initial="now")  # fmt: skip
    late_seconds = forms.IntegerField(label="Số giây trễ", min_value=1, max_value=3600,
                                      initial=conf.DEFAULT_LATE_SECONDS)  # fmt: skip
    bank_code = forms.ChoiceField(label="Ngân hàng, ví", choices=[(b, b) for b in services.BANKS], initial="NCB")


@sandbox_only
@never_cache
@require_GET
def pay_page(request: HttpRequest) -> HttpResponse:
    """``/sandbox-pay/paymentv2/vpcpay.html?vnp_…``: the gateway's payment page."""
    if any(len(values) > 1 for _, values in request.GET.lists()):
        return render(request, "sandbox_pay/error.html", {"message": "Tham số bị lặp."}, status=400)
    try:
        txn = services.transaction_open({k: request.GET[k] for k in request.GET})
    except services.SandboxError as exc:
        return render(request, "sandbox_pay/error.html", {"message": str(exc)}, status=400)
    if txn.status != SandboxTransaction.Status.PENDING:
        with translation.override("vi"):  # the sandbox speaks Vietnamese only, like the gateway it stands in for
            status_text = txn.get_status_display()
        return render(request, "sandbox_pay/error.html", {"message": f"Giao dịch {txn.txn_ref} đã kết thúc "
                      f"({status_text.lower()}).", "txn": txn}, status=409)  # fmt: skip
    return render(request, "sandbox_pay/pay.html", {"txn": txn, "form": ChoiceForm()})


@sandbox_only
@require_POST
def finish(request: HttpRequest, txn_id: int) -> HttpResponse:
    form = ChoiceForm(request.POST)
    txn = SandboxTransaction.objects.filter(pk=txn_id).first()
    if txn is None:
        raise Http404
    if not form.is_valid():
        return render(request, "sandbox_pay/pay.html", {"txn": txn, "form": form}, status=422)
    try:
        txn, back = services.transaction_finish(txn_id=txn.pk, choice=services.Choice(**form.cleaned_data))
    except services.SandboxError as exc:
        return render(request, "sandbox_pay/error.html", {"message": str(exc), "txn": txn}, status=409)
    if back is None:
        return render(request, "sandbox_pay/timeout.html", {"txn": txn})
    response = HttpResponse(status=303)
    response["Location"] = back
    return response


@sandbox_only
@never_cache
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The tester's console: recent transactions, their notifications, the statement."""
    transactions = SandboxTransaction.objects.prefetch_related("deliveries")[:50]
    return render(request, "sandbox_pay/index.html", {"transactions": transactions, "today": timezone.localdate(),
                                                      "ipn_url": conf.ipn_url()})  # fmt: skip


@sandbox_only
@require_POST
def send_again(request: HttpRequest, txn_id: int) -> HttpResponse:
    try:
        services.deliver_again(txn_id=txn_id)
    except SandboxTransaction.DoesNotExist:
        raise Http404 from None
    except services.SandboxError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Đã xếp hàng gửi lại thông báo kết quả.")
    return redirect("sandbox_pay:index")


@sandbox_only
@require_POST
def send_due(request: HttpRequest) -> HttpResponse:
    count = services.deliver_due()
    messages.success(request, f"Đã gửi {count} thông báo đến hạn.")
    return redirect("sandbox_pay:index")


@sandbox_only
@csrf_exempt  # server to server, authenticated by its signature
@require_http_methods(["POST"])
def merchant_api(request: HttpRequest) -> JsonResponse:
    """``/sandbox-pay/merchant_webapi/api/transaction``: querydr and refund (JSON)."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JsonResponse({"vnp_ResponseCode": "99", "vnp_Message": "Invalid JSON"}, status=400)
    return JsonResponse(services.api_call(body))


@sandbox_only
@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    """``/sandbox-pay/sao-ke.csv?ngay=YYYY-MM-DD``: the day's statement for reconciliation."""
    try:
        day = date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        day = timezone.localdate()
    response = HttpResponse(services.statement_csv(day=day), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sao-ke-gia-lap-{day.isoformat()}.csv"'
    return response
