"""Background tasks. They take ids, are idempotent and safe to retry (STYLE.md §6)."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from chinhquyenso.payments import services
from chinhquyenso.payments.errors import GatewayUnavailable


@task()
def refund_payment(payment_id: int) -> str:
    """Send a ``refund_pending`` payment's refund to the gateway (retried by ``expire_payments`` if it fails)."""
    try:
        return services.payment_refund_execute(payment_id=payment_id).status
    except GatewayUnavailable:
        return "refund_pending"


@task()
def query_payment(payment_id: int) -> str:
    """Ask the gateway about one payment (the applicant's "Kiểm tra lại" button)."""
    try:
        return services.payment_query(payment_id=payment_id).status
    except GatewayUnavailable:
        return "unreachable"


@task()
def expire_payments() -> dict[str, int]:
    """Reconcile pending payments with their gateway and expire abandoned ones (every few minutes:
    ``cqs payments expire`` from cron or a systemd timer)."""
    return asdict(services.payments_expire())
