"""The gateway's two doors into the platform: the server-to-server notification (IPN) and the browser's return.

The IPN is the only place (with our own status query) where a payment gets credited. The return URL never writes
anything: it checks the signature only to choose the words, then shows the payment's status as the database has it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from chinhquyenso.core.ratelimit import client_address
from chinhquyenso.payments import services
from chinhquyenso.payments.gateways import BadSignature, Malformed, Outcome, UnknownGateway, get_adapter
from chinhquyenso.payments.gateways.vnpay import IpnCode

# What the browser was told by the gateway (verified), as a flag for the status page's wording only.
RETURN_FLAG = "cong-bao"
RETURN_WORDS = {Outcome.SUCCESS: "thanh-cong", Outcome.CANCELLED: "huy", Outcome.EXPIRED: "het-han",
                Outcome.FAILED: "khong-thanh-cong"}  # fmt: skip
UNVERIFIED = "khong-xac-thuc"


def _single_values(request: HttpRequest) -> dict[str, str] | None:
    """The query (GET) or form (POST) parameters; None when a name is repeated (never guess which one is signed)."""
    source = request.GET if request.method == "GET" else request.POST
    if any(len(values) > 1 for _, values in source.lists()):
        return None
    return {key: source[key] for key in source}


@csrf_exempt  # server to server, authenticated by its signature
@never_cache
@require_http_methods(["GET", "POST"])
def ipn(request: HttpRequest, gateway: str) -> HttpResponse:
    """``GET /thanh-toan/ipn/<gateway>/?vnp_…&vnp_SecureHash=…`` → ``{"RspCode": "00", "Message": "Confirm Success"}``.

    Always HTTP 200 with the protocol's answer code: the gateway reads the code, not the status.
    """
    params = _single_values(request)
    if params is None:
        code, message = IpnCode.UNKNOWN_ERROR
        return JsonResponse({"RspCode": code, "Message": message})
    answer = services.notification_handle(gateway=gateway, params=params, remote_addr=client_address(request))
    return JsonResponse(answer.body)


@never_cache
@require_safe
def browser_return(request: HttpRequest, gateway: str) -> HttpResponse:
    """Where the gateway sends the payer back. Read-only: redirect to the payment's status page."""
    params = _single_values(request) or {}
    txn_ref = params.get("vnp_TxnRef", "")[:34]
    if not txn_ref:
        raise Http404(gettext("Thiếu mã giao dịch."))
    try:
        result = get_adapter(gateway).parse_callback(params)
        flag = RETURN_WORDS.get(result.outcome, "khong-thanh-cong")
    except UnknownGateway:
        raise Http404(gettext("Không có cổng thanh toán này.")) from None
    except (BadSignature, Malformed):
        flag = UNVERIFIED
    url = reverse("payments:status", args=[txn_ref])
    return redirect(f"{url}?{urlencode({RETURN_FLAG: flag})}")
