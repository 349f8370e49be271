"""Reading a catalog file (CSV or XLSX) and checking it whole: every problem as ``dòng N, cột <tên cột>: <lý do>``."""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from chinhquyenso.agencies.models import Agency
from chinhquyenso.catalog.importer.layout import (
    COLUMNS,
    REQUIRED_COLUMNS,
    VERSION_COLUMNS,
    CaseData,
    CatalogImportError,
    ParsedCatalog,
    ProcedureData,
    default_forms,
    fold,
)
from chinhquyenso.catalog.importer.rows import _parse_case, _parse_procedure, _Row, _split_list


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


# --- parsing the whole file


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
