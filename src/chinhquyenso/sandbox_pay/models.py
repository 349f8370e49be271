"""The payment gateway SIMULATOR's own records (cổng thanh toán GIẢ LẬP): what a real gateway would keep.

Nothing here is platform data: the platform only learns about these transactions through the protocol (signed
redirects, notifications and API answers), exactly as with a real gateway.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SandboxTransaction(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ người nộp chọn kết quả")
        SUCCESS = "success", _("Thành công")
        FAILED = "failed", _("Không thành công")
        CANCELLED = "cancelled", _("Khách hàng hủy")
        TIMEOUT = "timeout", _("Hết thời gian chờ")
        REFUNDED = "refunded", _("Đã hoàn tiền")

    tmn_code = models.CharField("mã đơn vị (merchant)", max_length=20)
    txn_ref = models.CharField("mã giao dịch của đơn vị", max_length=100)
    transaction_no = models.CharField("mã giao dịch tại cổng giả lập", max_length=20, unique=True)
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    order_info = models.CharField("nội dung", max_length=255)
    return_url = models.URLField("địa chỉ trả về", max_length=500)
    client_ip = models.CharField(max_length=45, blank=True)
    create_date = models.CharField("vnp_CreateDate", max_length=14)
    expire_date = models.CharField("vnp_ExpireDate", max_length=14, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING)
    response_code = models.CharField("mã kết quả", max_length=2, blank=True)
    bank_code = models.CharField("ngân hàng", max_length=20, default="NCB")
    pay_date = models.DateTimeField("thanh toán lúc", null=True, blank=True)
    refunded_amount = models.PositiveBigIntegerField("đã hoàn (đồng)", default=0)
    refunded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "giao dịch GIẢ LẬP"
        verbose_name_plural = "giao dịch GIẢ LẬP"
        constraints = [models.UniqueConstraint(fields=["tmn_code", "txn_ref"], name="sandbox_txn_ref_unique")]

    def __str__(self) -> str:
        return f"[GIẢ LẬP] {self.txn_ref}"


class SandboxDelivery(models.Model):
    """One notification the simulator will send (or sent) to the platform's IPN URL."""

    class Kind(models.TextChoices):
        FINAL = "final", _("Kết quả giao dịch")
        STALE_FAILURE = "stale_failure", _("Thông báo cũ «không thành công» (đến sai thứ tự)")

    transaction = models.ForeignKey(SandboxTransaction, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.FINAL)
    due_at = models.DateTimeField("gửi lúc (dự kiến)")
    sent_at = models.DateTimeField("đã gửi lúc", null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    answer = models.CharField("trả lời của đơn vị", max_length=500, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = "thông báo IPN GIẢ LẬP"
        verbose_name_plural = "thông báo IPN GIẢ LẬP"

    def __str__(self) -> str:
        return f"[GIẢ LẬP] {self.transaction.txn_ref} {self.kind}"
