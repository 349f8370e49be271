from __future__ import annotations

from typing import Any

import pytest

from chinhquyenso.catalog.schema import SchemaProblem, check_form_schema

BASE: dict[str, Any] = {"type": "object", "properties": {"ho_ten": {"type": "string"}}, "required": ["ho_ten"]}


@pytest.mark.parametrize(
    ("schema", "ui", "pointer"),
    [
        ({"type": "object", "properties": {"a": {"type": "strin"}}}, None, "/properties/a/type"),
        ({"type": "object", "properties": {"a": {"minLength": -1}}}, None, "/properties/a/minLength"),
        ({"type": "array"}, None, "/type"),
        ({**BASE, "required": ["ho_ten", "ngay_sinh"]}, None, "/required"),
        (BASE, {"order": ["ho_ten", "khong_co"]}, "/order/1"),
        (BASE, {"fields": {"ho_ten": {"widget": "slider"}}}, "/fields/ho_ten/widget"),
        (BASE, {"fields": {"ho_ten": {"prefill": "profile.password"}}}, "/fields/ho_ten/prefill"),
    ],
)
def test_an_invalid_schema_is_refused_with_the_json_pointer_of_the_problem(
    schema: dict[str, Any], ui: dict[str, Any] | None, pointer: str
) -> None:
    with pytest.raises(SchemaProblem) as caught:
        check_form_schema(schema, ui)

    assert caught.value.pointer == pointer


def test_a_valid_schema_with_hints_passes() -> None:
    check_form_schema(BASE, {"order": ["ho_ten"], "fields": {"ho_ten": {"label": "Họ và tên", "widget": "text"}}})


def test_the_authors_property_order_is_pinned_as_arrays_at_every_level() -> None:
    from chinhquyenso.catalog.schema import pin_property_order

    schema = {
        "type": "object",
        "properties": {
            "z_name": {"type": "string"},
            "a_mother": {"type": "object", "properties": {"z": {"type": "string"}, "a": {"type": "string"}}},
            "m_witnesses": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"full_name": {"type": "string"}, "cccd": {"type": "string"}},
                },
            },
        },
    }

    ui = pin_property_order(schema, {"fields": {"m_witnesses": {"item": {}}}})

    assert ui["order"] == ["z_name", "a_mother", "m_witnesses"]
    assert ui["fields"]["a_mother"]["order"] == ["z", "a"]
    assert ui["fields"]["m_witnesses"]["item"]["order"] == ["full_name", "cccd"]
