"""PKI and issued electronic results.

Private keys never rest in clear: software keys (the demo CA, the local TSA, officers' imported or issued keys) are
PKCS#12 files encrypted with ``CQS_SIGNING_KEY_PASSPHRASE``; keys on a hardware token or HSM stay there and only
the module, the token label and the key label are stored (the PIN is asked at each signing, never stored).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chinhquyenso.agencies.models import Agency
from chinhquyenso.catalog.models import DocumentType
from chinhquyenso.dossiers.models import Dossier


class PlatformKey(models.Model):
    """A key the platform itself holds: the demo root and issuing CAs and the local timestamp authority."""

    class Role(models.TextChoices):
        ROOT = "root", _("CA gốc (trình diễn)")
        ISSUING = "issuing", _("CA cấp chứng thư (trình diễn)")
        TSA = "tsa", _("Máy chủ cấp dấu thời gian (trình diễn)")

    role = models.CharField("vai trò", max_length=10, choices=Role.choices)
    name = models.CharField("tên", max_length=255)
    certificate_pem = models.TextField("chứng thư (PEM)")
    fingerprint = models.CharField("dấu vân tay SHA-256", max_length=64, unique=True)
    pkcs12 = models.BinaryField("khóa (PKCS#12, mã hóa)", editable=False)
    not_after = models.DateTimeField("hết hạn")
    active = models.BooleanField("đang dùng", default=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        ordering = ["role", "-created_at"]
        verbose_name = "khóa của hệ thống"
        verbose_name_plural = "khóa của hệ thống"

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"


class TrustAnchor(models.Model):
    """The platform's trust list: root certificates whose chains are trusted when signing and verifying."""

    name = models.CharField("tên", max_length=255)
    certificate_pem = models.TextField("chứng thư (PEM)")
    fingerprint = models.CharField("dấu vân tay SHA-256", max_length=64, unique=True)
    not_after = models.DateTimeField("hết hạn")
    active = models.BooleanField("đang tin cậy", default=True)
    source = models.CharField("nguồn", max_length=255, blank=True)
    added_at = models.DateTimeField("thêm lúc", auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "chứng thư gốc tin cậy"
        verbose_name_plural = "danh sách tin cậy"

    def __str__(self) -> str:
        return self.name


class SigningCredential(models.Model):
    """An officer's signing certificate and where its key is."""

    class Kind(models.TextChoices):
        SOFTWARE = "software", _("Khóa lưu mã hóa trên hệ thống (PKCS#12)")
        PKCS11 = "pkcs11", _("Thiết bị ký số, HSM (PKCS#11)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="cán bộ", on_delete=models.PROTECT, related_name="signing_credentials"
    )
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    subject_name = models.CharField("chủ thể", max_length=255)
    issuer_name = models.CharField("tổ chức cấp", max_length=255)
    certificate_pem = models.TextField("chứng thư (PEM)")
    chain_pem = models.TextField("chứng thư trung gian (PEM)", blank=True)
    fingerprint = models.CharField("dấu vân tay SHA-256", max_length=64, unique=True)
    serial = models.CharField("số hiệu", max_length=64)
    not_before = models.DateTimeField("hiệu lực từ")
    not_after = models.DateTimeField("hết hạn")
    pkcs12 = models.BinaryField("khóa (PKCS#12, mã hóa)", null=True, blank=True, editable=False)
    pkcs11_module = models.CharField("thư viện PKCS#11", max_length=255, blank=True)
    pkcs11_token = models.CharField("nhãn thiết bị", max_length=100, blank=True)
    pkcs11_key = models.CharField("nhãn khóa", max_length=100, blank=True)
    active = models.BooleanField("đang dùng", default=True)
    revoked_at = models.DateTimeField("ngừng dùng lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        ordering = ["user", "-not_after"]
        verbose_name = "chứng thư ký số của cán bộ"
        verbose_name_plural = "chứng thư ký số của cán bộ"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="software", pkcs12__isnull=False) | models.Q(kind="pkcs11")),
                name="credential_software_has_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} ({self.get_kind_display()})"

    @property
    def expired(self) -> bool:
        return self.not_after < timezone.now()


class ResultCounter(models.Model):
    """Per issuing agency and year: the last result number handed out."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="result_counter_unique")]
        verbose_name = "bộ đếm số kết quả"

    def __str__(self) -> str:
        return f"{self.agency.code} {self.year} {self.last}"


class ResultDraft(models.Model):
    """A result PDF initialled (ký nháy) by a specialist, waiting for the leader's signature."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="result_drafts")
    file = models.FileField(upload_to="signing/drafts/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_label = models.CharField("người ký nháy", max_length=255)
    created_at = models.DateTimeField("ký lúc", auto_now_add=True)
    used_at = models.DateTimeField("đã dùng lúc", null=True, blank=True)

    class Meta:
        ordering = ["dossier", "-created_at"]
        verbose_name = "dự thảo kết quả đã ký nháy"
        verbose_name_plural = "dự thảo kết quả đã ký nháy"

    def __str__(self) -> str:
        return f"Dự thảo kết quả — {self.dossier}"


class IssuedResult(models.Model):
    """An electronic result (kết quả giải quyết điện tử): signed PDF, number, type, and its standing."""

    class Status(models.TextChoices):
        VALID = "valid", _("Còn hiệu lực")
        SUPERSEDED = "superseded", _("Đã được thay thế")
        REVOKED = "revoked", _("Đã bị thu hồi, hủy bỏ")

    number = models.CharField("số kết quả", max_length=80, unique=True)
    # Random, printed in the QR code: the verification page opens with it (the number alone is guessable).
    verification_code = models.CharField("mã xác thực", max_length=32, unique=True)
    document_type = models.ForeignKey(
        DocumentType, verbose_name="loại giấy tờ", null=True, blank=True, on_delete=models.PROTECT
    )
    type_name = models.CharField("loại kết quả", max_length=255)
    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.PROTECT, related_name="issued_results")
    agency = models.ForeignKey(Agency, verbose_name="cơ quan cấp", on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người được cấp", null=True, blank=True, on_delete=models.PROTECT,
        related_name="issued_results",
    )  # fmt: skip
    holder_name = models.CharField("tên người được cấp", max_length=255)
    file = models.FileField("tệp đã ký", upload_to="signing/results/%Y/%m/")
    sha256 = models.CharField("SHA-256 của tệp", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    signers = models.JSONField("chữ ký", default=list)  # [{"name", "title", "agency", "at", "role"}] in order
    issued_at = models.DateTimeField("phát hành lúc")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    valid_until = models.DateField("hiệu lực đến", null=True, blank=True)
    status = models.CharField("tình trạng", max_length=12, choices=Status.choices, default=Status.VALID)
    status_reason = models.TextField("lý do", blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    superseded_by = models.ForeignKey(
        "self", verbose_name="được thay thế bởi", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "kết quả điện tử"
        verbose_name_plural = "kết quả điện tử"

    def __str__(self) -> str:
        return f"{self.type_name} số {self.number}"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID
