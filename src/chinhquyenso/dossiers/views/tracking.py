"""Public tracking of a dossier by its code (tra cứu hồ sơ): no sign-in, no personal data.

The page is one GET form, ``/tra-cuu/?ma=<code>``: the QR code printed on form 01 opens that address, the result can
be bookmarked, and the public page needs no CSRF cookie. ``core.ratelimit.rate_limit`` counts only POSTs, so lookups
made by GET are counted here with the same fixed window, the same cache key and the same 429 page: a client has one
budget of ``LIMIT`` lookups per ``WINDOW_SECONDS`` whichever method it uses (the decorator still covers POSTs, which
this view answers 405 after counting them).

Shown: state, procedure, receiving agency, current step and agency, received and due dates, and the public timeline
(``selectors.timeline_public``). Never shown: the applicant's name, id number, phone, e-mail, address, the form
data, and any note (officers' notes may name people).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from chinhquyenso.core.ratelimit import client_address, rate_limit
from chinhquyenso.dossiers import selectors
from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.dossiers.workflow import ACTIONS, WorkflowProblem, parse_steps

SCOPE = "track"
LIMIT = 60
WINDOW_SECONDS = 60
CODE_FIELD = "ma"
CODE_MAX_LENGTH = 64  # Dossier.code's length: anything longer cannot be a code

# What happened, as a line of the timeline (the button labels in ``workflow.ACTIONS`` say what to do instead).
EVENT_LABELS = {
    "result_initialled": _("Ký nháy dự thảo kết quả"),
    "result_issued": _("Phát hành kết quả điện tử"),
    "result_revoked": _("Thu hồi kết quả điện tử"),
    "payment_settled": _("Đã thực hiện nghĩa vụ tài chính"),
    "fee_order_issued": _("Thông báo nộp phí, lệ phí"),
    "fee_order_cancelled": _("Hủy thông báo nộp phí"),
    "fee_exempt": _("Được miễn phí, lệ phí"),
    "fee_paid": _("Đã nộp phí, lệ phí"),
    "fee_refunded": _("Hoàn trả phí, lệ phí"),
    "submit": _("Nộp hồ sơ"),
    "receive": _("Tiếp nhận hồ sơ"),
    "request_completion": _("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "refuse": _("Từ chối tiếp nhận"),
    "claim": _("Cán bộ nhận xử lý"),
    "forward": _("Chuyển bước xử lý"),
    "return": _("Trả lại bước trước"),
    "transfer": _("Chuyển liên thông"),
    "request_supplement": _("Yêu cầu bổ sung giấy tờ"),
    "request_payment": _("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "extend": _("Gia hạn thời gian giải quyết"),
    "stop": _("Dừng xử lý"),
    "approve": _("Hoàn thành xử lý"),
    "return_result": _("Trả kết quả"),
    "supplement": _("Nộp bổ sung hồ sơ"),
    "withdraw": _("Rút hồ sơ"),
}


def event_label(action: str) -> str:
    label = EVENT_LABELS.get(action)
    if label is not None:
        return str(label)
    return str(ACTIONS[action][1]) if action in ACTIONS else action


def _window() -> int:
    return int(time.time() // WINDOW_SECONDS)


def _lookup_allowed(request: HttpRequest) -> bool:
    """Count one lookup; False once the client went over the limit (same key as ``rate_limit`` for this scope)."""
    key = f"rl:{SCOPE}:{client_address(request)}:{_window()}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        count = 1
    return count <= LIMIT


def _rate_limited(request: HttpRequest) -> HttpResponse:
    response = render(request, "core/rate_limited.html", {"minutes": max(1, WINDOW_SECONDS // 60)}, status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def _current_step(dossier: Dossier) -> str:
    try:
        steps = parse_steps(dossier.workflow.steps)
    except WorkflowProblem:
        return ""
    return steps[dossier.current_step].name if 0 <= dossier.current_step < len(steps) else ""


@rate_limit(scope=SCOPE, limit=LIMIT, window_seconds=WINDOW_SECONDS)
@never_cache
@require_http_methods(["GET", "HEAD"])
def track(request: HttpRequest) -> HttpResponse:
    """GET without ``ma``: the form. With ``ma``: the dossier's public status, or a friendly 404."""
    raw = request.GET.get(CODE_FIELD)
    context: dict[str, Any] = {"code": "", "dossier": None, "error": "", "not_found": False, "field": CODE_FIELD}
    if raw is None:
        return render(request, "dossiers/tracking.html", context)
    code = " ".join(raw.split())
    context["code"] = code[:CODE_MAX_LENGTH]
    if not code:
        context["error"] = gettext("Vui lòng nhập mã hồ sơ.")
        return render(request, "dossiers/tracking.html", context, status=422)
    if not _lookup_allowed(request):
        return _rate_limited(request)
    dossier = selectors.dossier_by_code(code=code) if len(code) <= CODE_MAX_LENGTH else None
    if dossier is None:
        context["not_found"] = True
        return render(request, "dossiers/tracking.html", context, status=404)
    context.update(
        {
            "code": dossier.code,
            "dossier": dossier,
            "procedure_name": dossier.case.version.name,
            "current_step": "" if dossier.is_finished else _current_step(dossier),
            "timeline": [
                {**entry, "label": event_label(str(entry["action"]))}
                for entry in selectors.timeline_public(dossier=dossier)
            ],
        }
    )
    return render(request, "dossiers/tracking.html", context)
