"""The simulator's settings: its own merchant code and secret (never the platform's SECRET_KEY, never a real
gateway's), and where it delivers notifications."""

from __future__ import annotations

from django.conf import settings

from chinhquyenso.payments.conf import SANDBOX_DEMO_SECRET, SANDBOX_TMN_CODE

DEFAULT_LATE_SECONDS = 20


def enabled() -> bool:
    return bool(getattr(settings, "CQS_SANDBOX_PAY", False))


def tmn_code() -> str:
    return str(getattr(settings, "CQS_SANDBOX_PAY_TMN_CODE", SANDBOX_TMN_CODE))


def secret() -> str:
    return str(getattr(settings, "CQS_SANDBOX_PAY_SECRET", SANDBOX_DEMO_SECRET))


def ipn_url() -> str:
    """The merchant's IPN address, as a merchant registers it with a real gateway (not derived from its code)."""
    explicit = str(getattr(settings, "CQS_SANDBOX_PAY_IPN_URL", "") or "")
    if explicit:
        return explicit
    base = str(getattr(settings, "CQS_PUBLIC_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return f"{base}/thanh-toan/ipn/sandbox/"


def use_timers() -> bool:
    """Late notifications wait in a timer thread when the task backend cannot defer (off in tests)."""
    return bool(getattr(settings, "CQS_SANDBOX_PAY_TIMERS", getattr(settings, "ENVIRONMENT", "") != "test"))
