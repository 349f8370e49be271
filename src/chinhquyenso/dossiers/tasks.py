"""Background tasks. They take ids, are idempotent and safe to retry (STYLE.md §6)."""

from __future__ import annotations

from django_tasks import task

from chinhquyenso.dossiers import notifications
from chinhquyenso.dossiers.models import Notification


@task()
def notify_applicant(event_id: int) -> int:
    """Create the event's notifications and try each once; failures are retried by ``retry_notifications``."""
    sent = 0
    for n in notifications.create_for_event(event_id=event_id):
        sent += int(notifications.deliver(notification_id=n.pk))
    return sent


@task()
def retry_notifications() -> int:
    """Retry pending notifications (run periodically by the worker or cron: `cqs notifications retry`)."""
    sent = 0
    for pk in Notification.objects.filter(status=Notification.Status.PENDING, attempts__gt=0).values_list(
        "pk", flat=True
    )[:500]:
        sent += int(notifications.deliver(notification_id=pk))
    return sent
