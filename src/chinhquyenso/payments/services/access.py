"""Who may handle a dossier's fees, and the rules shared by every payment service."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Membership, Role
from chinhquyenso.dossiers.errors import DossierNotFound
from chinhquyenso.dossiers.models import Dossier, State
from chinhquyenso.dossiers.selectors import dossier_get
from chinhquyenso.payments.errors import (
    PaymentNotAllowed,
    PaymentNotFound,
)
from chinhquyenso.payments.gateways import (
    Outcome,
)
from chinhquyenso.payments.models import (
    Payment,
)

COUNTER = "counter"  # Payment.gateway of counter payments
FEE_ROLES = {Role.ONE_STOP, Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN}
ISSUABLE_STATES = (State.RECEIVED, State.PROCESSING, State.PAYING)
REFUNDABLE_DOSSIER_STATES = (State.REFUSED, State.STOPPED)
MAX_AMOUNT = 100_000_000_000  # 100 tỷ đồng: no fee of a procedure comes near; a typo guard
EXPIRY_GRACE = timedelta(minutes=2)  # the gateway's clock may lag ours a little
UNREACHABLE_GIVE_UP = timedelta(hours=24)

_FAILURE_STATUS = {
    Outcome.FAILED: Payment.Status.FAILED,
    Outcome.CANCELLED: Payment.Status.CANCELLED,
    Outcome.EXPIRED: Payment.Status.EXPIRED,
}


def may_handle_fees(*, actor: User, dossier: Dossier) -> bool:
    """Officers of the receiving desk or of the agency now handling the dossier (or a system administrator)."""
    if not actor.is_authenticated or not actor.is_officer:
        return False
    memberships = Membership.objects.filter(user=actor, active=True)
    if memberships.filter(role=Role.SYSTEM_ADMIN).exists():
        return True
    agencies = {dossier.receiving_agency_id, dossier.current_agency_id}
    return memberships.filter(agency_id__in=agencies, role__in=FEE_ROLES).exists()


def _visible_dossier(actor: User, dossier_id: int) -> Dossier:
    try:
        return dossier_get(actor=actor, dossier_id=dossier_id)
    except DossierNotFound:
        raise PaymentNotFound(gettext("Không tìm thấy hồ sơ.")) from None


def _fee_officer_dossier(actor: User, dossier_id: int) -> Dossier:
    dossier = _visible_dossier(actor, dossier_id)
    if not may_handle_fees(actor=actor, dossier=dossier):
        raise PaymentNotAllowed(
            gettext("Chỉ cán bộ của bộ phận tiếp nhận hoặc đơn vị đang giải quyết hồ sơ mới thao tác phí.")
        )
    return dossier
