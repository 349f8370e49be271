"""A stored procedure version read back into the layout's model, so unchanged content compares equal."""

from __future__ import annotations

from collections.abc import Iterable

from chinhquyenso.catalog.importer.layout import CaseData, ComponentData, FeeData, ProcedureData
from chinhquyenso.catalog.models import (
    ProcedureVersion,
)


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
