"""Import the procedure catalog from a spreadsheet (CSV or XLSX), docs/catalog-import-format.md.

One row per procedure *case*; rows sharing ``ma_thu_tuc`` form one procedure. The whole file is read and checked
first (``parse_catalog``): every problem is reported as ``dòng N, cột <tên cột>: <lý do>`` and nothing is written
unless the file is clean. Then ``import_catalog`` upserts by code inside one transaction through the catalog
services: a new code creates v1, changed content creates and publishes a new version (the old one stays readable,
superseded), identical content changes nothing.

``ProcedureData`` is the layout's model of one procedure; ``version_data`` reads a stored version into the same
model, so "identical content" and the export round trip are plain equality.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from tqdm import tqdm

from chinhquyenso.agencies.models import Agency
from chinhquyenso.catalog.models import (
    ApplicantCategory,
    DocumentComponent,
    DocumentType,
    Fee,
    Field,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    TimeUnit,
)
from chinhquyenso.catalog.schema import SchemaProblem, check_form_schema, pin_property_order
from chinhquyenso.catalog.services import (
    case_add,
    check_version_editable,
    component_add,
    fee_add,
    procedure_create,
    version_draft_from,
    version_publish,
    version_search_text,
)
from chinhquyenso.catalog.text import normalize_search
from chinhquyenso.core.audit import audit_record

# --- the layout -------------------------------------------------------------------------------------------------

PROCEDURE_COLUMNS: tuple[str, ...] = (
    "ma_thu_tuc",
    "ma_noi_bo",
    "ten_thu_tuc",
    "ma_linh_vuc",
    "ten_linh_vuc",
    "cap_thuc_hien",
    "co_quan_tham_quyen",
    "ma_co_quan",
    "ma_noi_tiep_nhan",
    "doi_tuong",
    "can_cu_phap_ly",
    "ket_qua",
    "muc_do",
)
CASE_COLUMNS: tuple[str, ...] = (
    "ma_truong_hop",
    "ten_truong_hop",
    "thoi_han",
    "don_vi_thoi_han",
    "thoi_han_truc_tuyen",
    "gio_chot",
    "phi_le_phi",
    "mien_giam",
    "thanh_phan_ho_so",
    "bieu_mau",
    "hien_thi",
)
TRAILING_PROCEDURE_COLUMNS: tuple[str, ...] = ("nguon", "ghi_chu")
COLUMNS: tuple[str, ...] = PROCEDURE_COLUMNS + CASE_COLUMNS + TRAILING_PROCEDURE_COLUMNS
REQUIRED_COLUMNS = frozenset(
    {"ma_thu_tuc", "ten_thu_tuc", "cap_thuc_hien", "muc_do", "ma_truong_hop", "ten_truong_hop", "bieu_mau"}
)
# Columns that describe the procedure (its version), repeated or left empty on its further rows.
VERSION_COLUMNS = frozenset(PROCEDURE_COLUMNS + TRAILING_PROCEDURE_COLUMNS) - {"ma_thu_tuc"}

NATIONAL_CODE = re.compile(r"^\d\.\d{6}$")
CASE_CODE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
SLUG = re.compile(r"^[a-z0-9_-]{1,60}$")
FORM_KEY = re.compile(r"^[a-z0-9_]{1,60}$")
AMOUNT = re.compile(r"^(\d{1,3}(\.\d{3})+|\d+)$")
CUTOFF = re.compile(r"^(\d{1,2}):(\d{2})$")
MAX_AMOUNT = 10**12
MAX_TIME = 3650
ITEM_SEPARATOR = " | "
LIST_SEPARATOR = "; "

LEVELS = {"tinh": Level.PROVINCE, "cap tinh": Level.PROVINCE, "xa": Level.COMMUNE, "cap xa": Level.COMMUNE}
LEVEL_LABELS: dict[str, str] = {Level.PROVINCE: "tỉnh", Level.COMMUNE: "xã"}
ONLINE_LEVELS = {
    "toan trinh": OnlineLevel.FULL,
    "mot phan": OnlineLevel.PARTIAL,
    "thong tin": OnlineLevel.INFORMATION,
    "cung cap thong tin": OnlineLevel.INFORMATION,
}
ONLINE_LEVEL_LABELS: dict[str, str] = {
    OnlineLevel.FULL: "toàn trình",
    OnlineLevel.PARTIAL: "một phần",
    OnlineLevel.INFORMATION: "thông tin",
}
TIME_UNITS = {
    "ngay lam viec": TimeUnit.WORKING_DAYS,
    "gio lam viec": TimeUnit.WORKING_HOURS,
    "ngay": TimeUnit.CALENDAR_DAYS,
    "ngay lich": TimeUnit.CALENDAR_DAYS,
}
TIME_UNIT_LABELS: dict[str, str] = {
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.WORKING_HOURS: "giờ làm việc",
    TimeUnit.CALENDAR_DAYS: "ngày",
}
COMPONENT_FORMS = {
    "ban chinh": DocumentComponent.Form.ORIGINAL,
    "ban sao": DocumentComponent.Form.COPY,
    "ban sao co chung thuc": DocumentComponent.Form.CERTIFIED_COPY,
    "xuat trinh": DocumentComponent.Form.PRESENT,
    "xuat trinh ban chinh": DocumentComponent.Form.PRESENT,
    "ban dien tu": DocumentComponent.Form.ELECTRONIC,
}
COMPONENT_FORM_LABELS: dict[str, str] = {
    DocumentComponent.Form.ORIGINAL: "bản chính",
    DocumentComponent.Form.COPY: "bản sao",
    DocumentComponent.Form.CERTIFIED_COPY: "bản sao có chứng thực",
    DocumentComponent.Form.PRESENT: "xuất trình",
    DocumentComponent.Form.ELECTRONIC: "bản điện tử",
}
AUDIENCES = {"cong dan": "citizens", "doanh nghiep": "businesses", "to chuc": "businesses"}
YES = frozenset({"co", "x", "1", "true"})
NO = frozenset({"khong", "0", "false", ""})

# Names given to applicant categories and document types created on demand from their codes.
KNOWN_CATEGORIES: dict[str, str] = {
    "ho_ngheo": "Hộ nghèo",
    "ho_can_ngheo": "Hộ cận nghèo",
    "nguoi_co_cong": "Người có công với cách mạng",
    "gia_dinh_co_cong": "Người thuộc gia đình có công với cách mạng",
    "khuyet_tat": "Người khuyết tật",
    "tre_em": "Trẻ em",
    "nguoi_cao_tuoi": "Người cao tuổi",
    "dtts_dbkk": "Đồng bào dân tộc thiểu số ở xã có điều kiện kinh tế - xã hội đặc biệt khó khăn",
    "bao_tro_xa_hoi": "Đối tượng bảo trợ xã hội",
    "mien_le_phi_cu_tru": "Đối tượng được miễn lệ phí đăng ký cư trú (Điều 4 Thông tư 75/2022/TT-BTC)",
}
KNOWN_DOCUMENT_TYPES: dict[str, str] = {
    "cccd": "Thẻ căn cước, thẻ căn cước công dân",
    "ho_chieu": "Hộ chiếu",
    "giay_khai_sinh": "Giấy khai sinh",
    "giay_chung_sinh": "Giấy chứng sinh",
    "giay_chung_nhan_ket_hon": "Giấy chứng nhận kết hôn",
    "giay_xac_nhan_tinh_trang_hon_nhan": "Giấy xác nhận tình trạng hôn nhân",
    "trich_luc_ho_tich": "Trích lục hộ tịch",
    "giay_bao_tu": "Giấy báo tử",
    "giay_to_cho_o_hop_phap": "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
    "giay_chung_nhan_quyen_su_dung_dat": "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    "giay_chung_nhan_dang_ky_ho_kinh_doanh": "Giấy chứng nhận đăng ký hộ kinh doanh",
    "phieu_ly_lich_tu_phap": "Phiếu lý lịch tư pháp",
    "van_ban_uy_quyen": "Văn bản ủy quyền",
    "hop_dong_bao_dam": "Hợp đồng bảo đảm",
}


def local_code_prefix() -> str:
    """Local (province) procedure codes start with this; a province sets CATALOG_LOCAL_CODE_PREFIX."""
    return str(getattr(settings, "CATALOG_LOCAL_CODE_PREFIX", "HP."))


def default_forms() -> Mapping[str, Mapping[str, Any]]:
    """The form library that ``bieu_mau``/``hien_thi`` keys refer to (demo/catalog_forms.py)."""
    from chinhquyenso.demo.catalog_forms import FORMS

    return FORMS


# --- the model of the layout ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeData:
    kind: str
    name: str
    amount: int
    unit: str = ""
    variable: bool = False
    note: str = ""


@dataclass(frozen=True)
class ComponentData:
    code: str
    name: str
    form: str = DocumentComponent.Form.ORIGINAL
    quantity: int = 1
    required: bool = True
    reusable_type: str = ""  # DocumentType code


@dataclass(frozen=True)
class CaseData:
    code: str
    name: str
    processing_value: int | None
    processing_unit: str
    online_processing_value: int | None
    cutoff: dtime | None
    fees: tuple[FeeData, ...]
    exemptions: tuple[str, ...]  # ApplicantCategory codes, sorted; they apply to every fee of the case
    components: tuple[ComponentData, ...]
    form_schema: dict[str, Any] = field(hash=False)
    form_ui: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class ProcedureData:
    code: str
    is_local_code: bool
    name: str
    field_code: str
    field_name: str
    level: str
    competent_authority: str
    competent_agencies: tuple[str, ...]  # unit codes, sorted
    receiving_agencies: tuple[str, ...]
    for_citizens: bool
    for_businesses: bool
    legal_basis: str
    result_type: str
    online_level: str
    source: str
    description: str
    cases: tuple[CaseData, ...]
    line: int = field(default=0, compare=False)  # first row of the procedure in the file


@dataclass
class ParsedCatalog:
    procedures: list[ProcedureData]
    categories: dict[str, str]  # code → name, for codes given as ``ma=Tên``
    document_types: dict[str, str]
    rows: int = 0


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    draft: bool = False

    @property
    def changed(self) -> int:
        return len(self.created) + len(self.updated)

    def summary(self) -> str:
        text = f"tạo mới {len(self.created)}, cập nhật {len(self.updated)}, không đổi {len(self.unchanged)}"
        if self.draft and self.changed:
            text += " (phiên bản mới để ở dạng nháp, chưa công bố)"
        return text


class CatalogImportError(Exception):
    """The file cannot be imported; ``problems`` are Vietnamese lines ``dòng N, cột X: lý do``."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def report(self) -> str:
        count = len(self.problems)
        head = "Không nhập được danh mục" if count == 1 else f"Không nhập được danh mục: tệp có {count} lỗi"
        return f"{head}; không thủ tục nào được ghi.\n" + "\n".join(f"  {p}" for p in self.problems)


# --- small text helpers, shared with the exporter -------------------------------------------------------------------


def fold(value: str) -> str:
    return normalize_search(value)


def format_amount(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def component_code(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:50].strip("-")
    return slug or "thanh-phan"


def derived_component_codes(names: Iterable[str]) -> list[str]:
    """Codes the importer gives components without one: a slug of the name, made unique in the case."""
    seen: dict[str, int] = {}
    codes = []
    for name in names:
        base = component_code(name)
        seen[base] = seen.get(base, 0) + 1
        codes.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return codes


def fee_kind_from_name(name: str) -> str:
    folded = fold(name)
    return Fee.Kind.CHARGE if folded == "phi" or folded.startswith("phi ") else Fee.Kind.FEE


# --- reading the file ----------------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%H:%M") if value.date() == datetime(1899, 12, 30).date() else value.isoformat()
    if isinstance(value, dtime):
        return value.strftime("%H:%M")
    return str(value).strip()


def read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number as a spreadsheet shows it, cells) for the header (line 1) and every row."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise CatalogImportError(
            [f"Không hỗ trợ định dạng tệp «{path.suffix or path.name}»: chỉ nhận tệp .csv (UTF-8) hoặc .xlsx (Excel)."]
        )
    if not path.is_file():
        raise CatalogImportError([f"Không tìm thấy tệp «{path}»."])
    if suffix == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise CatalogImportError(
                ["Tệp CSV không phải mã UTF-8: hãy lưu lại dạng «CSV UTF-8 (phân tách bằng dấu phẩy)»."]
            ) from None
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield number, [c.strip() for c in cells]
        return
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise CatalogImportError([f"Không đọc được tệp Excel «{path.name}»: {exc}"]) from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(v) for v in values]
    finally:
        workbook.close()


def _header_name(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


# --- checking one row ----------------------------------------------------------------------------------------------


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


# --- parsing the whole file -----------------------------------------------------------------------------------------


def parse_rows(
    rows: Iterable[tuple[int, list[str]]],
    *,
    forms: Mapping[str, Mapping[str, Any]] | None = None,
    progress: bool = False,
) -> ParsedCatalog:
    """Check every row; raise CatalogImportError with all problems, or return the procedures in file order."""
    forms = default_forms() if forms is None else forms
    problems: list[str] = []
    iterator = iter(rows)
    header_line, header = next(iterator, (1, []))
    columns = [_header_name(h) for h in header]
    if not any(columns):
        raise CatalogImportError(["dòng 1: tệp không có dòng tiêu đề (tên cột)."])
    for index, name in enumerate(columns):
        if name and name not in COLUMNS:
            problems.append(f"dòng {header_line}, cột {header[index]}: tên cột không được hỗ trợ.")
        elif name and columns.index(name) != index:
            problems.append(f"dòng {header_line}, cột {name}: cột bị lặp lại.")
    for missing in sorted(REQUIRED_COLUMNS - set(columns)):
        problems.append(f"dòng {header_line}, cột {missing}: thiếu cột bắt buộc.")
    if problems:
        raise CatalogImportError(problems)

    data_rows: list[_Row] = []
    for line, cells in iterator:
        if not any(cells):
            continue
        if len(cells) > len(columns) and any(cells[len(columns) :]):
            problems.append(f"dòng {line}: có {len(cells)} ô nhưng tiêu đề chỉ có {len(columns)} cột.")
            continue
        values = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(columns) if name}
        data_rows.append(_Row(line, values, problems))
    if not data_rows and not problems:
        raise CatalogImportError(["Tệp không có dòng dữ liệu nào (ngoài dòng tiêu đề)."])

    agency_codes = {
        c for row in data_rows for col in ("ma_co_quan", "ma_noi_tiep_nhan") for c in _split_list(row.get(col))
    }
    known_agencies = set(Agency.objects.filter(code__in=agency_codes).values_list("code", flat=True))

    categories: dict[str, str] = {}
    types: dict[str, str] = {}
    first_rows: dict[str, _Row] = {}
    heads: dict[str, dict[str, Any]] = {}
    cases: dict[str, list[CaseData]] = {}
    case_lines: dict[tuple[str, str], int] = {}
    field_names: dict[str, tuple[str, int]] = {}
    for row in tqdm(data_rows, desc="Kiểm tra", unit="dòng", file=sys.stderr, disable=not progress, delay=0.5):
        code = row.get("ma_thu_tuc")
        first = first_rows.get(code)
        if first is None:
            head = _parse_procedure(row, known_agencies)
            if code:
                first_rows[code], heads[code], cases[code] = row, head, []
            if head["field_code"]:
                seen_name, seen_line = field_names.setdefault(head["field_code"], (head["field_name"], row.line))
                if seen_name != head["field_name"]:
                    row.problem(
                        "ten_linh_vuc",
                        f"lĩnh vực «{head['field_code']}» đã có tên «{seen_name}» ở dòng {seen_line}.",
                    )
        else:
            for column in sorted(VERSION_COLUMNS):
                value = row.get(column)
                if value and value != first.get(column):
                    row.problem(
                        column, f"khác với dòng {first.line} của cùng thủ tục {code} (để trống hoặc ghi giống hệt)."
                    )
        case = _parse_case(row, categories, types, forms)
        if code and case.code:
            key = (code, case.code)
            if key in case_lines:
                row.problem(
                    "ma_truong_hop", f"trường hợp «{case.code}» của thủ tục {code} trùng với dòng {case_lines[key]}."
                )
            else:
                case_lines[key] = row.line
                if code in cases:
                    cases[code].append(case)
    if problems:
        raise CatalogImportError(problems)
    procedures = [ProcedureData(**heads[code], cases=tuple(cases[code]), line=first_rows[code].line) for code in heads]
    return ParsedCatalog(procedures=procedures, categories=categories, document_types=types, rows=len(data_rows))


def parse_catalog(
    path: str | Path, *, forms: Mapping[str, Mapping[str, Any]] | None = None, progress: bool = False
) -> ParsedCatalog:
    return parse_rows(read_rows(Path(path)), forms=forms, progress=progress)


# --- reading a stored version into the layout's model ---------------------------------------------------------------


def versions_with_content(versions: Iterable[ProcedureVersion]) -> list[ProcedureVersion]:
    """The versions again, with everything ``version_data`` reads fetched in a fixed number of queries."""
    ids = [v.pk for v in versions]
    found = (
        ProcedureVersion.objects.filter(pk__in=ids)
        .select_related("procedure", "field")
        .prefetch_related(
            "competent_agencies",
            "receiving_agencies",
            "cases__fees__exemptions",
            "cases__components__reusable_type",
        )
    )
    by_id = {v.pk: v for v in found}
    return [by_id[i] for i in ids]


def version_data(version: ProcedureVersion) -> ProcedureData:
    cases = []
    for case in version.cases.all():
        fees = list(case.fees.all())
        cases.append(
            CaseData(
                code=case.code,
                name=case.name,
                processing_value=case.processing_value,
                processing_unit=case.processing_unit,
                online_processing_value=case.online_processing_value,
                cutoff=case.cutoff,
                fees=tuple(
                    FeeData(
                        kind=fee.kind,
                        name=fee.name,
                        amount=fee.amount,
                        unit=fee.unit,
                        variable=fee.variable,
                        note=fee.note,
                    )
                    for fee in fees
                ),
                exemptions=tuple(sorted({c.code for fee in fees for c in fee.exemptions.all()})),
                components=tuple(
                    ComponentData(
                        code=c.code,
                        name=c.name,
                        form=c.form,
                        quantity=c.quantity,
                        required=c.required,
                        reusable_type=c.reusable_type.code if c.reusable_type else "",
                    )
                    for c in case.components.all()
                ),
                form_schema=case.form_schema or {},
                form_ui=case.form_ui or {},
            )
        )
    return ProcedureData(
        code=version.procedure.code,
        is_local_code=version.procedure.is_local_code,
        name=version.name,
        field_code=version.field.code if version.field else "",
        field_name=version.field.name if version.field else "",
        level=version.level,
        competent_authority=version.competent_authority,
        competent_agencies=tuple(sorted(a.code for a in version.competent_agencies.all())),
        receiving_agencies=tuple(sorted(a.code for a in version.receiving_agencies.all())),
        for_citizens=version.for_citizens,
        for_businesses=version.for_businesses,
        legal_basis=version.legal_basis,
        result_type=version.result_type,
        online_level=version.online_level,
        source=version.source,
        description=version.description,
        cases=tuple(cases),
    )


# --- writing -------------------------------------------------------------------------------------------------------


class _Lookups:
    def __init__(self, parsed: ParsedCatalog) -> None:
        procedures = parsed.procedures
        self.fields: dict[str, Field] = {}
        for data in procedures:
            if data.field_code and data.field_code not in self.fields:
                found, _ = Field.objects.get_or_create(code=data.field_code, defaults={"name": data.field_name})
                if found.name != data.field_name:
                    found.name = data.field_name
                    found.save(update_fields=["name"])
                self.fields[data.field_code] = found
        category_codes = {c for d in procedures for case in d.cases for c in case.exemptions}
        self.categories = _ensure_named(ApplicantCategory, category_codes, parsed.categories, KNOWN_CATEGORIES)
        type_codes = {
            c.reusable_type for d in procedures for case in d.cases for c in case.components if c.reusable_type
        }
        self.types = _ensure_named(DocumentType, type_codes, parsed.document_types, KNOWN_DOCUMENT_TYPES)
        agency_codes = {c for d in procedures for c in d.competent_agencies + d.receiving_agencies}
        self.agencies = {a.code: a for a in Agency.objects.filter(code__in=agency_codes)}


def _ensure_named(model: Any, codes: set[str], given: Mapping[str, str], known: Mapping[str, str]) -> dict[str, Any]:
    """Rows for ``codes``, created on demand: an explicit ``ma=Tên`` name wins, then the known name, then the code."""
    existing = {obj.code: obj for obj in model.objects.filter(code__in=codes)}
    for code in sorted(codes):
        name = given.get(code) or known.get(code) or code
        obj = existing.get(code)
        if obj is None:
            existing[code] = model.objects.create(code=code, name=name)
        elif code in given and obj.name != given[code]:
            obj.name = given[code]
            obj.save(update_fields=["name"])
    return existing


def _version_content(data: ProcedureData, lookups: _Lookups) -> dict[str, Any]:
    return {
        "name": data.name,
        "field": lookups.fields.get(data.field_code) if data.field_code else None,
        "level": data.level,
        "competent_authority": data.competent_authority,
        "for_citizens": data.for_citizens,
        "for_businesses": data.for_businesses,
        "legal_basis": data.legal_basis,
        "result_type": data.result_type,
        "online_level": data.online_level,
        "description": data.description,
        "source": data.source,
    }


def draft_cases_clear(*, version: ProcedureVersion) -> None:
    """Delete a draft's cases (with their fees and components); published versions are never touched."""
    check_version_editable(version=version)
    ProcedureCase.objects.filter(version=version).delete()


def _fill(version: ProcedureVersion, data: ProcedureData, lookups: _Lookups, actor: Any) -> None:
    version.competent_agencies.set([lookups.agencies[c] for c in data.competent_agencies])
    version.receiving_agencies.set([lookups.agencies[c] for c in data.receiving_agencies])
    for order, case_data in enumerate(data.cases):
        case = case_add(
            actor=actor,
            version=version,
            code=case_data.code,
            name=case_data.name,
            order=order,
            processing_value=case_data.processing_value,
            processing_unit=case_data.processing_unit,
            online_processing_value=case_data.online_processing_value,
            cutoff=case_data.cutoff,
            form_schema=case_data.form_schema,
            form_ui=case_data.form_ui,
        )
        exemptions = [lookups.categories[c] for c in case_data.exemptions]
        for fee in case_data.fees:
            fee_add(
                actor=actor,
                case=case,
                exemptions=exemptions,
                kind=fee.kind,
                name=fee.name,
                amount=fee.amount,
                unit=fee.unit,
                variable=fee.variable,
                note=fee.note,
            )
        for index, component in enumerate(case_data.components):
            component_add(
                actor=actor,
                case=case,
                code=component.code,
                name=component.name,
                form=component.form,
                quantity=component.quantity,
                required=component.required,
                reusable_type=lookups.types[component.reusable_type] if component.reusable_type else None,
                order=index,
            )


def _update_draft(version: ProcedureVersion, data: ProcedureData, lookups: _Lookups, actor: Any) -> None:
    check_version_editable(version=version)
    for name, value in _version_content(data, lookups).items():
        setattr(version, name, value)
    version.search_text = version_search_text(version=version)
    version.save()
    draft_cases_clear(version=version)
    _fill(version, data, lookups, actor)
    audit_record(actor=actor, action="catalog.version.import", obj=version, after={"cases": len(data.cases)})


def apply_catalog(
    parsed: ParsedCatalog, *, actor: Any = None, draft: bool = False, progress: bool = False
) -> ImportResult:
    """Write a checked catalog in one transaction. Any failure rolls everything back (CatalogImportError)."""
    result = ImportResult(draft=draft)
    try:
        with transaction.atomic():
            lookups = _Lookups(parsed)
            codes = [d.code for d in parsed.procedures]
            existing = {p.code: p for p in Procedure.objects.filter(code__in=codes).select_related("current_version")}
            drafts = {
                v.procedure_id: v
                for v in ProcedureVersion.objects.filter(
                    procedure__code__in=codes, status=ProcedureVersion.Status.DRAFT
                )
            }
            baselines = {}
            for procedure in existing.values():
                baseline = drafts.get(procedure.pk) or procedure.current_version
                if baseline is not None:
                    baselines[procedure.code] = baseline
            stored = {v.procedure.code: v for v in versions_with_content(baselines.values())}
            for data in tqdm(
                parsed.procedures, desc="Nhập", unit="thủ tục", file=sys.stderr, disable=not progress, delay=0.5
            ):
                _apply_one(data, existing.get(data.code), stored.get(data.code), lookups, actor, draft, result)
    except ValidationError as exc:
        raise CatalogImportError([f"Lỗi khi ghi danh mục: {'; '.join(exc.messages)}"]) from None
    return result


def _apply_one(
    data: ProcedureData,
    procedure: Procedure | None,
    baseline: ProcedureVersion | None,
    lookups: _Lookups,
    actor: Any,
    draft: bool,
    result: ImportResult,
) -> None:
    if procedure is None:
        version = procedure_create(
            actor=actor, code=data.code, is_local_code=data.is_local_code, **_version_content(data, lookups)
        )
        _fill(version, data, lookups, actor)
        if not draft:
            version_publish(actor=actor, version=version)
        result.created.append(data.code)
        return
    if procedure.is_local_code != data.is_local_code:
        procedure.is_local_code = data.is_local_code
        procedure.save(update_fields=["is_local_code"])
    if baseline is not None and version_data(baseline) == data:
        if baseline.is_editable and not draft:  # an earlier --draft import: publish it now
            version_publish(actor=actor, version=baseline)
            result.updated.append(data.code)
        else:
            result.unchanged.append(data.code)
        return
    version = version_draft_from(actor=actor, procedure=procedure)
    _update_draft(version, data, lookups, actor)
    if not draft:
        version_publish(actor=actor, version=version)
    result.updated.append(data.code)


def import_catalog(
    path: str | Path,
    *,
    actor: Any = None,
    draft: bool = False,
    progress: bool = False,
    forms: Mapping[str, Mapping[str, Any]] | None = None,
) -> ImportResult:
    """Check then write a catalog file; raise CatalogImportError (nothing written) when anything is wrong."""
    parsed = parse_catalog(path, forms=forms, progress=progress)
    return apply_catalog(parsed, actor=actor, draft=draft, progress=progress)
