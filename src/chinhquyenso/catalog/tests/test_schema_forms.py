"""Case forms from JSON Schema + hints: fields as the applicant sees them, submissions read back and checked."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from chinhquyenso.accounts.tests.factories import UserFactory
from chinhquyenso.catalog.forms_render import (
    build_form,
    error_summary,
    format_money,
    parse_money,
    parse_submission,
    validate_submission,
)
from chinhquyenso.catalog.models import ProcedureCase
from chinhquyenso.catalog.schema import check_form_schema, pin_property_order
from chinhquyenso.catalog.tests.factories import ProcedureCaseFactory, ProcedureVersionFactory

PERSON: dict[str, Any] = {
    "type": "object",
    "properties": {
        "full_name": {"type": "string", "minLength": 1, "maxLength": 100},
        "cccd": {"type": "string", "pattern": r"^\d{12}$"},
    },
}
PERSON_UI: dict[str, Any] = {"fields": {"full_name": {"label": "Họ, chữ đệm, tên"}, "cccd": {"label": "Số CCCD"}}}

BIRTH_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "declarant_name": {"type": "string", "minLength": 1, "maxLength": 100},
        "declarant_date_of_birth": {"type": "string", "format": "date"},
        "declarant_phone": {"type": "string", "pattern": r"^0[35789]\d{8}$"},
        "child_full_name": {"type": "string", "minLength": 1, "maxLength": 100},
        "child_date_of_birth": {"type": "string", "format": "date"},
        "child_gender": {"type": "string", "enum": ["nam", "nu"]},
        "child_ethnicity": {"type": "string", "minLength": 1},
        "place_of_birth": {
            "type": "object",
            "properties": {"ward_code": {"type": "integer"}, "line": {"type": "string", "minLength": 1}},
            "required": ["ward_code", "line"],
        },
        "mother": {**PERSON, "required": ["full_name", "cccd"]},
        "father": {**PERSON, "required": ["full_name"]},
        "fee_paid": {"type": "integer", "minimum": 0, "maximum": 5_000_000},
        "witnesses": {
            "type": "array",
            "minItems": 1,
            "maxItems": 3,
            "items": {
                "type": "object",
                "properties": {**PERSON["properties"], "relationship": {"type": "string"}},
                "required": ["full_name", "cccd"],
            },
        },
        "pledge": {"type": "boolean", "const": True},
    },
    "required": [
        "declarant_name", "child_full_name", "child_date_of_birth", "child_gender", "place_of_birth", "mother",
        "witnesses", "pledge",
    ],
}  # fmt: skip
BIRTH_UI: dict[str, Any] = {
    "order": [
        "declarant_name", "declarant_date_of_birth", "declarant_phone", "child_full_name", "child_date_of_birth",
        "child_gender", "child_ethnicity", "place_of_birth", "mother", "father", "witnesses", "fee_paid", "pledge",
    ],
    "fields": {
        "declarant_name": {"label": "Họ, chữ đệm, tên người đi khai sinh", "prefill": "profile.full_name"},
        "declarant_date_of_birth": {"label": "Ngày sinh người đi khai", "widget": "date", "prefill": "profile.date_of_birth"},
        "declarant_phone": {"label": "Số điện thoại", "widget": "phone", "prefill": "profile.phone"},
        "child_full_name": {"label": "Họ, chữ đệm, tên của trẻ"},
        "child_date_of_birth": {"label": "Ngày sinh của trẻ", "widget": "date"},
        "child_gender": {"label": "Giới tính", "widget": "select", "enumLabels": {"nam": "Nam", "nu": "Nữ"}},
        "child_ethnicity": {"label": "Dân tộc", "widget": "select", "codelist": "ethnicity"},
        "place_of_birth": {"label": "Nơi sinh", "widget": "address"},
        "mother": {"label": "Thông tin người mẹ", **PERSON_UI},
        "father": {"label": "Thông tin người cha", "help": "Để trống nếu chưa xác định được cha.", **PERSON_UI},
        "witnesses": {
            "label": "Người làm chứng",
            "widget": "group",
            "itemLabel": "Người làm chứng",
            "fields": {**PERSON_UI["fields"], "relationship": {"label": "Quan hệ với trẻ", "codelist": "relationship"}},
        },
        "fee_paid": {"label": "Số tiền lệ phí đã nộp", "widget": "money"},
        "pledge": {"label": "Tôi cam đoan những nội dung khai trên đây là đúng sự thật", "widget": "checkbox"},
    },
}  # fmt: skip

# What a browser posts for a complete declaration (the blank extra witness row included).
VALID_POST: dict[str, str] = {
    "declarant_name": "Trần Thị Hoa",
    "declarant_date_of_birth": "",
    "declarant_phone": "+84 903 123 456",
    "child_full_name": "Nguyễn Minh An",
    "child_date_of_birth": "14/2/2026",
    "child_gender": "nu",
    "child_ethnicity": "01",
    "place_of_birth.ward_code": "11407",
    "place_of_birth.line": "Bệnh viện Phụ sản, 19 Lạch Tray",
    "mother.full_name": "Trần Thị Hoa",
    "mother.cccd": "031195004321",
    "father.full_name": "",
    "father.cccd": "",
    "witnesses.0.full_name": "Lê Văn Bình",
    "witnesses.0.cccd": "0311 9000 1234",
    "witnesses.0.relationship": "ong",
    "witnesses.1.full_name": "",
    "witnesses.1.cccd": "",
    "witnesses.1.relationship": "",
    "fee_paid": "1.250.000",
    "pledge": "true",
}
VALID_DATA: dict[str, Any] = {
    "declarant_name": "Trần Thị Hoa",
    "declarant_phone": "0903123456",
    "child_full_name": "Nguyễn Minh An",
    "child_date_of_birth": "2026-02-14",
    "child_gender": "nu",
    "child_ethnicity": "01",
    "place_of_birth": {"ward_code": 11407, "line": "Bệnh viện Phụ sản, 19 Lạch Tray"},
    "mother": {"full_name": "Trần Thị Hoa", "cccd": "031195004321"},
    "witnesses": [{"full_name": "Lê Văn Bình", "cccd": "031190001234", "relationship": "ong"}],
    "fee_paid": 1_250_000,
    "pledge": True,
}


def publish_birth_registration() -> ProcedureCase:
    """A published birth-registration-like procedure whose only case carries the form above."""
    version = ProcedureVersionFactory(
        name="Đăng ký khai sinh",
        case__name="Đăng ký khai sinh đúng hạn",
        case__form_schema=BIRTH_SCHEMA,
        # What the services store: the property order pinned as arrays (jsonb forgets key order on PostgreSQL).
        case__form_ui=pin_property_order(BIRTH_SCHEMA, BIRTH_UI),
    )
    return version.cases.get()


def querydict(values: dict[str, str]) -> QueryDict:
    post = QueryDict(mutable=True)
    for name, value in values.items():
        post[name] = value
    return post


def flatten(fields: list[Any]) -> dict[str, Any]:
    """Every field view by path, nested ones included."""
    found = {view.path: view for view in fields}
    for view in fields:
        found.update(flatten(view.children))
        found.update(flatten([f for item in view.items for f in item.fields]))
    return found


# --- money ------------------------------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=10**12))
def test_money_is_written_with_dots_between_thousands_and_reads_back_to_the_same_amount(amount: int) -> None:
    text = format_money(amount)

    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", text)
    assert parse_money(text) == amount
    assert parse_money(f"{text} đồng") == amount
    assert parse_money(text.replace(".", " ")) == amount
    assert parse_money(str(amount)) == amount


@pytest.mark.parametrize("text", ["", "một triệu", "1.25.000", "-5.000", "1,5", "12abc", "9" * 5000])
def test_anything_that_is_not_an_amount_of_dong_is_refused_without_an_exception(text: str) -> None:
    assert parse_money(text) is None


def test_the_birth_registration_form_is_one_the_catalog_accepts_for_publication() -> None:
    check_form_schema(BIRTH_SCHEMA, BIRTH_UI)


# --- build_form -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_fields_follow_the_ui_order_with_ids_names_labels_and_hints() -> None:
    case = publish_birth_registration()

    fields = build_form(case=case, data=None, errors=None, profile=None)

    assert [f.path for f in fields] == BIRTH_UI["order"]
    views = flatten(fields)
    mother_cccd = views["mother.cccd"]
    assert (mother_cccd.id, mother_cccd.name, mother_cccd.widget) == ("f-mother__cccd", "mother.cccd", "cccd")
    assert (mother_cccd.inputmode, mother_cccd.hint) == ("numeric", "Gồm 12 chữ số in trên thẻ căn cước.")
    assert views["child_date_of_birth"].hint == "Ví dụ: 27/03/1990"
    assert views["father"].hint == "Để trống nếu chưa xác định được cha."
    assert (views["father"].required, views["mother"].required) == (False, True)
    assert [c.label for c in views["child_gender"].choices] == ["Nam", "Nữ"]
    assert ("01", "Kinh") in [(c.value, c.label) for c in views["child_ethnicity"].choices]
    assert ("11407", "Phường An Biên") in [(c.value, c.label) for c in views["place_of_birth.ward_code"].choices]
    assert views["place_of_birth.ward_code"].label == "Xã, phường, đặc khu"


@pytest.mark.django_db
def test_a_repeated_group_shows_its_minimum_entries_plus_one_blank_entry() -> None:
    case = publish_birth_registration()

    group = build_form(case=case, data=None, errors=None, profile=None)[BIRTH_UI["order"].index("witnesses")]

    assert [(item.label, item.is_extra) for item in group.items] == [
        ("Người làm chứng 1", False),
        ("Người làm chứng 2", True),
    ]
    first_name = group.items[0].fields[0]
    assert (first_name.id, first_name.name) == ("f-witnesses__0__full_name", "witnesses.0.full_name")
    assert group.anchor == "f-witnesses__0__full_name"


@pytest.mark.django_db
def test_a_full_group_offers_no_blank_entry() -> None:
    case = publish_birth_registration()
    witnesses = [{"full_name": f"Người {n}", "cccd": "031190001234"} for n in range(3)]

    group = flatten(build_form(case=case, data={"witnesses": witnesses}, errors=None, profile=None))["witnesses"]

    assert [item.is_extra for item in group.items] == [False, False, False]


@pytest.mark.django_db
def test_a_signed_in_applicant_finds_their_own_details_already_filled_in() -> None:
    case = publish_birth_registration()
    user = UserFactory(full_name="Phạm Thu Trang", date_of_birth=date(1995, 8, 14), phone="0903123456")

    views = flatten(build_form(case=case, data=None, errors=None, profile=user))

    assert (views["declarant_name"].value, views["declarant_name"].autocomplete) == ("Phạm Thu Trang", "name")
    assert (views["declarant_date_of_birth"].value, views["declarant_date_of_birth"].autocomplete) == (
        "14/08/1995",
        "bday",
    )
    assert (views["declarant_phone"].value, views["declarant_phone"].input_type) == ("0903123456", "tel")
    assert views["child_full_name"].value == ""
    assert views["child_full_name"].autocomplete == ""


@pytest.mark.django_db
def test_submitted_values_win_over_the_profile() -> None:
    case = publish_birth_registration()
    user = UserFactory(full_name="Phạm Thu Trang")

    views = flatten(build_form(case=case, data={"fee_paid": 1_250_000}, errors=None, profile=user))

    assert views["declarant_name"].value == ""
    assert views["fee_paid"].value == "1.250.000"


# --- parse_submission -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_posted_form_becomes_a_typed_json_document() -> None:
    case = publish_birth_registration()

    data = parse_submission(case=case, post=querydict(VALID_POST))

    assert data == VALID_DATA
    assert validate_submission(case=case, data=data) == {}


@pytest.mark.django_db
def test_garbage_is_kept_as_typed_for_validation_to_report_and_gaps_between_entries_close() -> None:
    case = publish_birth_registration()
    post = querydict(
        {
            "child_date_of_birth": "31/02/2026",
            "fee_paid": "một triệu",
            "place_of_birth.ward_code": "abc",
            "witnesses.5.full_name": "Lê Văn Bình",
            "witnesses.99999999.full_name": "ignored: the index is too long",
            "witnesses.x.full_name": "ignored: not an index",
            "pledge": "no",
            "unknown": "ignored",
        }
    )

    data = parse_submission(case=case, post=post)

    assert data == {
        "child_date_of_birth": "31/02/2026",
        "fee_paid": "một triệu",
        "place_of_birth": {"ward_code": "abc"},
        "witnesses": [{"full_name": "Lê Văn Bình"}],
    }


# --- validate_submission ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_missing_field_a_bad_cccd_and_an_impossible_date_get_one_precise_message_each() -> None:
    case = publish_birth_registration()
    post = querydict(
        {**VALID_POST, "child_full_name": "", "mother.cccd": "03119500432", "child_date_of_birth": "31/02/2026"}
    )

    errors = validate_submission(case=case, data=parse_submission(case=case, post=post))

    assert errors == {
        "child_full_name": ["Vui lòng nhập họ, chữ đệm, tên của trẻ."],
        "child_date_of_birth": ["Ngày sinh của trẻ phải là một ngày có thật, dạng ngày/tháng/năm, ví dụ 27/03/1990."],
        "mother.cccd": ["Số CCCD phải gồm đúng 12 chữ số."],
    }


@pytest.mark.parametrize(
    ("name", "value", "path", "message"),
    [
        ("declarant_phone", "0123", "declarant_phone",
         "Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (có thể viết +84 thay cho số 0)."),
        ("declarant_date_of_birth", "2026-13-01", "declarant_date_of_birth",
         "Ngày sinh người đi khai phải là một ngày có thật, dạng ngày/tháng/năm, ví dụ 27/03/1990."),
        ("child_full_name", "A" * 101, "child_full_name", "Họ, chữ đệm, tên của trẻ không được dài quá 100 ký tự."),
        ("child_gender", "khac", "child_gender", "Hãy chọn một giá trị trong danh sách."),
        ("child_ethnicity", "99", "child_ethnicity", "Hãy chọn một giá trị trong danh sách."),
        ("place_of_birth", {"ward_code": 1, "line": "Số 1"}, "place_of_birth.ward_code",
         "Hãy chọn một giá trị trong danh sách."),
        ("place_of_birth", {"line": "Số 1"}, "place_of_birth.ward_code", "Vui lòng chọn xã, phường, đặc khu."),
        ("father", {"cccd": "031195004321"}, "father.full_name", "Vui lòng nhập họ, chữ đệm, tên."),
        ("fee_paid", 6_000_000, "fee_paid", "Số tiền lệ phí đã nộp không được vượt quá 5.000.000 đồng."),
        ("fee_paid", "một triệu", "fee_paid",
         "Số tiền lệ phí đã nộp chỉ gồm chữ số, có thể có dấu chấm giữa các hàng nghìn, ví dụ 1.250.000."),
        ("witnesses", [], "witnesses", "Vui lòng nhập ít nhất 1 người làm chứng."),
        ("witnesses", [{"full_name": "Lê Văn Bình"}], "witnesses.0.cccd", "Vui lòng nhập số CCCD."),
        ("witnesses", [{"full_name": "Lê Văn Bình", "cccd": "031190001234", "relationship": "hàng xóm"}],
         "witnesses.0.relationship", "Hãy chọn một giá trị trong danh sách."),
        ("pledge", False, "pledge",
         "Vui lòng đánh dấu ô «Tôi cam đoan những nội dung khai trên đây là đúng sự thật»."),
    ],
)  # fmt: skip
@pytest.mark.django_db
def test_each_rule_is_explained_in_vietnamese_on_the_field_at_fault(
    name: str, value: Any, path: str, message: str
) -> None:
    case = publish_birth_registration()

    errors = validate_submission(case=case, data={**VALID_DATA, name: value})

    assert errors == {path: [message]}


@pytest.mark.django_db
def test_an_unticked_pledge_is_a_missing_field() -> None:
    case = publish_birth_registration()
    post = querydict({name: value for name, value in VALID_POST.items() if name != "pledge"})

    errors = validate_submission(case=case, data=parse_submission(case=case, post=post))

    assert errors == {"pledge": ["Vui lòng đánh dấu ô «Tôi cam đoan những nội dung khai trên đây là đúng sự thật»."]}


@pytest.mark.django_db
def test_data_from_elsewhere_with_unknown_properties_is_refused_naming_them() -> None:
    case = publish_birth_registration()

    errors = validate_submission(case=case, data={**VALID_DATA, "ghi_chu": "x", "ban_sao": 2})

    assert errors == {"": ["Có thông tin không thuộc biểu mẫu: ban_sao, ghi_chu."]}


@pytest.mark.django_db
def test_a_pattern_message_from_the_hints_replaces_the_generic_one() -> None:
    case = ProcedureCaseFactory(
        form_schema={"type": "object", "properties": {"so": {"type": "string", "pattern": r"^\d+/\d{4}$"}}},
        form_ui={"fields": {"so": {"label": "Số, năm văn bản", "patternMessage": "Hãy ghi số/năm, ví dụ 12/2025."}}},
    )

    errors = validate_submission(case=case, data={"so": "12-2025"})

    assert errors == {"so": ["Hãy ghi số/năm, ví dụ 12/2025."]}


@pytest.mark.django_db
def test_errors_reach_their_fields_and_the_summary_links_each_one_in_form_order() -> None:
    case = publish_birth_registration()
    data = {**VALID_DATA, "child_date_of_birth": "31/02/2026", "witnesses": [{"full_name": "Lê Văn Bình"}]}
    errors = validate_submission(case=case, data=data)

    fields = build_form(case=case, data=data, errors=errors, profile=None)

    views = flatten(fields)
    date_field = views["child_date_of_birth"]
    assert (date_field.value, date_field.describedby) == (
        "31/02/2026",
        "f-child_date_of_birth-hint f-child_date_of_birth-error",
    )
    assert [(link.href, link.text) for link in error_summary(fields=fields, errors=errors)] == [
        ("#f-child_date_of_birth",
         "Ngày sinh của trẻ phải là một ngày có thật, dạng ngày/tháng/năm, ví dụ 27/03/1990."),
        ("#f-witnesses__0__cccd", "Người làm chứng 1: Vui lòng nhập số CCCD."),
    ]  # fmt: skip
