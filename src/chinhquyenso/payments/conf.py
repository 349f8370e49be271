"""Gateway configuration. ``gateways_from_env`` runs inside ``config/settings.py`` (no Django imports here);
``gateway_configs`` and ``default_gateway_code`` read the result at run time.

Environment (docs/payments-protocol.md, "Configuration"):

- ``CQS_PAY_GATEWAYS=local,national``: the real gateways this installation uses; for each ``NAME``:
  ``CQS_PAY_<NAME>_TMN_CODE`` (merchant code), ``CQS_PAY_<NAME>_HASH_SECRET``, ``CQS_PAY_<NAME>_PAY_URL`` (the
  gateway's payment page), ``CQS_PAY_<NAME>_API_URL`` (its status query and refund API), ``CQS_PAY_<NAME>_CHANNEL``
  (1 = national platform on DVCQG, 2 = the locality's own gateway; default 2), ``CQS_PAY_<NAME>_LABEL``.
- ``CQS_PAYMENT_DEFAULT_GATEWAY``: the gateway the "Thanh toán" button uses (default: ``sandbox`` when the simulator
  is on, else the first of ``CQS_PAY_GATEWAYS``).
- With ``CQS_SANDBOX_PAY`` on, a ``sandbox`` gateway points at the simulator under ``/sandbox-pay/`` with the
  simulator's own secret ``CQS_SANDBOX_PAY_SECRET``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SANDBOX = "sandbox"
SANDBOX_TMN_CODE = "CQSDEMO1"
SANDBOX_DEMO_SECRET = "cqs-sandbox-pay-demo-secret-NOT-FOR-PRODUCTION"  # noqa: S105 (the simulator's, demo only)
ADAPTER_VNPAY = "chinhquyenso.payments.gateways.vnpay.VnpayAdapter"
DEFAULT_TIMEOUT_MINUTES = 15


class GatewayConfigError(ValueError):
    """A gateway is configured wrongly; the message names the variable to fix."""


@dataclass(frozen=True)
class GatewayConfig:
    code: str
    label: str
    channel: int  # PaymentChannel: 1 national platform, 2 local gateway
    tmn_code: str
    hash_secret: str
    pay_url: str
    api_url: str
    adapter: str = ADAPTER_VNPAY
    version: str = "2.1.0"
    timeout_minutes: int = DEFAULT_TIMEOUT_MINUTES

    def as_setting(self) -> dict[str, Any]:
        return dict(self.__dict__)


def gateways_from_env(
    env: Mapping[str, str], *, public_base_url: str, sandbox: bool, production: bool
) -> dict[str, dict[str, Any]]:
    """The ``CQS_PAYMENT_GATEWAYS`` setting built from the environment; raises GatewayConfigError."""
    found: dict[str, dict[str, Any]] = {}
    timeout = int(env.get("CQS_PAYMENT_TIMEOUT_MINUTES", str(DEFAULT_TIMEOUT_MINUTES)))
    if sandbox:
        base = public_base_url.rstrip("/")
        found[SANDBOX] = GatewayConfig(
            code=SANDBOX,
            label="Cổng thanh toán GIẢ LẬP (chỉ dùng thử)",
            channel=2,
            tmn_code=env.get("CQS_SANDBOX_PAY_TMN_CODE", SANDBOX_TMN_CODE),
            hash_secret=env.get("CQS_SANDBOX_PAY_SECRET", SANDBOX_DEMO_SECRET),
            pay_url=f"{base}/sandbox-pay/paymentv2/vpcpay.html",
            api_url=f"{base}/sandbox-pay/merchant_webapi/api/transaction",
            timeout_minutes=timeout,
        ).as_setting()
    for raw in env.get("CQS_PAY_GATEWAYS", "").split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if name == SANDBOX:
            raise GatewayConfigError(
                "CQS_PAY_GATEWAYS không được chứa «sandbox»: cổng giả lập bật bằng CQS_SANDBOX_PAY."
            )
        prefix = f"CQS_PAY_{name.upper()}_"
        values = {
            key: env.get(prefix + key.upper(), "").strip() for key in ("tmn_code", "hash_secret", "pay_url", "api_url")
        }
        missing = [prefix + key.upper() for key, value in values.items() if not value]
        if missing:
            raise GatewayConfigError(f"Cổng thanh toán «{name}» thiếu cấu hình: {', '.join(missing)}.")
        if production and len(values["hash_secret"]) < 16:
            raise GatewayConfigError(f"{prefix}HASH_SECRET quá ngắn: dùng khóa bí mật do cổng thanh toán cấp.")
        channel = int(env.get(prefix + "CHANNEL", "2"))
        if channel not in (1, 2):
            raise GatewayConfigError(f"{prefix}CHANNEL phải là 1 (nền tảng DVCQG) hoặc 2 (cổng của địa phương).")
        found[name] = GatewayConfig(
            code=name,
            label=env.get(prefix + "LABEL", "").strip() or name,
            channel=channel,
            timeout_minutes=timeout,
            **values,
        ).as_setting()
    return found


def default_gateway_from_env(env: Mapping[str, str], gateways: Mapping[str, Any]) -> str:
    chosen = env.get("CQS_PAYMENT_DEFAULT_GATEWAY", "").strip().lower()
    if chosen and chosen not in gateways:
        raise GatewayConfigError(f"CQS_PAYMENT_DEFAULT_GATEWAY={chosen!r} không phải cổng đã cấu hình.")
    if chosen:
        return chosen
    if SANDBOX in gateways:
        return SANDBOX
    return next(iter(gateways), "")


# --- run time ------------------------------------------------------------------------------------------------------
def gateway_configs() -> dict[str, GatewayConfig]:
    """The configured gateways (``settings.CQS_PAYMENT_GATEWAYS``). Until settings define it, the same thing is read
    from the environment here, with the simulator's secret from ``settings.CQS_SANDBOX_PAY_SECRET``."""
    import os

    from django.conf import settings

    raw = getattr(settings, "CQS_PAYMENT_GATEWAYS", None)
    if raw is None:
        raw = gateways_from_env(
            os.environ,
            public_base_url=getattr(settings, "CQS_PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
            sandbox=bool(getattr(settings, "CQS_SANDBOX_PAY", False)),
            production=bool(getattr(settings, "PRODUCTION", False)),
        )
        secret = getattr(settings, "CQS_SANDBOX_PAY_SECRET", None)
        if secret and SANDBOX in raw:
            raw[SANDBOX]["hash_secret"] = secret
    return {code: GatewayConfig(**values) for code, values in raw.items()}


def default_gateway_code() -> str:
    from django.conf import settings

    configs = gateway_configs()
    chosen = str(getattr(settings, "CQS_PAYMENT_DEFAULT_GATEWAY", "") or "")
    if chosen in configs:
        return chosen
    return SANDBOX if SANDBOX in configs else next(iter(configs), "")
