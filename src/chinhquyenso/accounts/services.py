"""Account writes: registration and API tokens. Each call is one transaction with an audit entry."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chinhquyenso.accounts.models import ApiToken, User, hash_token
from chinhquyenso.accounts.validators import normalize_phone
from chinhquyenso.core.audit import audit_record

UNIQUE_FIELD_MESSAGES = {
    "cccd": _("Số CCCD này đã được dùng để đăng ký một tài khoản khác. Hãy đăng nhập hoặc lấy lại mật khẩu."),
    "phone": _("Số điện thoại này đã được dùng cho một tài khoản khác."),
    "email": _("Địa chỉ thư điện tử này đã được dùng cho một tài khoản khác."),
    "tax_code": _("Mã số thuế này đã được dùng để đăng ký một tài khoản khác."),
}


@dataclass(frozen=True)
class Registration:
    kind: str
    full_name: str
    phone: str
    email: str
    password: str
    ward_code: int | None = None
    address_line: str = ""
    cccd: str | None = None
    date_of_birth: date | None = None
    tax_code: str | None = None
    organization_name: str = ""


def _new_username(prefix: str) -> str:
    # An internal handle: people sign in with their CCCD, phone, e-mail or tax code, so the username
    # need not (and must not) carry personal data.
    while True:
        candidate = f"{prefix}{secrets.token_hex(4)}"
        if not User.objects.filter(username=candidate).exists():
            return candidate


def check_registration_unique(*, data: Registration) -> dict[str, str]:
    """Field → message, in the active language, for every identifier already taken."""
    taken: dict[str, str] = {}
    lookups = {"cccd": data.cccd, "phone": normalize_phone(data.phone), "tax_code": data.tax_code}
    for field, value in lookups.items():
        if value and User.objects.filter(**{field: value}).exists():
            taken[field] = str(UNIQUE_FIELD_MESSAGES[field])
    if data.email and User.objects.filter(email__iexact=data.email).exists():
        taken["email"] = str(UNIQUE_FIELD_MESSAGES["email"])
    return taken


def account_register(*, data: Registration) -> User:
    """Create a citizen or business account.

    Raises ValidationError (field → message) when an identifier is taken, also when two registrations race.
    """
    taken = check_registration_unique(data=data)
    if taken:
        raise ValidationError({field: [message] for field, message in taken.items()})
    is_business = data.kind == User.Kind.BUSINESS
    user = User(
        username=_new_username("dn" if is_business else "cd"),
        kind=User.Kind.BUSINESS if is_business else User.Kind.CITIZEN,
        full_name=data.full_name.strip(),
        phone=normalize_phone(data.phone),
        email=data.email.strip().lower(),
        ward_code=data.ward_code,
        address_line=data.address_line.strip(),
        cccd=data.cccd or None,
        date_of_birth=data.date_of_birth,
        tax_code=(data.tax_code or None) if is_business else None,
        organization_name=data.organization_name.strip() if is_business else "",
    )
    validate_password(data.password, user)
    user.set_password(data.password)
    try:
        with transaction.atomic():
            user.save()
            audit_record(actor=user, action="account.register", obj=user, after={"kind": user.kind})
    except IntegrityError:
        taken = check_registration_unique(data=data)
        raise ValidationError(
            {field: [message] for field, message in taken.items()}
            or {"__all__": [gettext("Không thể tạo tài khoản lúc này, vui lòng thử lại.")]}
        ) from None
    return user


def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; returns the model and the raw token, which is never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": [gettext("Hãy đặt tên gợi nhớ cho mã truy cập (ví dụ: phần mềm kế toán).")]})
    raw = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(user=actor, name=name[:100], token_hash=hash_token(raw), hint=raw[:8])
        audit_record(actor=actor, action="api_token.create", obj=token, after={"name": token.name})
    return token, raw


def api_token_revoke(*, actor: User, token_id: int) -> None:
    """Revoke one of the actor's own tokens (someone else's id answers as not found)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id, user=actor, revoked_at__isnull=True)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", obj=token)
