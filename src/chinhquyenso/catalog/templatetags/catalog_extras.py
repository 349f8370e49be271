"""Template filters of the catalog: Vietnamese numbers and money (DOMAIN.md §9)."""

from __future__ import annotations

from django import template

register = template.Library()

NBSP = "\u00a0"


def format_thousands(number: int) -> str:
    """5000 → '5.000': Vietnamese puts '.' between thousands."""
    return f"{number:,}".replace(",", ".")


def format_vnd(amount: int) -> str:
    """1250000 → '1.250.000 đ': VND has no minor unit; a no-break space keeps the amount and 'đ' on one line."""
    return f"{format_thousands(amount)}{NBSP}đ"


def _integer(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


@register.filter
def vnd(value: object) -> str:
    """``{{ fee.amount|vnd }}`` → 1.250.000 đ; an empty or non-numeric value renders as nothing."""
    amount = _integer(value)
    return "" if amount is None else format_vnd(amount)


@register.filter
def thousands(value: object) -> str:
    """``{{ count|thousands }}`` → 5.000."""
    number = _integer(value)
    return "" if number is None else format_thousands(number)
