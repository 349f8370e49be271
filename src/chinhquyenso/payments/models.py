"""Fee orders, payments, fee receipts and the log of gateway notifications (DOMAIN.md §4; docs/adr/0010-payments.md).

Money is VND in integers everywhere (VND has no minor unit); only the gateway wire format multiplies by 100.

- ``FeeOrder``: what a dossier's applicant must pay, computed from the fees of the dossier's pinned procedure case,
  minus exemptions for the applicant's category; at most one live (open, paid or exempt) order per dossier.
- ``Payment``: one attempt to pay an order, online through a gateway or at the counter. At most one ``paid`` payment
  per order (a partial unique index), so a second credit is impossible even if the application had a bug.
- ``FeeReceipt``: the electronic fee_receipt (biên lai điện tử) of a paid payment, numbered per agency and year.
- ``PaymentNotification``: every callback or status answer from a gateway, accepted or not; rejected ones are
  flagged for administrators.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chinhquyenso.agencies.models import Agency
from chinhquyenso.catalog.models import ApplicantCategory, Fee
from chinhquyenso.dossiers.models import Dossier


class PaymentChannel(models.IntegerChoices):
    """Statistics channel (DOMAIN.md §4): the 766 indicator counts 1 and 2 as online payment."""

    NATIONAL = 1, _("Nền tảng thanh toán trên Cổng Dịch vụ công quốc gia")
    LOCAL = 2, _("Cổng thanh toán của địa phương")
    COUNTER = 3, _("Tại Bộ phận Một cửa")


ONLINE_CHANNELS = frozenset({PaymentChannel.NATIONAL, PaymentChannel.LOCAL})


class PaymentMethod(models.TextChoices):
    GATEWAY = "gateway", pgettext_lazy("hình thức thanh toán", "Thanh toán trực tuyến")
    CASH = "cash", _("Tiền mặt")
    CARD = "card", _("Thẻ ngân hàng (máy POS)")


class FeeOrder(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")
        EXEMPT = "exempt", _("Được miễn")
        CANCELLED = "cancelled", _("Đã hủy")
        REFUNDED = "refunded", _("Đã hoàn trả")

    LIVE = (Status.OPEN, Status.PAID, Status.EXEMPT)

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.PROTECT, related_name="fee_orders")
    # The unit that collects the fees and issues the fee receipts: the dossier's receiving one-stop desk.
    agency = models.ForeignKey(Agency, verbose_name="đơn vị thu", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.OPEN)
    gross_amount = models.PositiveBigIntegerField("tổng phí, lệ phí (đồng)")
    exempt_amount = models.PositiveBigIntegerField("được miễn (đồng)", default=0)
    amount = models.PositiveBigIntegerField("số tiền phải nộp (đồng)")
    exemption_category = models.ForeignKey(
        ApplicantCategory, verbose_name="đối tượng miễn, giảm", null=True, blank=True, on_delete=models.PROTECT
    )
    exemption_note = models.CharField("căn cứ miễn, giảm", max_length=500, blank=True)
    # True: the dossier waits in state 6 until paid; False: payment is recorded alongside processing.
    pay_before_processing = models.BooleanField("phải nộp trước khi giải quyết", default=True)
    note = models.CharField("ghi chú cho người nộp", max_length=500, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người lập", null=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("lập lúc")
    paid_at = models.DateTimeField("nộp xong lúc", null=True, blank=True)
    cancelled_at = models.DateTimeField("hủy lúc", null=True, blank=True)
    cancel_reason = models.CharField("lý do hủy", max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "yêu cầu nộp phí, lệ phí"
        verbose_name_plural = "yêu cầu nộp phí, lệ phí"
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=models.Q(status__in=["open", "paid", "exempt"]),
                name="fee_order_one_live_per_dossier",
            ),
            models.CheckConstraint(
                condition=models.Q(amount=models.F("gross_amount") - models.F("exempt_amount")),
                name="fee_order_amount_is_gross_minus_exempt",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["agency", "status", "-issued_at"], name="fee_order_agency")]

    def __str__(self) -> str:
        return f"Phí hồ sơ {self.dossier} — {self.amount:,} đ".replace(",", ".")


class FeeOrderLine(models.Model):
    order = models.ForeignKey(FeeOrder, on_delete=models.CASCADE, related_name="lines")
    fee = models.ForeignKey(Fee, null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField("loại", max_length=6, choices=Fee.Kind.choices)
    name = models.CharField("khoản thu", max_length=255)
    unit = models.CharField("tính theo", max_length=60, blank=True)
    unit_amount = models.PositiveBigIntegerField("đơn giá (đồng)")
    quantity = models.PositiveIntegerField("số lượng", default=1)
    amount = models.PositiveBigIntegerField("thành tiền (đồng)")
    variable = models.BooleanField("số tiền do cán bộ xác định", default=False)
    exempt = models.BooleanField("được miễn", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "position", "id"]
        verbose_name = "khoản phí, lệ phí"
        verbose_name_plural = "khoản phí, lệ phí"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount=models.F("unit_amount") * models.F("quantity")), name="fee_line_amount"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Đang xử lý")
        PAID = "paid", _("Thành công")
        FAILED = "failed", _("Không thành công")
        CANCELLED = "cancelled", _("Người nộp đã hủy")
        EXPIRED = "expired", _("Hết thời gian thanh toán")
        REFUND_PENDING = "refund_pending", _("Đang hoàn tiền")
        REFUNDED = "refunded", _("Đã hoàn tiền")
        REFUND_FAILED = "refund_failed", _("Hoàn tiền không thành công")

    NOT_PAID = (Status.FAILED, Status.CANCELLED, Status.EXPIRED)
    REFUND_STATES = (Status.REFUND_PENDING, Status.REFUNDED, Status.REFUND_FAILED)

    order = models.ForeignKey(
        FeeOrder, verbose_name="yêu cầu nộp phí", on_delete=models.PROTECT, related_name="payments"
    )
    agency = models.ForeignKey(Agency, verbose_name="đơn vị thu", on_delete=models.PROTECT, related_name="+")
    # Our reference, sent to the gateway as vnp_TxnRef; unique.
    txn_ref = models.CharField("mã giao dịch", max_length=34, unique=True)
    gateway = models.CharField("cổng thanh toán", max_length=30)  # a configured gateway, or "counter"
    channel = models.PositiveSmallIntegerField("kênh thanh toán", choices=PaymentChannel.choices)
    method = models.CharField("hình thức", max_length=8, choices=PaymentMethod.choices)
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    status = models.CharField("trạng thái", max_length=14, choices=Status.choices, default=Status.PENDING)
    # The gateway's own transaction number (vnp_TransactionNo): one gateway transaction credits one payment.
    gateway_txn_no = models.CharField("mã giao dịch tại cổng", max_length=40, null=True, blank=True)  # noqa: DJ001
    bank_code = models.CharField("ngân hàng", max_length=20, blank=True)
    response_code = models.CharField("mã phản hồi", max_length=4, blank=True)
    counter_reference = models.CharField("số chứng từ (máy POS)", max_length=60, blank=True)
    created_at = models.DateTimeField("tạo lúc")
    expires_at = models.DateTimeField("hết hạn lúc", null=True, blank=True)
    paid_at = models.DateTimeField("thanh toán lúc", null=True, blank=True)
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tạo", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    client_ip = models.GenericIPAddressField("địa chỉ IP người nộp", null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001 (NULL = none given)
    last_checked_at = models.DateTimeField("đối chiếu với cổng lúc", null=True, blank=True)
    refund_reason = models.CharField("lý do hoàn tiền", max_length=500, blank=True)
    refund_requested_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField("hoàn tiền lúc", null=True, blank=True)
    refund_ref = models.CharField("mã hoàn tiền", max_length=40, blank=True)
    refund_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người hoàn tiền", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # Needs a person's attention (a double payment, a refund the gateway refused...): shown to administrators.
    flagged = models.BooleanField("cần xem xét", default=False)
    flag_reason = models.CharField("lý do cần xem xét", max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "giao dịch thanh toán"
        verbose_name_plural = "giao dịch thanh toán"
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=models.Q(status="paid"), name="payment_one_credit_per_order"),
            models.UniqueConstraint(fields=["gateway", "gateway_txn_no"], name="payment_gateway_txn_unique"),
            models.UniqueConstraint(fields=["order", "idempotency_key"], name="payment_idempotency_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["agency", "-created_at", "-id"], name="payment_agency"),
            models.Index(fields=["status", "expires_at"], name="payment_pending"),
            models.Index(fields=["gateway", "paid_at"], name="payment_gateway_day"),
        ]

    def __str__(self) -> str:
        return self.txn_ref

    @property
    def is_online(self) -> bool:
        return self.channel in ONLINE_CHANNELS


class FeeReceiptCounter(models.Model):
    """Per collecting agency and calendar year: the last fee receipt number handed out."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="fee_receipt_counter_unique")]
        verbose_name = "bộ đếm số biên lai"

    def __str__(self) -> str:
        return f"{self.agency.code} {self.year} {self.last}"


class FeeReceipt(models.Model):
    """Biên lai điện tử: one per credited payment, numbered per agency and year (``FeeReceiptCounter``)."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="fee_receipt")
    agency = models.ForeignKey(Agency, verbose_name="đơn vị thu", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    seq = models.PositiveIntegerField("số")
    symbol = models.CharField("ký hiệu", max_length=60)
    issued_at = models.DateTimeField("lập lúc")
    payer_name = models.CharField("người nộp", max_length=255)
    payer_address = models.CharField("địa chỉ", max_length=500, blank=True)
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    content = models.JSONField("nội dung", default=dict)  # the lines, dossier code, procedure: frozen at issue
    file = models.FileField(upload_to="payments/receipts/%Y/", blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "biên lai điện tử"
        verbose_name_plural = "biên lai điện tử"
        constraints = [models.UniqueConstraint(fields=["agency", "year", "seq"], name="fee_receipt_number_unique")]

    def __str__(self) -> str:
        return f"{self.symbol} số {self.number}"

    @property
    def number(self) -> str:
        return f"{self.seq:07d}"


class PaymentNotification(models.Model):
    """One message from a gateway about a payment (IPN, or the answer to our status query), accepted or not."""

    class Source(models.TextChoices):
        IPN = "ipn", _("Thông báo kết quả (IPN)")
        QUERY = "query", _("Truy vấn trạng thái")

    class Outcome(models.TextChoices):
        CREDITED = "credited", _("Ghi nhận đã thanh toán")
        NOT_PAID = "not_paid", _("Ghi nhận không thành công")
        DUPLICATE = "duplicate", _("Trùng, đã xử lý trước đó")
        STALE = "stale", _("Đến sau kết quả cuối, bỏ qua")
        DOUBLE_PAYMENT = "double_payment", _("Nộp trùng: hoàn tiền")
        STILL_PENDING = "pending", _("Cổng báo chưa có kết quả")
        BAD_SIGNATURE = "bad_signature", _("Sai chữ ký: từ chối")
        AMOUNT_MISMATCH = "amount_mismatch", _("Sai số tiền: từ chối")
        UNKNOWN_PAYMENT = "unknown_payment", _("Không có giao dịch này: từ chối")
        MALFORMED = "malformed", _("Thiếu hoặc sai tham số: từ chối")
        CONFLICT = "conflict", _("Mâu thuẫn với giao dịch đã ghi nhận")

    REJECTED = (Outcome.BAD_SIGNATURE, Outcome.AMOUNT_MISMATCH, Outcome.UNKNOWN_PAYMENT, Outcome.MALFORMED)

    gateway = models.CharField("cổng thanh toán", max_length=30)
    source = models.CharField("nguồn", max_length=5, choices=Source.choices, default=Source.IPN)
    received_at = models.DateTimeField("nhận lúc")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications")
    txn_ref = models.CharField("mã giao dịch", max_length=100, blank=True)
    gateway_txn_no = models.CharField("mã giao dịch tại cổng", max_length=40, blank=True)
    amount = models.BigIntegerField("số tiền báo về (đồng)", null=True, blank=True)
    response_code = models.CharField("mã kết quả của cổng", max_length=4, blank=True)
    outcome = models.CharField("xử lý", max_length=16, choices=Outcome.choices)
    rsp_code = models.CharField("mã trả lời cổng", max_length=2, blank=True)
    signature_valid = models.BooleanField("chữ ký hợp lệ", default=False)
    params = models.JSONField("tham số nhận được", default=dict)
    remote_addr = models.GenericIPAddressField("gửi từ", null=True, blank=True)
    flagged = models.BooleanField("cần xem xét", default=False, db_index=True)
    reviewed_at = models.DateTimeField("đã xem xét lúc", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người xem xét", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "thông báo từ cổng thanh toán"
        verbose_name_plural = "thông báo từ cổng thanh toán"
        indexes = [models.Index(fields=["payment", "received_at"], name="payment_notification_payment")]

    def __str__(self) -> str:
        return f"{self.gateway} {self.txn_ref or '?'} {self.outcome}"


class CasePaymentRule(models.Model):
    """Whether a procedure case's fees must be paid before processing (state 6) or alongside it.

    Absent = ``settings.CQS_PAY_BEFORE_PROCESSING`` (default True). The officer may still change it on an order.
    """

    case = models.OneToOneField(
        "catalog.ProcedureCase", verbose_name="trường hợp", on_delete=models.CASCADE, related_name="payment_rule"
    )
    pay_before_processing = models.BooleanField("phải nộp trước khi giải quyết", default=True)
    legal_basis = models.CharField("căn cứ", max_length=500, blank=True)

    class Meta:
        verbose_name = "quy định thời điểm nộp phí"
        verbose_name_plural = "quy định thời điểm nộp phí"

    def __str__(self) -> str:
        return f"{self.case}: {'nộp trước' if self.pay_before_processing else 'nộp song song'}"
