"""Schemas of the 766 API (``/api/v1/quality/766``). Additive changes only within v1. Ratios are fractions (0.875 =
87,5 %), points are numbers of points; dates ``YYYY-MM-DD`` (local), moments ISO 8601 with the local offset."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Schema

from chinhquyenso.catalog.schemas import AgencyOut  # one agency reference across the API
from chinhquyenso.dossiers.schemas import LocalDateTime, RequestErrorOut

IndicatorStatus = Literal["computed", "no_data", "not_computed"]


class QualityQuery(Schema):
    agency_id: int | None = Field(
        None, description="Đơn vị cần xem; bỏ trống: toàn tỉnh (chỉ dành cho quản trị hệ thống)."
    )
    date_from: date | None = Field(
        None, alias="from", description="Ngày đầu kỳ (YYYY-MM-DD, giờ Việt Nam); bỏ trống: ngày 1 của tháng này."
    )
    date_to: date | None = Field(
        None, alias="to", description="Ngày cuối kỳ, tính cả ngày này; bỏ trống: hôm nay. Tối đa 366 ngày."
    )


class IndicatorOut(Schema):
    key: str = Field(description="Mã ổn định của chỉ số, ví dụ timeliness, online_dossiers.")
    number: str = Field(description="Số thứ tự hiển thị, ví dụ 2.1.")
    name: str
    status: IndicatorStatus = Field(
        description="computed: đã tính; no_data: không có dữ liệu trong kỳ (mẫu số 0), không cộng vào tổng; "
        "not_computed: nền tảng chưa có dữ liệu cho chỉ số này."
    )
    numerator: int | None = Field(description="Số đạt (tử số).")
    denominator: int | None = Field(description="Tổng số (mẫu số).")
    ratio: float | None = Field(description="Tỷ lệ, từ 0 đến 1 (0.875 = 87,5 %).")
    threshold: float = Field(description="Ngưỡng T, từ 0 đến 1: tỷ lệ từ T trở lên được đủ điểm.")
    max_points: float = Field(description="Điểm tối đa của chỉ số (cấu hình CQS_766_WEIGHTS).")
    points: float | None = Field(description="Điểm đạt: đủ điểm nếu tỷ lệ ≥ T, nếu không tỷ lệ × điểm tối đa ÷ T.")
    note: str = Field(description="Giải thích (ví dụ: chưa có dữ liệu đánh giá).")


class GroupOut(Schema):
    number: int
    name: str
    max_points: float
    points: float = Field(description="Tổng điểm các chỉ số đã tính của nhóm.")
    computable_points: float = Field(description="Tổng điểm tối đa của các chỉ số đã tính được.")
    indicators: list[IndicatorOut]


class QualityReportOut(Schema):
    agency: AgencyOut | None = Field(description="Đơn vị; null: toàn tỉnh.")
    date_from: date = Field(alias="from", description="Ngày đầu kỳ.")
    date_to: date = Field(alias="to", description="Ngày cuối kỳ (tính cả ngày này).")
    as_of: LocalDateTime = Field(
        description="Thời điểm xét hồ sơ chưa giải quyết xong: cuối kỳ, hoặc lúc này nếu kỳ chưa kết thúc."
    )
    points: float = Field(description="Tổng điểm của các chỉ số đã tính.")
    computable_points: float = Field(description="Tổng điểm tối đa của các chỉ số đã tính được.")
    max_points: float = Field(description="Thang điểm của Bộ chỉ số (100).")
    groups: list[GroupOut]


class QualityFieldErrorOut(Schema):
    field: str = Field(description="Tham số cần sửa: from hoặc to.")
    message: str


class QualityProblemOut(Schema):
    """RFC 9457 problem details (``application/problem+json``) with a Vietnamese title and detail."""

    type: str
    title: str
    status: int
    detail: str
    code: str | None = Field(None, description="Mã lỗi ổn định: not_found, invalid_period.")
    request_id: str | None = None
    errors: list[QualityFieldErrorOut | RequestErrorOut] | None = Field(None, description="Lỗi theo từng tham số.")
