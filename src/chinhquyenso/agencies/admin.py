from __future__ import annotations

from django.contrib import admin

from chinhquyenso.agencies.models import Agency, Membership


class MembershipInline(admin.TabularInline[Membership, Agency]):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ("name", "code", "kind", "level", "parent", "is_one_stop", "active")
    list_filter = ("level", "kind", "is_one_stop", "active")
    search_fields = ("name", "code", "short_name")
    autocomplete_fields = ("parent",)
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "agency", "role", "title", "active")
    list_filter = ("role", "active")
    search_fields = ("user__username", "user__full_name", "agency__name")
    autocomplete_fields = ("user", "agency")
