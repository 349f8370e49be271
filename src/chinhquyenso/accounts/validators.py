"""Vietnamese identifiers: CCCD (personal identification number), mobile phone, tax code."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

_CCCD = re.compile(r"^\d{12}$")
_MOBILE = re.compile(r"^0[35789]\d{8}$")
_TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")


def normalize_phone(raw: str) -> str:
    """'+84 912 345 678' / '84912345678' / '0912.345.678' → '0912345678'."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def validate_cccd(value: str) -> None:
    """Số định danh cá nhân: exactly 12 digits (Luật Căn cước 2023)."""
    if not _CCCD.match(value or ""):
        raise ValidationError(gettext("Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số."), code="invalid_cccd")


def validate_mobile(value: str) -> None:
    """Vietnamese mobile number: 10 digits starting 03, 05, 07, 08 or 09 (DOMAIN.md §9)."""
    if not _MOBILE.match(normalize_phone(value)):
        raise ValidationError(
            gettext("Số điện thoại di động phải gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (hoặc +84)."),
            code="invalid_phone",
        )


def validate_tax_code(value: str) -> None:
    """Mã số thuế: 10 digits, or 10 digits + '-' + 3 digits for a branch."""
    if not _TAX_CODE.match(value or ""):
        raise ValidationError(
            gettext("Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số (chi nhánh)."),
            code="invalid_tax_code",
        )
