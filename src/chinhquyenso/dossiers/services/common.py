"""What every dossier service shares: the rule set and workflow in force, the row lock, the timeline record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency, Membership, Role
from chinhquyenso.catalog.models import ProcedureCase
from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.calendar import WorkingCalendar, classify, to_local
from chinhquyenso.dossiers.errors import (
    DossierNotFound,
    InvalidDossier,
    StaleDossier,
)
from chinhquyenso.dossiers.models import (
    Dossier,
    DossierEvent,
    IssuedForm,
    RuleSet,
    WorkflowDefinition,
)
from chinhquyenso.dossiers.workflow import Step, default_steps, parse_steps

# Lazy: ``str()`` it when raising, so that it is in the language of the request.
STALE_MESSAGE = gettext_lazy(
    "Hồ sơ vừa được người khác cập nhật. Hãy tải lại trang để xem trạng thái mới rồi thao tác lại."
)


def rule_set_for(moment: datetime) -> RuleSet:
    day = to_local(moment).date()
    rule_set = (
        RuleSet.objects.filter(effective_from__lte=day)
        .exclude(effective_to__lt=day)
        .order_by("-effective_from")
        .first()
    )
    if rule_set is None:
        raise InvalidDossier(gettext("Chưa cấu hình bộ quy tắc pháp lý cho thời điểm này."))
    return rule_set


def workflow_for(*, case: ProcedureCase) -> WorkflowDefinition:
    """The case's active workflow, created from the default route on first use."""
    workflow = WorkflowDefinition.objects.filter(case=case, active=True).order_by("-version").first()
    if workflow is not None:
        return workflow
    steps = default_steps(level=case.version.level)
    parse_steps(steps)
    workflow, _ = WorkflowDefinition.objects.get_or_create(case=case, version=1, defaults={"steps": steps})
    return workflow


def _steps(dossier: Dossier) -> list[Step]:
    return parse_steps(dossier.workflow.steps)


def _resolve_agency(dossier: Dossier, step: Step) -> Agency:
    if step.agency == "receiving":
        return dossier.receiving_agency
    if step.agency == "competent":
        competent = dossier.case.version.competent_agencies.filter(active=True).first()
        return competent or dossier.receiving_agency
    agency = Agency.objects.filter(code=step.agency, active=True).first()
    if agency is None:
        raise InvalidDossier(gettext("Quy trình trỏ tới đơn vị không tồn tại: %(agency)s.") % {"agency": step.agency})
    return agency


def _calendar() -> WorkingCalendar:
    return WorkingCalendar.from_db()


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return "Hệ thống"
    return actor.display_name if not actor.is_officer else f"{actor.display_name} (cán bộ)"


def _record(
    dossier: Dossier,
    *,
    actor: User | None,
    action: str,
    from_state: int | None,
    note: str = "",
    internal_note: str = "",
    data: dict[str, Any] | None = None,
    notify: bool = True,
) -> DossierEvent:
    event = DossierEvent.objects.create(
        dossier=dossier,
        at=timezone.now(),
        actor=actor,
        actor_label=_actor_label(actor),
        action=action,
        from_state=from_state,
        to_state=dossier.state,
        agency=dossier.current_agency,
        step=dossier.current_step,
        note=note,
        internal_note=internal_note,
        data=data or {},
    )
    audit_record(
        actor=actor,
        action=f"dossier.{action}",
        obj=dossier,
        before={"state": from_state},
        after={"state": dossier.state, "step": dossier.current_step, "agency": dossier.current_agency_id},
    )
    if notify:
        from chinhquyenso.dossiers import tasks

        event_id = event.pk
        transaction.on_commit(lambda: tasks.notify_applicant.enqueue(event_id))
    return event


def _issue_form(dossier: Dossier, number: str, content: dict[str, Any]) -> IssuedForm:
    return IssuedForm.objects.create(dossier=dossier, number=number, content=content)


def _lock(dossier_id: int, expected_version: int | None) -> Dossier:
    # Lock the dossier row only (`of=self`): the joined case, workflow and agency rows are read, not changed, and
    # locking them made concurrent intakes of the same procedure deadlock. `no_key` lets inserts that reference
    # the dossier (events, attachments) proceed while it is held. SQLite ignores both (it locks the database).
    dossier = (
        Dossier.objects.select_for_update(of=("self",), no_key=True)
        .select_related("case__version", "workflow", "rule_set", "receiving_agency", "current_agency")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise DossierNotFound
    if expected_version is not None and dossier.lock_version != expected_version:
        raise StaleDossier(str(STALE_MESSAGE))
    return dossier


def _save(dossier: Dossier, *fields: str) -> None:
    dossier.lock_version += 1
    dossier.save(update_fields=[*fields, "lock_version", "updated_at"])


def _finish(dossier: Dossier, now: datetime) -> None:
    """Classify the dossier (DOMAIN.md §3.6): dates compared; a second supplement request means late."""
    dossier.finished_at = now
    if dossier.supplement_count >= 2:
        dossier.timeliness = "late"
    elif dossier.due_at is None:
        dossier.timeliness = "on_time"
    else:
        dossier.timeliness = classify(now, dossier.due_at)


def _has_role(actor: User, agency: Agency, roles: set[str]) -> bool:
    return Membership.objects.filter(user=actor, agency=agency, role__in=roles, active=True).exists()


def _on_route(actor: User, dossier: Dossier) -> bool:
    return (
        Membership.objects.filter(user=actor, agency__in=dossier.route_agencies.all(), active=True).exists()
        or Membership.objects.filter(user=actor, role=Role.SYSTEM_ADMIN, active=True).exists()
    )
