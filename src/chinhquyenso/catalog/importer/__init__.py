"""Import the procedure catalog from a spreadsheet (CSV or XLSX), docs/catalog-import-format.md.

One row per procedure *case*; rows sharing ``ma_thu_tuc`` form one procedure. The whole file is read and checked
first (``parse_catalog``): every problem is reported as ``dòng N, cột <tên cột>: <lý do>`` and nothing is written
unless the file is clean. Then ``import_catalog`` upserts by code inside one transaction through the catalog
services: a new code creates v1, changed content creates and publishes a new version (the old one stays readable,
superseded), identical content changes nothing.

``ProcedureData`` is the layout's model of one procedure; ``version_data`` reads a stored version into the same
model, so "identical content" and the export round trip are plain equality.

Modules: ``layout`` (columns, labels, the model), ``rows`` (one row checked), ``read`` (the file read and checked
whole), ``stored`` (a stored version as the model), ``write`` (the checked catalog written).
"""

from __future__ import annotations

from chinhquyenso.catalog.importer.layout import (
    AMOUNT,
    AUDIENCES,
    CASE_CODE,
    CASE_COLUMNS,
    COLUMNS,
    COMPONENT_FORM_LABELS,
    COMPONENT_FORMS,
    CUTOFF,
    FORM_KEY,
    ITEM_SEPARATOR,
    KNOWN_CATEGORIES,
    KNOWN_DOCUMENT_TYPES,
    LEVEL_LABELS,
    LEVELS,
    LIST_SEPARATOR,
    MAX_AMOUNT,
    MAX_TIME,
    NATIONAL_CODE,
    NO,
    ONLINE_LEVEL_LABELS,
    ONLINE_LEVELS,
    PROCEDURE_COLUMNS,
    REQUIRED_COLUMNS,
    SLUG,
    TIME_UNIT_LABELS,
    TIME_UNITS,
    TRAILING_PROCEDURE_COLUMNS,
    VERSION_COLUMNS,
    YES,
    CaseData,
    CatalogImportError,
    ComponentData,
    FeeData,
    ImportResult,
    ParsedCatalog,
    ProcedureData,
    component_code,
    default_forms,
    derived_component_codes,
    fee_kind_from_name,
    fold,
    format_amount,
    local_code_prefix,
)
from chinhquyenso.catalog.importer.read import parse_catalog, parse_rows, read_rows
from chinhquyenso.catalog.importer.stored import version_data, versions_with_content
from chinhquyenso.catalog.importer.write import apply_catalog, draft_cases_clear, import_catalog

__all__ = [
    "AMOUNT",
    "AUDIENCES",
    "CASE_CODE",
    "CASE_COLUMNS",
    "COLUMNS",
    "COMPONENT_FORMS",
    "COMPONENT_FORM_LABELS",
    "CUTOFF",
    "FORM_KEY",
    "ITEM_SEPARATOR",
    "KNOWN_CATEGORIES",
    "KNOWN_DOCUMENT_TYPES",
    "LEVELS",
    "LEVEL_LABELS",
    "LIST_SEPARATOR",
    "MAX_AMOUNT",
    "MAX_TIME",
    "NATIONAL_CODE",
    "NO",
    "ONLINE_LEVELS",
    "ONLINE_LEVEL_LABELS",
    "PROCEDURE_COLUMNS",
    "REQUIRED_COLUMNS",
    "SLUG",
    "TIME_UNITS",
    "TIME_UNIT_LABELS",
    "TRAILING_PROCEDURE_COLUMNS",
    "VERSION_COLUMNS",
    "YES",
    "CaseData",
    "CatalogImportError",
    "ComponentData",
    "FeeData",
    "ImportResult",
    "ParsedCatalog",
    "ProcedureData",
    "apply_catalog",
    "component_code",
    "default_forms",
    "derived_component_codes",
    "draft_cases_clear",
    "fee_kind_from_name",
    "fold",
    "format_amount",
    "import_catalog",
    "local_code_prefix",
    "parse_catalog",
    "parse_rows",
    "read_rows",
    "version_data",
    "versions_with_content",
]
