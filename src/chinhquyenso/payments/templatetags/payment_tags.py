"""Payment template helpers: money in VND, payment state labels, and the two panels the dossier pages include.

``{% load payment_tags %}`` then ``{% applicant_fee_panel dossier %}`` (applicant's dossier page: "Thanh toán phí,
lệ phí" when an order is open) and ``{% officer_fee_panel dossier %}`` (officer's dossier page: the order and a link
to the fee page).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.payments.models import FeeOrder, Payment, PaymentChannel
from chinhquyenso.payments.money import amount_in_words, format_vnd
from chinhquyenso.payments.selectors import fee_order_current

register = template.Library()

PAYMENT_STATUS_LABELS: dict[str, Any] = {
    Payment.Status.PENDING: _("Đang xử lý"),
    Payment.Status.PAID: _("Thành công"),
    Payment.Status.FAILED: _("Không thành công"),
    Payment.Status.CANCELLED: _("Người nộp đã hủy"),
    Payment.Status.EXPIRED: _("Hết thời gian thanh toán"),
    Payment.Status.REFUND_PENDING: _("Đang hoàn tiền"),
    Payment.Status.REFUNDED: _("Đã hoàn tiền"),
    Payment.Status.REFUND_FAILED: _("Hoàn tiền không thành công"),
}
ORDER_STATUS_LABELS: dict[str, Any] = {
    FeeOrder.Status.OPEN: _("Chờ thanh toán"),
    FeeOrder.Status.PAID: _("Đã thanh toán"),
    FeeOrder.Status.EXEMPT: _("Được miễn"),
    FeeOrder.Status.CANCELLED: _("Đã hủy"),
    FeeOrder.Status.REFUNDED: _("Đã hoàn trả"),
}
CHANNEL_LABELS: dict[int, Any] = {
    PaymentChannel.NATIONAL: _("Nền tảng thanh toán trên Cổng Dịch vụ công quốc gia"),
    PaymentChannel.LOCAL: _("Cổng thanh toán của địa phương"),
    PaymentChannel.COUNTER: _("Tại Bộ phận Một cửa"),
}


@register.filter
def vnd(value: object) -> str:
    """``{{ 1250000|vnd }}`` → 1.250.000 đ."""
    try:
        return format_vnd(int(str(value)))
    except (TypeError, ValueError):
        return ""


@register.filter
def vnd_words(value: object) -> str:
    try:
        return amount_in_words(int(str(value)))
    except (TypeError, ValueError):
        return ""


@register.filter
def payment_status(value: object) -> str:
    return str(PAYMENT_STATUS_LABELS.get(str(value), value))


@register.filter
def order_status(value: object) -> str:
    return str(ORDER_STATUS_LABELS.get(str(value), value))


@register.filter
def payment_channel(value: object) -> str:
    try:
        return str(CHANNEL_LABELS.get(int(str(value)), value))
    except ValueError:
        return str(value)


@register.inclusion_tag("payments/components/applicant_panel.html")
def applicant_fee_panel(dossier: Dossier) -> dict[str, Any]:
    return {"dossier": dossier, "order": fee_order_current(dossier=dossier)}


@register.inclusion_tag("payments/components/officer_panel.html", takes_context=True)
def officer_fee_panel(context: template.Context, dossier: Dossier) -> dict[str, Any]:
    order = fee_order_current(dossier=dossier)
    paid = order.payments.filter(status=Payment.Status.PAID).select_related("fee_receipt").first() if order else None
    return {"dossier": dossier, "order": order, "paid": paid, "request": context.get("request")}
