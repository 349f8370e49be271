"""Writing a checked catalog: one transaction, upsert by code through the catalog services."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from tqdm import tqdm

from chinhquyenso.agencies.models import Agency
from chinhquyenso.catalog.importer.layout import (
    KNOWN_CATEGORIES,
    KNOWN_DOCUMENT_TYPES,
    CatalogImportError,
    ImportResult,
    ParsedCatalog,
    ProcedureData,
)
from chinhquyenso.catalog.importer.read import parse_catalog
from chinhquyenso.catalog.importer.stored import version_data, versions_with_content
from chinhquyenso.catalog.models import (
    ApplicantCategory,
    DocumentType,
    Field,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
)
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
from chinhquyenso.core.audit import audit_record


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
