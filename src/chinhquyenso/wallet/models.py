"""The citizen's data store (kho dữ liệu điện tử của tổ chức, cá nhân; Nghị định 45/2020/NĐ-CP, Điều 16; Nghị định
118/2025/NĐ-CP): every electronic result issued to a person or business and every document they chose to keep,
reusable in later dossiers ("một lần khai báo") and visible only to its owner. Every access is logged and the log
is shown to the owner.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from chinhquyenso.agencies.models import Agency
from chinhquyenso.catalog.models import DocumentType
from chinhquyenso.dossiers.models import Attachment, Dossier


class WalletItem(models.Model):
    class Source(models.TextChoices):
        ISSUED_RESULT = "issued_result", _("Kết quả giải quyết thủ tục hành chính điện tử")
        KEPT_ATTACHMENT = "kept_attachment", _("Giấy tờ đã nộp trong hồ sơ, do bạn lưu lại")
        KEPT_RESULT = "kept_result", _("Tệp kết quả của hồ sơ, do bạn lưu lại")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="chủ sở hữu", on_delete=models.PROTECT, related_name="wallet_items"
    )
    document_type = models.ForeignKey(
        DocumentType, verbose_name="loại giấy tờ", null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField("tên giấy tờ", max_length=255)
    issuer = models.CharField("cơ quan cấp", max_length=255, blank=True)
    number = models.CharField("số", max_length=80, blank=True)
    issued_on = models.DateField("ngày cấp", null=True, blank=True)
    valid_until = models.DateField("hiệu lực đến", null=True, blank=True)
    source = models.CharField("nguồn", max_length=20, choices=Source.choices)
    issued_result = models.ForeignKey(
        "signing.IssuedResult", verbose_name="kết quả điện tử", null=True, blank=True, on_delete=models.PROTECT,
        related_name="wallet_items",
    )  # fmt: skip
    source_dossier = models.ForeignKey(
        Dossier, verbose_name="hồ sơ nguồn", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="wallet/%Y/%m/")
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField("lưu lúc", auto_now_add=True)
    removed_at = models.DateTimeField("xóa lúc", null=True, blank=True)

    class Meta:
        ordering = ["owner", "-created_at", "-id"]
        verbose_name = "giấy tờ trong kho dữ liệu"
        verbose_name_plural = "giấy tờ trong kho dữ liệu"
        constraints = [
            # The same file kept twice is one item.
            models.UniqueConstraint(
                fields=["owner", "sha256"], condition=models.Q(removed_at__isnull=True), name="wallet_item_unique_file"
            ),
        ]
        indexes = [models.Index(fields=["owner", "document_type"], name="wallet_owner_type")]

    def __str__(self) -> str:
        return self.title

    @property
    def status(self) -> str:
        """valid / expired / superseded / revoked: a revoked or replaced result first, then the validity date."""
        result = self.issued_result
        if result is not None and not result.is_valid:
            return str(result.status)
        if self.valid_until is not None and self.valid_until < timezone.localdate():
            return "expired"
        return "valid"

    @property
    def status_label(self) -> str:
        """Còn hiệu lực / Hết hiệu lực / Đã bị thu hồi / Đã được thay thế: what the owner sees in the list, in the
        language of the request."""
        status = self.status
        if status == "expired":
            return gettext("Hết hiệu lực")
        if status != "valid" and self.issued_result is not None:
            return str(self.issued_result.get_status_display())
        return gettext("Còn hiệu lực")

    @property
    def usable(self) -> bool:
        return self.removed_at is None and self.status == "valid"


class WalletUse(models.Model):
    """A stored document attached to a dossier (one click): the officers on that dossier's route may see it."""

    item = models.ForeignKey(WalletItem, on_delete=models.PROTECT, related_name="uses")
    attachment = models.OneToOneField(Attachment, on_delete=models.CASCADE, related_name="wallet_use")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="wallet_uses")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "lần dùng lại giấy tờ"
        verbose_name_plural = "lần dùng lại giấy tờ"

    def __str__(self) -> str:
        return f"{self.item} → {self.dossier}"


class WalletAccess(models.Model):
    """One access to a stored document: who, when, what, through which dossier. Shown to the owner."""

    class Action(models.TextChoices):
        STORED = "stored", pgettext_lazy("nhật ký kho", "Lưu vào kho")
        VIEWED = "viewed", _("Xem, tải về")
        REUSED = "reused", _("Dùng cho hồ sơ")
        OFFICER_VIEWED = "officer_viewed", _("Cán bộ xem khi giải quyết hồ sơ")
        REMOVED = "removed", _("Xóa khỏi kho")

    item = models.ForeignKey(WalletItem, on_delete=models.CASCADE, related_name="accesses")
    at = models.DateTimeField("lúc", default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_label = models.CharField("người truy cập", max_length=255)
    action = models.CharField("thao tác", max_length=16, choices=Action.choices)
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "nhật ký truy cập kho dữ liệu"
        verbose_name_plural = "nhật ký truy cập kho dữ liệu"
        indexes = [models.Index(fields=["item", "-at"], name="wallet_access_item")]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.get_action_display()} {self.item}"
