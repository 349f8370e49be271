"""Form schemas of procedure cases: JSON Schema draft 2020-12 plus presentation hints (``form_ui``).

``form_ui`` = {"order": [field, ...], "fields": {field: {"label": str, "help": str, "widget": str,
"codelist": str, "prefill": str}}}. Widgets: text, textarea, date, select, address, cccd, phone, email, money,
number, checkbox, group (an array of objects: repeated group).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

WIDGETS = frozenset(
    {"text", "textarea", "date", "select", "address", "cccd", "phone", "email", "money", "number", "checkbox", "group"}
)
PREFILL_SOURCES = frozenset(
    {
        "profile.full_name", "profile.cccd", "profile.date_of_birth", "profile.phone", "profile.email",
        "profile.address_line", "profile.ward_code", "profile.tax_code", "profile.organization_name",
    }
)  # fmt: skip


@dataclass(frozen=True)
class SchemaProblem(Exception):
    """A form schema that cannot be used; ``pointer`` is a JSON pointer into the document at fault."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


def _pointer(parts: Any) -> str:
    return "".join(f"/{str(p).replace('~', '~0').replace('/', '~1')}" for p in parts)


def check_form_schema(schema: Any, ui: Any = None) -> None:
    """Raise SchemaProblem (with a JSON pointer and a message in the request's language) unless ``schema`` is a
    usable draft 2020-12 object schema."""
    if not isinstance(schema, dict):
        raise SchemaProblem("", gettext("Biểu mẫu phải là một đối tượng JSON Schema."))
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        raise SchemaProblem(
            _pointer(exc.absolute_path), gettext("JSON Schema không hợp lệ: %(problem)s") % {"problem": exc.message}
        ) from None
    if schema.get("type") != "object":
        raise SchemaProblem("/type", gettext('Biểu mẫu phải có "type": "object".'))
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in properties:
            raise SchemaProblem(
                "/required", gettext("Trường bắt buộc «%(name)s» không có trong properties.") % {"name": name}
            )
    if ui is None:
        return
    if not isinstance(ui, dict):
        raise SchemaProblem("", gettext("Phần hiển thị (form_ui) phải là một đối tượng JSON."))
    for index, name in enumerate(ui.get("order", [])):
        if name not in properties:
            raise SchemaProblem(
                f"/order/{index}", gettext("Trường «%(name)s» không có trong biểu mẫu.") % {"name": name}
            )
    for name, hints in (ui.get("fields") or {}).items():
        base = f"/fields/{name}"
        if name not in properties:
            raise SchemaProblem(base, gettext("Trường «%(name)s» không có trong biểu mẫu.") % {"name": name})
        widget = hints.get("widget", "text")
        if widget not in WIDGETS:
            raise SchemaProblem(
                f"{base}/widget", gettext("Kiểu hiển thị «%(widget)s» không được hỗ trợ.") % {"widget": widget}
            )
        prefill = hints.get("prefill")
        if prefill is not None and prefill not in PREFILL_SOURCES:
            raise SchemaProblem(
                f"{base}/prefill", gettext("Nguồn điền sẵn «%(prefill)s» không được hỗ trợ.") % {"prefill": prefill}
            )


def pin_property_order(schema: Any, ui: Any) -> dict[str, Any]:
    """Return ``ui`` with an explicit ``order`` list at every level that has properties.

    PostgreSQL stores JSON as jsonb, which does not keep object key order; the order in which the author wrote the
    properties must therefore be saved as arrays before the schema goes into the database.
    """
    hints: dict[str, Any] = dict(ui) if isinstance(ui, dict) else {}
    if not isinstance(schema, dict):
        return hints
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return hints
    written = [n for n in hints.get("order", []) if n in properties] if isinstance(hints.get("order"), list) else []
    hints["order"] = [*written, *(n for n in properties if n not in written)]
    fields = dict(hints.get("fields") or {})
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        field_hints = dict(fields.get(name) or {})
        if prop.get("type") == "object":
            field_hints = pin_property_order(prop, field_hints)
        elif prop.get("type") == "array" and isinstance(prop.get("items"), dict):
            if isinstance(field_hints.get("item"), dict):
                field_hints["item"] = pin_property_order(prop["items"], field_hints["item"])
            else:
                field_hints = pin_property_order(prop["items"], field_hints)
        else:
            continue
        fields[name] = field_hints
    if fields:
        hints["fields"] = fields
    return hints
