"""Schemas of the data store API (``/api/v1/wallet``, and ``/api/v1/dossiers/{id}/attachments/from-wallet``).
Additive changes only within v1. Moments are ISO 8601 with the local offset, dates ``YYYY-MM-DD``."""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from chinhquyenso.catalog.schemas import AgencyOut, DocumentTypeOut  # one reference of each across the API
from chinhquyenso.dossiers.schemas import LocalDateTime, RequestErrorOut

MAX_PAGE_SIZE = 100
WalletSource = Literal["issued_result", "kept_attachment", "kept_result"]
WalletStatus = Literal["valid", "expired", "superseded", "revoked"]
WalletAction = Literal["stored", "viewed", "reused", "officer_viewed", "removed"]
CURSOR = "next_cursor của trang trước."


# --- requests --------------------------------------------------------------------------------------------------------
class WalletItemQuery(Schema):
    cursor: str | None = Field(None, max_length=200, description=CURSOR)
    limit: int = Field(25, ge=1, le=MAX_PAGE_SIZE, description=f"Số giấy tờ mỗi trang, tối đa {MAX_PAGE_SIZE}.")


class WalletAccessQuery(Schema):
    item_id: int | None = Field(None, description="Chỉ nhật ký của một giấy tờ (kể cả giấy tờ đã xóa khỏi kho).")
    cursor: str | None = Field(None, max_length=200, description=CURSOR)
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"Số dòng mỗi trang, tối đa {MAX_PAGE_SIZE}.")


class WalletKeepIn(Schema):
    """A document of one of the caller's dossiers: one of its attachments, or its result."""

    dossier_id: int = Field(description="Hồ sơ của bạn chứa giấy tờ cần lưu.")
    attachment_id: int | None = Field(None, description="Tệp đính kèm của hồ sơ (id trong `attachments`).")
    result: bool = Field(False, description="true: lưu kết quả giải quyết của hồ sơ (thay cho attachment_id).")
    document_type_code: str = Field(
        "", max_length=60, description="Mã loại giấy tờ; bỏ trống: theo thành phần hồ sơ, hoặc không xếp loại."
    )
    title: str = Field("", max_length=255, description="Tên giấy tờ; bỏ trống: tên loại giấy tờ.")

    @model_validator(mode="after")
    def _one_document(self) -> Self:
        if (self.attachment_id is None) == (not self.result):
            raise PydanticCustomError(
                "one_document", gettext("Gửi attachment_id hoặc result = true (chỉ một trong hai).")
            )
        return self


class WalletReuseIn(Schema):
    component_code: str = Field(min_length=1, max_length=60, description="Mã thành phần hồ sơ nhận giấy tờ.")
    item_id: int = Field(description="Giấy tờ trong kho dữ liệu của bạn.")


# --- responses -------------------------------------------------------------------------------------------------------
class WalletItemOut(Schema):
    id: int
    title: str
    document_type: DocumentTypeOut | None = Field(description="Loại giấy tờ; null: chưa xếp loại.")
    source: WalletSource = Field(
        description="issued_result: kết quả điện tử do cơ quan cấp; kept_attachment: giấy tờ bạn đã nộp trong hồ sơ "
        "và lưu lại; kept_result: tệp kết quả của hồ sơ do bạn lưu lại."
    )
    source_label: str
    issuer: str = Field(description="Cơ quan cấp; rỗng nếu không rõ.")
    number: str = Field(description="Số văn bản (kết quả điện tử); rỗng nếu không có.")
    issued_on: date | None = Field(description="Ngày cấp.")
    valid_until: date | None = Field(description="Hiệu lực đến; null: không thời hạn.")
    status: WalletStatus = Field(
        description="valid: còn hiệu lực; expired: hết hiệu lực; superseded: đã được thay thế; revoked: đã bị thu hồi."
    )
    status_label: str
    usable: bool = Field(description="Dùng được cho hồ sơ mới (còn hiệu lực).")
    name: str = Field(description="Tên tệp.")
    content_type: str = Field(description="application/pdf, image/jpeg hoặc image/png.")
    size: int = Field(description="Dung lượng, byte.")
    sha256: str
    created_at: LocalDateTime = Field(description="Lưu vào kho lúc.")
    file_url: str = Field(description="Đường dẫn tải tệp (GET, cùng cách xác thực); mỗi lần tải được ghi nhật ký.")


class WalletItemPageOut(Schema):
    items: list[WalletItemOut]
    next_cursor: str | None = Field(description="Gửi trong cursor để lấy trang sau; null: đã hết.")


class WalletItemRefOut(Schema):
    id: int
    title: str
    removed: bool = Field(description="Đã xóa khỏi kho.")


class DossierRefOut(Schema):
    id: int
    code: str | None = Field(description="Mã hồ sơ, có khi được tiếp nhận.")


class WalletAccessOut(Schema):
    at: LocalDateTime
    action: WalletAction = Field(
        description="stored: lưu vào kho; viewed: bạn xem, tải về; reused: dùng cho hồ sơ; officer_viewed: cán bộ xem "
        "khi giải quyết hồ sơ; removed: xóa khỏi kho."
    )
    action_label: str
    actor: str = Field(description="Người truy cập: tên bạn, «Cán bộ <tên>, <đơn vị>» hoặc «Hệ thống».")
    item: WalletItemRefOut
    dossier: DossierRefOut | None = Field(description="Hồ sơ liên quan.")
    agency: AgencyOut | None = Field(description="Đơn vị của cán bộ, hoặc cơ quan cấp kết quả.")


class WalletAccessPageOut(Schema):
    items: list[WalletAccessOut]
    next_cursor: str | None = Field(description="Gửi trong cursor để lấy trang sau; null: đã hết.")


class WalletProblemOut(Schema):
    """RFC 9457 problem details (``application/problem+json``) with a Vietnamese title and detail."""

    type: str
    title: str
    status: int
    detail: str
    code: str | None = Field(
        None, description="Mã lỗi ổn định: not_found, not_allowed, unknown_document_type, no_result."
    )
    request_id: str | None = None
    errors: list[RequestErrorOut] | None = Field(None, description="Yêu cầu sai dạng: lỗi theo từng trường.")
