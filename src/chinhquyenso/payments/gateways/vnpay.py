"""The first adapter: the protocol shape of VNPay 2.1.0, which most Vietnamese gateways follow closely.

- Payment: redirect to ``PAY_URL?<params>&vnp_SecureHash=<HMAC-SHA512 of the sorted, URL-encoded query>``.
- Notification (IPN): the gateway calls our IPN URL (GET) with the result, signed the same way; we answer JSON
  ``{"RspCode": "00", "Message": "Confirm Success"}`` (or another code, see ``IpnCode``).
- Browser return: the same signed parameters on our return URL. Shown, never trusted to credit.
- Status query (``querydr``) and refund (``refund``): JSON POST to ``API_URL``, signed over ``|``-joined fields.

Amounts travel multiplied by 100 (``vnp_Amount=5000000`` is 50.000 đ); everywhere else they are VND integers.
Times are ``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh. See docs/payments-protocol.md.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from chinhquyenso.payments import signing
from chinhquyenso.payments.gateways import transport
from chinhquyenso.payments.gateways.base import (
    BadSignature,
    GatewayAdapter,
    GatewayError,
    GatewayResult,
    Malformed,
    Outcome,
    PaymentRequest,
    RefundResult,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TIME_FORMAT = "%Y%m%d%H%M%S"

QUERY_REQUEST_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
                        "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")  # fmt: skip
QUERY_RESPONSE_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                         "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                         "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
                         "vnp_PromotionAmount")  # fmt: skip
REFUND_REQUEST_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType",
                         "vnp_TxnRef", "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy",
                         "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")  # fmt: skip
REFUND_RESPONSE_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                          "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                          "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo")  # fmt: skip


class IpnCode:
    """Answers to a notification (VNPay's RspCode). 00 and 02 stop the gateway's retries."""

    CONFIRMED = ("00", "Confirm Success")
    NOT_FOUND = ("01", "Order not found")
    ALREADY_CONFIRMED = ("02", "Order already confirmed")
    INVALID_AMOUNT = ("04", "Invalid amount")
    INVALID_SIGNATURE = ("97", "Invalid signature")
    UNKNOWN_ERROR = ("99", "Unknown error")


def gateway_time(moment: datetime) -> str:
    return timezone.localtime(moment, TZ).strftime(TIME_FORMAT)


def parse_gateway_time(text: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=TZ)
    except ValueError:
        raise Malformed(gettext("thời gian không đọc được: %(text)s") % {"text": repr(text)}) from None


def ascii_text(text: str, limit: int = 255) -> str:
    """vnp_OrderInfo must be Vietnamese without diacritics: 'Nộp phí hồ sơ' → 'Nop phi ho so'."""
    folded = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return "".join(c for c in stripped if 32 <= ord(c) < 127)[:limit]


def _amount(raw: str) -> int:
    """vnp_Amount (VND × 100) → VND."""
    if not raw.isdigit():
        raise Malformed(gettext("vnp_Amount không hợp lệ: %(raw)s") % {"raw": repr(raw)})
    value = int(raw)
    if value % 100:
        raise Malformed(gettext("vnp_Amount không chia hết cho 100: %(raw)s") % {"raw": repr(raw)})
    return value // 100


def _callback_outcome(response_code: str, transaction_status: str) -> Outcome:
    if response_code == "00" and transaction_status == "00":
        return Outcome.SUCCESS
    if response_code == "24":
        return Outcome.CANCELLED
    if response_code == "11":
        return Outcome.EXPIRED
    return Outcome.FAILED


def _query_outcome(transaction_status: str) -> Outcome:
    # 00 paid; 05/06 a refund is under way, so it was paid; 01 not finished; anything else failed.
    if transaction_status in ("00", "05", "06"):
        return Outcome.SUCCESS
    if transaction_status == "01":
        return Outcome.PENDING
    return Outcome.FAILED


class VnpayAdapter(GatewayAdapter):
    def payment_url(self, request: PaymentRequest) -> str:
        params = {
            "vnp_Version": self.config.version,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.config.tmn_code,
            "vnp_Amount": str(request.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": request.txn_ref,
            "vnp_OrderInfo": ascii_text(request.order_info),
            "vnp_OrderType": "other",
            "vnp_Locale": request.locale,
            "vnp_ReturnUrl": request.return_url,
            "vnp_IpAddr": request.client_ip or "127.0.0.1",
            "vnp_CreateDate": gateway_time(request.created_at),
            "vnp_ExpireDate": gateway_time(request.expires_at),
        }
        return f"{self.config.pay_url}?{signing.signed_query(params, self.config.hash_secret)}"

    def parse_callback(self, params: Mapping[str, str]) -> GatewayResult:
        if not signing.verify_query(params, self.config.hash_secret):
            raise BadSignature(gettext("chữ ký không đúng"))
        if params.get("vnp_TmnCode") != self.config.tmn_code:
            raise BadSignature(gettext("thông báo dành cho mã đơn vị khác"))
        for name in ("vnp_TxnRef", "vnp_Amount", "vnp_ResponseCode"):
            if not params.get(name):
                raise Malformed(gettext("thiếu %(name)s") % {"name": name})
        response_code = params["vnp_ResponseCode"]
        outcome = _callback_outcome(response_code, params.get("vnp_TransactionStatus", ""))
        return GatewayResult(
            txn_ref=params["vnp_TxnRef"],
            amount=_amount(params["vnp_Amount"]),
            outcome=outcome,
            response_code=response_code[:4],
            gateway_txn_no=params.get("vnp_TransactionNo", "")[:40] if outcome is Outcome.SUCCESS else "",
            bank_code=params.get("vnp_BankCode", "")[:20],
            paid_at=parse_gateway_time(params.get("vnp_PayDate", "")) if outcome is Outcome.SUCCESS else None,
        )

    def ipn_answer(self, code: str, message: str) -> dict[str, str]:
        return {"RspCode": code, "Message": message}

    # --- server to server ------------------------------------------------------------------------------------------
    def _server_ip(self) -> str:
        return str(getattr(settings, "CQS_PAY_SERVER_IP", "127.0.0.1"))

    def _call(
        self, body: dict[str, Any], request_fields: tuple[str, ...], response_fields: tuple[str, ...]
    ) -> dict[str, str]:
        body["vnp_SecureHash"] = signing.sign_fields((body[f] for f in request_fields), self.config.hash_secret)
        answer = {k: "" if v is None else str(v) for k, v in transport.post_json(self.config.api_url, body).items()}
        if not signing.verify_fields((answer.get(f, "") for f in response_fields), answer.get("vnp_SecureHash", ""),
                                     self.config.hash_secret):  # fmt: skip
            raise BadSignature(gettext("chữ ký câu trả lời của cổng thanh toán không đúng"))
        if answer.get("vnp_TmnCode", self.config.tmn_code) != self.config.tmn_code:
            raise BadSignature(gettext("câu trả lời dành cho mã đơn vị khác"))
        return answer

    def query(self, *, txn_ref: str, created_at: datetime, client_ip: str) -> GatewayResult:
        body: dict[str, Any] = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": self.config.version,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.config.tmn_code,
            "vnp_TxnRef": txn_ref,
            "vnp_OrderInfo": ascii_text(f"Truy van giao dich {txn_ref}"),
            "vnp_TransactionDate": gateway_time(created_at),
            "vnp_CreateDate": gateway_time(timezone.now()),
            "vnp_IpAddr": self._server_ip(),
        }
        answer = self._call(body, QUERY_REQUEST_FIELDS, QUERY_RESPONSE_FIELDS)
        code = answer.get("vnp_ResponseCode", "")
        if code == "91":
            return GatewayResult(txn_ref=txn_ref, amount=0, outcome=Outcome.NOT_FOUND, response_code=code)
        if code != "00":
            raise GatewayError(
                gettext("cổng thanh toán trả lời mã %(code)s: %(message)s")
                % {"code": code, "message": answer.get("vnp_Message", "")}
            )
        if answer.get("vnp_TxnRef") != txn_ref:
            raise Malformed(gettext("câu trả lời nói về giao dịch khác"))
        outcome = _query_outcome(answer.get("vnp_TransactionStatus", ""))
        return GatewayResult(
            txn_ref=txn_ref,
            amount=_amount(answer.get("vnp_Amount", "")),
            outcome=outcome,
            response_code=answer.get("vnp_TransactionStatus", "")[:4],
            gateway_txn_no=answer.get("vnp_TransactionNo", "")[:40] if outcome is Outcome.SUCCESS else "",
            bank_code=answer.get("vnp_BankCode", "")[:20],
            paid_at=parse_gateway_time(answer.get("vnp_PayDate", "")) if outcome is Outcome.SUCCESS else None,
        )

    def refund(
        self, *, txn_ref: str, amount: int, gateway_txn_no: str, created_at: datetime, reason: str, by: str
    ) -> RefundResult:
        body: dict[str, Any] = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": self.config.version,
            "vnp_Command": "refund",
            "vnp_TmnCode": self.config.tmn_code,
            "vnp_TransactionType": "02",  # full refund
            "vnp_TxnRef": txn_ref,
            "vnp_Amount": str(amount * 100),
            "vnp_TransactionNo": gateway_txn_no,
            "vnp_TransactionDate": gateway_time(created_at),
            "vnp_CreateBy": ascii_text(by, 64) or "system",
            "vnp_CreateDate": gateway_time(timezone.now()),
            "vnp_IpAddr": self._server_ip(),
            "vnp_OrderInfo": ascii_text(f"Hoan tien {txn_ref}: {reason}"),
        }
        answer = self._call(body, REFUND_REQUEST_FIELDS, REFUND_RESPONSE_FIELDS)
        code = answer.get("vnp_ResponseCode", "")
        return RefundResult(ok=code == "00", response_code=code, message=answer.get("vnp_Message", ""),
                            refund_ref=answer.get("vnp_ResponseId", "")[:40])  # fmt: skip
