from django.contrib import admin

from chinhquyenso.wallet.models import WalletAccess


@admin.register(WalletAccess)
class WalletAccessAdmin(admin.ModelAdmin[WalletAccess]):
    """The access log only: the documents themselves are personal data and are not browsable in the admin."""

    list_display = ["at", "actor_label", "action", "dossier", "agency"]
    list_filter = ["action"]
    readonly_fields = ["item", "at", "actor", "actor_label", "action", "dossier", "agency"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
