"""Export the published catalog in the import layout (docs/catalog-import-format.md).

``import_catalog(export_catalog(...))`` changes nothing: every row is written from ``version_data`` in the exact
syntax the importer reads, so the round trip is equality of ``ProcedureData``. A case whose form equals a form of
the library is written by key (``bieu_mau``), any other as JSON.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from chinhquyenso.catalog.importer import (
    COLUMNS,
    COMPONENT_FORM_LABELS,
    ITEM_SEPARATOR,
    KNOWN_CATEGORIES,
    KNOWN_DOCUMENT_TYPES,
    LEVEL_LABELS,
    LIST_SEPARATOR,
    ONLINE_LEVEL_LABELS,
    TIME_UNIT_LABELS,
    CaseData,
    ComponentData,
    FeeData,
    ProcedureData,
    default_forms,
    derived_component_codes,
    fee_kind_from_name,
    format_amount,
    version_data,
    versions_with_content,
)
from chinhquyenso.catalog.models import ApplicantCategory, DocumentType, Fee, Procedure
from chinhquyenso.catalog.schema import pin_property_order


class TextSink(Protocol):
    def write(self, text: str, /) -> object: ...


class CatalogExportError(Exception):
    """Vietnamese message for the command line."""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _plain(text: str, forbidden: str, what: str) -> str:
    """Text that the importer would split elsewhere cannot be written; say which one instead of corrupting it."""
    found = sorted({ch for ch in forbidden if ch in text})
    if found:
        raise CatalogExportError(f"Không xuất được {what} «{text}»: có ký tự {', '.join(found)} dùng để phân cách.")
    return text


def _fee(fee: FeeData) -> str:
    _plain(fee.name, "=#|", "tên khoản phí")
    _plain(fee.unit, "!#|", "đơn vị tính phí")
    _plain(fee.note, "|", "ghi chú khoản phí")
    prefix = ""
    if fee_kind_from_name(fee.name) != fee.kind:
        prefix = "phí: " if fee.kind == Fee.Kind.CHARGE else "lệ phí: "
    text = f"{prefix}{fee.name}={format_amount(fee.amount)}"
    if fee.unit:
        text += f"/{fee.unit}"
    if fee.variable:
        text += "!"
    if fee.note:
        text += f" # {fee.note}"
    return text


def _named(code: str, names: Mapping[str, str], known: Mapping[str, str]) -> str:
    name = names.get(code, "")
    return code if name in {"", code, known.get(code)} else f"{code}={_plain(name, ';|~', 'tên')}"


def _components(components: Sequence[ComponentData], type_names: Mapping[str, str]) -> str:
    derived = derived_component_codes(c.name for c in components)
    items = []
    for component, fallback in zip(components, derived, strict=True):
        parts = [
            _plain(component.name, "~|", "tên thành phần hồ sơ"),
            COMPONENT_FORM_LABELS[component.form],
            str(component.quantity),
            "có" if component.required else "không",
            _named(component.reusable_type, type_names, KNOWN_DOCUMENT_TYPES) if component.reusable_type else "",
        ]
        if component.code != fallback:
            parts.append(component.code)
        while len(parts) > 4 and not parts[-1]:
            parts.pop()
        items.append("~".join(parts))
    return ITEM_SEPARATOR.join(items)


def _form(case: CaseData, forms: Mapping[str, Mapping[str, Any]]) -> tuple[str, str]:
    for key, template in forms.items():
        if template.get("schema") == case.form_schema:
            pinned = pin_property_order(case.form_schema, template.get("ui") or {})
            return key, "" if pinned == case.form_ui else _json(case.form_ui)
    return _json(case.form_schema), _json(case.form_ui) if case.form_ui else ""


def data_rows(
    procedures: Iterable[ProcedureData],
    *,
    forms: Mapping[str, Mapping[str, Any]] | None = None,
    category_names: Mapping[str, str] | None = None,
    type_names: Mapping[str, str] | None = None,
) -> list[dict[str, str]]:
    """One dict per case, keyed by column name, in the importer's syntax."""
    forms = default_forms() if forms is None else forms
    category_names = category_names or {}
    type_names = type_names or {}
    rows = []
    for data in procedures:
        audience = [
            label for flag, label in ((data.for_citizens, "công dân"), (data.for_businesses, "doanh nghiệp")) if flag
        ]
        head = {
            "ma_thu_tuc": data.code,
            "ma_noi_bo": "có" if data.is_local_code else "không",
            "ten_thu_tuc": data.name,
            "ma_linh_vuc": data.field_code,
            "ten_linh_vuc": data.field_name,
            "cap_thuc_hien": LEVEL_LABELS.get(data.level, data.level),
            "co_quan_tham_quyen": data.competent_authority,
            "ma_co_quan": LIST_SEPARATOR.join(data.competent_agencies),
            "ma_noi_tiep_nhan": LIST_SEPARATOR.join(data.receiving_agencies),
            "doi_tuong": LIST_SEPARATOR.join(audience),
            "can_cu_phap_ly": data.legal_basis,
            "ket_qua": data.result_type,
            "muc_do": ONLINE_LEVEL_LABELS.get(data.online_level, data.online_level),
            "nguon": data.source,
            "ghi_chu": data.description,
        }
        for case in data.cases:
            schema, ui = _form(case, forms)
            rows.append(
                {
                    **head,
                    "ma_truong_hop": case.code,
                    "ten_truong_hop": case.name,
                    "thoi_han": "" if case.processing_value is None else str(case.processing_value),
                    "don_vi_thoi_han": TIME_UNIT_LABELS.get(case.processing_unit, case.processing_unit),
                    "thoi_han_truc_tuyen": ""
                    if case.online_processing_value is None
                    else str(case.online_processing_value),
                    "gio_chot": case.cutoff.strftime("%H:%M") if case.cutoff else "",
                    "phi_le_phi": ITEM_SEPARATOR.join(_fee(fee) for fee in case.fees),
                    "mien_giam": LIST_SEPARATOR.join(
                        _named(c, category_names, KNOWN_CATEGORIES) for c in case.exemptions
                    ),
                    "thanh_phan_ho_so": _components(case.components, type_names),
                    "bieu_mau": schema,
                    "hien_thi": ui,
                }
            )
    return rows


def write_csv(rows: Iterable[Mapping[str, str]], stream: TextSink) -> None:
    writer = csv.DictWriter(stream, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def write_xlsx(rows: Iterable[Mapping[str, str]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Danh mục TTHC"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Every cell as text, so "01" stays "01" and 8.000 is not read as eight.
        sheet.append([row.get(column, "") for column in COLUMNS])
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    workbook.save(path)


def published_data(codes: Sequence[str] | None = None) -> list[ProcedureData]:
    """The current published version of each procedure (all, or those in ``codes``), ordered by code."""
    procedures = Procedure.objects.filter(current_version__isnull=False).select_related("current_version")
    if codes:
        procedures = procedures.filter(code__in=codes)
    versions = [p.current_version for p in procedures.order_by("code") if p.current_version is not None]
    return [version_data(v) for v in versions_with_content(versions)]


def export_rows(codes: Sequence[str] | None = None) -> list[dict[str, str]]:
    procedures = published_data(codes)
    category_codes = {c for d in procedures for case in d.cases for c in case.exemptions}
    type_codes = {c.reusable_type for d in procedures for case in d.cases for c in case.components if c.reusable_type}
    category_names = dict(ApplicantCategory.objects.filter(code__in=category_codes).values_list("code", "name"))
    type_names = dict(DocumentType.objects.filter(code__in=type_codes).values_list("code", "name"))
    return data_rows(procedures, category_names=category_names, type_names=type_names)


def export_catalog(target: str | Path | TextSink, *, codes: Sequence[str] | None = None) -> int:
    """Write the catalog to a .csv (UTF-8 with BOM, for Excel) or .xlsx file, or a text stream (CSV).

    Returns the number of procedures written.
    """
    rows = export_rows(codes)
    count = len({row["ma_thu_tuc"] for row in rows})
    if not isinstance(target, str | Path):
        write_csv(rows, target)
        return count
    path = Path(target)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as stream:
            write_csv(rows, stream)
    elif suffix == ".xlsx":
        write_xlsx(rows, path)
    else:
        raise CatalogExportError(
            f"Không hỗ trợ định dạng tệp «{path.suffix or path.name}»: chỉ xuất ra tệp .csv hoặc .xlsx."
        )
    return count
