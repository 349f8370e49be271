"""Opaque keyset cursors: the exact moment and id of the last row a page showed, base64url without padding.

A list ordered by ``(moment DESC, id DESC)`` continues after ``(t, k)`` with ``moment <= t AND (moment < t OR
id < k)``: the first condition is where an index scan starts. A cursor that does not decode (edited, truncated,
from another list) is ignored, not an error: the caller shows the first page.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime


def cursor_encode(moment: datetime, pk: int) -> str:
    raw = f"{moment.isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = raw.split("|", 1)
        parsed = datetime.fromisoformat(moment)
        if parsed.tzinfo is None or not 1970 <= parsed.astimezone(UTC).year <= 9000:
            return None  # a naive or absurd moment (a database could not compare it) is no cursor of ours
        return parsed, int(pk)
    except (ValueError, UnicodeDecodeError, OverflowError):
        return None
