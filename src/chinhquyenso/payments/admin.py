"""Administrators' view of payments. Money records are read-only here: every change goes through the services
(so it is audited); the only write is marking flagged gateway notifications as reviewed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from chinhquyenso.accounts.models import User
from chinhquyenso.payments import services
from chinhquyenso.payments.models import (
    CasePaymentRule,
    FeeOrder,
    FeeOrderLine,
    FeeReceipt,
    Payment,
    PaymentNotification,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FeeOrderLineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = FeeOrderLine
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "name", "unit_amount", "quantity", "amount", "variable", "exempt")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FeeOrder)
class FeeOrderAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "agency", "status", "amount", "exempt_amount", "pay_before_processing", "issued_at")
    list_filter = ("status", "pay_before_processing", "agency")
    search_fields = ("dossier__code",)
    date_hierarchy = "issued_at"
    inlines = [FeeOrderLineInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("txn_ref", "order", "channel", "method", "amount", "status", "flagged", "paid_at", "created_at")
    list_filter = ("flagged", "status", "channel", "method", "gateway")
    search_fields = ("txn_ref", "gateway_txn_no", "order__dossier__code")
    date_hierarchy = "created_at"


@admin.register(FeeReceipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("symbol", "number", "payer_name", "amount", "issued_at")
    list_filter = ("agency", "year")
    search_fields = ("payer_name", "payment__txn_ref")


@admin.action(description="Đánh dấu đã xem xét")
def mark_reviewed(modeladmin: Any, request: HttpRequest, queryset: QuerySet[PaymentNotification]) -> None:
    user = request.user
    assert isinstance(user, User)
    count = services.notification_mark_reviewed(
        actor=user, notification_ids=list(queryset.values_list("pk", flat=True))
    )
    modeladmin.message_user(request, f"Đã đánh dấu {count} thông báo là đã xem xét.", messages.SUCCESS)


class ReviewedFilter(admin.SimpleListFilter):
    title = "cần xem xét"
    parameter_name = "can_xem_xet"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("1", "Bị từ chối, chưa xem xét"), ("0", "Đã xem xét hoặc hợp lệ")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "1":
            return queryset.filter(flagged=True, reviewed_at__isnull=True)
        if self.value() == "0":
            return queryset.exclude(flagged=True, reviewed_at__isnull=True)
        return queryset


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every message from a gateway; rejected ones (forged signature, wrong amount…) are flagged."""

    list_display = ("received_at", "gateway", "source", "txn_ref", "amount", "outcome", "rsp_code", "flagged",
                    "reviewed_at", "remote_addr")  # fmt: skip
    list_filter = (ReviewedFilter, "flagged", "outcome", "gateway", "source")
    search_fields = ("txn_ref", "gateway_txn_no", "remote_addr")
    date_hierarchy = "received_at"
    actions = [mark_reviewed]
    readonly_fields = [f.name for f in PaymentNotification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CasePaymentRule)
class CasePaymentRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("case", "pay_before_processing", "legal_basis")
    list_filter = ("pay_before_processing",)
    raw_id_fields = ("case",)
