"""Checking one row of the file: a procedure, its case, fees and documents, each problem tied to its column."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import time as dtime
from typing import Any

from chinhquyenso.catalog.importer.layout import (
    AMOUNT,
    AUDIENCES,
    CASE_CODE,
    COMPONENT_FORMS,
    CUTOFF,
    FORM_KEY,
    LEVELS,
    MAX_AMOUNT,
    MAX_TIME,
    NATIONAL_CODE,
    NO,
    ONLINE_LEVELS,
    SLUG,
    TIME_UNITS,
    YES,
    CaseData,
    ComponentData,
    FeeData,
    derived_component_codes,
    fee_kind_from_name,
    fold,
    local_code_prefix,
)
from chinhquyenso.catalog.models import (
    Fee,
    TimeUnit,
)
from chinhquyenso.catalog.schema import SchemaProblem, check_form_schema, pin_property_order


class _Row:
    """One data row with helpers that record problems under the row's line and the column's name."""

    def __init__(self, line: int, values: dict[str, str], problems: list[str]) -> None:
        self.line = line
        self.values = values
        self.problems = problems

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def problem(self, column: str, reason: str) -> None:
        self.problems.append(f"dòng {self.line}, cột {column}: {reason}")

    def required(self, column: str, max_length: int | None = None) -> str:
        value = self.get(column)
        if not value:
            self.problem(column, "không được để trống.")
        return self.text(column, max_length) if value else ""

    def text(self, column: str, max_length: int | None = None) -> str:
        value = self.get(column)
        if max_length is not None and len(value) > max_length:
            self.problem(column, f"dài {len(value)} ký tự, tối đa {max_length}.")
        return value

    def choice(self, column: str, choices: Mapping[str, str], expected: str) -> str | None:
        value = self.get(column)
        if not value:
            return None
        found = choices.get(fold(value))
        if found is None:
            self.problem(column, f"giá trị «{value}» không hợp lệ; dùng {expected}.")
        return found

    def yes_no(self, column: str) -> bool:
        folded = fold(self.get(column))
        if folded in YES:
            return True
        if folded not in NO:
            self.problem(column, f"giá trị «{self.get(column)}» không hợp lệ; dùng «có» hoặc «không».")
        return False

    def integer(self, column: str, maximum: int = MAX_TIME) -> int | None:
        value = self.get(column)
        if not value:
            return None
        if not value.isdigit() or int(value) > maximum:
            self.problem(column, f"«{value}» không phải số nguyên từ 0 đến {maximum}.")
            return None
        return int(value)


def _split_items(value: str) -> list[str]:
    return [item.strip() for item in value.split("|") if item.strip()]


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


def _named_codes(row: _Row, column: str, names: dict[str, str], what: str) -> list[str]:
    """``ma`` or ``ma=Tên`` items; names go to ``names`` (a conflicting second name is a problem)."""
    codes = []
    for item in _split_list(row.get(column)):
        code, _, name = (part.strip() for part in item.partition("="))
        if not SLUG.match(code):
            row.problem(column, f"mã {what} «{code}» không hợp lệ: chỉ dùng chữ thường không dấu, số, _ hoặc -.")
            continue
        if name:
            if names.get(code, name) != name:
                row.problem(column, f"mã {what} «{code}» được đặt hai tên khác nhau: «{names[code]}» và «{name}».")
            names[code] = name
        codes.append(code)
    return codes


def _parse_fee(row: _Row, item: str) -> FeeData | None:
    column = "phi_le_phi"
    kind: str | None = None
    body, _, note = (part.strip() for part in item.partition("#"))
    prefix, colon, rest = body.partition(":")
    if colon and fold(prefix) in {"phi", "le phi"} and "=" in rest:
        kind = Fee.Kind.CHARGE if fold(prefix) == "phi" else Fee.Kind.FEE
        body = rest.strip()
    name, equals, value = (part.strip() for part in body.partition("="))
    if not equals or not name:
        row.problem(column, f"khoản «{item}» phải có dạng «Tên khoản=số tiền[/đơn vị][!]».")
        return None
    variable = value.endswith("!")
    value = value.removesuffix("!").strip()
    amount_text, _, unit = (part.strip() for part in value.partition("/"))
    amount_plain = amount_text.replace(" ", "")
    if not AMOUNT.match(amount_plain) or int(amount_plain.replace(".", "")) > MAX_AMOUNT:
        row.problem(
            column, f"số tiền «{amount_text}» của khoản «{name}» không hợp lệ (số nguyên đồng, ví dụ 8000 hoặc 8.000)."
        )
        return None
    if len(name) > 255 or len(unit) > 60 or len(note) > 500:
        row.problem(column, f"khoản «{name}»: tên tối đa 255, đơn vị tối đa 60, ghi chú tối đa 500 ký tự.")
        return None
    return FeeData(
        kind=kind or fee_kind_from_name(name),
        name=name,
        amount=int(amount_plain.replace(".", "")),
        unit=unit,
        variable=variable,
        note=note,
    )


def _parse_components(row: _Row, types: dict[str, str]) -> tuple[ComponentData, ...]:
    column = "thanh_phan_ho_so"
    parsed: list[tuple[str, dict[str, Any]]] = []
    for item in _split_items(row.get(column)):
        parts = [p.strip() for p in item.split("~")]
        if len(parts) > 6:
            row.problem(
                column, f"thành phần «{parts[0]}» có quá 6 phần (ten~hinh_thuc~so_luong~bat_buoc~loai_giay_to~ma)."
            )
            continue
        parts += [""] * (6 - len(parts))
        name, form_text, quantity_text, required_text, type_text, code = parts
        if not name or len(name) > 1000:
            row.problem(column, f"thành phần «{item}» phải có tên (tối đa 1000 ký tự).")
            continue
        content: dict[str, Any] = {"name": name}
        if form_text:
            form = COMPONENT_FORMS.get(fold(form_text))
            if form is None:
                row.problem(
                    column,
                    f"hình thức «{form_text}» của «{name}» không hợp lệ; dùng bản chính, bản sao, "
                    "bản sao có chứng thực, xuất trình hoặc bản điện tử.",
                )
                continue
            content["form"] = form
        if quantity_text:
            if not quantity_text.isdigit() or not 1 <= int(quantity_text) <= 100:
                row.problem(column, f"số lượng «{quantity_text}» của «{name}» phải là số nguyên từ 1 đến 100.")
                continue
            content["quantity"] = int(quantity_text)
        if required_text:
            folded = fold(required_text)
            if folded not in YES and folded not in NO:
                row.problem(column, f"bắt buộc «{required_text}» của «{name}» phải là «có» hoặc «không».")
                continue
            content["required"] = folded in YES
        if type_text:
            type_code, _, type_name = (p.strip() for p in type_text.partition("="))
            if not SLUG.match(type_code):
                row.problem(
                    column, f"mã loại giấy tờ «{type_code}» không hợp lệ: chỉ dùng chữ thường không dấu, số, _ hoặc -."
                )
                continue
            if type_name:
                if types.get(type_code, type_name) != type_name:
                    row.problem(
                        column,
                        f"loại giấy tờ «{type_code}» được đặt hai tên khác nhau: «{types[type_code]}» và «{type_name}».",
                    )
                types[type_code] = type_name
            content["reusable_type"] = type_code
        if code and not SLUG.match(code):
            row.problem(column, f"mã thành phần «{code}» không hợp lệ: chỉ dùng chữ thường không dấu, số, _ hoặc -.")
            continue
        parsed.append((code, content))
    derived = derived_component_codes(content["name"] for _, content in parsed)
    components = []
    seen: set[str] = set()
    for (code, content), fallback in zip(parsed, derived, strict=True):
        code = code or fallback
        if code in seen:
            row.problem(column, f"mã thành phần «{code}» bị trùng trong cùng trường hợp.")
            continue
        seen.add(code)
        components.append(ComponentData(code=code, **content))
    return tuple(components)


def _resolve_form(row: _Row, forms: Mapping[str, Mapping[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    schema_text, ui_text = row.get("bieu_mau"), row.get("hien_thi")
    if not schema_text:
        row.problem("bieu_mau", "không được để trống: ghi JSON Schema hoặc tên một biểu mẫu có sẵn.")
        return None
    template_ui: dict[str, Any] = {}
    if schema_text.startswith("{"):
        try:
            schema = json.loads(schema_text)
        except json.JSONDecodeError as exc:
            row.problem("bieu_mau", f"JSON không hợp lệ ({exc.msg}, ký tự {exc.pos + 1}).")
            return None
    elif FORM_KEY.match(schema_text) and schema_text in forms:
        schema = dict(forms[schema_text]["schema"])
        template_ui = dict(forms[schema_text].get("ui") or {})
    else:
        row.problem(
            "bieu_mau", f"không có biểu mẫu «{schema_text}» trong thư viện biểu mẫu; ghi JSON hoặc một tên có sẵn."
        )
        return None
    try:
        check_form_schema(schema)
    except SchemaProblem as problem:
        row.problem("bieu_mau", f"biểu mẫu không hợp lệ tại {problem.pointer or '/'}: {problem.message}")
        return None
    if not ui_text:
        ui = template_ui
    elif ui_text.startswith("{"):
        try:
            ui = json.loads(ui_text)
        except json.JSONDecodeError as exc:
            row.problem("hien_thi", f"JSON không hợp lệ ({exc.msg}, ký tự {exc.pos + 1}).")
            return None
    elif FORM_KEY.match(ui_text) and ui_text in forms:
        ui = dict(forms[ui_text].get("ui") or {})
    else:
        row.problem("hien_thi", f"không có biểu mẫu «{ui_text}» trong thư viện biểu mẫu; ghi JSON hoặc một tên có sẵn.")
        return None
    try:
        check_form_schema(schema, ui)
    except SchemaProblem as problem:
        row.problem("hien_thi", f"phần hiển thị không hợp lệ tại {problem.pointer or '/'}: {problem.message}")
        return None
    return schema, ui


def _parse_case(row: _Row, categories: dict[str, str], types: dict[str, str], forms: Mapping[str, Any]) -> CaseData:
    code = row.required("ma_truong_hop")
    if code and not CASE_CODE.match(code):
        row.problem("ma_truong_hop", f"mã «{code}» chỉ gồm chữ, số, dấu chấm, gạch (tối đa 40 ký tự).")
    name = row.required("ten_truong_hop", 500)
    unit = row.choice("don_vi_thoi_han", TIME_UNITS, "«ngày làm việc», «giờ làm việc» hoặc «ngày»")
    processing = row.integer("thoi_han")
    online = row.integer("thoi_han_truc_tuyen")
    cutoff = None
    if cutoff_text := row.get("gio_chot"):
        match = CUTOFF.match(cutoff_text)
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            row.problem("gio_chot", f"«{cutoff_text}» không phải giờ dạng HH:MM (ví dụ 15:00).")
        else:
            cutoff = dtime(int(match[1]), int(match[2]))
    fees = tuple(fee for item in _split_items(row.get("phi_le_phi")) if (fee := _parse_fee(row, item)) is not None)
    exemptions = tuple(sorted(set(_named_codes(row, "mien_giam", categories, "đối tượng"))))
    if exemptions and not fees:
        row.problem("mien_giam", "có đối tượng miễn, giảm nhưng trường hợp không có khoản phí, lệ phí nào.")
    components = _parse_components(row, types)
    form = _resolve_form(row, forms)
    schema, ui = form if form is not None else ({}, {})
    return CaseData(
        code=code,
        name=name,
        processing_value=processing,
        processing_unit=unit or TimeUnit.WORKING_DAYS,
        online_processing_value=online,
        cutoff=cutoff,
        fees=fees,
        exemptions=exemptions,
        components=components,
        form_schema=schema,
        form_ui=pin_property_order(schema, ui) if schema else ui,
    )


def _parse_procedure(row: _Row, agencies: set[str]) -> dict[str, Any]:
    code = row.required("ma_thu_tuc", 40)
    is_local = row.yes_no("ma_noi_bo")
    prefix = local_code_prefix()
    if code:
        if NATIONAL_CODE.match(code):
            if is_local:
                row.problem("ma_noi_bo", f"«{code}» là mã quốc gia; mã nội bộ phải bắt đầu bằng «{prefix}».")
        elif code.startswith(prefix) and len(code) > len(prefix):
            if not is_local:
                row.problem("ma_noi_bo", f"mã «{code}» là mã nội bộ của tỉnh: ghi «có».")
        else:
            row.problem(
                "ma_thu_tuc",
                f"mã «{code}» không đúng dạng mã quốc gia (ví dụ 1.001193) hay mã nội bộ (bắt đầu bằng «{prefix}»).",
            )
    field_code, field_name = row.text("ma_linh_vuc", 40), row.text("ten_linh_vuc", 255)
    if field_name and not field_code:
        row.problem("ma_linh_vuc", "có tên lĩnh vực thì phải có mã lĩnh vực.")
    if field_code and not field_name:
        row.problem("ten_linh_vuc", "có mã lĩnh vực thì phải có tên lĩnh vực.")
    unit_codes: dict[str, tuple[str, ...]] = {}
    for column in ("ma_co_quan", "ma_noi_tiep_nhan"):
        codes = _split_list(row.get(column))
        for unknown in [c for c in codes if c not in agencies]:
            row.problem(column, f"không có cơ quan mã «{unknown}» trong danh mục cơ quan, đơn vị.")
        unit_codes[column] = tuple(sorted(set(codes)))
    audience = {"citizens": False, "businesses": False}
    audience_text = row.get("doi_tuong")
    for item in _split_list(audience_text) if audience_text else ["công dân"]:
        key = AUDIENCES.get(fold(item))
        if key is None:
            row.problem(
                "doi_tuong", f"đối tượng «{item}» không hợp lệ; dùng «công dân», «doanh nghiệp» (cách nhau bởi ;)."
            )
        else:
            audience[key] = True
    level = row.choice("cap_thuc_hien", LEVELS, "«tỉnh» hoặc «xã»")
    if not row.get("cap_thuc_hien"):
        row.problem("cap_thuc_hien", "không được để trống: ghi «tỉnh» hoặc «xã».")
    online_level = row.choice("muc_do", ONLINE_LEVELS, "«toàn trình», «một phần» hoặc «thông tin»")
    if not row.get("muc_do"):
        row.problem("muc_do", "không được để trống: ghi «toàn trình», «một phần» hoặc «thông tin».")
    return {
        "code": code,
        "is_local_code": is_local,
        "name": row.required("ten_thu_tuc", 500),
        "field_code": field_code,
        "field_name": field_name,
        "level": level or "",
        "competent_authority": row.text("co_quan_tham_quyen", 500),
        "competent_agencies": unit_codes["ma_co_quan"],
        "receiving_agencies": unit_codes["ma_noi_tiep_nhan"],
        "for_citizens": audience["citizens"],
        "for_businesses": audience["businesses"],
        "legal_basis": row.text("can_cu_phap_ly"),
        "result_type": row.text("ket_qua", 500),
        "online_level": online_level or "",
        "source": row.text("nguon"),
        "description": row.text("ghi_chu"),
    }
