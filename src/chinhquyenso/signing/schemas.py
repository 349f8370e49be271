"""Schemas of the verification API."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema


class SignatureOut(Schema):
    field: str = Field(description="Tên trường chữ ký trong tệp PDF.")
    signer: str = Field(description="Người ký (tên trên chứng thư số).")
    organization: str
    issuer: str = Field(description="Tổ chức cấp chứng thư số.")
    serial: str = Field(description="Số hiệu chứng thư số (hex).")
    certificate_from: datetime | None
    certificate_to: datetime | None
    signed_at: datetime | None = Field(description="Thời điểm ký do máy người ký ghi (không được bảo đảm).")
    timestamp_at: datetime | None = Field(description="Thời điểm ký theo dấu thời gian RFC 3161.")
    timestamp_trusted: bool
    intact: bool = Field(description="Nội dung được ký không bị thay đổi.")
    valid: bool = Field(description="Chữ ký đúng về mặt mật mã.")
    trusted: bool = Field(description="Chuỗi chứng thư dẫn tới danh sách tin cậy của hệ thống.")
    unchanged_after: bool = Field(description="Không có thay đổi nào ngoài chữ ký được thêm vào sau chữ ký này.")
    ok: bool
    problems: list[str]


class IssuedResultOut(Schema):
    number: str
    type_name: str
    agency: str
    issued_at: datetime
    valid_until: date | None
    status: str = Field(description="valid | superseded | revoked")
    status_label: str
    status_reason: str
    superseded_by: str | None = Field(None, description="Số văn bản thay thế.")


class VerifyOut(Schema):
    ok: bool = Field(description="Văn bản hợp lệ: mọi chữ ký hợp lệ và (nếu có trong sổ) còn hiệu lực.")
    verdict: str
    sha256: str
    signatures: list[SignatureOut]
    result: IssuedResultOut | None = Field(description="Kết quả trong sổ của hệ thống, nếu tệp khớp.")
    problems: list[str]


class VerifyProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str | None = None
    request_id: str | None = None
