"""Reading a case's JSON Schema and ``form_ui`` hints into field specs; shared constants and paths."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.translation import gettext

from chinhquyenso.catalog.codelists import codelist_choices
from chinhquyenso.catalog.forms_render.money import format_money
from chinhquyenso.catalog.models import ProcedureCase
from chinhquyenso.catalog.schema import PREFILL_SOURCES, WIDGETS

PathPart = str | int
Path = tuple[PathPart, ...]

CCCD_PATTERN = r"^\d{12}$"
_MAX_GROUP_ROWS = 200  # rows read back from one POST: enough for any real dossier, bounded for garbage
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_DMY = re.compile(r"(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4})", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
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


# --- display values


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


def _in_sentence(label: str) -> str:
    """'Họ và tên của trẻ' → 'họ và tên của trẻ'; acronyms such as 'CCCD của mẹ' keep their capitals."""
    label = label.rstrip(" :.")
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label
