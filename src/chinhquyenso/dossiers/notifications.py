"""Telling the applicant about every state change: e-mail and SMS through pluggable backends.

E-mail goes through Django's mail backend (console in the demo, SMTP in production). SMS goes through
``settings.CQS_SMS_BACKEND``: ``console`` (log line), ``file`` (append JSON lines to a file, for the demo and tests)
or ``http`` (a JSON POST to ``CQS_SMS_URL`` with a bearer ``CQS_SMS_TOKEN``, the shape most Vietnamese SMS brandname
gateways accept). Phone numbers and e-mail addresses never go into logs.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from chinhquyenso.dossiers.models import DossierEvent, Notification, State

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class SmsError(Exception):
    pass


def send_sms(*, phone: str, text: str) -> None:
    backend = getattr(settings, "CQS_SMS_BACKEND", "console")
    if backend == "console":
        logger.info("sms sent (console backend)", extra={"status": "sent"})
        return
    if backend == "file":
        path = Path(getattr(settings, "CQS_SMS_FILE", settings.VAR_DIR / "sms.jsonl"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"to": phone, "text": text, "at": timezone.now().isoformat()}, ensure_ascii=False))
            handle.write("\n")
        return
    if backend == "http":
        url = settings.CQS_SMS_URL
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise SmsError("CQS_SMS_URL phải dùng https.")
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            url,
            data=json.dumps({"to": phone, "text": text}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.CQS_SMS_TOKEN}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                if response.status >= 300:
                    raise SmsError(f"gateway answered {response.status}")
        except OSError as exc:
            raise SmsError(type(exc).__name__) from None
        return
    raise SmsError(f"unknown SMS backend {backend!r}")


def _message(event: DossierEvent) -> tuple[str, str, str]:
    dossier = event.dossier
    code = dossier.code or "(chưa có mã)"
    with translation.override("vi"):  # the notice is Vietnamese, whatever the language of the page that caused it
        state = str(State(event.to_state).label)
    procedure = dossier.case.version.name
    subject = f"Hồ sơ {code}: {state}"
    body = (
        f"Kính gửi {dossier.applicant_name},\n\nHồ sơ {code} ({procedure}) vừa chuyển sang trạng thái «{state}».\n"
        f"{event.note}\n\nTra cứu: {settings.CQS_PUBLIC_BASE_URL}/tra-cuu/?ma={code}\n"
    )
    sms = f"Ho so {code}: {state}. {event.note}"[:300]
    return subject, body, sms


def create_for_event(*, event_id: int) -> list[Notification]:
    """One notification per channel the applicant can be reached on (idempotent per event)."""
    event = DossierEvent.objects.select_related("dossier__case__version").get(pk=event_id)
    existing = list(event.notifications.all())
    if existing:
        return existing
    dossier = event.dossier
    subject, body, sms = _message(event)
    rows = []
    if dossier.applicant_email:
        rows.append(Notification(dossier=dossier, event=event, channel=Notification.Channel.EMAIL,
                                 recipient=dossier.applicant_email, subject=subject, body=body))  # fmt: skip
    if dossier.applicant_phone:
        rows.append(Notification(dossier=dossier, event=event, channel=Notification.Channel.SMS,
                                 recipient=dossier.applicant_phone, body=sms))  # fmt: skip
    return Notification.objects.bulk_create(rows)


def deliver(*, notification_id: int) -> bool:
    """Send one notification; returns True once it is sent. Safe to call again (a sent one is skipped)."""
    with transaction.atomic():
        n = Notification.objects.select_for_update().get(pk=notification_id)
        if n.status == Notification.Status.SENT:
            return True
        n.attempts += 1
        try:
            if n.channel == Notification.Channel.EMAIL:
                send_mail(n.subject, n.body, None, [n.recipient])
            else:
                send_sms(phone=n.recipient, text=n.body)
        except Exception as exc:  # any backend failure is recorded and retried
            n.last_error = f"{type(exc).__name__}"[:500]
            n.status = Notification.Status.FAILED if n.attempts >= MAX_ATTEMPTS else Notification.Status.PENDING
            n.save(update_fields=["attempts", "last_error", "status"])
            return False
        n.status = Notification.Status.SENT
        n.sent_at = timezone.now()
        n.last_error = ""
        n.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        return True
