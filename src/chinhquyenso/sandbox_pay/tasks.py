"""The simulator's background work: send its due notifications to the platform (idempotent: sent ones are kept)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_notifications(txn_id: int) -> int:
    from chinhquyenso.sandbox_pay.services import deliver_due

    return deliver_due(txn_id=txn_id)
