"""What the payment gateway SIMULATOR does: accept a signed payment request, let the tester choose the outcome,
notify the merchant (now, late, twice, out of order, failure first, or never), answer status queries and refunds,
and export the day's statement. The protocol is the one in docs/payments-protocol.md (VNPay 2.1.0 shape).
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from chinhquyenso.sandbox_pay import conf, delivery
from chinhquyenso.sandbox_pay.models import SandboxDelivery, SandboxTransaction
from chinhquyenso.sandbox_pay.signing import sign_pipe, signed, verify

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FMT = "%Y%m%d%H%M%S"

OUTCOMES = ("success", "failure", "cancel", "timeout")
DELIVERIES = ("now", "late", "twice", "out_of_order", "failure_first", "none")
BANKS = ("NCB", "VCB", "BIDV", "AGRIBANK", "VIETINBANK", "MOMO")

# outcome → (status, vnp_ResponseCode, vnp_TransactionStatus)
_RESULT = {
    "success": (SandboxTransaction.Status.SUCCESS, "00", "00"),
    "failure": (SandboxTransaction.Status.FAILED, "51", "02"),  # 51: tài khoản không đủ số dư
    "cancel": (SandboxTransaction.Status.CANCELLED, "24", "02"),  # 24: khách hàng hủy giao dịch
    "timeout": (SandboxTransaction.Status.TIMEOUT, "11", "02"),  # 11: hết hạn chờ thanh toán
}


class SandboxError(Exception):
    """Shown on the simulator's page as is."""


def _now_text() -> str:
    return timezone.now().astimezone(TZ).strftime(FMT)


def _parse(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, FMT).replace(tzinfo=TZ)
    except ValueError:
        return None


# --- the payment page ----------------------------------------------------------------------------------------------
def transaction_open(params: Mapping[str, str]) -> SandboxTransaction:
    """Check a payment redirect as the gateway would, and record (or find again) its transaction."""
    if not verify(params, conf.secret()):
        raise SandboxError("Sai chữ ký (vnp_SecureHash): yêu cầu thanh toán không đến từ đơn vị đã đăng ký.")
    if params.get("vnp_TmnCode") != conf.tmn_code():
        raise SandboxError("Mã đơn vị (vnp_TmnCode) không được đăng ký với cổng giả lập.")
    if params.get("vnp_Command") != "pay" or params.get("vnp_CurrCode", "VND") != "VND":
        raise SandboxError("Chỉ hỗ trợ vnp_Command=pay bằng VND.")
    raw_amount = params.get("vnp_Amount", "")
    if not raw_amount.isdigit() or int(raw_amount) % 100 or int(raw_amount) <= 0:
        raise SandboxError("Số tiền (vnp_Amount) không hợp lệ: phải là số đồng × 100.")
    txn_ref = params.get("vnp_TxnRef", "")
    if not txn_ref or not params.get("vnp_ReturnUrl", "").startswith(("http://", "https://")):
        raise SandboxError("Thiếu mã giao dịch (vnp_TxnRef) hoặc địa chỉ trả về (vnp_ReturnUrl).")
    expires = _parse(params.get("vnp_ExpireDate", ""))
    if expires is not None and expires < timezone.now():
        raise SandboxError("Giao dịch đã quá thời hạn thanh toán (vnp_ExpireDate).")
    existing = SandboxTransaction.objects.filter(tmn_code=conf.tmn_code(), txn_ref=txn_ref).first()
    if existing is not None:
        if existing.amount * 100 != int(raw_amount):
            raise SandboxError("Mã giao dịch này đã được dùng với số tiền khác.")
        return existing
    return SandboxTransaction.objects.create(
        tmn_code=conf.tmn_code(), txn_ref=txn_ref[:100], transaction_no=str(14_000_000 + secrets.randbelow(9_000_000)),
        amount=int(raw_amount) // 100, order_info=params.get("vnp_OrderInfo", "")[:255],
        return_url=params["vnp_ReturnUrl"][:500], client_ip=params.get("vnp_IpAddr", "")[:45],
        create_date=params.get("vnp_CreateDate", "")[:14], expire_date=params.get("vnp_ExpireDate", "")[:14],
    )  # fmt: skip


@dataclass(frozen=True)
class Choice:
    outcome: str
    delivery: str = "now"
    late_seconds: int = conf.DEFAULT_LATE_SECONDS
    bank_code: str = "NCB"


def transaction_finish(*, txn_id: int, choice: Choice) -> tuple[SandboxTransaction, str | None]:
    """Apply the tester's choice; returns the transaction and where to send the browser (None: nowhere)."""
    if choice.outcome not in OUTCOMES or choice.delivery not in DELIVERIES:
        raise SandboxError("Lựa chọn không hợp lệ.")
    with transaction.atomic():
        txn = SandboxTransaction.objects.select_for_update().get(pk=txn_id)
        if txn.status != SandboxTransaction.Status.PENDING:
            with translation.override("vi"):  # the sandbox speaks Vietnamese only, like the gateway it stands in for
                status_text = txn.get_status_display()
            raise SandboxError(f"Giao dịch đã kết thúc ({status_text.lower()}).")
        status, code, _ = _RESULT[choice.outcome]
        txn.status = status
        txn.response_code = code
        txn.bank_code = choice.bank_code if choice.bank_code in BANKS else "NCB"
        txn.pay_date = timezone.now() if choice.outcome == "success" else None
        txn.save()
        plan_deliveries(txn, choice)
    back = None if choice.outcome == "timeout" else f"{txn.return_url}?{urlencode(callback_params(txn))}"
    return txn, back


def plan_deliveries(txn: SandboxTransaction, choice: Choice) -> list[SandboxDelivery]:
    now = timezone.now()
    final, stale = SandboxDelivery.Kind.FINAL, SandboxDelivery.Kind.STALE_FAILURE
    plan: list[tuple[SandboxDelivery.Kind, timedelta]] = {
        "now": [(final, timedelta(0))],
        "late": [(final, timedelta(seconds=max(1, choice.late_seconds)))],
        "twice": [(final, timedelta(0)), (final, timedelta(0))],
        "out_of_order": [(final, timedelta(0)), (stale, timedelta(0))],
        "failure_first": [(stale, timedelta(0)), (final, timedelta(0))],
        "none": [],
    }[choice.delivery]
    rows = [SandboxDelivery.objects.create(transaction=txn, kind=kind, due_at=now + delay) for kind, delay in plan]
    delays = sorted({delay for _, delay in plan})
    for delay in delays:
        delivery.schedule(txn.pk, delay)
    return rows


def callback_params(txn: SandboxTransaction, *, kind: str = SandboxDelivery.Kind.FINAL) -> dict[str, str]:
    """The signed parameters of a notification (and of the browser's return) for ``txn``."""
    if kind == SandboxDelivery.Kind.STALE_FAILURE:
        code, status, txn_no, pay_date = "99", "02", "0", txn.create_date
    else:
        _, code, status = _RESULT[_outcome(txn)]
        txn_no = txn.transaction_no if txn.status == SandboxTransaction.Status.SUCCESS else "0"
        pay_date = (txn.pay_date or timezone.now()).astimezone(TZ).strftime(FMT)
    params = {
        "vnp_TmnCode": txn.tmn_code,
        "vnp_Amount": str(txn.amount * 100),
        "vnp_BankCode": txn.bank_code,
        "vnp_BankTranNo": f"VNP{txn.transaction_no}" if code == "00" else "",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": txn.order_info,
        "vnp_PayDate": pay_date,
        "vnp_ResponseCode": code,
        "vnp_TransactionNo": txn_no,
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": txn.txn_ref,
    }
    return signed(params, conf.secret())


def _outcome(txn: SandboxTransaction) -> str:
    return {
        SandboxTransaction.Status.SUCCESS: "success",
        SandboxTransaction.Status.REFUNDED: "success",
        SandboxTransaction.Status.FAILED: "failure",
        SandboxTransaction.Status.CANCELLED: "cancel",
        SandboxTransaction.Status.TIMEOUT: "timeout",
    }.get(SandboxTransaction.Status(txn.status), "failure")


# --- notifications -------------------------------------------------------------------------------------------------
Sender = Callable[[str, Mapping[str, str]], tuple[int, str]]


def deliver_due(*, txn_id: int | None = None, now: datetime | None = None, send: Sender | None = None) -> int:
    """Send every notification that is due (of one transaction, or all), oldest first; returns how many."""
    now = now or timezone.now()
    sender = send or delivery.send
    due = SandboxDelivery.objects.filter(sent_at__isnull=True, due_at__lte=now).select_related("transaction")
    if txn_id is not None:
        due = due.filter(transaction_id=txn_id)
    sent = 0
    for item in due.order_by("due_at", "id"):
        params = callback_params(item.transaction, kind=item.kind)
        status, answer = sender(conf.ipn_url(), params)
        SandboxDelivery.objects.filter(pk=item.pk).update(
            sent_at=timezone.now(), http_status=status, answer=answer[:500]
        )
        sent += 1
    return sent


def deliver_again(*, txn_id: int) -> SandboxDelivery:
    """The tester's "Gửi lại thông báo" button: one more notification of the final result, now."""
    txn = SandboxTransaction.objects.get(pk=txn_id)
    if txn.status == SandboxTransaction.Status.PENDING:
        raise SandboxError("Giao dịch chưa có kết quả để thông báo.")
    item = SandboxDelivery.objects.create(transaction=txn, kind=SandboxDelivery.Kind.FINAL, due_at=timezone.now())
    delivery.schedule(txn.pk, timedelta(0))
    return item


# --- the merchant API: querydr and refund --------------------------------------------------------------------------
QUERY_IN = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
            "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")  # fmt: skip
QUERY_OUT = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
             "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
             "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount")  # fmt: skip
REFUND_IN = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef",
             "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate", "vnp_IpAddr",
             "vnp_OrderInfo")  # fmt: skip
REFUND_OUT = QUERY_OUT[:13]


def _answer(fields: tuple[str, ...], values: dict[str, str]) -> dict[str, str]:
    out = {name: values.get(name, "") for name in fields}
    out["vnp_SecureHash"] = sign_pipe((out[f] for f in fields), conf.secret())
    return out


def _txn_values(txn: SandboxTransaction | None, command: str, code: str, message: str) -> dict[str, str]:
    values = {"vnp_ResponseId": secrets.token_hex(16), "vnp_Command": command, "vnp_ResponseCode": code,
              "vnp_Message": message, "vnp_TmnCode": conf.tmn_code()}  # fmt: skip
    if txn is not None:
        status = {
            SandboxTransaction.Status.SUCCESS: "00",
            SandboxTransaction.Status.REFUNDED: "00",
            SandboxTransaction.Status.PENDING: "01",
            SandboxTransaction.Status.TIMEOUT: "01",
        }.get(SandboxTransaction.Status(txn.status), "02")
        values.update({
            "vnp_TxnRef": txn.txn_ref, "vnp_Amount": str(txn.amount * 100), "vnp_BankCode": txn.bank_code,
            "vnp_PayDate": txn.pay_date.astimezone(TZ).strftime(FMT) if txn.pay_date else "",
            "vnp_TransactionNo": txn.transaction_no,
            "vnp_TransactionType": "02" if txn.status == SandboxTransaction.Status.REFUNDED else "01",
            "vnp_TransactionStatus": status, "vnp_OrderInfo": txn.order_info,
        })  # fmt: skip
    return values


def api_call(body: Mapping[str, Any]) -> dict[str, str]:
    """The gateway's merchant API (JSON POST): ``querydr`` and ``refund``, signed both ways over ``|``-joined fields."""
    data = {k: "" if v is None else str(v) for k, v in body.items()}
    command = data.get("vnp_Command", "")
    fields = QUERY_IN if command == "querydr" else REFUND_IN if command == "refund" else None
    if fields is None:
        return _answer(QUERY_OUT, _txn_values(None, command, "99", "Unknown command"))
    out_fields = QUERY_OUT if command == "querydr" else REFUND_OUT
    expected = sign_pipe((data.get(f, "") for f in fields), conf.secret())
    if data.get("vnp_SecureHash", "").lower() != expected or data.get("vnp_TmnCode") != conf.tmn_code():
        return _answer(out_fields, _txn_values(None, command, "97", "Invalid Checksum"))
    txn = SandboxTransaction.objects.filter(tmn_code=conf.tmn_code(), txn_ref=data.get("vnp_TxnRef", "")).first()
    if txn is None:
        return _answer(out_fields, _txn_values(None, command, "91", "Transaction not found"))
    if command == "querydr":
        return _answer(out_fields, _txn_values(txn, command, "00", "Query success"))
    with transaction.atomic():
        txn = SandboxTransaction.objects.select_for_update().get(pk=txn.pk)
        if txn.status == SandboxTransaction.Status.REFUNDED:
            return _answer(out_fields, _txn_values(txn, command, "00", "Refund success (already refunded)"))
        if txn.status != SandboxTransaction.Status.SUCCESS:
            return _answer(out_fields, _txn_values(txn, command, "95", "Transaction not successful, cannot refund"))
        if data.get("vnp_Amount") != str(txn.amount * 100):
            return _answer(out_fields, _txn_values(txn, command, "94", "Invalid refund amount"))
        txn.status = SandboxTransaction.Status.REFUNDED
        txn.refunded_amount = txn.amount
        txn.refunded_at = timezone.now()
        txn.save(update_fields=["status", "refunded_amount", "refunded_at"])
    return _answer(out_fields, _txn_values(txn, command, "00", "Refund success"))


# --- statement -----------------------------------------------------------------------------------------------------
STATEMENT_HEADER = ("txn_ref", "transaction_no", "amount", "status", "pay_date", "bank_code", "refunded_amount")


def statement_csv(*, day: date) -> str:
    """The day's transactions (paid that day, or created that day and not paid) as the statement CSV."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=TZ)
    end = start + timedelta(days=1)
    rows = (
        SandboxTransaction.objects.filter(tmn_code=conf.tmn_code())
        .filter(
            Q(pay_date__gte=start, pay_date__lt=end)
            | Q(pay_date__isnull=True, created_at__gte=start, created_at__lt=end)
        )
        .order_by("created_at", "id")
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STATEMENT_HEADER)
    for txn in rows:
        if txn.status == SandboxTransaction.Status.PENDING:
            continue
        writer.writerow([txn.txn_ref, txn.transaction_no if txn.pay_date else "", txn.amount, _statement_status(txn),
                         txn.pay_date.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S") if txn.pay_date else "",
                         txn.bank_code, txn.refunded_amount])  # fmt: skip
    return buffer.getvalue()


def _statement_status(txn: SandboxTransaction) -> str:
    return {
        SandboxTransaction.Status.SUCCESS: "success",
        SandboxTransaction.Status.REFUNDED: "refunded",
        SandboxTransaction.Status.FAILED: "failed",
        SandboxTransaction.Status.CANCELLED: "cancelled",
        SandboxTransaction.Status.TIMEOUT: "timeout",
    }[SandboxTransaction.Status(txn.status)]
