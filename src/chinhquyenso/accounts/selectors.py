from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.utils import timezone

from chinhquyenso.accounts.models import ApiToken, User, hash_token
from chinhquyenso.accounts.validators import normalize_phone

_CCCD = re.compile(r"[0-9]{12}")


def user_find_by_identifier(*, identifier: str) -> User | None:
    """Resolve what a person typed in the sign-in box to at most one account."""
    value = identifier.strip()
    if not value:
        return None
    query = Q(username__iexact=value)
    if value.isdigit() and len(value) == 12:
        query |= Q(cccd=value)
    phone = normalize_phone(value)
    if phone.isdigit() and len(phone) == 10:
        query |= Q(phone=phone)
    if "@" in value:
        query |= Q(email__iexact=value)
    if value.replace("-", "").isdigit() and len(value) in (10, 14):
        query |= Q(tax_code=value)
    matches = list(User.objects.filter(query)[:2])
    return matches[0] if len(matches) == 1 else None


def applicant_account_for_cccd(*, cccd: str) -> User | None:
    """The active citizen or business account whose *verified* CCCD is exactly this 12-digit number, for linking a
    dossier received at the desk (ADR 0014). Anyone can register with any number, so an unverified CCCD links
    nothing: the dossier would show another person's data to whoever typed it. Never an officer's account; anything
    but 12 digits matches nothing."""
    if not _CCCD.fullmatch(cccd):
        return None
    return (
        User.objects.filter(
            cccd=cccd, cccd_verified_at__isnull=False, kind__in=(User.Kind.CITIZEN, User.Kind.BUSINESS), is_active=True
        )
        .order_by("pk")
        .first()
    )


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user owning this bearer token, or None. Marks the token used (at most once a minute)."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_list(*, actor: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor, revoked_at__isnull=True)
