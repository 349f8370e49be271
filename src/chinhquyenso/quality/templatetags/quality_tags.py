from __future__ import annotations

from decimal import Decimal

from django import template

from chinhquyenso.quality import formatting

register = template.Library()


@register.filter
def vn_percent(ratio: Decimal | None) -> str:
    return formatting.percent(ratio) if ratio is not None else "—"


@register.filter
def vn_points(value: Decimal | None) -> str:
    return formatting.points(value) if value is not None else "—"
