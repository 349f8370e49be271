"""A small fixed-window rate limit for public forms (login has django-axes; this covers the rest)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: behind a reverse proxy, the proxy must set it (never trust X-Forwarded-For blindly).
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def rate_limit(*, scope: str, limit: int, window_seconds: int) -> Callable[[Callable[..., HttpResponse]], Any]:
    """Allow ``limit`` POSTs per client address per window; the next ones get a Vietnamese 429 page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                window = int(time.time() // window_seconds)
                key = f"rl:{scope}:{client_address(request)}:{window}"
                cache.add(key, 0, timeout=window_seconds)
                try:
                    count = cache.incr(key)
                except ValueError:  # expired between add and incr
                    count = 1
                if count > limit:
                    response = render(
                        request, "core/rate_limited.html", {"minutes": max(1, window_seconds // 60)}, status=429
                    )
                    response["Retry-After"] = str(window_seconds)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
