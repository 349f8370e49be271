"""Applicant actions after submission: handing in a supplement, withdrawing (state 7)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.dossiers import deadlines
from chinhquyenso.dossiers.errors import (
    DossierNotFound,
    IllegalTransition,
    InvalidDossier,
    StaleDossier,
)
from chinhquyenso.dossiers.models import (
    Dossier,
    State,
    SupplementMode,
)
from chinhquyenso.dossiers.services.access import allowed_actions
from chinhquyenso.dossiers.services.actions import _require
from chinhquyenso.dossiers.services.common import STALE_MESSAGE, _calendar, _finish, _lock, _record, _save, _steps
from chinhquyenso.dossiers.services.intake import check_dossier_complete
from chinhquyenso.dossiers.workflow import ACTIONS


def _lock_own(actor: User, dossier_id: int, expected_version: int | None) -> Dossier:
    """The applicant's own dossier, locked: someone else's answers as not found before any version is compared,
    so ids cannot be probed through the "already changed" answer."""
    dossier = _lock(dossier_id, None)
    if dossier.applicant_id != actor.pk:
        raise DossierNotFound
    if expected_version is not None and dossier.lock_version != expected_version:
        raise StaleDossier(str(STALE_MESSAGE))
    return dossier


def dossier_supplement(
    *, actor: User, dossier_id: int, expected_version: int | None, data: dict[str, Any] | None = None, note: str = ""
) -> Dossier:
    """The applicant hands in what was asked. Before receipt the dossier goes back to the desk (state 1); after
    receipt processing resumes (state 4) and the clock follows the rule set's supplement mode (DOMAIN.md §3.5)."""
    with transaction.atomic():
        dossier = _lock_own(actor, dossier_id, expected_version)
        if dossier.state != State.SUPPLEMENT:
            raise IllegalTransition(gettext("Hồ sơ không ở trạng thái chờ bổ sung."),
                                    allowed=allowed_actions(actor=actor, dossier=dossier))  # fmt: skip
        now = timezone.now()
        if data is not None:
            dossier.data = data
        errors = check_dossier_complete(dossier=dossier)
        if errors:
            raise InvalidDossier(gettext("Hồ sơ bổ sung chưa đầy đủ; hãy sửa các mục được nêu."), fields=errors)
        before = dossier.state
        if dossier.received_at is None:
            dossier.state = State.SUBMITTED
        else:
            calendar = _calendar()
            hours = dossier.receiving_agency.office_hours
            assert dossier.supplement_requested_at is not None
            steps = _steps(dossier)
            index = min(dossier.current_step, len(steps) - 1)
            resumed = deadlines.resume_after_supplement(
                calendar=calendar, pause=dossier.rule_set.supplement_mode == SupplementMode.PAUSE, case=dossier.case,
                channel=dossier.channel, due=dossier.due_at, step_deadline=dossier.step_due_at,
                requested_at=dossier.supplement_requested_at, now=now, hours=hours,
                step_hours=dossier.current_agency.office_hours if dossier.current_agency else hours,
                share=deadlines.step_share([s.share for s in steps], index),
            )  # fmt: skip
            dossier.due_at, dossier.step_due_at = resumed.due_at, resumed.step_due_at
            dossier.waiting_seconds += resumed.waited_seconds
            dossier.clock_started_at = resumed.clock_started_at or dossier.clock_started_at
            dossier.state = State.PROCESSING
        dossier.supplement_requested_at = None
        _save(dossier, "data", "state", "due_at", "step_due_at", "waiting_seconds", "clock_started_at",
              "supplement_requested_at")  # fmt: skip
        _record(dossier, actor=actor, action="supplement", from_state=before, note=note or "Đã nộp bổ sung hồ sơ.")
    return dossier


def dossier_withdraw(*, actor: User, dossier_id: int, expected_version: int | None, reason: str) -> Dossier:
    """The applicant withdraws the dossier (state 7)."""
    with transaction.atomic():
        dossier = _lock_own(actor, dossier_id, expected_version)
        if dossier.is_draft or dossier.state not in ACTIONS["withdraw"][0]:
            raise IllegalTransition(gettext("Hồ sơ này không thể rút ở trạng thái hiện tại."))
        reason = _require(reason, gettext("Vui lòng nhập lý do rút hồ sơ."))
        before = dossier.state
        dossier.state = State.WITHDRAWN
        _finish(dossier, timezone.now())
        _save(dossier, "state", "finished_at", "timeliness")
        _record(dossier, actor=actor, action="withdraw", from_state=before, note=f"Công dân rút hồ sơ: {reason}")
    return dossier
