"""How the simulator reaches the platform: an HTTP GET on the merchant's IPN URL with the signed query (VNPay sends
IPN as GET), sent from a background task; late notifications wait for the task backend's ``run_after`` or, when the
backend cannot defer (the demo's immediate runs), a timer thread. Tests replace ``send``."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import timedelta
from urllib.parse import urlencode

from django.db import transaction
from django.utils import timezone

from chinhquyenso.sandbox_pay import conf

TIMEOUT_SECONDS = 10


def send(url: str, params: Mapping[str, str]) -> tuple[int, str]:
    """GET ``url?params``; returns (HTTP status, body) — (0, reason) when the platform could not be reached."""
    target = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
    if not target.startswith(("http://", "https://")):
        return 0, "địa chỉ IPN không hợp lệ"
    try:
        with urllib.request.urlopen(target, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (checked above)
            return int(response.status), response.read(500).decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read(500).decode(errors="replace")
    except (urllib.error.URLError, OSError) as exc:
        return 0, str(exc)[:500]


def schedule(txn_id: int, delay: timedelta) -> None:
    """Deliver the transaction's due notifications after commit, now or after ``delay``."""
    from chinhquyenso.sandbox_pay import tasks

    def enqueue() -> None:
        task = tasks.deliver_notifications
        if delay <= timedelta(0):
            task.enqueue(txn_id)
        elif task.get_backend().supports_defer:
            task.using(run_after=timezone.now() + delay).enqueue(txn_id)
        elif conf.use_timers():
            timer = threading.Timer(delay.total_seconds(), lambda: task.enqueue(txn_id))
            timer.daemon = True
            timer.start()
        # otherwise the tester sends it from the simulator's page ("Gửi các thông báo đến hạn")

    transaction.on_commit(enqueue)
