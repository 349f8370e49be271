"""Public catalog API: search procedures and read one with everything needed before applying. No sign-in."""

from __future__ import annotations

import math
from typing import cast

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router
from ninja.errors import HttpError

from chinhquyenso.catalog.models import (
    DocumentComponent,
    Fee,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
)
from chinhquyenso.catalog.schemas import (
    AgencyOut,
    ApplicantCategoryOut,
    CaseOut,
    ComponentForm,
    ComponentOut,
    DocumentTypeOut,
    FeeKind,
    FeeOut,
    FieldOut,
    LevelCode,
    OnlineLevelCode,
    ProblemOut,
    ProcedureDetailOut,
    ProcedureFilter,
    ProcedureListOut,
    ProcedureOut,
    ProcedureStatus,
    TimeUnitCode,
)
from chinhquyenso.catalog.search import procedure_search
from chinhquyenso.catalog.selectors import procedure_published

router = Router(tags=["Thủ tục hành chính"])


@router.get(
    "/procedures",
    response=ProcedureListOut,
    auth=None,
    operation_id="procedure_list",
    summary="Tra cứu thủ tục hành chính",
    description="Thủ tục đang áp dụng, tìm theo từ khóa hoặc mã (không phân biệt dấu, hoa thường) và lọc theo "
    "lĩnh vực, cơ quan, cấp thực hiện, mức độ trực tuyến. Thủ tục đã bãi bỏ không có trong kết quả.",
)
def procedure_list(request: HttpRequest, filters: Query[ProcedureFilter]) -> ProcedureListOut:
    versions = procedure_search(
        query=filters.q or "",
        field_code=filters.field,
        agency_id=filters.agency,
        level=filters.level,
        online_level=filters.online_level,
    )
    count = versions.count()
    start = (filters.page - 1) * filters.page_size
    page = list(versions[start : start + filters.page_size]) if start < count else []
    return ProcedureListOut(
        items=[_procedure_out(version, procedure=version.procedure) for version in page],
        count=count,
        page=filters.page,
        page_size=filters.page_size,
        pages=max(1, math.ceil(count / filters.page_size)),
    )


@router.get(
    "/procedures/{code}",
    response={200: ProcedureDetailOut, 404: ProblemOut},
    auth=None,
    operation_id="procedure_get",
    summary="Chi tiết một thủ tục hành chính",
    description="Phiên bản đang áp dụng: các trường hợp với thời hạn, phí, lệ phí (đồng), thành phần hồ sơ và biểu "
    "mẫu. Thủ tục đã bãi bỏ vẫn xem được (status = retired); thủ tục chưa công bố trả về 404.",
)
def procedure_get(request: HttpRequest, code: str) -> ProcedureDetailOut:
    procedure = procedure_published(code=code)
    if procedure is None or procedure.current_version is None:
        raise HttpError(
            404, gettext("Không tìm thấy thủ tục có mã «%(code)s» trong danh mục đang công bố.") % {"code": code}
        )
    version = procedure.current_version
    base = _procedure_out(version, procedure=procedure)
    return ProcedureDetailOut(
        **base.dict(),
        status=cast(ProcedureStatus, procedure.status),
        status_label=procedure.get_status_display(),
        version=version.number,
        published_at=version.published_at,
        competent_authority=version.competent_authority,
        competent_agencies=[AgencyOut(id=a.pk, code=a.code, name=a.name) for a in version.competent_agencies.all()],
        receiving_agencies=[AgencyOut(id=a.pk, code=a.code, name=a.name) for a in version.receiving_agencies.all()],
        for_citizens=version.for_citizens,
        for_businesses=version.for_businesses,
        result_type=version.result_type,
        legal_basis=version.legal_basis,
        description=version.description,
        cases=[_case_out(case) for case in version.cases.all()],
    )


def _procedure_out(version: ProcedureVersion, *, procedure: Procedure) -> ProcedureOut:
    cases = list(version.cases.all())  # prefetched by both selectors
    field = version.field
    return ProcedureOut(
        code=procedure.code,
        is_local_code=procedure.is_local_code,
        name=version.name,
        field=FieldOut(code=field.code, name=field.name) if field else None,
        level=cast(LevelCode, version.level),
        level_label=version.get_level_display(),
        online_level=cast(OnlineLevelCode, version.online_level),
        online_level_label=version.get_online_level_display(),
        processing_time=cases[0].processing_time_display() if cases else None,
    )


def _case_out(case: ProcedureCase) -> CaseOut:
    return CaseOut(
        code=case.code,
        name=case.name,
        processing_time=case.processing_time_display(),
        processing_value=case.processing_value,
        processing_unit=cast(TimeUnitCode, case.processing_unit),
        online_processing_value=case.online_processing_value,
        cutoff=case.cutoff.strftime("%H:%M") if case.cutoff else None,
        fees=[_fee_out(fee) for fee in case.fees.all()],
        components=[_component_out(component) for component in case.components.all()],
        form_schema=case.form_schema or {},
        form_ui=case.form_ui or {},
    )


def _fee_out(fee: Fee) -> FeeOut:
    return FeeOut(
        kind=cast(FeeKind, fee.kind),
        kind_label=fee.get_kind_display(),
        name=fee.name,
        amount=fee.amount,
        unit=fee.unit,
        variable=fee.variable,
        note=fee.note,
        exemptions=[ApplicantCategoryOut(code=c.code, name=c.name) for c in fee.exemptions.all()],
    )


def _component_out(component: DocumentComponent) -> ComponentOut:
    reusable = component.reusable_type
    return ComponentOut(
        code=component.code,
        name=component.name,
        form=cast(ComponentForm, component.form),
        form_label=component.get_form_display(),
        quantity=component.quantity,
        required=component.required,
        template_url=component.template.url if component.template else None,
        reusable_type=DocumentTypeOut(code=reusable.code, name=reusable.name) if reusable else None,
    )
