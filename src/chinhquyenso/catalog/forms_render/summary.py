"""The entered values as label/value rows, for the review page before submitting."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext

from chinhquyenso.catalog.forms_render.fields import SummaryRow
from chinhquyenso.catalog.forms_render.money import format_money
from chinhquyenso.catalog.forms_render.spec import (
    _as_dict,
    _children,
    _choice_label,
    _display,
    _item_label,
    _root_specs,
    _Spec,
)
from chinhquyenso.catalog.models import ProcedureCase


def _summary_row(spec: _Spec, value: Any) -> SummaryRow | None:
    widget = spec.widget
    if value is None:
        return None
    if widget == "object":
        rows = _summary_rows(_children(spec), _as_dict(value))
        return SummaryRow(label=spec.label, rows=rows) if rows else None
    if widget == "address":
        parts = {child.name: child for child in _children(spec)}
        nested = _as_dict(value)
        ward = _choice_label(parts["ward_code"], nested["ward_code"]) if "ward_code" in nested else ""
        text = ", ".join(str(p) for p in (nested.get("line"), ward) if p)
        return SummaryRow(label=spec.label, text=text)
    if widget == "group":
        children = _children(spec)
        item_label = _item_label(spec)
        entries = value if isinstance(value, list) else []
        rows = [
            SummaryRow(label=f"{item_label} {n}", rows=_summary_rows(children, _as_dict(row)))
            for n, row in enumerate(entries, start=1)
        ]
        return SummaryRow(label=spec.label, rows=rows) if rows else None
    if widget == "checkbox":
        return SummaryRow(label=spec.label, text=gettext("Có") if value is True else gettext("Không"))
    if widget == "select":
        return SummaryRow(label=spec.label, text=_choice_label(spec, value))
    if widget == "money" and isinstance(value, int):
        return SummaryRow(label=spec.label, text=gettext("%(amount)s đồng") % {"amount": format_money(value)})
    return SummaryRow(label=spec.label, text=_display(widget, value))


def _summary_rows(specs: Iterable[_Spec], document: Mapping[str, Any]) -> list[SummaryRow]:
    rows = (_summary_row(spec, document.get(spec.name)) for spec in specs)
    return [row for row in rows if row is not None]


def summary_rows(*, case: ProcedureCase, data: Mapping[str, Any]) -> list[SummaryRow]:
    """What the applicant entered, labelled as on the form, for a "check your answers" list."""
    return _summary_rows(_root_specs(case), data)
