"""The one interface every payment gateway adapter implements (docs/payments-protocol.md).

An adapter turns protocol messages into these plain values and back; it never touches the database. The services
decide what a verified message means for an order.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from chinhquyenso.payments.conf import GatewayConfig


class Outcome(enum.Enum):
    """What the gateway says happened to a payment."""

    SUCCESS = "success"
    FAILED = "failed"
    CANCELLED = "cancelled"  # the payer cancelled on the gateway's page
    EXPIRED = "expired"  # the payer did not finish in time
    PENDING = "pending"  # not finished yet (status query only)
    NOT_FOUND = "not_found"  # the gateway has no such transaction (status query only)


@dataclass(frozen=True)
class PaymentRequest:
    txn_ref: str
    amount: int  # VND
    order_info: str
    return_url: str
    client_ip: str
    created_at: datetime
    expires_at: datetime
    locale: str = "vn"


@dataclass(frozen=True)
class GatewayResult:
    """A verified message about one transaction: a notification (IPN), a browser return, or a status answer."""

    txn_ref: str
    amount: int  # VND
    outcome: Outcome
    response_code: str
    gateway_txn_no: str = ""
    bank_code: str = ""
    paid_at: datetime | None = None


@dataclass(frozen=True)
class RefundResult:
    ok: bool
    response_code: str
    message: str
    refund_ref: str = ""


class BadSignature(Exception):
    """The message's signature does not verify (or it is for another merchant)."""


class Malformed(Exception):
    """A signed message lacks a field or has one we cannot read."""


class GatewayError(Exception):
    """The gateway could not be reached or answered something unusable; the caller retries later."""


class GatewayAdapter(abc.ABC):
    def __init__(self, config: GatewayConfig):
        self.config = config

    @property
    def code(self) -> str:
        return self.config.code

    @abc.abstractmethod
    def payment_url(self, request: PaymentRequest) -> str:
        """Where to send the payer's browser: the gateway's page with the signed parameters."""

    @abc.abstractmethod
    def parse_callback(self, params: Mapping[str, str]) -> GatewayResult:
        """Verify and read a notification or a browser return; raises BadSignature or Malformed."""

    @abc.abstractmethod
    def ipn_answer(self, code: str, message: str) -> dict[str, str]:
        """The body the gateway expects in answer to a notification."""

    @abc.abstractmethod
    def query(self, *, txn_ref: str, created_at: datetime, client_ip: str) -> GatewayResult:
        """Ask the gateway (server to server) what happened; raises GatewayError, BadSignature or Malformed."""

    @abc.abstractmethod
    def refund(
        self, *, txn_ref: str, amount: int, gateway_txn_no: str, created_at: datetime, reason: str, by: str
    ) -> RefundResult:
        """Ask the gateway to refund a paid transaction in full; raises GatewayError when it cannot be reached."""
