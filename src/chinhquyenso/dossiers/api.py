"""The dossier API (``/api/v1/dossiers``) and public tracking by code (``/api/v1/tracking``).

Handlers parse, call one service or selector, and render. Domain errors (``DossierError``) become RFC 9457
problem details through ``dossier_problem``; see docs/api.md for the integrator's view.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import FileEx, FormEx, HeaderEx, P, Query, Router, Status, UploadedFile
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from chinhquyenso.accounts.api_auth import TokenAuth
from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency
from chinhquyenso.catalog.schemas import AgencyOut
from chinhquyenso.catalog.selectors import NotFileable, case_for_filing
from chinhquyenso.core.errors import problem
from chinhquyenso.dossiers import selectors, services
from chinhquyenso.dossiers.attachments import AttachmentRejected, attachment_add
from chinhquyenso.dossiers.errors import (
    DossierError,
    DossierNotFound,
    IllegalTransition,
    InvalidDossier,
    NotAllowed,
    StaleDossier,
)
from chinhquyenso.dossiers.models import SYNC_CODES, Attachment, Channel, Dossier, DossierEvent, State
from chinhquyenso.dossiers.schemas import (
    ApplicantOut,
    AttachmentOut,
    CaseRefOut,
    ChannelId,
    ChannelOut,
    DossierActionIn,
    DossierDataIn,
    DossierEventOut,
    DossierFilter,
    DossierIn,
    DossierInboxOut,
    DossierOut,
    DossierPageOut,
    DossierPageQuery,
    DossierProblemOut,
    DossierSummaryOut,
    DossierSupplementIn,
    DossierWithdrawIn,
    OfficerAction,
    ProcedureRefOut,
    StateOut,
    SyncCode,
    Timeliness,
    TrackingEventOut,
    TrackingOut,
)
from chinhquyenso.dossiers.workflow import parse_steps

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

router = Router(tags=["Hồ sơ"])
tracking_router = Router(tags=["Tra cứu hồ sơ"])

# The same as the NinjaAPI's default, named on every operation so that the OpenAPI document says it.
AUTH = [TokenAuth(), django_auth]
APPLICANT = ["Hồ sơ — người nộp"]
OFFICER = ["Hồ sơ — cán bộ"]
Problem = DossierProblemOut


# --- errors as problem details ---------------------------------------------------------------------------------------
# (stable code for software, short title for people in the request's language); the first match along the class
# hierarchy wins.
_PROBLEMS: dict[type[DossierError], tuple[str, StrOrPromise]] = {
    DossierNotFound: ("not_found", _("Không tìm thấy hồ sơ")),
    StaleDossier: ("stale_dossier", _("Hồ sơ vừa được cập nhật")),
    IllegalTransition: ("illegal_transition", _("Không thể thực hiện thao tác lúc này")),
    NotAllowed: ("not_allowed", _("Không có quyền")),
    InvalidDossier: ("invalid_dossier", _("Hồ sơ chưa hợp lệ")),
}
_ATTACHMENT_PROBLEMS: dict[int, tuple[str, StrOrPromise]] = {
    413: ("file_too_large", _("Tệp quá lớn")),
    415: ("unsupported_file_type", _("Loại tệp không được chấp nhận")),
    422: ("invalid_attachment", _("Tệp đính kèm không hợp lệ")),
}


def _problem_kind(exc: DossierError) -> tuple[str, str]:
    if isinstance(exc, AttachmentRejected) and exc.status in _ATTACHMENT_PROBLEMS:
        code, title = _ATTACHMENT_PROBLEMS[exc.status]
        return code, str(title)
    for cls in type(exc).__mro__:
        if cls in _PROBLEMS:
            code, title = _PROBLEMS[cast(type[DossierError], cls)]
            return code, str(title)
    return "dossier_error", gettext("Không thực hiện được yêu cầu")


def dossier_problem(request: HttpRequest, exc: DossierError, *, dossier_id: int | None = None) -> HttpResponse:
    """A ``DossierError`` as problem+json: status from the exception, ``detail`` = its message, plus ``errors``
    [{field, message}] for field errors and, on 409, ``allowed_actions`` and ``current_state`` as they are now."""
    code, title = _problem_kind(exc)
    extra: dict[str, Any] = {"code": code}
    if exc.fields:
        extra["errors"] = [
            {"field": field, "message": message} for field, messages in exc.fields.items() for message in messages
        ]
    if exc.status == 409 and dossier_id is not None:
        extra.update(_conflict_context(request, exc, dossier_id))
    elif exc.allowed:
        extra["allowed_actions"] = exc.allowed
    return problem(request, exc.status, title, exc.message, **extra)


def _conflict_context(request: HttpRequest, exc: DossierError, dossier_id: int) -> dict[str, Any]:
    """Read again after the failed write rolled back, so the client sees what it may do now."""
    actor = _actor(request)
    try:
        dossier = selectors.dossier_get(actor=actor, dossier_id=dossier_id)
    except DossierNotFound:
        return {"allowed_actions": exc.allowed}
    return {
        "allowed_actions": services.allowed_actions(actor=actor, dossier=dossier),
        "current_state": _state(dossier.state).model_dump(),
    }


def _not_fileable(request: HttpRequest, exc: NotFileable) -> HttpResponse:
    return problem(request, 422, gettext("Thủ tục chưa nhận hồ sơ"), str(exc), code="not_fileable")


# --- rendering -------------------------------------------------------------------------------------------------------
def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise AuthenticationError
    return user


def _state(value: int) -> StateOut:
    state = State(value)
    return StateOut(id=state.value, name=str(state.label), sync_code=cast(SyncCode, SYNC_CODES[state]))


def _agency(agency: Agency) -> AgencyOut:
    return AgencyOut(id=agency.pk, code=agency.code, name=agency.name)


def _summary(dossier: Dossier) -> DossierSummaryOut:
    version = dossier.case.version
    return DossierSummaryOut(
        id=dossier.pk,
        code=dossier.code,
        is_draft=dossier.is_draft,
        version=dossier.lock_version,
        state=_state(dossier.state),
        procedure=ProcedureRefOut(code=version.procedure.code, name=version.name),
        case=CaseRefOut(code=dossier.case.code, name=dossier.case.name),
        applicant_name=dossier.applicant_name,
        current_agency=_agency(dossier.current_agency),
        current_step=dossier.current_step,
        created_at=dossier.created_at,
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        step_due_at=dossier.step_due_at,
        finished_at=dossier.finished_at,
    )


def _attachment(attachment: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=attachment.pk,
        component_code=attachment.component.code if attachment.component else None,
        name=attachment.original_name,
        content_type=attachment.content_type,  # type: ignore[arg-type]  # sniffed: one of the three kinds
        size=attachment.size,
        sha256=attachment.sha256,
        created_at=attachment.created_at,
    )


def _event(event: DossierEvent) -> DossierEventOut:
    return DossierEventOut(
        at=event.at,
        action=event.action,
        from_state=_state(event.from_state) if event.from_state is not None else None,
        state=_state(event.to_state),
        agency=_agency(event.agency) if event.agency else None,
        note=event.note,
    )


def _dossier_out(request: HttpRequest, dossier: Dossier) -> DossierOut:
    steps = parse_steps(dossier.workflow.steps)
    return DossierOut(
        **_summary(dossier).model_dump(),
        channel=ChannelOut(id=cast(ChannelId, dossier.channel), name=str(Channel(dossier.channel).label)),
        applicant=ApplicantOut(
            name=dossier.applicant_name,
            id_number=dossier.applicant_id_number,
            phone=dossier.applicant_phone,
            email=dossier.applicant_email,
            address=dossier.applicant_address,
        ),
        receiving_agency=_agency(dossier.receiving_agency),
        current_step_name=steps[min(dossier.current_step, len(steps) - 1)].name,
        data=dossier.data,
        attachments=[_attachment(a) for a in dossier.attachments.select_related("component")],
        timeline=[_event(e) for e in dossier.events.select_related("agency").order_by("at", "id")],
        allowed_actions=services.allowed_actions(actor=_actor(request), dossier=dossier),
        returned_at=dossier.returned_at,
        timeliness=cast(Timeliness, dossier.timeliness) if dossier.timeliness else None,
        supplement_count=dossier.supplement_count,
        extended_count=dossier.extended_count,
        has_result=bool(dossier.result_file),
    )


# --- applicant -------------------------------------------------------------------------------------------------------
@router.post(
    "",
    response={200: DossierOut, 201: DossierOut, 401: Problem, 422: Problem},
    auth=AUTH,
    operation_id="dossier_create",
    summary="Tạo hồ sơ nháp",
    description="Tạo bản nháp cho một trường hợp của thủ tục đang công bố; tờ khai được để dở. Gửi kèm header "
    "`Idempotency-Key` (chuỗi ngẫu nhiên, ví dụ UUID, tối đa 100 ký tự) để gửi lại an toàn: cùng một khóa thì "
    "trả về hồ sơ đã tạo lần đầu với mã 200 thay vì 201, kể cả khi nội dung gửi lại khác. Thủ tục không tồn tại, "
    "chưa công bố, đã bãi bỏ hoặc không có trường hợp đó: 422 (code = not_fileable).",
    tags=APPLICANT,
)
def dossier_create(
    request: HttpRequest,
    payload: DossierIn,
    idempotency_key: HeaderEx[
        str | None,
        P(alias="Idempotency-Key", min_length=1, max_length=100, description="Khóa chống tạo trùng khi gửi lại."),
    ] = None,
) -> Status[DossierOut] | HttpResponse:
    actor = _actor(request)
    try:
        case = case_for_filing(code=payload.procedure_code, case_code=payload.case_code)
    except NotFileable as exc:
        return _not_fileable(request, exc)
    try:
        dossier, created = services.dossier_draft_create(
            actor=actor, case=case, data=payload.data, idempotency_key=idempotency_key
        )
    except DossierError as exc:
        return dossier_problem(request, exc)
    return Status(201 if created else 200, _dossier_out(request, dossier))


@router.get(
    "/mine",
    response={200: DossierPageOut, 401: Problem},
    auth=AUTH,
    operation_id="dossier_list_mine",
    summary="Hồ sơ của tôi",
    description="Hồ sơ (cả bản nháp) của tài khoản đang dùng, mới tạo trước, chia trang.",
    tags=APPLICANT,
)
def dossier_list_mine(request: HttpRequest, query: Query[DossierPageQuery]) -> DossierPageOut:
    dossiers = selectors.dossier_list_for_applicant(actor=_actor(request)).select_related("current_agency")
    count = dossiers.count()
    start = (query.page - 1) * query.page_size
    page = list(dossiers[start : start + query.page_size]) if start < count else []
    return DossierPageOut(
        items=[_summary(d) for d in page],
        count=count,
        page=query.page,
        page_size=query.page_size,
        pages=max(1, math.ceil(count / query.page_size)),
    )


# --- officer: inbox (declared before /{dossier_id} so that "inbox" is not read as an id) ---------------------------
@router.get(
    "/inbox",
    response={200: DossierInboxOut, 401: Problem, 403: Problem},
    auth=AUTH,
    operation_id="dossier_inbox",
    summary="Hộp hồ sơ của cán bộ",
    description="Hồ sơ đang ở các đơn vị của cán bộ, mới nộp trước. Phân trang theo con trỏ: gửi `next_cursor` "
    "của trang trước trong `cursor`; `next_cursor` = null là hết. Không lọc theo trạng thái thì chỉ gồm hồ sơ "
    "chưa kết thúc (và hồ sơ đã xử lý xong chờ trả kết quả). Tài khoản không phải cán bộ: 403.",
    tags=OFFICER,
)
def dossier_inbox(request: HttpRequest, filters: Query[DossierFilter]) -> DossierInboxOut | HttpResponse:
    actor = _actor(request)
    if not actor.is_officer:
        return problem(request, 403, gettext("Không có quyền"), gettext("Hộp hồ sơ chỉ dành cho tài khoản cán bộ."),
                       code="not_officer")  # fmt: skip
    page = selectors.dossier_inbox(
        actor=actor,
        filters=selectors.InboxFilter(
            state=filters.state,
            step=filters.step,
            procedure_code=filters.procedure_code,
            due=filters.due,
            search=filters.q,
            mine=filters.mine,
            agency_id=filters.agency_id,
        ),
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return DossierInboxOut(items=[_summary(d) for d in page.items], next_cursor=page.next_cursor)


# --- one dossier -----------------------------------------------------------------------------------------------------
@router.get(
    "/{dossier_id}",
    response={200: DossierOut, 401: Problem, 404: Problem},
    auth=AUTH,
    operation_id="dossier_get",
    summary="Chi tiết một hồ sơ",
    description="Người nộp xem hồ sơ của mình; cán bộ xem hồ sơ đã đi qua đơn vị của mình. Hồ sơ khác: 404.",
    tags=[*APPLICANT, *OFFICER],
)
def dossier_get(request: HttpRequest, dossier_id: int) -> DossierOut | HttpResponse:
    try:
        dossier = selectors.dossier_get(actor=_actor(request), dossier_id=dossier_id)
    except DossierError as exc:
        return dossier_problem(request, exc)
    return _dossier_out(request, dossier)


@router.put(
    "/{dossier_id}/data",
    response={200: DossierOut, 401: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=AUTH,
    operation_id="dossier_data_update",
    summary="Cập nhật tờ khai của bản nháp",
    description="Thay toàn bộ nội dung tờ khai. Tờ khai được kiểm tra đầy đủ khi nộp. Hồ sơ đã nộp: 409.",
    tags=APPLICANT,
)
def dossier_data_update(request: HttpRequest, dossier_id: int, payload: DossierDataIn) -> DossierOut | HttpResponse:
    try:
        dossier = services.dossier_draft_update(actor=_actor(request), dossier_id=dossier_id, data=payload.data)
    except DossierError as exc:
        return dossier_problem(request, exc, dossier_id=dossier_id)
    return _dossier_out(request, dossier)


@router.post(
    "/{dossier_id}/attachments",
    response={201: AttachmentOut, 401: Problem, 404: Problem, 409: Problem, 413: Problem, 415: Problem, 422: Problem},
    auth=AUTH,
    operation_id="dossier_attachment_create",
    summary="Đính kèm giấy tờ",
    description="multipart/form-data với `component_code` (mã thành phần hồ sơ) và `file`. Chỉ nhận PDF, JPEG, PNG, "
    "nhận biết theo nội dung tệp: loại khác 415; vượt dung lượng mỗi tệp hoặc cả hồ sơ 413; thành phần không "
    "thuộc thủ tục 422. Chỉ khi hồ sơ là bản nháp hoặc đang chờ bổ sung, nếu không 409.",
    tags=APPLICANT,
)
def dossier_attachment_create(
    request: HttpRequest,
    dossier_id: int,
    component_code: FormEx[str, P(min_length=1, max_length=60, description="Mã thành phần hồ sơ.")],
    file: FileEx[UploadedFile, P(description="Tệp PDF, JPEG hoặc PNG.")],
) -> Status[AttachmentOut] | HttpResponse:
    try:
        attachment = attachment_add(
            actor=_actor(request), dossier_id=dossier_id, component_code=component_code, upload=file
        )
    except DossierError as exc:
        return dossier_problem(request, exc, dossier_id=dossier_id)
    return Status(201, _attachment(attachment))


@router.post(
    "/{dossier_id}/submit",
    response={200: DossierOut, 401: Problem, 404: Problem, 422: Problem},
    auth=AUTH,
    operation_id="dossier_submit",
    summary="Nộp hồ sơ",
    description="Nộp bản nháp (trạng thái 1, kênh trực tuyến). Thiếu hoặc sai: 422 với `errors` "
    "[{field, message}], field là tên trường của tờ khai hoặc component-<mã> cho giấy tờ còn thiếu. "
    "Nộp lại hồ sơ đã nộp thì trả về hồ sơ, không đổi gì.",
    tags=APPLICANT,
)
def dossier_submit(request: HttpRequest, dossier_id: int) -> DossierOut | HttpResponse:
    try:
        dossier = services.dossier_submit(actor=_actor(request), dossier_id=dossier_id)
    except DossierError as exc:
        return dossier_problem(request, exc, dossier_id=dossier_id)
    return _dossier_out(request, dossier)


@router.post(
    "/{dossier_id}/withdraw",
    response={200: DossierOut, 401: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=AUTH,
    operation_id="dossier_withdraw",
    summary="Rút hồ sơ",
    description="Người nộp rút hồ sơ đã nộp (trạng thái 7). Cần lý do và `expected_version`.",
    tags=APPLICANT,
)
def dossier_withdraw(request: HttpRequest, dossier_id: int, payload: DossierWithdrawIn) -> DossierOut | HttpResponse:
    try:
        dossier = services.dossier_withdraw(
            actor=_actor(request), dossier_id=dossier_id, expected_version=payload.expected_version,
            reason=payload.reason,
        )  # fmt: skip
    except DossierError as exc:
        return dossier_problem(request, exc, dossier_id=dossier_id)
    return _dossier_out(request, dossier)


@router.post(
    "/{dossier_id}/supplement",
    response={200: DossierOut, 401: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=AUTH,
    operation_id="dossier_supplement",
    summary="Nộp bổ sung hồ sơ",
    description="Khi hồ sơ đang chờ bổ sung (trạng thái 5): đính kèm tệp trước, rồi gửi tờ khai đã sửa (nếu có). "
    "Chưa đầy đủ: 422 với `errors`.",
    tags=APPLICANT,
)
def dossier_supplement(
    request: HttpRequest, dossier_id: int, payload: DossierSupplementIn
) -> DossierOut | HttpResponse:
    try:
        dossier = services.dossier_supplement(
            actor=_actor(request), dossier_id=dossier_id, expected_version=payload.expected_version,
            data=payload.data, note=payload.note,
        )  # fmt: skip
    except DossierError as exc:
        return dossier_problem(request, exc, dossier_id=dossier_id)
    return _dossier_out(request, dossier)


# --- officer actions (approve first: its path is more specific than /actions/{action}) ----------------------------
@router.post(
    "/{dossier_id}/actions/approve",
    response={200: DossierOut, 401: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=AUTH,
    operation_id="dossier_approve",
    summary="Hoàn thành xử lý, đính kèm kết quả",
    description="multipart/form-data với `expected_version` và `result_file` (tệp kết quả giải quyết). Hồ sơ "
    "chuyển sang Đã xử lý xong (9) và về bộ phận một cửa để trả kết quả.",
    tags=OFFICER,
)
def dossier_approve(
    request: HttpRequest,
    dossier_id: int,
    expected_version: FormEx[int, P(ge=0, description="Giá trị `version` của hồ sơ mà bạn đã đọc.")],
    result_file: FileEx[UploadedFile, P(description="Tệp kết quả giải quyết.")],
) -> DossierOut | HttpResponse:
    try:
        dossier = services.dossier_act(
            actor=_actor(request), dossier_id=dossier_id, action="approve", expected_version=expected_version,
            params=services.ActionParams(result_file=result_file),
        )  # fmt: skip
    except DossierError as exc:
        return dossier_problem(request, exc, dossier_id=dossier_id)
    return _dossier_out(request, dossier)


@router.post(
    "/{dossier_id}/actions/{action}",
    response={200: DossierOut, 401: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=AUTH,
    operation_id="dossier_act",
    summary="Thao tác của cán bộ trên hồ sơ",
    description="receive, request_completion (cần missing), refuse (cần reason), claim, forward, return (cần "
    "reason), transfer (cần reason, target_agency_code), request_supplement (cần missing), request_payment, "
    "extend (cần reason, new_due_date), stop (cần reason), return_result (return_channel). Thao tác không được "
    "phép ở trạng thái hiện tại, hoặc hồ sơ đã đổi sau khi đọc (expected_version cũ): 409 với `allowed_actions` "
    "và `current_state`. Hồ sơ không qua đơn vị của cán bộ: 404. Hoàn thành xử lý: POST …/actions/approve.",
    tags=OFFICER,
)
def dossier_act(
    request: HttpRequest, dossier_id: int, action: OfficerAction, payload: DossierActionIn
) -> DossierOut | HttpResponse:
    params = services.ActionParams(
        note=payload.note,
        reason=payload.reason,
        missing=list(payload.missing),
        target_agency_code=payload.target_agency_code,
        new_due_date=payload.new_due_date,
        return_channel=payload.return_channel,
    )
    try:
        dossier = services.dossier_act(
            actor=_actor(request), dossier_id=dossier_id, action=action, expected_version=payload.expected_version,
            params=params,
        )  # fmt: skip
    except DossierError as exc:
        return dossier_problem(request, exc, dossier_id=dossier_id)
    return _dossier_out(request, dossier)


# --- public tracking -------------------------------------------------------------------------------------------------
@tracking_router.get(
    "/{code}",
    response={200: TrackingOut, 404: Problem},
    auth=None,
    operation_id="dossier_track",
    summary="Tra cứu tiến độ hồ sơ theo mã",
    description="Không cần đăng nhập. Chỉ gồm tiến độ: không có thông tin cá nhân của người nộp và không có ghi "
    "chú. Mã không có hoặc hồ sơ chưa được tiếp nhận: 404.",
)
def dossier_track(request: HttpRequest, code: str) -> TrackingOut | HttpResponse:
    dossier = selectors.dossier_by_code(code=code)
    if dossier is None or dossier.code is None:
        return problem(request, 404, gettext("Không tìm thấy hồ sơ"),
                       gettext("Không có hồ sơ mang mã «%(code)s».") % {"code": code}, code="not_found")  # fmt: skip
    version = dossier.case.version
    return TrackingOut(
        code=dossier.code,
        state=_state(dossier.state),
        procedure=ProcedureRefOut(code=version.procedure.code, name=version.name),
        receiving_agency=_agency(dossier.receiving_agency),
        current_agency=_agency(dossier.current_agency),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        timeline=[
            TrackingEventOut(at=e["at"], action=e["action"], state=_state(e["state"]), agency=e["agency"])
            for e in selectors.timeline_public(dossier=dossier)
        ],
    )
