"""Daily reconciliation with a gateway's statement (đối soát): ``cqs payments reconcile --date D --statement F.csv``.

The statement is the gateway's list of the day's transactions as CSV (UTF-8, a BOM is tolerated), one row per
transaction, with this header (docs/payments-protocol.md, "Statement"):

    txn_ref,transaction_no,amount,status,pay_date,bank_code,refunded_amount

``amount`` and ``refunded_amount`` in VND; ``status`` one of success, failed, cancelled, timeout, refunded;
``pay_date`` ``YYYY-MM-DD HH:MM:SS`` local time (empty when not paid). Nothing is changed by a reconciliation: it
reports, and the operator acts (``cqs payments expire`` credits a payment whose notification was lost).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.calendar import TZ, to_local
from chinhquyenso.payments.models import Payment
from chinhquyenso.payments.selectors import payments_online_for_day

HEADER = ("txn_ref", "transaction_no", "amount", "status", "pay_date", "bank_code", "refunded_amount")
STATUSES = frozenset({"success", "failed", "cancelled", "timeout", "refunded"})
PAID_AT_GATEWAY = frozenset({"success", "refunded"})
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


class StatementError(ValueError):
    """The file is not a statement we can read; the message gives the line."""


@dataclass(frozen=True)
class StatementRow:
    line: int
    txn_ref: str
    transaction_no: str
    amount: int
    status: str
    pay_date: datetime | None
    bank_code: str
    refunded_amount: int


def _int(value: str, line: int, column: str) -> int:
    text = value.strip()
    if not text.isdigit():
        raise StatementError(f"dòng {line}, cột {column}: «{value}» không phải số tiền (đồng, số nguyên).")
    return int(text)


def parse_statement(lines: Iterable[str]) -> list[StatementRow]:
    reader = csv.reader(line.lstrip("\ufeff") if i == 0 else line for i, line in enumerate(lines))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != HEADER:
        raise StatementError(f"dòng 1: tiêu đề phải là {','.join(HEADER)}.")
    rows: list[StatementRow] = []
    seen: set[str] = set()
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(HEADER):
            raise StatementError(f"dòng {number}: cần {len(HEADER)} cột, có {len(values)}.")
        ref, txn_no, amount, status, pay_date, bank, refunded = (v.strip() for v in values)
        if not ref:
            raise StatementError(f"dòng {number}, cột txn_ref: trống.")
        if ref in seen:
            raise StatementError(f"dòng {number}: giao dịch {ref} xuất hiện hai lần.")
        seen.add(ref)
        if status not in STATUSES:
            raise StatementError(f"dòng {number}, cột status: «{status}» không thuộc {', '.join(sorted(STATUSES))}.")
        try:
            paid = datetime.strptime(pay_date, DATE_FORMAT).replace(tzinfo=TZ) if pay_date else None
        except ValueError:
            raise StatementError(
                f"dòng {number}, cột pay_date: «{pay_date}» không đúng dạng YYYY-MM-DD HH:MM:SS."
            ) from None
        rows.append(StatementRow(line=number, txn_ref=ref, transaction_no=txn_no,
                                 amount=_int(amount, number, "amount"), status=status, pay_date=paid, bank_code=bank,
                                 refunded_amount=_int(refunded or "0", number, "refunded_amount")))  # fmt: skip
    return rows


@dataclass(frozen=True)
class Mismatch:
    kind: str
    txn_ref: str
    ours: str
    theirs: str
    hint: str


@dataclass
class ReconcileReport:
    gateway: str
    day: date
    matched: int = 0
    our_total: int = 0
    their_total: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _ours_text(payment: Payment | None) -> str:
    if payment is None:
        return "không có"
    return f"{payment.get_status_display()}, {payment.amount} đ, GD cổng {payment.gateway_txn_no or '—'}"


def _theirs_text(row: StatementRow | None) -> str:
    if row is None:
        return "không có"
    return f"{row.status}, {row.amount} đ, GD cổng {row.transaction_no or '—'}"


def reconcile_day(*, gateway: str, day: date, rows: list[StatementRow]) -> ReconcileReport:
    """Compare our payments credited on ``day`` with the statement's transactions paid on ``day``."""
    report = ReconcileReport(gateway=gateway, day=day)
    theirs = {
        r.txn_ref: r for r in rows if r.status in PAID_AT_GATEWAY and r.pay_date and to_local(r.pay_date).date() == day
    }
    ours = {p.txn_ref: p for p in payments_online_for_day(gateway=gateway, day=day)}
    extra_refs = set(theirs) - set(ours)
    others = {p.txn_ref: p for p in Payment.objects.filter(gateway=gateway, txn_ref__in=extra_refs)}
    report.our_total = sum(p.amount for p in ours.values())
    report.their_total = sum(r.amount for r in theirs.values())
    refunded_here = (Payment.Status.REFUNDED,)
    for ref in sorted(set(theirs) | set(ours)):
        row, payment = theirs.get(ref), ours.get(ref) or others.get(ref)
        problem: tuple[str, str] | None = None
        if row is None:
            problem = ("missing_at_gateway", "Đã ghi nhận thu nhưng cổng không có giao dịch thành công ngày này: "
                                             "xem nhật ký thông báo của giao dịch và liên hệ cổng thanh toán.")  # fmt: skip
        elif payment is None:
            problem = ("unknown_here", "Cổng có giao dịch mà hệ thống không có mã này: báo cổng thanh toán.")
        elif ref not in ours:
            problem = ("missing_here", "Cổng đã thu tiền nhưng hệ thống chưa ghi nhận: chạy «cqs payments expire» "
                                       "để hỏi lại cổng và ghi nhận.")  # fmt: skip
        elif row.amount != payment.amount:
            problem = ("amount", "Số tiền khác nhau: không tự sửa; đối chiếu chứng từ với cổng thanh toán.")
        elif row.transaction_no and payment.gateway_txn_no and row.transaction_no != payment.gateway_txn_no:
            problem = ("transaction_no", "Mã giao dịch tại cổng khác nhau.")
        elif (row.status == "refunded") != (payment.status in refunded_here):
            problem = ("refund", "Tình trạng hoàn tiền khác nhau: kiểm tra yêu cầu hoàn phí của giao dịch.")
        if problem is None:
            report.matched += 1
        else:
            report.mismatches.append(Mismatch(kind=problem[0], txn_ref=ref, ours=_ours_text(payment),
                                              theirs=_theirs_text(row), hint=problem[1]))  # fmt: skip
    audit_record(actor=None, action="payment.reconcile", object_type="payments.reconciliation",
                 object_id=f"{gateway}:{day.isoformat()}",
                 after={"matched": report.matched, "mismatches": len(report.mismatches), "our_total": report.our_total,
                        "their_total": report.their_total})  # fmt: skip
    return report
