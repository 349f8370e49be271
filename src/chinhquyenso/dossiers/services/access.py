"""What the actor may do with a dossier: the single answer to "may I?" for pages, the API and the services."""

from __future__ import annotations

from django.utils import timezone

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Role
from chinhquyenso.dossiers.models import (
    Dossier,
    State,
)
from chinhquyenso.dossiers.services.common import _has_role, _steps
from chinhquyenso.dossiers.workflow import ACTIONS


def allowed_actions(*, actor: User, dossier: Dossier) -> list[str]:
    if not actor.is_authenticated:
        return []
    if not actor.is_officer:
        if dossier.applicant_id != actor.pk or dossier.is_draft:
            return []
        return [a for a in ("supplement", "withdraw") if dossier.state in ACTIONS[a][0]]
    steps = _steps(dossier)
    step = steps[min(dossier.current_step, len(steps) - 1)]
    result: list[str] = []
    at_current = _has_role(actor, dossier.current_agency, {step.role})
    assigned_ok = dossier.assignee_id in (None, actor.pk) or _has_role(actor, dossier.current_agency, {Role.LEADER})
    if dossier.state == State.SUBMITTED and at_current:
        result += [a for a in step.actions if a in ("receive", "request_completion", "refuse")]
    if dossier.state in (State.RECEIVED, State.PROCESSING) and dossier.current_step > 0 and at_current:
        if dossier.assignee_id is None:
            result.append("claim")
        if assigned_ok:
            for action in step.actions:
                if action == "forward" and dossier.current_step >= len(steps) - 1:
                    continue
                if dossier.state in ACTIONS[action][0]:
                    result.append(action)
    if dossier.state == State.PROCESSED and _has_role(actor, dossier.receiving_agency, {Role.ONE_STOP}):
        result.append("return_result")
    if (
        dossier.state in ACTIONS["extend"][0]
        and dossier.due_at is not None
        and timezone.now() < dossier.due_at
        and _has_role(actor, dossier.current_agency, {Role.LEADER, Role.ONE_STOP})
    ):
        result.append("extend")
    if dossier.state == State.SUPPLEMENT and at_current and "stop" not in result:
        result.append("stop")
    return list(dict.fromkeys(result))
