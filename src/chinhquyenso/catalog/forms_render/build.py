"""``build_form``: the field views of a case's form, filled from data, errors or the applicant's profile."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from chinhquyenso.accounts.models import User
from chinhquyenso.catalog.forms_render.fields import Choice, ErrorLink, FieldView, GroupItem
from chinhquyenso.catalog.forms_render.spec import (
    _AUTOCOMPLETE,
    Path,
    _as_dict,
    _children,
    _choices,
    _display,
    _id,
    _item_label,
    _join_context,
    _name,
    _root_specs,
    _schema_type,
    _Spec,
)
from chinhquyenso.catalog.models import ProcedureCase


def _prefill(specs: Iterable[_Spec], profile: User) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for spec in specs:
        value = _prefill_value(spec, profile)
        if value is not None:
            document[spec.name] = value
    return document


def _profile_value(profile: User, source: str) -> Any:
    value = getattr(profile, source.removeprefix("profile."), None)
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, date) else value


def _prefill_value(spec: _Spec, profile: User) -> Any:
    widget = spec.widget
    if widget in {"address", "object"}:
        nested = _prefill(_children(spec), profile)
        if widget == "address" and spec.prefill is not None:
            for part, source in (("ward_code", "profile.ward_code"), ("line", "profile.address_line")):
                value = _profile_value(profile, source)
                if value is not None:
                    nested.setdefault(part, value)
        return nested or None
    if widget == "group" or spec.prefill is None:
        return None
    return _profile_value(profile, spec.prefill)


def _field_view(
    spec: _Spec, path: Path, value: Any, errors: Mapping[str, list[str]], context: str, views: dict[str, FieldView]
) -> FieldView:
    widget = spec.widget
    name = _name(path)
    view = FieldView(
        path=name,
        id=_id(path),
        name=name,
        label=spec.label,
        hint=spec.hint_text,
        widget=widget,
        required=spec.required,
        errors=list(errors.get(name, [])),
        context=context,
    )
    views[name] = view
    if widget in {"address", "object"}:
        nested = _as_dict(value)
        inner = _join_context(context, spec.label)
        view.children = [
            _field_view(child, (*path, child.name), nested.get(child.name), errors, inner, views)
            for child in _children(spec)
        ]
        return view
    if widget == "group":
        _fill_group(view, spec, path, value, errors, context, views)
        return view
    view.value = _display(widget, value)
    view.checked = value is True
    autocomplete = spec.hint.get("autocomplete")
    view.autocomplete = autocomplete if isinstance(autocomplete, str) else _AUTOCOMPLETE.get(spec.prefill or "", "")
    if widget == "select":
        view.radios = spec.hint.get("radios") is True
        view.choices = [
            Choice(value=v, label=label, selected=v == view.value, id=view.id if n == 0 else f"{view.id}-{n + 1}")
            for n, (v, label) in enumerate(_choices(spec))
        ]
    elif widget in {"cccd", "money"}:
        view.inputmode, view.spellcheck = "numeric", False
    elif widget == "number":
        view.inputmode = "decimal" if _schema_type(spec.schema) == "number" else "numeric"
    elif widget == "phone":
        view.input_type, view.spellcheck = "tel", False
    elif widget == "email":
        view.input_type, view.spellcheck = "email", False
    return view


def _fill_group(
    view: FieldView,
    spec: _Spec,
    path: Path,
    value: Any,
    errors: Mapping[str, list[str]],
    context: str,
    views: dict[str, FieldView],
) -> None:
    rows = [_as_dict(row) for row in value] if isinstance(value, list) else []
    min_items = spec.schema.get("minItems")
    max_items = spec.schema.get("maxItems")
    view.max_items = max_items if isinstance(max_items, int) else None
    view.item_label = _item_label(spec)
    filled = max(len(rows), min_items if isinstance(min_items, int) else 0)
    # Without JavaScript the only way to add an entry is a blank row, so one is always offered while room remains.
    total = filled + 1 if view.max_items is None or filled < view.max_items else filled
    children = _children(spec)
    for index in range(total):
        row = rows[index] if index < len(rows) else {}
        item_path = (*path, index)
        legend = f"{view.item_label} {index + 1}"
        inner = _join_context(context, legend)
        view.items.append(
            GroupItem(
                index=index,
                label=legend,
                name_prefix=f"{_name(item_path)}.",
                id_prefix=f"{_id(item_path)}__",
                fields=[
                    _field_view(child, (*item_path, child.name), row.get(child.name), errors, inner, views)
                    for child in children
                ],
                is_extra=index >= filled,
            )
        )


def build_form(
    *,
    case: ProcedureCase,
    data: Mapping[str, Any] | None,
    errors: Mapping[str, list[str]] | None,
    profile: User | None,
) -> list[FieldView]:
    """The case's fields, ready for ``catalog/components/schema_form.html``.

    ``data`` None means a fresh form, filled in from the signed-in ``profile`` where a field asks for it;
    otherwise the values shown are exactly the ones in ``data`` (what the applicant sent, garbage included).
    """
    specs = _root_specs(case)
    document: Mapping[str, Any] = {}
    if data is not None:
        document = data
    elif profile is not None:
        document = _prefill(specs, profile)
    errors = errors or {}
    views: dict[str, FieldView] = {}
    fields = [_field_view(spec, (spec.name,), document.get(spec.name), errors, "", views) for spec in specs]
    # An error on a path nobody renders (an entry itself, an unknown property) is shown on the nearest field above it.
    for key, messages in errors.items():
        owner = _nearest_view(views, key)
        if owner is not None and owner.path != key:
            owner.errors.extend(m for m in messages if m not in owner.errors)
    return fields


def _nearest_view(views: Mapping[str, FieldView], key: str) -> FieldView | None:
    parts = key.split(".")
    for depth in range(len(parts), 0, -1):
        view = views.get(".".join(parts[:depth]))
        if view is not None:
            return view
    return None


def error_summary(*, fields: list[FieldView], errors: Mapping[str, list[str]] | None) -> list[ErrorLink]:
    """One link per error, in the order of the form, to the control to fix; form-wide errors link to the top."""
    first = f"#{fields[0].anchor}" if fields else "#main"
    links = [ErrorLink(href=first, text=message) for message in (errors or {}).get("", [])]

    def walk(views: Iterable[FieldView]) -> None:
        for view in views:
            links.extend(
                ErrorLink(href=f"#{view.anchor}", text=f"{view.context}: {m}" if view.context else m)
                for m in view.errors
            )
            walk(view.children)
            for item in view.items:
                walk(item.fields)

    walk(fields)
    return links


def hidden_inputs(fields: Iterable[FieldView]) -> list[tuple[str, str]]:
    """(name, value) pairs that post the same document again, for the "change your answers" button."""
    pairs: list[tuple[str, str]] = []
    for view in fields:
        if view.widget == "checkbox" and view.checked:
            pairs.append((view.name, "true"))
        elif view.widget != "checkbox" and view.value:
            pairs.append((view.name, view.value))
        pairs.extend(hidden_inputs(view.children))
        for item in view.items:
            pairs.extend(hidden_inputs(item.fields))
    return pairs
