"""Opaque keyset cursors: the exact moment and id of the last row a page showed, base64url without padding.

A list ordered by ``(moment DESC, id DESC)`` continues after ``(t, k)`` with ``moment <= t AND (moment < t OR
id < k)``: the first condition is where an index scan starts. A cursor that does not decode (edited, truncated,
from another list) is ignored, not an error: the caller shows the first page.
"""

from __future__ import annotations

import base64
from datetime import datetime


def cursor_encode(moment: datetime, pk: int) -> str:
    raw = f"{moment.isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = raw.split("|", 1)
        parsed = datetime.fromisoformat(moment)
        return (parsed, int(pk)) if parsed.tzinfo is not None else None
    except (ValueError, UnicodeDecodeError):
        return None
