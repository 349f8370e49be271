"""Schemas of the payments API (``/api/v1/payments``). Amounts are VND integers (đồng, no minor unit)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from chinhquyenso.catalog.schemas import AgencyOut
from chinhquyenso.dossiers.schemas import RequestErrorOut

FeeOrderStatus = Literal["open", "paid", "exempt", "cancelled", "refunded"]
PaymentStatus = Literal[
    "pending", "paid", "failed", "cancelled", "expired", "refund_pending", "refunded", "refund_failed"
]
ChannelId = Literal[1, 2, 3]
MethodCode = Literal["gateway", "cash", "card"]
FeeKind = Literal["phi", "le_phi"]


class PaymentFieldErrorOut(Schema):
    field: str = Field(description="Trường bị lỗi, ví dụ phi-<id>-so-tien cho số tiền của khoản phí <id>.")
    message: str


class PaymentProblemOut(Schema):
    """RFC 9457 problem details (``application/problem+json``) with a Vietnamese title and detail."""

    type: str
    title: str
    status: int
    detail: str
    code: str | None = Field(None, description="Mã lỗi ổn định: not_found, not_allowed, conflict, invalid, "
                                              "gateway_unavailable, no_fee_order.")  # fmt: skip
    request_id: str | None = None
    errors: list[PaymentFieldErrorOut | RequestErrorOut] | None = Field(None, description="Lỗi theo từng trường.")


class ChannelOut(Schema):
    id: ChannelId = Field(description="1 = nền tảng thanh toán trên Cổng DVCQG, 2 = cổng của địa phương, 3 = tại quầy.")
    name: str


class FeeLineOut(Schema):
    fee_id: int | None
    kind: FeeKind = Field(description="phi = phí, le_phi = lệ phí.")
    name: str
    unit: str
    unit_amount: int = Field(description="Đơn giá, đồng.")
    quantity: int
    amount: int = Field(description="Thành tiền, đồng.")
    variable: bool = Field(description="Số tiền do cán bộ xác định theo hồ sơ.")
    exempt: bool = Field(description="Được miễn cho đối tượng của người nộp.")


class ExemptionOut(Schema):
    code: str
    name: str


class FeeReceiptOut(Schema):
    id: int
    symbol: str = Field(description="Ký hiệu biên lai.")
    number: str = Field(description="Số biên lai (7 chữ số), đánh riêng theo đơn vị thu và năm.")
    issued_at: datetime
    payer_name: str
    amount: int
    pdf_url: str = Field(description="Tải biên lai điện tử (PDF), cần đăng nhập.")


class PaymentOut(Schema):
    txn_ref: str = Field(description="Mã giao dịch của hệ thống (vnp_TxnRef).")
    order_id: int
    dossier_id: int
    dossier_code: str | None
    status: PaymentStatus
    status_name: str
    channel: ChannelOut
    method: MethodCode
    gateway: str
    amount: int
    created_at: datetime
    expires_at: datetime | None
    paid_at: datetime | None
    gateway_txn_no: str | None = Field(description="Mã giao dịch tại cổng thanh toán.")
    bank_code: str
    refunded_at: datetime | None
    refund_reason: str
    flagged: bool = Field(description="Cần người xem xét (nộp trùng, hoàn tiền bị từ chối…).")
    fee_receipt: FeeReceiptOut | None


class FeeOrderOut(Schema):
    id: int
    dossier_id: int
    dossier_code: str | None
    agency: AgencyOut
    status: FeeOrderStatus
    status_name: str
    gross_amount: int = Field(description="Tổng các khoản, đồng.")
    exempt_amount: int = Field(description="Được miễn, đồng.")
    amount: int = Field(description="Phải nộp, đồng = gross_amount − exempt_amount.")
    exemption: ExemptionOut | None
    pay_before_processing: bool = Field(
        description="true: hồ sơ ở trạng thái 6 (Yêu cầu thực hiện nghĩa vụ tài chính) cho đến khi nộp xong."
    )
    note: str
    issued_at: datetime
    paid_at: datetime | None
    lines: list[FeeLineOut]
    payments: list[PaymentOut]


class FeeLineIn(Schema):
    fee_id: int = Field(description="Mã khoản phí của trường hợp thủ tục (catalog).")
    quantity: int = Field(1, ge=1, le=10_000)
    unit_amount: int | None = Field(None, gt=0, description="Chỉ cho khoản do cán bộ xác định (variable).")


class FeeOrderIn(Schema):
    exemption_code: str | None = Field(None, max_length=60, description="Mã đối tượng miễn, giảm của người nộp.")
    exemption_note: str = Field("", max_length=500)
    lines: list[FeeLineIn] = Field(default_factory=list, description="Số lượng, số tiền do cán bộ xác định.")
    pay_before_processing: bool | None = Field(None, description="Bỏ trống: theo quy định của trường hợp thủ tục.")
    note: str = Field("", max_length=500, description="Ghi chú cho người nộp.")


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


class PaymentStartIn(Schema):
    gateway: str | None = Field(None, max_length=30, description="Bỏ trống: cổng mặc định.")


class PaymentStartOut(Schema):
    payment: PaymentOut
    redirect_url: str = Field(description="Chuyển trình duyệt của người nộp tới địa chỉ này (trang của cổng).")


class CounterPaymentIn(Schema):
    method: Literal["cash", "card"]
    amount: int = Field(gt=0, description="Số tiền đã nhận, đồng; phải bằng số phải nộp.")
    reference: str = Field("", max_length=60, description="Số chứng từ máy POS khi nộp bằng thẻ.")


class PaymentFilterQuery(Schema):
    status: PaymentStatus | None = None
    channel: int | None = Field(None, ge=1, le=3, description="1 nền tảng DVCQG, 2 cổng của địa phương, 3 tại quầy.")
    date_from: date | None = Field(None, description="Từ ngày tạo giao dịch (giờ Việt Nam), YYYY-MM-DD.")
    date_to: date | None = None
    q: str | None = Field(None, max_length=64, description="Mã hồ sơ, mã giao dịch hoặc mã giao dịch tại cổng.")
    agency_id: int | None = None
    flagged: bool = False
    refund_due: bool = Field(False, description="Giao dịch đã thu của hồ sơ bị từ chối, dừng xử lý, chưa hoàn.")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class PaymentPageOut(Schema):
    items: list[PaymentOut]
    count: int
    page: int
    page_size: int
