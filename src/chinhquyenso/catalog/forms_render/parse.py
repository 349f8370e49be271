"""``parse_submission``: the POSTed form back into the JSON document the schema describes."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.http import QueryDict

from chinhquyenso.accounts.validators import normalize_phone
from chinhquyenso.catalog.forms_render.money import _GROUPED_DOTS, _INTEGER, _SPACES, parse_money
from chinhquyenso.catalog.forms_render.spec import (
    _DECIMAL,
    _DMY,
    _MAX_GROUP_ROWS,
    _TRUE,
    MISSING,
    Path,
    _children,
    _choice_value,
    _name,
    _one_of_consts,
    _root_specs,
    _schema_type,
    _Spec,
)
from chinhquyenso.catalog.models import ProcedureCase


def _parse_date(text: str) -> str:
    """'27/3/1990' → '1990-03-27'. Anything that is not a real day comes back unchanged for validation to report."""
    match = _DMY.fullmatch(text)
    if match is None:
        return text
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text


def _parse_number(text: str, kind: str | None) -> Any:
    cleaned = _SPACES.sub("", text)
    if _INTEGER.fullmatch(cleaned):
        return int(cleaned)
    if _GROUPED_DOTS.fullmatch(cleaned):  # Vietnamese thousands: 1.250 is one thousand two hundred fifty
        return int(cleaned.replace(".", ""))
    if kind == "number" and _DECIMAL.fullmatch(cleaned):  # decimal comma (2,5) or point (2.5)
        return float(cleaned.replace(",", "."))
    return text


def _parse_choice(spec: _Spec, text: str) -> Any:
    enum = spec.schema.get("enum")
    options = enum if isinstance(enum, list) else [v for v, _ in _one_of_consts(spec.schema) or []]
    for option in options:
        if _choice_value(option) == text:
            return option
    kind = _schema_type(spec.schema)
    if kind in {"integer", "number"}:
        return _parse_number(text, kind)
    return text


def _parse(spec: _Spec, path: Path, post: QueryDict) -> Any:
    widget = spec.widget
    if widget in {"address", "object"}:
        nested = {}
        for child in _children(spec):
            value = _parse(child, (*path, child.name), post)
            if value is not MISSING:
                nested[child.name] = value
        return nested or MISSING
    if widget == "group":
        row_key = re.compile(re.escape(f"{_name(path)}.") + r"(\d{1,6})\.")
        indices = sorted({int(m.group(1)) for key in post if (m := row_key.match(str(key)))})[:_MAX_GROUP_ROWS]
        rows = []
        for index in indices:
            row = {}
            for child in _children(spec):
                value = _parse(child, (*path, index, child.name), post)
                if value is not MISSING:
                    row[child.name] = value
            if row:
                rows.append(row)
        return rows or MISSING
    raw = post.get(_name(path))
    text = raw.replace("\r\n", "\n").strip() if isinstance(raw, str) else ""
    if widget == "checkbox":  # unticked is omitted, so a required checkbox (a pledge) must be ticked
        return True if text.lower() in _TRUE else MISSING
    if not text:
        return MISSING
    kind = _schema_type(spec.schema)
    if widget == "cccd":
        return _SPACES.sub("", text)
    if widget == "phone":
        return normalize_phone(text)
    if widget == "date":
        return _parse_date(text)
    if widget == "money":
        amount = parse_money(text)
        return text if amount is None else amount
    if widget == "select":
        return _parse_choice(spec, text)
    if widget == "number" or kind in {"integer", "number"}:
        return _parse_number(text, kind)
    return text


def parse_submission(*, case: ProcedureCase, post: QueryDict) -> dict[str, Any]:
    """The JSON document a flat POST stands for: typed values, empty inputs omitted, garbage kept as typed.

    Never raises: whatever cannot be understood stays a string so that validation names the field at fault.
    """
    document: dict[str, Any] = {}
    for spec in _root_specs(case):
        value = _parse(spec, (spec.name,), post)
        if value is not MISSING:
            document[spec.name] = value
    return document
