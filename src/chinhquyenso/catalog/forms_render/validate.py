"""``validate_submission``: the document checked against the schema, with messages in Vietnamese."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaValidationError
from jsonschema.exceptions import best_match

from chinhquyenso.catalog.forms_render.money import format_money
from chinhquyenso.catalog.forms_render.spec import (
    _RANK,
    Path,
    _as_dict,
    _children,
    _choice_value,
    _choices,
    _display,
    _in_sentence,
    _item_label,
    _name,
    _real_date,
    _root_specs,
    _schema_type,
    _Spec,
    _spec_at,
)
from chinhquyenso.catalog.models import ProcedureCase


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
