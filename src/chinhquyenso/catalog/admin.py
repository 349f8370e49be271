"""Back-office editing of the catalog (Django admin, Vietnamese).

Published versions are read-only here; "Tạo bản nháp" copies the current version, "Công bố" publishes a draft.
Agency administrators see only procedures whose competent agencies they administer; system administrators see all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from chinhquyenso.agencies.models import Membership, Role
from chinhquyenso.catalog import services
from chinhquyenso.catalog.models import (
    ApplicantCategory,
    DocumentComponent,
    DocumentType,
    Fee,
    Field,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
)
from chinhquyenso.catalog.schema import SchemaProblem, check_form_schema


def _is_system_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_superuser
        or Membership.objects.filter(user_id=user.pk or 0, role=Role.SYSTEM_ADMIN, active=True).exists()
    )


def _admin_agency_ids(request: HttpRequest) -> list[int]:
    return list(
        Membership.objects.filter(user_id=request.user.pk or 0, role=Role.AGENCY_ADMIN, active=True).values_list(
            "agency_id", flat=True
        )
    )


def _scope_versions(request: HttpRequest, qs: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
    if _is_system_admin(request):
        return qs
    return qs.filter(competent_agencies__in=_admin_agency_ids(request)).distinct()


class ReadOnlyWhenPublished:
    """Inline/admin mixin: nothing is editable once the version is no longer a draft."""

    def _version_of(self, obj: Any) -> ProcedureVersion | None:
        if obj is None:
            return None
        if isinstance(obj, ProcedureVersion):
            return obj
        if isinstance(obj, ProcedureCase):
            return obj.version
        return None

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        version = self._version_of(obj)
        return version is None or version.is_editable

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        version = self._version_of(obj)
        return version is None or version.is_editable

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        version = self._version_of(obj)
        return version is None or version.is_editable


class CaseInline(ReadOnlyWhenPublished, admin.StackedInline[ProcedureCase, ProcedureVersion]):
    model = ProcedureCase
    extra = 0
    fields = (
        ("code", "order"),
        "name",
        ("processing_value", "processing_unit", "online_processing_value", "cutoff"),
    )
    show_change_link = True


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ReadOnlyWhenPublished, admin.ModelAdmin[ProcedureVersion]):
    list_display = ("procedure", "number", "name", "status", "level", "online_level", "published_at")
    list_filter = ("status", "level", "online_level", "field")
    search_fields = ("procedure__code", "name", "search_text")
    filter_horizontal = ("competent_agencies", "receiving_agencies")
    readonly_fields = ("procedure", "number", "status", "published_at")
    inlines = (CaseInline,)
    actions = ("publish_selected",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProcedureVersion]:
        return _scope_versions(request, super().get_queryset(request).select_related("procedure", "field"))

    def save_model(self, request: HttpRequest, obj: ProcedureVersion, form: Any, change: bool) -> None:
        obj.search_text = services.version_search_text(version=obj)
        super().save_model(request, obj, form, change)

    @admin.action(description="Công bố các bản nháp đã chọn")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset:
            try:
                services.version_publish(actor=request.user, version=version)
            except ValidationError as exc:
                self.message_user(request, f"{version}: {'; '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"Đã công bố {version}.", messages.SUCCESS)


class FeeInline(admin.TabularInline[Fee, ProcedureCase]):
    model = Fee
    extra = 0
    filter_horizontal = ("exemptions",)


class ComponentInline(admin.TabularInline[DocumentComponent, ProcedureCase]):
    model = DocumentComponent
    extra = 0


@admin.register(ProcedureCase)
class ProcedureCaseAdmin(ReadOnlyWhenPublished, admin.ModelAdmin[ProcedureCase]):
    list_display = ("code", "name", "version", "preview_link")
    readonly_fields = ("preview_link",)

    @admin.display(description="Xem trước biểu mẫu")
    def preview_link(self, obj: ProcedureCase) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("catalog:case_preview", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">Mở bản xem trước</a>', url)

    search_fields = ("code", "name", "version__procedure__code")
    inlines = (FeeInline, ComponentInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProcedureCase]:
        versions = _scope_versions(request, ProcedureVersion.objects.all())
        return super().get_queryset(request).filter(version__in=versions).select_related("version__procedure")

    def get_inline_instances(self, request: HttpRequest, obj: ProcedureCase | None = None) -> list[Any]:
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and not obj.version.is_editable:
            for inline in inlines:
                inline.has_change_permission = lambda *a, **k: False  # type: ignore[method-assign]
                inline.has_add_permission = lambda *a, **k: False  # type: ignore[method-assign]
                inline.has_delete_permission = lambda *a, **k: False  # type: ignore[method-assign]
        return inlines

    def save_model(self, request: HttpRequest, obj: ProcedureCase, form: Any, change: bool) -> None:
        try:
            check_form_schema(obj.form_schema, obj.form_ui)
        except SchemaProblem as problem:
            self.message_user(request, f"Biểu mẫu chưa dùng được ({problem}); chưa thể công bố.", messages.WARNING)
        super().save_model(request, obj, form, change)


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin[Procedure]):
    list_display = ("code", "__str__", "status", "is_local_code")
    list_filter = ("status", "is_local_code")
    search_fields = ("code", "current_version__name")
    readonly_fields = ("current_version",)
    actions = ("new_draft",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Procedure]:
        versions = _scope_versions(request, ProcedureVersion.objects.all())
        return super().get_queryset(request).filter(versions__in=versions).distinct()

    @admin.action(description="Tạo bản nháp mới để sửa")
    def new_draft(self, request: HttpRequest, queryset: QuerySet[Procedure]) -> None:
        for procedure in queryset:
            draft = services.version_draft_from(actor=request.user, procedure=procedure)
            self.message_user(request, f"Bản nháp {draft} sẵn sàng để sửa.", messages.SUCCESS)


admin.site.register(Field, search_fields=("code", "name"))
admin.site.register(DocumentType, search_fields=("code", "name"))
admin.site.register(ApplicantCategory, search_fields=("code", "name"))
