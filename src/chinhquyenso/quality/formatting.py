"""Numbers as Vietnamese readers write them (DOMAIN.md §9): a decimal comma, and a space before the percent sign."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

NBSP = "\u00a0"  # "87,5 %": the sign never wraps onto the next line alone


def _trimmed(value: Decimal) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def percent(ratio: Decimal) -> str:
    """0.875 → "87,5 %". Cut (not rounded) to two decimals, so a ratio just under a threshold never reads as it."""
    return _trimmed((ratio * 100).quantize(Decimal("0.01"), rounding=ROUND_DOWN)) + f"{NBSP}%"


def points(value: Decimal) -> str:
    """15.50 → "15,5"; 20.00 → "20"."""
    return _trimmed(value.quantize(Decimal("0.01")))
