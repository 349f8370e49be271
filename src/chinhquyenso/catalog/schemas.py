"""Schemas of the public catalog API (``/api/v1/procedures``). Additive changes only within v1."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

# The values of the model's choices, spelled out so that the OpenAPI schema lists them.
LevelCode = Literal["province", "commune"]
OnlineLevelCode = Literal["full", "partial", "info"]
ProcedureStatus = Literal["active", "retired"]
TimeUnitCode = Literal["working_days", "working_hours", "calendar_days"]
FeeKind = Literal["phi", "le_phi"]
ComponentForm = Literal["original", "copy", "certified_copy", "present", "electronic"]
MAX_PAGE_SIZE = 100


class ProcedureFilter(Schema):
    q: str | None = Field(
        None,
        max_length=200,
        description="Từ khóa hoặc mã thủ tục; không phân biệt dấu, hoa thường (“dang ky khai sinh”).",
    )
    field: str | None = Field(None, max_length=40, description="Mã lĩnh vực.")
    agency: int | None = Field(None, description="Mã số (id) cơ quan giải quyết hoặc nơi tiếp nhận.")
    level: LevelCode | None = Field(None, description="Cấp thực hiện: province (cấp tỉnh), commune (cấp xã).")
    online_level: OnlineLevelCode | None = Field(
        None, description="Mức độ trực tuyến: full (toàn trình), partial (một phần), info (cung cấp thông tin)."
    )
    page: int = Field(1, ge=1, description="Trang, bắt đầu từ 1.")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"Số thủ tục mỗi trang, tối đa {MAX_PAGE_SIZE}.")


class FieldOut(Schema):
    code: str
    name: str


class AgencyOut(Schema):
    id: int
    code: str = Field(description="Mã định danh điện tử (QCVN 102:2016/BTTTT).")
    name: str


class ApplicantCategoryOut(Schema):
    code: str
    name: str


class DocumentTypeOut(Schema):
    code: str
    name: str


class ProcedureOut(Schema):
    code: str = Field(description="Mã thủ tục quốc gia (ví dụ 1.001193) hoặc mã nội bộ của tỉnh.")
    is_local_code: bool = Field(description="true khi chưa có mã quốc gia được xác nhận.")
    name: str
    field: FieldOut | None
    level: LevelCode
    level_label: str
    online_level: OnlineLevelCode
    online_level_label: str
    processing_time: str | None = Field(description="Thời hạn giải quyết của trường hợp đầu tiên.")


class ProcedureListOut(Schema):
    items: list[ProcedureOut]
    count: int = Field(description="Tổng số thủ tục tìm thấy.")
    page: int
    page_size: int
    pages: int = Field(description="Tổng số trang.")


class FeeOut(Schema):
    kind: FeeKind
    kind_label: str
    name: str
    amount: int = Field(description="Số tiền, đồng (VND không có đơn vị lẻ).")
    unit: str = Field(description="Tính theo (trang, bản, hồ sơ…); trống = mỗi hồ sơ.")
    variable: bool = Field(description="true khi cán bộ xác định số tiền theo hồ sơ.")
    note: str
    exemptions: list[ApplicantCategoryOut] = Field(description="Đối tượng được miễn.")


class ComponentOut(Schema):
    code: str
    name: str
    form: ComponentForm
    form_label: str
    quantity: int
    required: bool
    template_url: str | None = Field(description="Mẫu đơn, tờ khai để tải về, nếu có.")
    reusable_type: DocumentTypeOut | None = Field(description="Có thể dùng lại giấy tờ loại này từ kho dữ liệu.")


class CaseOut(Schema):
    code: str
    name: str
    processing_time: str = Field(description="Thời hạn giải quyết, để hiển thị.")
    processing_value: int | None = Field(description="null: pháp luật không quy định thời hạn.")
    processing_unit: TimeUnitCode
    online_processing_value: int | None = Field(description="Thời hạn khi nộp trực tuyến, nếu khác.")
    cutoff: str | None = Field(
        description="Giờ chốt (HH:MM): nhận hồ sơ sau giờ này thì trả kết quả ngày làm việc tiếp theo."
    )
    fees: list[FeeOut]
    components: list[ComponentOut]
    form_schema: dict[str, Any] = Field(description="Biểu mẫu, JSON Schema draft 2020-12.")
    form_ui: dict[str, Any] = Field(description="Cách hiển thị biểu mẫu (thứ tự, nhãn, kiểu trường).")


class ProcedureDetailOut(ProcedureOut):
    status: ProcedureStatus = Field(description="retired: đã bãi bỏ, không nhận hồ sơ mới.")
    status_label: str
    version: int
    published_at: datetime | None
    competent_authority: str
    competent_agencies: list[AgencyOut]
    receiving_agencies: list[AgencyOut] = Field(
        description="Rỗng: nộp tại bất kỳ bộ phận một cửa nào cùng cấp trong tỉnh, thành phố."
    )
    for_citizens: bool
    for_businesses: bool
    result_type: str
    legal_basis: str
    description: str
    cases: list[CaseOut]


class ProblemOut(Schema):
    """RFC 9457 problem details, as ``config/api.py`` writes them (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    request_id: str | None = None
