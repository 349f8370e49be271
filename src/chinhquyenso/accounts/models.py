"""Accounts: citizens, businesses and officers share one user table; the kind says which."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chinhquyenso.accounts.validators import validate_cccd, validate_mobile, validate_tax_code


class User(AbstractUser):
    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Công dân")
        BUSINESS = "business", _("Doanh nghiệp, tổ chức")
        OFFICER = "officer", _("Cán bộ, công chức")

    kind = models.CharField("loại tài khoản", max_length=10, choices=Kind.choices, default=Kind.CITIZEN)
    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    # Personal data: never logged, never put in URLs.
    cccd = models.CharField("số CCCD", max_length=12, null=True, blank=True, unique=True, validators=[validate_cccd])
    # When the CCCD was checked against the person (an officer seeing the card, or a VNeID sign-in). Registration
    # takes the number as typed: until it is verified it links nothing to the account (ADR 0014).
    cccd_verified_at = models.DateTimeField("CCCD đã xác thực lúc", null=True, blank=True)
    date_of_birth = models.DateField("ngày sinh", null=True, blank=True)
    phone = models.CharField(
        "số điện thoại", max_length=10, null=True, blank=True, unique=True, validators=[validate_mobile]
    )
    ward_code = models.PositiveIntegerField("xã/phường", null=True, blank=True)
    address_line = models.CharField("địa chỉ (số nhà, đường, thôn/tổ)", max_length=255, blank=True)
    tax_code = models.CharField(
        "mã số thuế", max_length=14, null=True, blank=True, unique=True, validators=[validate_tax_code]
    )
    organization_name = models.CharField("tên doanh nghiệp, tổ chức", max_length=255, blank=True)

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.BUSINESS and self.organization_name:
            return self.organization_name
        return self.full_name or self.username

    @property
    def is_officer(self) -> bool:
        return self.kind == self.Kind.OFFICER


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once, at creation."""

    PREFIX = "cqs_"

    user = models.ForeignKey(User, verbose_name="tài khoản", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("tên gợi nhớ", max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField("gợi ý", max_length=12, editable=False)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now, editable=False)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
