"""Electronic receipts (biên lai điện tử, DOMAIN.md §3.4 and §4): numbering and the PDF.

Numbers run per collecting agency and calendar year (local time), allocated with one
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` like dossier codes (dossiers/codes.py): two credits at once never get
the same number, and a rolled-back credit gives its number back with its transaction (no gap from failures).

The layout follows the administrative page of forms 01–07 (dossiers/documents/pdf.py, embedded font). The legal
template of a fee fee_receipt (Nghị định 123/2020/NĐ-CP, Thông tư 78/2021/TT-BTC) is issued by the province's finance
department; the fields here are the ones those texts require (unit, symbol, number, payer, content, amount in
figures and words, payment channel, time) and the symbol format is configuration (``CQS_RECEIPT_SYMBOL``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction

from chinhquyenso.agencies.models import Agency
from chinhquyenso.core.calendar import to_local
from chinhquyenso.dossiers.documents.pdf import FAMILY, FormPDF, Signature, in_vietnamese, short_datetime_text
from chinhquyenso.payments.models import FeeOrder, FeeReceipt, FeeReceiptCounter, Payment, PaymentChannel, PaymentMethod
from chinhquyenso.payments.money import amount_in_words, format_vnd

DEFAULT_SYMBOL = "{unit}/{year}"


def next_fee_receipt_seq(*, agency: Agency, year: int) -> int:
    table = connection.ops.quote_name(FeeReceiptCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, year, last) VALUES (%s, %s, 1) "  # noqa: S608 (table name is ours)
            "ON CONFLICT (agency_id, year) DO UPDATE SET last = " + table + ".last + 1 RETURNING last",
            [agency.pk, year],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


@in_vietnamese
def channel_text(payment: Payment) -> str:
    if payment.channel == PaymentChannel.COUNTER:
        return f"{PaymentChannel.COUNTER.label} — {PaymentMethod(payment.method).label.lower()}"
    return f"Trực tuyến — {PaymentChannel(payment.channel).label.lower()}"


def fee_receipt_issue(*, payment: Payment, order: FeeOrder) -> FeeReceipt:
    """The fee receipt of a payment being credited, inside the credit's transaction (one per payment)."""
    dossier = order.dossier
    issued_at = payment.paid_at or payment.created_at
    year = to_local(issued_at).year
    agency = order.agency
    symbol = str(getattr(settings, "CQS_RECEIPT_SYMBOL", DEFAULT_SYMBOL)).format(
        unit=agency.code, year=year, yy=f"{year % 100:02d}"
    )
    content: dict[str, Any] = {
        "dossier_code": dossier.code or "",
        "procedure": dossier.case.version.name,
        "case": dossier.case.name,
        "lines": [
            {"name": line.name, "kind": line.kind, "unit": line.unit, "quantity": line.quantity,
             "unit_amount": line.unit_amount, "amount": line.amount, "exempt": line.exempt}
            for line in order.lines.all()
        ],
        "gross_amount": order.gross_amount,
        "exempt_amount": order.exempt_amount,
        "exemption": order.exemption_category.name if order.exemption_category else "",
        "channel": payment.channel,
        "channel_text": channel_text(payment),
        "txn_ref": payment.txn_ref,
        "gateway_txn_no": payment.gateway_txn_no or payment.counter_reference,
        "bank_code": payment.bank_code,
    }  # fmt: skip
    return FeeReceipt.objects.create(
        payment=payment,
        agency=agency,
        year=year,
        seq=next_fee_receipt_seq(agency=agency, year=year),
        symbol=symbol,
        issued_at=issued_at,
        payer_name=dossier.applicant_name,
        payer_address=dossier.applicant_address,
        amount=payment.amount,
        content=content,
    )


def fee_receipt_pdf_name(fee_receipt: FeeReceipt) -> str:
    return f"bien-lai-{fee_receipt.year}-{fee_receipt.number}.pdf"


def fee_receipt_document(*, fee_receipt: FeeReceipt) -> FeeReceipt:
    """Render on first download and keep the file, so the fee receipt the payer holds never changes."""
    if fee_receipt.file:
        return fee_receipt
    with transaction.atomic():
        locked = (
            FeeReceipt.objects.select_for_update(of=("self",))
            .select_related("agency__parent", "payment")
            .get(pk=fee_receipt.pk)
        )
        if not locked.file:
            locked.file.save(fee_receipt_pdf_name(locked), ContentFile(render_fee_receipt(locked)), save=False)
            locked.save(update_fields=["file"])
    return locked


@in_vietnamese
def render_fee_receipt(fee_receipt: FeeReceipt) -> bytes:
    content = fee_receipt.content
    agency = fee_receipt.agency
    pdf = FormPDF(title=f"Biên lai thu phí, lệ phí số {fee_receipt.number}", author=agency.name)
    pdf.agency_header(agency, day=to_local(fee_receipt.issued_at).date(),
                      number=f"Ký hiệu: {fee_receipt.symbol}\nSố: {fee_receipt.number}")  # fmt: skip
    pdf.form_title("Biên lai thu phí, lệ phí", subtitle="(Biên lai điện tử)")
    pdf.field("Đơn vị thu:", agency.name)
    pdf.field("Họ tên người nộp:", fee_receipt.payer_name, bold=True)
    if fee_receipt.payer_address:
        pdf.field("Địa chỉ:", fee_receipt.payer_address)
    if content.get("dossier_code"):
        pdf.field("Mã hồ sơ:", str(content["dossier_code"]))
    pdf.field("Nội dung thu:", f"Phí, lệ phí giải quyết thủ tục «{content.get('procedure', '')}»")
    pdf.ln(1)
    rows = []
    for index, line in enumerate(content.get("lines", []), start=1):
        amount = "Miễn" if line.get("exempt") else format_vnd(int(line["amount"]))
        rows.append(
            [str(index), str(line["name"]), str(line["quantity"]), format_vnd(int(line["unit_amount"])), amount]
        )
    pdf.grid(["STT", "Khoản thu", "Số lượng", "Đơn giá", "Thành tiền"], rows, widths=(12, 78, 20, 25, 30),
             aligns=("CENTER", "LEFT", "CENTER", "RIGHT", "RIGHT"), size=10.5)  # fmt: skip
    pdf.ln(2)
    if content.get("exempt_amount"):
        pdf.field(
            "Được miễn:", f"{format_vnd(int(content['exempt_amount']))} (đối tượng: {content.get('exemption', '')})"
        )
    pdf.field("Tổng số tiền đã nộp:", format_vnd(fee_receipt.amount), bold=True)
    pdf.field("Số tiền bằng chữ:", amount_in_words(fee_receipt.amount) + ".")
    pdf.field("Hình thức thanh toán:", str(content.get("channel_text", "")))
    pdf.field("Thời điểm thanh toán:", short_datetime_text(fee_receipt.issued_at))
    if content.get("gateway_txn_no"):
        pdf.field("Mã giao dịch:", f"{content.get('txn_ref', '')} / {content['gateway_txn_no']}")
    else:
        pdf.field("Mã giao dịch:", str(content.get("txn_ref", "")))
    pdf.set_font(FAMILY, "I", 11)
    pdf.multi_cell(0, 5.5, "Biên lai điện tử do hệ thống Chính quyền số lập tự động khi ghi nhận thanh toán; "
                           "không cần đóng dấu, chữ ký tay.")  # fmt: skip
    online = fee_receipt.payment.channel != PaymentChannel.COUNTER
    pdf.signatures(
        None if online else Signature("Người nộp tiền", fee_receipt.payer_name),
        Signature("Đơn vị thu", agency.name, hint="(Lập tự động)" if online else "(Ký và ghi rõ họ tên)"),
        code=str(content.get("dossier_code") or "") or None,
    )
    return pdf.to_bytes()
