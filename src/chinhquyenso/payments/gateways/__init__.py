"""Gateway adapters. ``get_adapter(code)`` builds the adapter of a configured gateway."""

from __future__ import annotations

from django.utils.module_loading import import_string

from chinhquyenso.payments.conf import gateway_configs
from chinhquyenso.payments.gateways.base import (
    BadSignature,
    GatewayAdapter,
    GatewayError,
    GatewayResult,
    Malformed,
    Outcome,
    PaymentRequest,
    RefundResult,
)

__all__ = [
    "BadSignature",
    "GatewayAdapter",
    "GatewayError",
    "GatewayResult",
    "Malformed",
    "Outcome",
    "PaymentRequest",
    "RefundResult",
    "UnknownGateway",
    "get_adapter",
]


class UnknownGateway(LookupError):
    pass


def get_adapter(code: str) -> GatewayAdapter:
    config = gateway_configs().get(code)
    if config is None:
        raise UnknownGateway(code)
    cls = import_string(config.adapter)
    adapter = cls(config)
    assert isinstance(adapter, GatewayAdapter)
    return adapter
