"""Officer actions on a dossier, one handler per action, each checked against the workflow step (DOMAIN.md §3.3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency, Role
from chinhquyenso.core.calendar import WorkingCalendar, to_local
from chinhquyenso.dossiers import deadlines
from chinhquyenso.dossiers.codes import allocate_code
from chinhquyenso.dossiers.errors import (
    DossierNotFound,
    IllegalTransition,
    InvalidDossier,
    StaleDossier,
)
from chinhquyenso.dossiers.models import (
    Channel,
    Dossier,
    IssuedForm,
    State,
)
from chinhquyenso.dossiers.services.access import allowed_actions
from chinhquyenso.dossiers.services.common import (
    STALE_MESSAGE,
    _calendar,
    _finish,
    _issue_form,
    _lock,
    _on_route,
    _record,
    _resolve_agency,
    _save,
    _steps,
)
from chinhquyenso.dossiers.workflow import ACTIONS, APPLICANT_ACTIONS, Step


@dataclass
class ActionParams:
    note: str = ""
    reason: str = ""
    missing: list[str] = field(default_factory=list)
    target_agency_code: str = ""
    new_due_date: date | None = None
    return_channel: int | None = None
    result_file: File[Any] | None = None


def _check_allowed(actor: User, dossier: Dossier, action: str) -> None:
    allowed = allowed_actions(actor=actor, dossier=dossier)
    if action not in allowed:
        message = gettext("Không thể «%(action)s» khi hồ sơ đang ở trạng thái «%(state)s».") % {
            "action": ACTIONS[action][1] if action in ACTIONS else action,
            "state": State(dossier.state).label,
        }
        raise IllegalTransition(message, allowed=allowed)


def _require(text: str, message: str) -> str:
    """``text`` stripped, or InvalidDossier with ``message`` (already translated) on the reason field."""
    if not text.strip():
        raise InvalidDossier(message, fields={"reason": [message]})
    return text.strip()


def _receive(dossier: Dossier, *, actor: User, now: datetime) -> None:
    calendar = _calendar()
    hours = dossier.receiving_agency.office_hours
    dossier.code = allocate_code(agency=dossier.receiving_agency, rule_set=dossier.rule_set, moment=now)
    dossier.state = State.RECEIVED
    dossier.received_at = now
    dossier.clock_started_at = calendar.start_of_count(now, hours)
    dossier.due_at = deadlines.due_from(calendar=calendar, case=dossier.case, channel=dossier.channel, start=now,
                                        hours=hours)  # fmt: skip
    steps = _steps(dossier)
    _enter_step(dossier, steps, 1, calendar=calendar, now=now)
    _save(dossier, "code", "state", "received_at", "clock_started_at", "due_at", "current_step", "current_agency",
          "current_role", "assignee", "step_due_at")  # fmt: skip
    _issue_form(dossier, IssuedForm.Number.F01, {"due_at": dossier.due_at.isoformat() if dossier.due_at else None})
    _record(dossier, actor=actor, action="receive", from_state=State.SUBMITTED,
            note=f"Hồ sơ đã được tiếp nhận, mã số {dossier.code}.")  # fmt: skip


def _enter_step(dossier: Dossier, steps: list[Step], index: int, *, calendar: WorkingCalendar, now: datetime) -> None:
    step = steps[index]
    agency = _resolve_agency(dossier, step)
    dossier.current_step = index
    dossier.current_agency = agency
    dossier.current_role = step.role
    dossier.assignee = None
    dossier.step_due_at = deadlines.step_due(calendar=calendar, start=now, dossier_due=dossier.due_at,
                                             share=deadlines.step_share([s.share for s in steps], index),
                                             hours=agency.office_hours)  # fmt: skip
    dossier.route_agencies.add(agency)


def dossier_act(
    *, actor: User, dossier_id: int, action: str, expected_version: int | None, params: ActionParams | None = None
) -> Dossier:
    """Carry out one officer action on a dossier (see ``workflow.ACTIONS``)."""
    params = params or ActionParams()
    if action not in ACTIONS or action in APPLICANT_ACTIONS:
        raise IllegalTransition(gettext("Thao tác không tồn tại: %(action)s.") % {"action": action})
    with transaction.atomic():
        dossier = _lock(dossier_id, None)
        if not actor.is_officer or not _on_route(actor, dossier):
            raise DossierNotFound
        if expected_version is not None and dossier.lock_version != expected_version:
            raise StaleDossier(str(STALE_MESSAGE), allowed=allowed_actions(actor=actor, dossier=dossier))
        _check_allowed(actor, dossier, action)
        now = timezone.now()
        before = dossier.state
        handler = _HANDLERS[action]
        handler(dossier, actor=actor, now=now, params=params, before=before)
    return dossier


def _h_receive(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    _receive(dossier, actor=actor, now=now)


def _h_request_completion(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    missing = [m.strip() for m in params.missing if m.strip()]
    if not missing:
        raise InvalidDossier(gettext("Hãy liệt kê giấy tờ, nội dung cần bổ sung."),
                             fields={"missing": [gettext("Bắt buộc.")]})  # fmt: skip
    dossier.state = State.SUPPLEMENT
    dossier.supplement_requested_at = now
    _save(dossier, "state", "supplement_requested_at")
    _issue_form(dossier, IssuedForm.Number.F02, {"missing": missing, "note": params.note, "before_receipt": True})
    _record(dossier, actor=actor, action="request_completion", from_state=before,
            note="Cần bổ sung, hoàn thiện: " + "; ".join(missing), data={"missing": missing})  # fmt: skip


def _end_with_form(
    dossier: Dossier,
    state: State,
    form: str,
    reason: str,
    *,
    actor: User,
    now: datetime,
    before: int,
    action: str,
    note: str,
) -> None:
    """Refusal (form 03) and stop (form 05): the dossier ends with the form that gives the reason."""
    dossier.state = state
    _finish(dossier, now)
    _save(dossier, "state", "finished_at", "timeliness")
    _issue_form(dossier, form, {"reason": reason})
    _record(dossier, actor=actor, action=action, from_state=before, note=note)


def _h_refuse(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    reason = _require(params.reason, gettext("Vui lòng nhập lý do từ chối."))
    _end_with_form(dossier, State.REFUSED, IssuedForm.Number.F03, reason, actor=actor, now=now, before=before,
                   action="refuse", note=f"Từ chối tiếp nhận: {reason}")  # fmt: skip


def _h_claim(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    dossier.assignee = actor
    _save(dossier, "assignee")
    _record(dossier, actor=actor, action="claim", from_state=before, notify=False)


def _h_forward(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    steps = _steps(dossier)
    _enter_step(dossier, steps, dossier.current_step + 1, calendar=_calendar(), now=now)
    dossier.state = State.PROCESSING
    _save(dossier, "state", "current_step", "current_agency", "current_role", "assignee", "step_due_at")
    _record(dossier, actor=actor, action="forward", from_state=before, internal_note=params.note,
            note=f"Chuyển bước: {steps[dossier.current_step].name}.", notify=before != State.PROCESSING)  # fmt: skip


def _h_return(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    reason = _require(params.reason, gettext("Vui lòng nhập lý do trả lại."))
    if dossier.current_step <= 1:
        raise IllegalTransition(gettext("Bước đầu tiên của xử lý không có bước trước để trả lại."))
    _enter_step(dossier, _steps(dossier), dossier.current_step - 1, calendar=_calendar(), now=now)
    _save(dossier, "current_step", "current_agency", "current_role", "assignee", "step_due_at")
    _record(dossier, actor=actor, action="return", from_state=before, internal_note=reason, notify=False)


def _h_transfer(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    reason = _require(params.reason, gettext("Vui lòng nhập nội dung chuyển liên thông."))
    target = Agency.objects.filter(code=params.target_agency_code.strip(), active=True).first()
    if target is None:
        raise InvalidDossier(gettext("Không tìm thấy đơn vị nhận liên thông."),
                             fields={"target": [gettext("Mã đơn vị không đúng.")]})  # fmt: skip
    if target.pk == dossier.current_agency_id:
        raise InvalidDossier(
            gettext("Hồ sơ đang ở chính đơn vị này."), fields={"target": [gettext("Chọn đơn vị khác.")]}
        )
    dossier.current_agency = target
    dossier.assignee = None
    dossier.state = State.PROCESSING
    dossier.route_agencies.add(target)
    _save(dossier, "current_agency", "assignee", "state")
    _record(dossier, actor=actor, action="transfer", from_state=before, internal_note=reason,
            note=f"Chuyển liên thông đến {target.name}.")  # fmt: skip


def _h_request_supplement(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    missing = [m.strip() for m in params.missing if m.strip()]
    if not missing:
        raise InvalidDossier(gettext("Hãy liệt kê giấy tờ, nội dung cần bổ sung."),
                             fields={"missing": [gettext("Bắt buộc.")]})  # fmt: skip
    dossier.state = State.SUPPLEMENT
    dossier.supplement_count += 1
    dossier.supplement_requested_at = now
    _save(dossier, "state", "supplement_count", "supplement_requested_at")
    _issue_form(dossier, IssuedForm.Number.F02, {"missing": missing, "note": params.note, "before_receipt": False,
                                                 "count": dossier.supplement_count})  # fmt: skip
    _record(dossier, actor=actor, action="request_supplement", from_state=before,
            note="Yêu cầu bổ sung: " + "; ".join(missing), data={"missing": missing})  # fmt: skip


def _h_request_payment(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    dossier.state = State.PAYING
    _save(dossier, "state")
    _record(dossier, actor=actor, action="request_payment", from_state=before,
            note="Đề nghị thực hiện nghĩa vụ tài chính.")  # fmt: skip


def _h_extend(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    reason = _require(params.reason, gettext("Vui lòng nhập lý do gia hạn."))
    if params.new_due_date is None:
        raise InvalidDossier(gettext("Hãy chọn ngày hẹn trả mới."), fields={"new_due_date": [gettext("Bắt buộc.")]})
    assert dossier.due_at is not None
    if params.new_due_date <= to_local(dossier.due_at).date():
        raise InvalidDossier(gettext("Ngày hẹn mới phải sau ngày hẹn hiện tại."),
                             fields={"new_due_date": [gettext("Ngày quá sớm.")]})  # fmt: skip
    calendar = _calendar()
    day = params.new_due_date
    if not calendar.is_working_day(day):
        raise InvalidDossier(
            gettext("Ngày hẹn mới phải là ngày làm việc."),
            fields={"new_due_date": [gettext("Không phải ngày làm việc.")]},
        )
    hours = dossier.receiving_agency.office_hours
    old_due = dossier.due_at
    dossier.due_at = datetime.combine(day, hours.closing, tzinfo=to_local(old_due).tzinfo)
    dossier.extended_count += 1
    _save(dossier, "due_at", "extended_count")
    _issue_form(dossier, IssuedForm.Number.F04, {"reason": reason, "old_due": to_local(old_due).isoformat(),
                                                 "new_due": dossier.due_at.isoformat()})  # fmt: skip
    _record(dossier, actor=actor, action="extend", from_state=before,
            note=f"Xin lỗi và hẹn lại ngày trả kết quả: {day:%d/%m/%Y}. Lý do: {reason}")  # fmt: skip


def _h_stop(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    reason = _require(params.reason, gettext("Vui lòng nhập lý do dừng xử lý."))
    _end_with_form(dossier, State.STOPPED, IssuedForm.Number.F05, reason, actor=actor, now=now, before=before,
                   action="stop", note=f"Dừng xử lý: {reason}")  # fmt: skip


def _h_approve(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    if params.result_file is None:
        raise InvalidDossier(
            gettext("Hãy đính kèm tệp kết quả giải quyết."), fields={"result_file": [gettext("Bắt buộc.")]}
        )
    from chinhquyenso.dossiers.attachments import check_upload

    upload = params.result_file
    upload.seek(0)
    _, ext = check_upload(name=str(upload.name or "ket-qua"), size=int(upload.size or 0), head=upload.read(16),
                          dossier_total=0)  # fmt: skip
    upload.seek(0)
    dossier.result_file.save(f"{dossier.code}-ket-qua.{ext}", upload, save=False)
    dossier.state = State.PROCESSED
    _finish(dossier, now)
    dossier.current_agency = dossier.receiving_agency
    dossier.current_role = Role.ONE_STOP
    dossier.assignee = None
    _save(dossier, "result_file", "state", "finished_at", "timeliness", "current_agency", "current_role", "assignee")
    _record(
        dossier, actor=actor, action="approve", from_state=before, note="Hồ sơ đã giải quyết xong, chờ trả kết quả."
    )


def _h_return_result(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    channel = params.return_channel or dossier.channel
    if channel not in Channel.values:
        raise InvalidDossier(gettext("Hình thức trả kết quả không hợp lệ."))
    dossier.state = State.RETURNED
    dossier.returned_at = now
    dossier.return_channel = channel
    _save(dossier, "state", "returned_at", "return_channel")
    with translation.override("vi"):  # the note is stored, in Vietnamese whatever the officer's page language
        note = f"Đã trả kết quả ({Channel(channel).label.lower()})."
    _record(dossier, actor=actor, action="return_result", from_state=before, note=note)


_HANDLERS = {
    "receive": _h_receive,
    "request_completion": _h_request_completion,
    "refuse": _h_refuse,
    "claim": _h_claim,
    "forward": _h_forward,
    "return": _h_return,
    "transfer": _h_transfer,
    "request_supplement": _h_request_supplement,
    "request_payment": _h_request_payment,
    "extend": _h_extend,
    "stop": _h_stop,
    "approve": _h_approve,
    "return_result": _h_return_result,
}
