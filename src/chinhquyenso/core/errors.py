"""Errors as RFC 9457 problem details, with a title and detail in the language of the request (Vietnamese by
default): callers pass texts already translated with ``gettext``."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse


def problem(request: HttpRequest, status: int, title: str, detail: str, **extra: Any) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    request_id = getattr(request, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str), status=status, content_type="application/problem+json"
    )
