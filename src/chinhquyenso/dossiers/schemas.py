"""Schemas of the dossier API (``/api/v1/dossiers``, ``/api/v1/tracking``). Additive changes only within v1.

Every moment is sent in ISO 8601 with the local offset (``2026-11-16T08:00:00+07:00``, Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

from chinhquyenso.catalog.schemas import AgencyOut  # one agency reference across the API
from chinhquyenso.core.calendar import to_local

# Aware datetimes are turned to local time so that clients see +07:00, never UTC.
LocalDateTime = Annotated[datetime, AfterValidator(to_local)]
SyncCode = Literal[
    "receiving", "new", "denied", "processing", "waiting", "paying", "cancelled", "unresolved", "releasing", "done"
]
ChannelId = Literal[1, 2, 3]
Timeliness = Literal["early", "on_time", "late"]
DueFilter = Literal["overdue", "soon", "on_time"]
# Officer actions on POST /dossiers/{id}/actions/{action}; "approve" has its own multipart operation.
OfficerAction = Literal[
    "receive", "request_completion", "refuse", "claim", "forward", "return", "transfer", "request_supplement",
    "request_payment", "extend", "stop", "return_result",
]  # fmt: skip
MAX_PAGE_SIZE = 100
EXPECTED_VERSION = "Giá trị `version` của hồ sơ mà bạn đã đọc; hồ sơ đã bị thay đổi sau đó thì trả về 409."


# --- requests --------------------------------------------------------------------------------------------------------
class DossierIn(Schema):
    procedure_code: str = Field(min_length=1, max_length=40, description="Mã thủ tục (ví dụ 1.001193).")
    case_code: str = Field(min_length=1, max_length=40, description="Mã trường hợp của thủ tục (ví dụ 01).")
    data: dict[str, Any] = Field(
        default_factory=dict, description="Nội dung tờ khai theo form_schema của trường hợp; bản nháp được để dở."
    )


class DossierDataIn(Schema):
    data: dict[str, Any] = Field(description="Toàn bộ nội dung tờ khai (thay thế nội dung cũ).")


class DossierWithdrawIn(Schema):
    reason: str = Field(max_length=2000, description="Lý do rút hồ sơ (bắt buộc).")
    expected_version: int = Field(ge=0, description=EXPECTED_VERSION)


class DossierSupplementIn(Schema):
    data: dict[str, Any] | None = Field(None, description="Tờ khai đã sửa; bỏ trống nếu chỉ bổ sung tệp.")
    note: str = Field("", max_length=2000, description="Ghi chú gửi cơ quan giải quyết.")
    expected_version: int = Field(ge=0, description=EXPECTED_VERSION)


class DossierActionIn(Schema):
    """The fields an action needs; the others are ignored (see the operation's description)."""

    expected_version: int = Field(ge=0, description=EXPECTED_VERSION)
    note: str = Field("", max_length=2000, description="Ghi chú (nội bộ khi chuyển bước).")
    reason: str = Field("", max_length=2000, description="Lý do: bắt buộc với refuse, return, transfer, extend, stop.")
    missing: list[Annotated[str, Field(max_length=500)]] = Field(
        default_factory=list, max_length=50,
        description="Giấy tờ, nội dung cần bổ sung: bắt buộc với request_completion, request_supplement.",
    )  # fmt: skip
    target_agency_code: str = Field("", max_length=32, description="Mã đơn vị nhận (transfer).")
    new_due_date: date | None = Field(None, description="Ngày hẹn trả mới, YYYY-MM-DD, ngày làm việc (extend).")
    return_channel: ChannelId | None = Field(
        None, description="Hình thức trả kết quả (return_result): 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích."
    )


class DossierPageQuery(Schema):
    page: int = Field(1, ge=1, description="Trang, bắt đầu từ 1.")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"Số hồ sơ mỗi trang, tối đa {MAX_PAGE_SIZE}.")


class DossierFilter(Schema):
    state: int | None = Field(None, ge=1, le=10, description="Mã trạng thái 1–10; bỏ trống: các hồ sơ chưa kết thúc.")
    step: int | None = Field(None, ge=0, description="Bước của quy trình (0 = tiếp nhận).")
    procedure_code: str | None = Field(None, max_length=40, description="Mã thủ tục.")
    due: DueFilter | None = Field(
        None, description="overdue: quá hạn; soon: đến hạn trong 24 giờ; on_time: còn hạn hoặc không có hạn."
    )
    q: str | None = Field(None, max_length=100, description="Mã hồ sơ (hoặc phần đầu) hoặc tên người nộp.")
    mine: bool = Field(False, description="Chỉ hồ sơ giao cho tôi hoặc chưa giao ai ở vai trò của tôi.")
    agency_id: int | None = Field(None, description="Chỉ một đơn vị của tôi.")
    cursor: str | None = Field(None, max_length=200, description="next_cursor của trang trước.")
    limit: int = Field(25, ge=1, le=MAX_PAGE_SIZE, description=f"Số hồ sơ mỗi trang, tối đa {MAX_PAGE_SIZE}.")


# --- responses -------------------------------------------------------------------------------------------------------
class StateOut(Schema):
    id: int = Field(ge=1, le=10, description="Mã trạng thái (DVCQG): 1 Mới đăng ký … 10 Đã trả kết quả.")
    name: str
    sync_code: SyncCode = Field(description="Mã đồng bộ với Cổng Dịch vụ công quốc gia.")


class ChannelOut(Schema):
    id: ChannelId
    name: str


class ProcedureRefOut(Schema):
    code: str
    name: str


class CaseRefOut(Schema):
    code: str
    name: str


class ApplicantOut(Schema):
    name: str
    id_number: str = Field(description="Số CCCD hoặc mã số thuế.")
    phone: str
    email: str
    address: str


class AttachmentOut(Schema):
    id: int
    component_code: str | None = Field(description="Thành phần hồ sơ; null: giấy tờ khác.")
    name: str = Field(description="Tên tệp khi tải lên.")
    content_type: Literal["application/pdf", "image/jpeg", "image/png"] = Field(
        description="Nhận biết theo nội dung tệp."
    )
    size: int = Field(description="Dung lượng, byte.")
    sha256: str
    created_at: LocalDateTime


class DossierEventOut(Schema):
    at: LocalDateTime
    action: str
    from_state: StateOut | None
    state: StateOut
    agency: AgencyOut | None
    note: str = Field(description="Ghi chú gửi người nộp.")


class DossierSummaryOut(Schema):
    id: int
    code: str | None = Field(description="Mã hồ sơ, có khi được tiếp nhận.")
    is_draft: bool
    version: int = Field(description="Phiên bản bản ghi: gửi lại trong expected_version khi thao tác.")
    state: StateOut
    procedure: ProcedureRefOut
    case: CaseRefOut
    applicant_name: str
    current_agency: AgencyOut
    current_step: int
    created_at: LocalDateTime
    submitted_at: LocalDateTime | None
    received_at: LocalDateTime | None
    due_at: LocalDateTime | None = Field(description="Hẹn trả kết quả.")
    step_due_at: LocalDateTime | None = Field(description="Hạn của bước hiện tại.")
    finished_at: LocalDateTime | None


class DossierOut(DossierSummaryOut):
    channel: ChannelOut
    applicant: ApplicantOut
    receiving_agency: AgencyOut
    current_step_name: str
    data: dict[str, Any] = Field(description="Nội dung tờ khai.")
    attachments: list[AttachmentOut]
    timeline: list[DossierEventOut]
    allowed_actions: list[str] = Field(description="Các thao tác tài khoản đang dùng được làm lúc này.")
    returned_at: LocalDateTime | None
    timeliness: Timeliness | None = Field(description="Khi đã kết thúc: early trước hạn, on_time, late quá hạn.")
    supplement_count: int
    extended_count: int
    has_result: bool = Field(description="Đã có tệp kết quả giải quyết.")


class DossierPageOut(Schema):
    items: list[DossierSummaryOut]
    count: int = Field(description="Tổng số hồ sơ.")
    page: int
    page_size: int
    pages: int = Field(description="Tổng số trang.")


class DossierInboxOut(Schema):
    items: list[DossierSummaryOut]
    next_cursor: str | None = Field(description="Gửi trong cursor để lấy trang sau; null: đã hết.")


class TrackingEventOut(Schema):
    at: LocalDateTime
    action: str
    state: StateOut
    agency: str = Field(description="Tên đơn vị thực hiện.")


class TrackingOut(Schema):
    """What anyone holding the code may see: no personal data, no notes."""

    code: str
    state: StateOut
    procedure: ProcedureRefOut
    receiving_agency: AgencyOut
    current_agency: AgencyOut
    received_at: LocalDateTime | None
    due_at: LocalDateTime | None
    finished_at: LocalDateTime | None
    timeline: list[TrackingEventOut]


class FieldErrorOut(Schema):
    field: str = Field(description="Trường của tờ khai, hoặc component-<mã> cho giấy tờ còn thiếu.")
    message: str


class RequestErrorOut(Schema):
    """A request that does not parse (wrong type, missing field), as django-ninja reports it."""

    type: str
    loc: list[str | int]
    msg: str


class DossierProblemOut(Schema):
    """RFC 9457 problem details (``application/problem+json``) with a Vietnamese title and detail."""

    type: str
    title: str
    status: int
    detail: str
    code: str | None = Field(
        None, description="Mã lỗi ổn định để phần mềm xử lý (ví dụ stale_dossier, illegal_transition)."
    )
    request_id: str | None = None
    errors: list[FieldErrorOut | RequestErrorOut] | None = Field(None, description="Lỗi theo từng trường.")
    allowed_actions: list[str] | None = Field(None, description="409: các thao tác được phép lúc này.")
    current_state: StateOut | None = Field(None, description="409: trạng thái hiện tại của hồ sơ.")
