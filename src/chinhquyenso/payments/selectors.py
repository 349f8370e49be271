"""Payment reads, scoped to the acting user (STYLE.md §4): the applicant sees the fees of their own dossiers;
officers see the payments of their agencies and the fees of dossiers on their route; anything else is "not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Membership, Role
from chinhquyenso.core.calendar import TZ
from chinhquyenso.dossiers.errors import DossierNotFound
from chinhquyenso.dossiers.models import Dossier, State
from chinhquyenso.dossiers.selectors import dossier_get, dossier_visible_to, officer_agency_ids
from chinhquyenso.payments.errors import PaymentNotFound
from chinhquyenso.payments.models import (
    ONLINE_CHANNELS,
    FeeOrder,
    FeeReceipt,
    Payment,
    PaymentChannel,
    PaymentNotification,
)

REFUNDABLE_DOSSIER_STATES = (State.REFUSED, State.STOPPED)


def fee_order_current(*, dossier: Dossier) -> FeeOrder | None:
    """The dossier's live order (open, paid or exempt), else its latest one (cancelled or refunded), else None."""
    orders = FeeOrder.objects.filter(dossier=dossier).select_related("exemption_category", "agency")
    live = orders.filter(status__in=FeeOrder.LIVE).first()
    return live or orders.order_by("-issued_at", "-id").first()


def fee_order_open(*, dossier: Dossier) -> FeeOrder | None:
    return FeeOrder.objects.filter(dossier=dossier, status=FeeOrder.Status.OPEN).first()


def fee_order_for_actor(*, actor: User, dossier_id: int | str) -> tuple[Dossier, FeeOrder | None]:
    """A dossier the actor may see, with its current fee order; PaymentNotFound otherwise."""
    try:
        dossier = dossier_get(actor=actor, dossier_id=dossier_id)
    except DossierNotFound:
        raise PaymentNotFound(gettext("Không tìm thấy hồ sơ.")) from None
    if not actor.is_officer and dossier.applicant_id != actor.pk:
        raise PaymentNotFound(gettext("Không tìm thấy hồ sơ."))
    return dossier, fee_order_current(dossier=dossier)


def order_get_for_actor(*, actor: User, order_id: int | str) -> FeeOrder:
    try:
        pk = int(order_id)
    except (TypeError, ValueError):
        raise PaymentNotFound(gettext("Không tìm thấy yêu cầu nộp phí.")) from None
    order = (
        FeeOrder.objects.filter(pk=pk, dossier__in=dossier_visible_to(actor=actor))
        .select_related("dossier__case__version", "exemption_category", "agency")
        .first()
    )
    if order is None or (not actor.is_officer and order.dossier.applicant_id != actor.pk):
        raise PaymentNotFound(gettext("Không tìm thấy yêu cầu nộp phí."))
    return order


def payment_visible_to(*, actor: User) -> QuerySet[Payment]:
    """Applicant: payments of their own dossiers. Officer: payments collected by their agencies or of dossiers on
    their route. System administrator: all."""
    if not actor.is_authenticated:
        return Payment.objects.none()
    if not actor.is_officer:
        return Payment.objects.filter(order__dossier__applicant=actor)
    if Membership.objects.filter(user=actor, role=Role.SYSTEM_ADMIN, active=True).exists():
        return Payment.objects.all()
    agencies = officer_agency_ids(actor=actor)
    return Payment.objects.filter(Q(agency_id__in=agencies) | Q(order__dossier__in=dossier_visible_to(actor=actor)))


def payment_get_for_actor(*, actor: User, txn_ref: str) -> Payment:
    payment = (
        payment_visible_to(actor=actor)
        .select_related("order__dossier__case__version", "agency")
        .filter(txn_ref=str(txn_ref)[:34])
        .first()
    )
    if payment is None:
        raise PaymentNotFound
    return payment


def fee_receipt_get_for_actor(*, actor: User, fee_receipt_id: int | str) -> FeeReceipt:
    try:
        pk = int(fee_receipt_id)
    except (TypeError, ValueError):
        raise PaymentNotFound(gettext("Không tìm thấy biên lai.")) from None
    fee_receipt = (
        FeeReceipt.objects.filter(pk=pk, payment__in=payment_visible_to(actor=actor))
        .select_related("payment", "agency__parent")
        .first()
    )
    if fee_receipt is None:
        raise PaymentNotFound(gettext("Không tìm thấy biên lai."))
    return fee_receipt


@dataclass(frozen=True)
class PaymentFilter:
    status: str | None = None
    channel: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None  # dossier code or our transaction reference
    agency_id: int | None = None
    flagged: bool = False
    refund_due: bool = False  # paid fees of refused or stopped dossiers, not refunded yet


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=TZ)


def payment_list_for_officer(*, actor: User, filters: PaymentFilter) -> QuerySet[Payment]:
    """The payments of the officer's agencies, newest first, filtered."""
    if not actor.is_officer:
        return Payment.objects.none()
    qs = payment_visible_to(actor=actor)
    if filters.agency_id is not None:
        qs = qs.filter(agency_id=filters.agency_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.channel is not None:
        qs = qs.filter(channel=filters.channel)
    if filters.date_from is not None:
        qs = qs.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        qs = qs.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(Q(txn_ref__iexact=term) | Q(order__dossier__code__istartswith=term) | Q(gateway_txn_no=term))
    if filters.flagged:
        qs = qs.filter(flagged=True)
    if filters.refund_due:
        qs = qs.filter(status=Payment.Status.PAID, order__dossier__state__in=REFUNDABLE_DOSSIER_STATES)
    return qs.select_related("order__dossier__case__version", "agency", "fee_receipt").order_by("-created_at", "-id")


def payments_online_for_day(*, gateway: str, day: date) -> QuerySet[Payment]:
    """Online payments of one gateway credited on a local day (the reconciliation's side)."""
    start = _day_start(day)
    return Payment.objects.filter(gateway=gateway, paid_at__gte=start, paid_at__lt=start + timedelta(days=1)).exclude(
        status__in=[Payment.Status.PENDING, *Payment.NOT_PAID]
    )


def notifications_flagged(*, limit: int = 100) -> QuerySet[PaymentNotification]:
    return PaymentNotification.objects.filter(flagged=True, reviewed_at__isnull=True).order_by("-received_at")[:limit]


@dataclass(frozen=True)
class PaymentStatistics:
    """DOMAIN.md §4 and the 766 indicator on online payment (QĐ 766/QĐ-TTg): dossiers paid online over dossiers of
    fee-bearing procedures, zero-fee (fully exempt) ones excluded."""

    fee_bearing_dossiers: int
    paid_online_dossiers: int
    paid_counter_dossiers: int
    exempt_dossiers: int
    amount_online: int
    amount_counter: int
    by_channel: dict[int, int]

    @property
    def online_ratio(self) -> float | None:
        if not self.fee_bearing_dossiers:
            return None
        return self.paid_online_dossiers / self.fee_bearing_dossiers


def payment_statistics(*, agency_ids: list[int] | None, date_from: date, date_to: date) -> PaymentStatistics:
    """Counted on orders issued in the period (local dates, inclusive)."""
    start, end = _day_start(date_from), _day_start(date_to + timedelta(days=1))
    orders = FeeOrder.objects.filter(issued_at__gte=start, issued_at__lt=end)
    if agency_ids is not None:
        orders = orders.filter(agency_id__in=agency_ids)
    exempt = orders.filter(status=FeeOrder.Status.EXEMPT).values("dossier").distinct().count()
    fee_bearing = orders.exclude(status=FeeOrder.Status.EXEMPT).exclude(amount=0).values("dossier").distinct().count()
    paid = Payment.objects.filter(order__in=orders, status=Payment.Status.PAID)
    online = paid.filter(channel__in=list(ONLINE_CHANNELS))
    counter = paid.filter(channel=PaymentChannel.COUNTER)
    by_channel: dict[int, int] = {row["channel"]: row["n"] for row in paid.values("channel").annotate(n=Count("id"))}
    totals: dict[str, Any] = {
        "online": online.aggregate(s=Sum("amount"))["s"] or 0,
        "counter": counter.aggregate(s=Sum("amount"))["s"] or 0,
    }
    return PaymentStatistics(
        fee_bearing_dossiers=fee_bearing,
        paid_online_dossiers=online.values("order__dossier").distinct().count(),
        paid_counter_dossiers=counter.values("order__dossier").distinct().count(),
        exempt_dossiers=exempt,
        amount_online=int(totals["online"]),
        amount_counter=int(totals["counter"]),
        by_channel=by_channel,
    )
