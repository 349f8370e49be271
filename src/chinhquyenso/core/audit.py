"""The audit chain: append-only, hash-linked record of every state-changing action.

Each entry stores ``prev_hash`` (the previous entry's hash) and ``entry_hash`` = SHA-256 of the canonical
JSON of its own fields plus ``prev_hash``. Appends lock the single ``AuditHead`` row, so two concurrent
writers are serialised and the chain never forks. ``audit_verify`` walks the chain and returns the first
broken link: an edited row (hash mismatch), a deleted row (sequence gap or wrong ``prev_hash``) or a
truncated tail (head points past the last row).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from chinhquyenso.core.logging import current_request_id
from chinhquyenso.core.models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64


def _jsonable(value: Any) -> Any:
    """Round-trip through JSON so what we hash is exactly what the database gives back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _canonical(fields: Mapping[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _entry_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "created_at": entry.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "before": entry.before,
        "after": entry.after,
        "request_id": entry.request_id,
        "prev_hash": entry.prev_hash,
    }


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(_entry_fields(entry))).hexdigest()


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: Any | None = None,
    object_type: str = "",
    object_id: str | int = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction (rolled back with it)."""
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or obj.pk
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )
        entry = AuditEntry(
            seq=head.last_seq + 1,
            # Truncated to whole microseconds in UTC so both databases return the same value we hashed.
            created_at=timezone.now().astimezone(UTC),
            actor_id=user.pk if user is not None else None,
            actor_label=(user.get_username() if user is not None else "hệ thống")[:150],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            before=_jsonable(before),
            after=_jsonable(after),
            request_id=current_request_id() or "",
            prev_hash=head.last_hash,
        )
        entry.entry_hash = compute_hash(entry)
        entry.save()
        head.last_seq = entry.seq
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    reason: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken: BrokenLink | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _iter_entries(batch: int = 2000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def audit_verify() -> VerifyResult:
    """Walk the chain from the genesis and report the first link that does not hold."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for entry in _iter_entries():
        if entry.seq != expected_seq:
            return VerifyResult(checked, BrokenLink(expected_seq, f"thiếu bản ghi số {expected_seq} (đã bị xóa)"))
        if entry.prev_hash != prev_hash:
            return VerifyResult(checked, BrokenLink(entry.seq, "liên kết tới bản ghi trước không khớp"))
        if compute_hash(entry) != entry.entry_hash:
            return VerifyResult(checked, BrokenLink(entry.seq, "nội dung bản ghi đã bị sửa (mã băm không khớp)"))
        checked += 1
        prev_hash = entry.entry_hash
        expected_seq += 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != prev_hash):
        return VerifyResult(
            checked, BrokenLink(checked + 1, f"chuỗi bị cắt cụt: đầu chuỗi trỏ tới bản ghi số {head.last_seq}")
        )
    return VerifyResult(checked, None)
