from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from vietnam_provinces import Province, ProvinceCode, Ward

from chinhquyenso.agencies.models import Agency, Membership, Role

if TYPE_CHECKING:
    from chinhquyenso.accounts.models import User


@cache
def _wards(province_code: int) -> tuple[tuple[int, str], ...]:
    wards = Ward.iter_by_province(ProvinceCode(province_code))
    return tuple(sorted(((int(w.code), w.name) for w in wards), key=lambda item: item[1]))


def province() -> Province:
    return Province.from_code(ProvinceCode(settings.CQS_PROVINCE_CODE))


def ward_choices() -> list[tuple[int, str]]:
    """Communes, wards and special zones of the installation's province, after the 2025 merger."""
    return list(_wards(settings.CQS_PROVINCE_CODE))


def ward_name(code: int | None) -> str:
    if code is None:
        return ""
    return dict(_wards(settings.CQS_PROVINCE_CODE)).get(code, "")


def membership_list_for_user(*, actor: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=actor, active=True, agency__active=True).select_related(
        "agency", "agency__parent"
    )


def agency_list_for_officer(*, actor: User) -> QuerySet[Agency]:
    """Agencies the officer belongs to; a system administrator sees every agency."""
    if Membership.objects.filter(user=actor, role=Role.SYSTEM_ADMIN, active=True).exists():
        return Agency.objects.filter(active=True)
    return Agency.objects.filter(memberships__user=actor, memberships__active=True, active=True).distinct()


def agency_staff(*, actor: User, agency: Agency) -> QuerySet[Membership]:
    """Colleagues in one of the actor's agencies (empty if the actor does not belong there)."""
    if not agency_list_for_officer(actor=actor).filter(pk=agency.pk).exists():
        return Membership.objects.none()
    return (
        Membership.objects.filter(agency=agency, active=True).select_related("user").order_by("role", "user__full_name")
    )


def agency_tree() -> QuerySet[Agency]:
    return Agency.objects.filter(active=True).select_related("parent")
