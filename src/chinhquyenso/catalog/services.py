"""Catalog writes. Published versions are immutable: every change goes through a new draft (DOMAIN.md §2)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chinhquyenso.catalog.models import (
    DocumentComponent,
    Fee,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
)
from chinhquyenso.catalog.schema import SchemaProblem, check_form_schema, pin_property_order
from chinhquyenso.catalog.text import normalize_search
from chinhquyenso.core.audit import audit_record

# Lazy: ``str()`` it where it is raised or compared, so that it is in the language of the request.
NOT_EDITABLE = gettext_lazy("Phiên bản đã công bố không thể sửa; hãy tạo bản nháp mới.")


def check_version_editable(*, version: ProcedureVersion) -> None:
    if not version.is_editable:
        raise ValidationError(str(NOT_EDITABLE), code="not_editable")


def version_search_text(*, version: ProcedureVersion) -> str:
    field = version.field.name if version.field_id and version.field else ""
    return normalize_search(f"{version.procedure.code} {version.name} {field}")


def procedure_create(*, actor: Any, code: str, is_local_code: bool = False, **content: Any) -> ProcedureVersion:
    """A new procedure with its first draft version (v1)."""
    with transaction.atomic():
        procedure = Procedure.objects.create(code=code.strip(), is_local_code=is_local_code)
        version = ProcedureVersion(procedure=procedure, number=1, **content)
        version.search_text = version_search_text(version=version)
        version.save()
        audit_record(actor=actor, action="catalog.procedure.create", obj=procedure, after={"code": procedure.code})
    return version


def version_draft_from(*, actor: Any, procedure: Procedure) -> ProcedureVersion:
    """The procedure's draft, created as a deep copy of the current version if there is none yet."""
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        existing = procedure.versions.filter(status=ProcedureVersion.Status.DRAFT).first()
        if existing is not None:
            return existing
        source = procedure.current_version or procedure.versions.order_by("-number").first()
        if source is None:
            raise ValidationError(gettext("Thủ tục chưa có phiên bản nào."))
        draft = _copy_version(source, number=procedure.versions.count() + 1)
        audit_record(actor=actor, action="catalog.version.draft", obj=draft, after={"from": source.number})
    return draft


def _copy_version(source: ProcedureVersion, *, number: int) -> ProcedureVersion:
    competent = list(source.competent_agencies.all())
    receiving = list(source.receiving_agencies.all())
    cases = list(source.cases.prefetch_related("fees__exemptions", "components"))
    draft = ProcedureVersion.objects.get(pk=source.pk)
    draft.pk = None
    draft.id = None
    draft.number = number
    draft.status = ProcedureVersion.Status.DRAFT
    draft.published_at = None
    draft.created_at = timezone.now()
    draft._state.adding = True
    draft.save()
    draft.competent_agencies.set(competent)
    draft.receiving_agencies.set(receiving)
    for case in cases:
        fees = list(case.fees.all())
        components = list(case.components.all())
        case.pk = None
        case.id = None
        case.version = draft
        case._state.adding = True
        case.save()
        for fee in fees:
            exemptions = list(fee.exemptions.all())
            fee.pk = None
            fee.id = None
            fee.case = case
            fee._state.adding = True
            fee.save()
            fee.exemptions.set(exemptions)
        for component in components:
            component.pk = None
            component.id = None
            component.case = case
            component._state.adding = True
            component.save()
    return draft


def check_version_publishable(*, version: ProcedureVersion) -> None:
    """A version may be published when it is a draft with at least one case and every case form is usable."""
    check_version_editable(version=version)
    cases = list(version.cases.all())
    if not cases:
        raise ValidationError(gettext("Phiên bản phải có ít nhất một trường hợp trước khi công bố."), code="no_case")
    for case in cases:
        try:
            check_form_schema(case.form_schema, case.form_ui)
        except SchemaProblem as problem:
            raise ValidationError(
                gettext("Trường hợp %(case)s: biểu mẫu không hợp lệ tại %(pointer)s: %(problem)s")
                % {"case": case.code, "pointer": problem.pointer or "/", "problem": problem.message},
                code="bad_schema",
            ) from None


def version_publish(*, actor: Any, version: ProcedureVersion) -> ProcedureVersion:
    """Publish a draft: it becomes immutable and current; the previous current version is superseded."""
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
        version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
        check_version_publishable(version=version)
        previous = procedure.current_version
        if previous is not None:
            ProcedureVersion.objects.filter(pk=previous.pk).update(status=ProcedureVersion.Status.SUPERSEDED)
        version.status = ProcedureVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.search_text = version_search_text(version=version)
        version.save(update_fields=["status", "published_at", "search_text"])
        procedure.current_version = version
        procedure.status = Procedure.Status.ACTIVE
        procedure.save(update_fields=["current_version", "status"])
        audit_record(
            actor=actor,
            action="catalog.version.publish",
            obj=version,
            before={"current": previous.number if previous else None},
            after={"current": version.number},
        )
    return version


def procedure_retire(*, actor: Any, procedure: Procedure, reason: str) -> None:
    """Retire (bãi bỏ) a procedure: it stays readable but can no longer be filed against."""
    if not reason.strip():
        raise ValidationError({"reason": [gettext("Hãy ghi lý do bãi bỏ thủ tục.")]})
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        procedure.status = Procedure.Status.RETIRED
        procedure.save(update_fields=["status"])
        audit_record(actor=actor, action="catalog.procedure.retire", obj=procedure, after={"reason": reason.strip()})


def case_add(*, actor: Any, version: ProcedureVersion, **content: Any) -> ProcedureCase:
    check_version_editable(version=version)
    schema, ui = content.get("form_schema", {}), content.get("form_ui", {})
    if schema:
        content["form_ui"] = ui = pin_property_order(schema, ui)
    if schema:
        try:
            check_form_schema(schema, ui)
        except SchemaProblem as problem:
            raise ValidationError({"form_schema": [str(problem)]}) from None
    with transaction.atomic():
        case = ProcedureCase.objects.create(version=version, **content)
        audit_record(actor=actor, action="catalog.case.add", obj=case, after={"code": case.code})
    return case


def fee_add(*, actor: Any, case: ProcedureCase, exemptions: Any = (), **content: Any) -> Fee:
    check_version_editable(version=case.version)
    with transaction.atomic():
        fee = Fee.objects.create(case=case, **content)
        fee.exemptions.set(list(exemptions))
        audit_record(actor=actor, action="catalog.fee.add", obj=fee, after={"amount": fee.amount})
    return fee


def component_add(*, actor: Any, case: ProcedureCase, **content: Any) -> DocumentComponent:
    check_version_editable(version=case.version)
    with transaction.atomic():
        component = DocumentComponent.objects.create(case=case, **content)
        audit_record(actor=actor, action="catalog.component.add", obj=component, after={"code": component.code})
    return component
