"""Money as the applicant types it and as it is shown: an integer number of đồng, dots between thousands."""

from __future__ import annotations

import re

_MONEY_SUFFIX = re.compile(r"\s*(đồng|vnđ|vnd|đ)\s*$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_INTEGER = re.compile(r"-?\d{1,18}", re.ASCII)
_GROUPED_DOTS = re.compile(r"-?\d{1,3}(\.\d{3}){1,6}", re.ASCII)
_GROUPED_COMMAS = re.compile(r"\d{1,3}(,\d{3}){1,6}", re.ASCII)


def format_money(amount: int) -> str:
    """1250000 → '1.250.000' (Vietnamese writes a dot between thousands)."""
    return f"{amount:,}".replace(",", ".")


def parse_money(text: str) -> int | None:
    """'1.250.000', '1250000', '1 250 000 đồng' → 1250000; anything else → None (never raises)."""
    cleaned = _SPACES.sub("", _MONEY_SUFFIX.sub("", text.strip()))
    if _INTEGER.fullmatch(cleaned) and not cleaned.startswith("-"):
        return int(cleaned)
    if (_GROUPED_DOTS.fullmatch(cleaned) and not cleaned.startswith("-")) or _GROUPED_COMMAS.fullmatch(cleaned):
        return int(cleaned.replace(".", "").replace(",", ""))
    return None
