from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks


class SandboxPayConfig(AppConfig):
    """The payment gateway SIMULATOR (cổng thanh toán giả lập): demo and tests only, never production."""

    name = "chinhquyenso.sandbox_pay"
    verbose_name = "Cổng thanh toán GIẢ LẬP (chỉ dùng thử)"

    def ready(self) -> None:
        checks.register(check_not_in_production, checks.Tags.security, deploy=True)


def check_not_in_production(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from django.conf import settings

    if getattr(settings, "PRODUCTION", False) and getattr(settings, "CQS_SANDBOX_PAY", False):
        return [checks.Error("Cổng thanh toán GIẢ LẬP đang bật trong production: đặt CQS_SANDBOX_PAY=false.",
                             id="sandbox_pay.E001")]  # fmt: skip
    return []
