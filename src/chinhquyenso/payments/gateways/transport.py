"""HTTP to gateways: one function, so tests can route it to the simulator in-process."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from django.utils.translation import gettext

from chinhquyenso.payments.gateways.base import GatewayError

TIMEOUT_SECONDS = 15


def post_json(url: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST ``body`` as JSON and return the JSON answer; GatewayError on any network or format problem."""
    if not url.startswith(("https://", "http://")):
        raise GatewayError(gettext("Địa chỉ API của cổng thanh toán không hợp lệ: %(url)s.") % {"url": repr(url)})
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (checked above)
            raw = response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise GatewayError(gettext("Không kết nối được cổng thanh toán: %(error)s") % {"error": exc}) from None
    try:
        answer = json.loads(raw)
    except ValueError:
        raise GatewayError(gettext("Cổng thanh toán trả lời không phải JSON.")) from None
    if not isinstance(answer, dict):
        raise GatewayError(gettext("Cổng thanh toán trả lời sai định dạng."))
    return answer
