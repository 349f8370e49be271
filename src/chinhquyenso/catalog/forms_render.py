"""A procedure case's form: rendered from its JSON Schema (draft 2020-12) and ``form_ui`` hints, and checked on return.

Besides the hints documented in ``catalog/schema.py``, a field's hints may carry ``enumLabels`` ({value: label}, or
a list parallel to ``enum``), ``patternMessage`` (the error shown when ``pattern`` fails), ``itemLabel`` (what one
entry of a repeated group is called, e.g. "Người làm chứng"), ``radios`` (true: a select's few options as radio
buttons) and ``autocomplete`` (overrides the token derived from ``prefill``). An ``address``, a ``group`` or a
nested object takes ``fields`` and ``order`` for its own properties, in the same shape as the top level.
A group's entry hints may also sit under ``item`` (as the demo form library writes them).
A field without a ``widget`` hint gets one from its schema (``format: date`` → date, ``enum`` → select...).

Paths: ``children.0.name`` is both the data path and the HTML ``name``; the element id is ``f-children__0__name``.
Dates travel as ISO ``YYYY-MM-DD`` in data and as ``dd/mm/yyyy`` on screen; money is an integer number of đồng,
shown with dots between thousands (1.250.000).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaValidationError
from jsonschema.exceptions import best_match

from chinhquyenso.accounts.models import User
from chinhquyenso.accounts.validators import normalize_phone
from chinhquyenso.catalog.codelists import codelist_choices
from chinhquyenso.catalog.models import ProcedureCase
from chinhquyenso.catalog.schema import PREFILL_SOURCES, WIDGETS

PathPart = str | int
Path = tuple[PathPart, ...]

CCCD_PATTERN = r"^\d{12}$"
_MAX_GROUP_ROWS = 200  # rows read back from one POST: enough for any real dossier, bounded for garbage
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_DMY = re.compile(r"(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4})", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_MONEY_SUFFIX = re.compile(r"\s*(đồng|vnđ|vnd|đ)\s*$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_INTEGER = re.compile(r"-?\d{1,18}", re.ASCII)
_GROUPED_DOTS = re.compile(r"-?\d{1,3}(\.\d{3}){1,6}", re.ASCII)
_GROUPED_COMMAS = re.compile(r"\d{1,3}(,\d{3}){1,6}", re.ASCII)
_DECIMAL = re.compile(r"-?\d{1,15}[.,]\d{1,10}", re.ASCII)
_TRUE = frozenset({"true", "on", "1", "yes"})
_AUTOCOMPLETE = {
    "profile.full_name": "name",
    "profile.date_of_birth": "bday",
    "profile.phone": "tel",
    "profile.email": "email",
    "profile.address_line": "street-address",
    "profile.organization_name": "organization",
}
# When several checks fail on one field, the applicant sees the most basic one first.
_RANK = {"required": 0, "type": 1, "format": 2, "enum": 2, "const": 2, "pattern": 3, "minLength": 3, "maxLength": 3}


class _Missing:
    """Marks a value the applicant left empty: it is omitted from the document, never stored as ''."""


MISSING = _Missing()


# --- money -----------------------------------------------------------------------------------------------------


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


# --- what the template receives --------------------------------------------------------------------------------


@dataclasses.dataclass
class Choice:
    value: str
    label: str
    selected: bool = False
    id: str = ""  # only for radios: the first one carries the field's id, so error links land on it


@dataclasses.dataclass
class GroupItem:
    """One entry of a repeated group; ``is_extra`` is the blank row offered for one more entry."""

    index: int
    label: str
    name_prefix: str
    id_prefix: str
    fields: list[FieldView]
    is_extra: bool = False


@dataclasses.dataclass
class FieldView:
    path: str
    id: str
    name: str
    label: str
    hint: str
    widget: str
    required: bool
    value: str = ""
    checked: bool = False
    choices: list[Choice] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)
    children: list[FieldView] = dataclasses.field(default_factory=list)  # address parts, nested object properties
    items: list[GroupItem] = dataclasses.field(default_factory=list)  # repeated group entries
    item_label: str = ""
    max_items: int | None = None
    input_type: str = "text"
    inputmode: str = ""
    autocomplete: str = ""
    spellcheck: bool = True
    radios: bool = False
    context: str = ""  # the enclosing group entry or fieldset, to make error summary lines unambiguous

    @property
    def hint_id(self) -> str:
        return f"{self.id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.id}-error"

    @property
    def describedby(self) -> str:
        ids = [self.hint_id] if self.hint else []
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def item_in_sentence(self) -> str:
        return _in_sentence(self.item_label)

    @property
    def is_fieldset(self) -> bool:
        return self.widget in {"address", "object", "group"} or self.radios

    @property
    def anchor(self) -> str:
        """The id of the first control, where an error summary link should take the applicant."""
        if self.children:
            return self.children[0].anchor
        if self.items and self.items[0].fields:
            return self.items[0].fields[0].anchor
        return self.id


@dataclasses.dataclass
class ErrorLink:
    href: str
    text: str


@dataclasses.dataclass
class SummaryRow:
    label: str
    text: str = ""
    rows: list[SummaryRow] = dataclasses.field(default_factory=list)


# --- reading the schema and hints ------------------------------------------------------------------------------


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _schema_type(schema: Mapping[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    return kind if isinstance(kind, str) else None


def _infer_widget(schema: Mapping[str, Any], hint: Mapping[str, Any]) -> str:
    kind = _schema_type(schema)
    if kind == "array" and _schema_type(_as_dict(schema.get("items"))) == "object":
        return "group"
    if kind == "object":
        return "address" if "ward_code" in _as_dict(schema.get("properties")) else "object"
    if kind == "boolean":
        return "checkbox"
    if "enum" in schema or "codelist" in hint or _one_of_consts(schema) is not None:
        return "select"
    if schema.get("format") in {"date", "email"}:
        return str(schema["format"])
    if schema.get("pattern") == CCCD_PATTERN:
        return "cccd"
    if kind in {"integer", "number"}:
        return "number"
    return "text"


def _one_of_consts(schema: Mapping[str, Any]) -> list[tuple[Any, str]] | None:
    options = schema.get("oneOf")
    if not isinstance(options, list) or not options:
        return None
    if not all(isinstance(o, dict) and "const" in o for o in options):
        return None
    return [(o["const"], str(o.get("title") or o["const"])) for o in options]


@dataclasses.dataclass(frozen=True)
class _Spec:
    name: str
    schema: dict[str, Any]
    hint: dict[str, Any]
    required: bool

    @property
    def widget(self) -> str:
        widget = self.hint.get("widget")
        if isinstance(widget, str) and widget in WIDGETS:
            return widget
        return _infer_widget(self.schema, self.hint)

    @property
    def label(self) -> str:
        for candidate in (self.hint.get("label"), self.schema.get("title"), self.hint.get("_default_label")):
            if isinstance(candidate, str) and candidate.strip():
                return candidate.strip()
        return self.name

    @property
    def hint_text(self) -> str:
        for candidate in (self.hint.get("help"), self.schema.get("description")):
            if isinstance(candidate, str) and candidate.strip():
                return candidate.strip()
        return _default_hint(self.widget)

    @property
    def prefill(self) -> str | None:
        source = self.hint.get("prefill")
        return source if isinstance(source, str) and source in PREFILL_SOURCES else None


def _default_hint(widget: str) -> str:
    if widget == "date":
        return gettext("Ví dụ: 27/03/1990")
    if widget == "money":
        return gettext("Số tiền bằng đồng, ví dụ: 1.250.000")
    if widget == "cccd":
        return gettext("Gồm 12 chữ số in trên thẻ căn cước.")
    if widget == "phone":
        return gettext("Ví dụ: 0912 345 678")
    return ""


def _address_defaults() -> dict[str, dict[str, Any]]:
    return {
        "ward_code": {"widget": "select", "codelist": "ward", "_default_label": gettext("Xã, phường, đặc khu")},
        "line": {"_default_label": gettext("Số nhà, đường, thôn, tổ dân phố")},
    }


def _specs(
    schema: Mapping[str, Any], ui: Mapping[str, Any], defaults: Mapping[str, dict[str, Any]] | None = None
) -> list[_Spec]:
    properties = _as_dict(schema.get("properties"))
    required_list = schema.get("required")
    required = {n for n in required_list if isinstance(n, str)} if isinstance(required_list, list) else set()
    order_list = ui.get("order")
    order = list(dict.fromkeys(n for n in order_list if n in properties)) if isinstance(order_list, list) else []
    hints = _as_dict(ui.get("fields"))
    defaults = defaults or {}
    return [
        _Spec(
            name=name,
            schema=_as_dict(properties[name]),
            hint={**defaults.get(name, {}), **_as_dict(hints.get(name))},
            required=name in required,
        )
        for name in [*order, *(n for n in properties if n not in order)]
    ]


def _root_specs(case: ProcedureCase) -> list[_Spec]:
    return _specs(_as_dict(case.form_schema), _as_dict(case.form_ui))


def _children(spec: _Spec) -> list[_Spec]:
    widget = spec.widget
    if widget == "address":
        return _specs(spec.schema, spec.hint, defaults=_address_defaults())
    if widget == "object":
        return _specs(spec.schema, spec.hint)
    if widget == "group":
        item_ui = spec.hint.get("item")  # the demo form library nests the entry's hints under "item"
        return _specs(_as_dict(spec.schema.get("items")), item_ui if isinstance(item_ui, dict) else spec.hint)
    return []


def _item_label(spec: _Spec) -> str:
    """What one entry of a repeated group is called: "Người làm chứng" for a group of witnesses."""
    for candidate in (spec.hint.get("itemLabel"), _as_dict(spec.schema.get("items")).get("title")):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return spec.label


def _choice_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _choices(spec: _Spec) -> list[tuple[str, str]]:
    enum_list = spec.schema.get("enum")
    labelled = _one_of_consts(spec.schema)
    enum: list[Any] | None = enum_list if isinstance(enum_list, list) else None
    if enum is None and labelled is not None:
        enum = [value for value, _ in labelled]
    codelist = spec.hint.get("codelist")
    if isinstance(codelist, str):
        pairs = codelist_choices(codelist)
        if enum is not None:
            allowed = {_choice_value(v) for v in enum}
            pairs = [pair for pair in pairs if pair[0] in allowed]
        return pairs
    if enum is None:
        return []
    labels = spec.hint.get("enumLabels")
    titles = {_choice_value(value): title for value, title in labelled or []}
    pairs = []
    for position, value in enumerate(enum):
        key = _choice_value(value)
        label: Any = None
        if isinstance(labels, dict):
            label = labels.get(key)
        elif isinstance(labels, list) and position < len(labels):
            label = labels[position]
        pairs.append((key, str(label or titles.get(key) or key)))
    return pairs


def _choice_label(spec: _Spec, value: Any) -> str:
    key = _choice_value(value)
    return next((label for v, label in _choices(spec) if v == key), key)


def _spec_at(specs: list[_Spec], path: Path) -> _Spec | None:
    spec: _Spec | None = None
    for part in path:
        if isinstance(part, int):
            if spec is None or spec.widget != "group":
                return None
            continue
        spec = next((s for s in specs if s.name == part), None)
        if spec is None:
            return None
        specs = _children(spec)
    return spec


def _name(path: Path) -> str:
    return ".".join(str(part) for part in path)


def _id(path: Path) -> str:
    return "f-" + "__".join(_ID_UNSAFE.sub("-", str(part)) for part in path)


def _join_context(outer: str, inner: str) -> str:
    return f"{outer} – {inner}" if outer else inner


# --- display values --------------------------------------------------------------------------------------------


def _real_date(text: str) -> date | None:
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _display(widget: str, value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if widget == "date" and isinstance(value, str):
        day = _real_date(value)
        return day.strftime("%d/%m/%Y") if day else value
    if widget == "money" and isinstance(value, int):
        return format_money(value)
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else repr(value)).replace(".", ",")
    return str(value)


# --- build_form ------------------------------------------------------------------------------------------------


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


# --- parse_submission ------------------------------------------------------------------------------------------


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


# --- validate_submission ---------------------------------------------------------------------------------------


def _in_sentence(label: str) -> str:
    """'Họ và tên của trẻ' → 'họ và tên của trẻ'; acronyms such as 'CCCD của mẹ' keep their capitals."""
    label = label.rstrip(" :.")
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _number_text(value: Any, widget: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return format_money(value)
    return _display(widget, value)


def _required_message(spec: _Spec | None) -> str:
    if spec is None:
        return gettext("Vui lòng nhập thông tin còn thiếu.")
    label = _in_sentence(spec.label)
    if spec.widget == "select":
        return gettext("Vui lòng chọn %(label)s.") % {"label": label}
    if spec.widget == "checkbox":
        return gettext("Vui lòng đánh dấu ô «%(label)s».") % {"label": spec.label.rstrip(" :.")}
    if spec.widget == "group":
        return gettext("Vui lòng nhập ít nhất một %(item)s.") % {"item": _in_sentence(_item_label(spec))}
    return gettext("Vui lòng nhập %(label)s.") % {"label": label}


def _enum_message() -> str:
    return gettext("Hãy chọn một giá trị trong danh sách.")


def _date_message(label: str) -> str:
    return gettext("%(label)s phải là một ngày có thật, dạng ngày/tháng/năm, ví dụ 27/03/1990.") % {"label": label}


def _message(spec: _Spec, error: SchemaValidationError) -> str:
    label = spec.label.rstrip(" :.")
    widget = spec.widget
    keyword = error.validator
    limit = error.validator_value
    money = widget == "money"
    unit = _in_sentence(_item_label(spec)) if widget == "group" else gettext("mục")
    if keyword == "type":
        if widget in {"select", "address"}:
            return _enum_message()
        if widget == "date":
            return _date_message(label)
        if money:
            return gettext("%(label)s chỉ gồm chữ số, có thể có dấu chấm giữa các hàng nghìn, ví dụ 1.250.000.") % {
                "label": label
            }
        if _schema_type(spec.schema) == "integer":
            return gettext("%(label)s phải là một số nguyên, ví dụ 12.") % {"label": label}
        if _schema_type(spec.schema) == "number":
            return gettext("%(label)s phải là một số, ví dụ 12 hoặc 2,5.") % {"label": label}
        return gettext("%(label)s không hợp lệ.") % {"label": label}
    if keyword in {"enum", "const"}:
        if widget == "checkbox":
            return _required_message(spec)
        return _enum_message()
    if keyword == "format":
        if limit == "date" or widget == "date":
            return _date_message(label)
        if limit == "email":
            return gettext("%(label)s phải là một địa chỉ thư điện tử, ví dụ ten@example.vn.") % {"label": label}
        return gettext("%(label)s không đúng định dạng.") % {"label": label}
    if keyword in {"pattern", "minLength", "maxLength"}:
        custom = spec.hint.get("patternMessage")
        if keyword == "pattern" and isinstance(custom, str) and custom.strip():
            return custom.strip()
        if widget == "cccd":
            return gettext("%(label)s phải gồm đúng 12 chữ số.") % {"label": label}
        if widget == "phone":
            return gettext(
                "%(label)s phải gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (có thể viết +84 thay cho số 0)."
            ) % {"label": label}
        if keyword == "minLength":
            return gettext("%(label)s phải có ít nhất %(limit)s ký tự.") % {"label": label, "limit": limit}
        if keyword == "maxLength":
            return gettext("%(label)s không được dài quá %(limit)s ký tự.") % {"label": label, "limit": limit}
        return gettext("%(label)s không đúng định dạng.") % {"label": label}
    if keyword in {"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"}:
        values = {"label": label, "limit": _number_text(limit, widget)}
        messages = {
            ("minimum", True): gettext("%(label)s phải từ %(limit)s đồng trở lên."),
            ("minimum", False): gettext("%(label)s phải từ %(limit)s trở lên."),
            ("exclusiveMinimum", True): gettext("%(label)s phải lớn hơn %(limit)s đồng."),
            ("exclusiveMinimum", False): gettext("%(label)s phải lớn hơn %(limit)s."),
            ("maximum", True): gettext("%(label)s không được vượt quá %(limit)s đồng."),
            ("maximum", False): gettext("%(label)s không được lớn hơn %(limit)s."),
            ("exclusiveMaximum", True): gettext("%(label)s phải nhỏ hơn %(limit)s đồng."),
            ("exclusiveMaximum", False): gettext("%(label)s phải nhỏ hơn %(limit)s."),
        }
        return messages[(str(keyword), money)] % values
    if keyword == "multipleOf":
        return gettext("%(label)s phải là bội số của %(limit)s.") % {
            "label": label,
            "limit": _number_text(limit, widget),
        }
    if keyword == "minItems":
        return gettext("Vui lòng nhập ít nhất %(limit)s %(unit)s.") % {"limit": limit, "unit": unit}
    if keyword == "maxItems":
        return gettext("Chỉ được nhập tối đa %(limit)s %(unit)s.") % {"limit": limit, "unit": unit}
    if keyword == "uniqueItems":
        return gettext("%(label)s có hai mục giống nhau; hãy bỏ bớt một mục.") % {"label": label}
    return gettext("%(label)s không hợp lệ.") % {"label": label}


def _describe(specs: list[_Spec], error: SchemaValidationError) -> list[tuple[Path, str, int]]:
    """(field path, Vietnamese message, rank) for one jsonschema error."""
    path: Path = tuple(error.absolute_path)
    keyword = str(error.validator)
    if keyword in {"anyOf", "oneOf"} and error.context:
        return _describe(specs, best_match(error.context))
    if keyword in {"required", "dependentRequired"}:
        instance = error.instance if isinstance(error.instance, dict) else {}
        wanted: list[Any] = []
        if keyword == "required" and isinstance(error.validator_value, list):
            wanted = error.validator_value
        elif isinstance(error.validator_value, dict):
            wanted = [d for p, deps in error.validator_value.items() if p in instance for d in deps]
        missing = [name for name in wanted if isinstance(name, str) and name not in instance]
        return [((*path, name), _required_message(_spec_at(specs, (*path, name))), 0) for name in missing]
    if keyword in {"additionalProperties", "unevaluatedProperties"} and isinstance(error.instance, dict):
        known = _as_dict(error.schema.get("properties")) if isinstance(error.schema, dict) else {}
        extra = ", ".join(sorted(str(name) for name in error.instance if name not in known))
        return [(path, gettext("Có thông tin không thuộc biểu mẫu: %(names)s.") % {"names": extra}, 5)]
    spec = _spec_at(specs, path)
    if spec is None:
        return [(path, gettext("Biểu mẫu có thông tin không hợp lệ."), 9)]
    return [(path, _message(spec, error), _RANK.get(keyword, 5))]


def _extra_checks(specs: list[_Spec], document: Any, path: Path, found: dict[str, tuple[int, str]]) -> None:
    """What JSON Schema cannot know: a date widget holds a real day; a code list value is on its list."""
    values = _as_dict(document)
    for spec in specs:
        value = values.get(spec.name)
        here = (*path, spec.name)
        key = _name(here)
        widget = spec.widget
        if value is None or key in found:
            continue
        if widget in {"address", "object"}:
            _extra_checks(_children(spec), value, here, found)
        elif widget == "group" and isinstance(value, list):
            for index, row in enumerate(value):
                _extra_checks(_children(spec), row, (*here, index), found)
        elif widget == "date" and not (isinstance(value, str) and _real_date(value)):
            found[key] = (2, _date_message(spec.label.rstrip(" :.")))
        elif (
            widget == "select"
            and isinstance(spec.hint.get("codelist"), str)
            and _choice_value(value) not in {v for v, _ in _choices(spec)}
        ):
            found[key] = (2, _enum_message())


def validate_submission(*, case: ProcedureCase, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Errors by field path ('' for the form as a whole), one precise Vietnamese message per field; {} when valid."""
    schema = _as_dict(case.form_schema)
    specs = _root_specs(case)
    found: dict[str, tuple[int, str]] = {}
    if schema:
        validator = Draft202012Validator(schema, format_checker=FormatChecker())
        for error in validator.iter_errors(data):
            for path, message, rank in _describe(specs, error):
                key = _name(path)
                if key not in found or rank < found[key][0]:
                    found[key] = (rank, message)
    _extra_checks(specs, data, (), found)
    return {key: [message] for key, (_, message) in found.items()}


# --- the entered values, for a summary page --------------------------------------------------------------------


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
