"""The import layout: its columns, labels and separators, and the model of one procedure (``ProcedureData``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time as dtime
from typing import Any

from django.conf import settings

from chinhquyenso.catalog.models import (
    DocumentComponent,
    Fee,
    Level,
    OnlineLevel,
    TimeUnit,
)
from chinhquyenso.catalog.text import normalize_search

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


# --- the model of the layout


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


# --- small text helpers, shared with the exporter


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
