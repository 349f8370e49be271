"""Dossier writes: intake, reception, workflow transitions, supplements, extension, ending (DOMAIN.md §3).

Every officer or applicant action runs in one transaction: lock the dossier row, check the actor's expected
``lock_version`` (two officers clicking at once: exactly one wins, the other gets StaleDossier), check the action is
allowed in the current state and step for this actor, write, append the timeline and the audit chain, and queue
the applicant's notification after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from chinhquyenso.accounts.models import User
from chinhquyenso.accounts.selectors import applicant_account_for_cccd
from chinhquyenso.agencies.models import Agency, Membership, Role
from chinhquyenso.catalog.models import Procedure, ProcedureCase
from chinhquyenso.catalog.text import normalize_search
from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.calendar import WorkingCalendar, classify, to_local
from chinhquyenso.dossiers import deadlines
from chinhquyenso.dossiers.attachments import (
    AttachmentRejected,
    CheckedFile,
    attachments_save,
    check_file,
    component_for,
    removed_on_error,
)
from chinhquyenso.dossiers.codes import allocate_code
from chinhquyenso.dossiers.errors import (
    DossierNotFound,
    IllegalTransition,
    InvalidDossier,
    NotAllowed,
    StaleDossier,
)
from chinhquyenso.dossiers.models import (
    Channel,
    Dossier,
    DossierEvent,
    IssuedForm,
    RuleSet,
    State,
    SupplementMode,
    WorkflowDefinition,
)
from chinhquyenso.dossiers.workflow import ACTIONS, APPLICANT_ACTIONS, Step, default_steps, parse_steps

STALE_MESSAGE = "Hồ sơ vừa được người khác cập nhật. Hãy tải lại trang để xem trạng thái mới rồi thao tác lại."


# --- helpers -----------------------------------------------------------------------------------------------------
def rule_set_for(moment: datetime) -> RuleSet:
    day = to_local(moment).date()
    rule_set = (
        RuleSet.objects.filter(effective_from__lte=day)
        .exclude(effective_to__lt=day)
        .order_by("-effective_from")
        .first()
    )
    if rule_set is None:
        raise InvalidDossier("Chưa cấu hình bộ quy tắc pháp lý cho thời điểm này.")
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
        raise InvalidDossier(f"Quy trình trỏ tới đơn vị không tồn tại: {step.agency}.")
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
        raise StaleDossier(STALE_MESSAGE)
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


# --- what may the actor do? (the UI asks before showing buttons) -------------------------------------------------
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


# --- applicant: drafts and submission ----------------------------------------------------------------------------
def _default_receiving_agency(case: ProcedureCase, actor: User | None) -> Agency:
    version = case.version
    explicit = version.receiving_agencies.filter(active=True, is_one_stop=True).first()
    if explicit is not None:
        return explicit
    if version.level == "commune" and actor is not None and actor.ward_code:
        commune = Agency.objects.filter(ward_code=actor.ward_code, active=True).first()
        if commune is not None:
            return commune
    one_stop = (
        Agency.objects.filter(is_one_stop=True, active=True, level=version.level).order_by("kind", "name").first()
    )
    if one_stop is None:
        raise InvalidDossier("Chưa có bộ phận một cửa nào nhận hồ sơ thủ tục này.")
    return one_stop


@dataclass
class Applicant:
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def _applicant_from_user(user: User) -> Applicant:
    from chinhquyenso.agencies.selectors import ward_name

    address = ", ".join(p for p in (user.address_line, ward_name(user.ward_code)) if p)
    return Applicant(
        name=user.display_name,
        id_number=(user.cccd or user.tax_code or ""),
        phone=user.phone or "",
        email=user.email,
        address=address,
    )


def dossier_draft_create(
    *,
    actor: User,
    case: ProcedureCase,
    data: dict[str, Any] | None = None,
    receiving_agency: Agency | None = None,
    idempotency_key: str | None = None,
) -> tuple[Dossier, bool]:
    """A citizen's or business's draft for a published case. Returns (dossier, created).

    With an ``idempotency_key`` a retried request returns the dossier the first request created.
    """
    if actor.is_officer:
        raise NotAllowed("Tài khoản cán bộ không nộp hồ sơ trực tuyến; hãy dùng chức năng tiếp nhận tại quầy.")
    if idempotency_key:
        existing = Dossier.objects.filter(applicant=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    procedure: Procedure = case.version.procedure
    if procedure.current_version_id != case.version_id or procedure.status != Procedure.Status.ACTIVE:
        raise InvalidDossier("Thủ tục này không còn nhận hồ sơ theo phiên bản đã chọn; hãy tải lại trang.")
    agency = receiving_agency or _default_receiving_agency(case, actor)
    if not agency.is_one_stop:
        message = "Nơi tiếp nhận đã chọn không có bộ phận một cửa."
        raise InvalidDossier(message, fields={"receiving_agency": [message]})
    applicant = _applicant_from_user(actor)
    now = timezone.now()
    try:
        with transaction.atomic():
            dossier = Dossier.objects.create(
                case=case,
                workflow=workflow_for(case=case),
                rule_set=rule_set_for(now),
                applicant=actor,
                applicant_name=applicant.name,
                applicant_search=normalize_search(applicant.name),
                applicant_id_number=applicant.id_number,
                applicant_phone=applicant.phone,
                applicant_email=applicant.email,
                applicant_address=applicant.address,
                channel=Channel.ONLINE,
                state=State.SUBMITTED,
                is_draft=True,
                receiving_agency=agency,
                current_agency=agency,
                current_role=Role.ONE_STOP,
                data=data or {},
                idempotency_key=idempotency_key or None,
            )
            dossier.route_agencies.add(agency)
            audit_record(actor=actor, action="dossier.draft", obj=dossier)
    except IntegrityError:
        # Two retries with one key raced: the other one won; answer with its dossier.
        existing = Dossier.objects.filter(applicant=actor, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    return dossier, True


def dossier_draft_update(*, actor: User, dossier_id: int, data: dict[str, Any]) -> Dossier:
    with transaction.atomic():
        dossier = _lock(dossier_id, None)
        if dossier.applicant_id != actor.pk:
            raise DossierNotFound
        if not dossier.is_draft:
            raise IllegalTransition("Hồ sơ đã nộp, không sửa được tờ khai.", allowed=[])
        dossier.data = data
        _save(dossier, "data")
    return dossier


def check_dossier_complete(*, dossier: Dossier) -> dict[str, list[str]]:
    """Field errors of the declaration plus a message for every required document not attached."""
    from chinhquyenso.catalog.forms_render import validate_submission

    found = validate_submission(case=dossier.case, data=dossier.data)
    # In the form's own order, whatever order the database returned the declaration's keys in (jsonb sorts them).
    order = [n for n in (dossier.case.form_ui or {}).get("order", []) if isinstance(n, str)]

    def position(field: str) -> tuple[int, int, str]:
        top = field.split(".", 1)[0]
        return (0, order.index(top), field) if top in order else (1, 0, field)

    errors = {field: found[field] for field in sorted(found, key=position)}
    attached = set(dossier.attachments.values_list("component_id", flat=True))
    for component in dossier.case.components.filter(required=True):
        if component.pk not in attached:
            errors.setdefault(f"component-{component.code}", []).append(f"Chưa đính kèm «{component.name}» (bắt buộc).")
    return errors


def dossier_submit(*, actor: User, dossier_id: int) -> Dossier:
    """Submit a draft online (state 1, channel 2). Submitting twice returns the same dossier unchanged."""
    with transaction.atomic():
        dossier = _lock(dossier_id, None)
        if dossier.applicant_id != actor.pk:
            raise DossierNotFound
        if not dossier.is_draft:
            return dossier  # double click / retry: already submitted, nothing to do
        errors = check_dossier_complete(dossier=dossier)
        if errors:
            raise InvalidDossier("Hồ sơ chưa đầy đủ; hãy sửa các mục được nêu.", fields=errors)
        dossier.is_draft = False
        dossier.state = State.SUBMITTED
        dossier.submitted_at = timezone.now()
        _save(dossier, "is_draft", "state", "submitted_at")
        _record(dossier, actor=actor, action="submit", from_state=None, note="Hồ sơ đã được nộp trực tuyến.")
    return dossier


def _checked_scans(case: ProcedureCase, scans: Sequence[tuple[str, File[Any]]]) -> list[CheckedFile]:
    """Every scan checked before anything is written. All refused files are reported at once, each under its
    component (``component-<code>``), so the officer fixes them in one go; a code of another case is a 422."""
    checked: list[CheckedFile] = []
    refused: dict[str, list[str]] = {}
    status = 0
    total = 0
    for code, upload in scans:
        component = component_for(case=case, code=code)
        try:
            item = check_file(upload=upload, component=component, dossier_total=total)
        except AttachmentRejected as exc:
            refused.setdefault(f"component-{code}", []).append(exc.message)
            status = status or exc.status
            continue
        checked.append(item)
        total += item.size
    if refused:
        reasons = [message for messages in refused.values() for message in messages]
        summary = reasons[0] if len(reasons) == 1 else f"{len(reasons)} tệp không được nhận: " + " ".join(reasons)
        raise AttachmentRejected(summary, fields=refused).with_status(status)
    return checked


def dossier_intake_at_desk(
    *,
    actor: User,
    case: ProcedureCase,
    agency: Agency,
    channel: int,
    applicant: Applicant,
    data: dict[str, Any],
    applicant_user: User | None = None,
    scans: Sequence[tuple[str, File[Any]]] = (),
) -> Dossier:
    """An officer receives a dossier in person (channel 1) or by post (channel 3); it is received at once.

    ``scans`` are (component code, file) pairs: the paper documents digitised at the desk. They are optional (a
    paper dossier is complete without them, ADR 0014) and all or nothing: every file is checked before anything is
    written, and a failure after some files were stored removes them with the dossier.

    Without an explicit ``applicant_user``, a 12-digit CCCD typed by the officer that is the CCCD of an active
    citizen or business account links the dossier to that account (ADR 0014); officer accounts are never linked.
    """
    if channel not in (Channel.IN_PERSON, Channel.POST):
        raise InvalidDossier("Kênh tiếp nhận tại quầy chỉ là trực tiếp hoặc bưu chính.")
    if not _has_role(actor, agency, {Role.ONE_STOP}):
        raise NotAllowed("Bạn không phải cán bộ một cửa của đơn vị này.")
    if applicant_user is not None and applicant_user.is_officer:
        raise NotAllowed("Không gắn hồ sơ với tài khoản cán bộ.")
    from chinhquyenso.catalog.forms_render import validate_submission

    errors = validate_submission(case=case, data=data)
    if not applicant.name.strip():
        errors = {**errors, "applicant_name": ["Vui lòng nhập họ tên người nộp."]}
    if errors:
        raise InvalidDossier("Tờ khai chưa hợp lệ; hãy sửa các mục được nêu.", fields=dict(errors))
    checked = _checked_scans(case, scans)
    if applicant_user is None:
        applicant_user = applicant_account_for_cccd(cccd=applicant.id_number)
    # A linked applicant is told through the contacts of their account when the officer typed none.
    phone = applicant.phone or (applicant_user.phone if applicant_user is not None else "") or ""
    email = applicant.email or (applicant_user.email if applicant_user is not None else "")
    now = timezone.now()
    with removed_on_error() as saved, transaction.atomic():
        dossier = Dossier.objects.create(
            case=case,
            workflow=workflow_for(case=case),
            rule_set=rule_set_for(now),
            applicant=applicant_user,
            applicant_name=applicant.name.strip(),
            applicant_search=normalize_search(applicant.name),
            applicant_id_number=applicant.id_number,
            applicant_phone=phone,
            applicant_email=email,
            applicant_address=applicant.address,
            channel=channel,
            state=State.SUBMITTED,
            is_draft=False,
            submitted_at=now,
            receiving_agency=agency,
            current_agency=agency,
            current_role=Role.ONE_STOP,
            data=data,
        )
        dossier.route_agencies.add(agency)
        _record(dossier, actor=actor, action="submit", from_state=None, note="Hồ sơ nộp tại bộ phận một cửa.",
                notify=False)  # fmt: skip
        _receive(dossier, actor=actor, now=now)
        attachments_save(actor=actor, dossier=dossier, files=checked, saved=saved)
    return dossier


# --- officer actions ------------------------------------------------------------------------------------------------
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
        label = ACTIONS[action][1] if action in ACTIONS else action
        with translation.override("vi"):  # the message is Vietnamese: so is the state it names
            state = str(State(dossier.state).label)
        raise IllegalTransition(f"Không thể «{label}» khi hồ sơ đang ở trạng thái «{state}».", allowed=allowed)


def _require(text: str, what: str) -> str:
    if not text.strip():
        raise InvalidDossier(f"Vui lòng nhập {what}.", fields={"reason": [f"Vui lòng nhập {what}."]})
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
        raise IllegalTransition(f"Thao tác không tồn tại: {action}.")
    with transaction.atomic():
        dossier = _lock(dossier_id, None)
        if not actor.is_officer or not _on_route(actor, dossier):
            raise DossierNotFound
        if expected_version is not None and dossier.lock_version != expected_version:
            raise StaleDossier(STALE_MESSAGE, allowed=allowed_actions(actor=actor, dossier=dossier))
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
        raise InvalidDossier("Hãy liệt kê giấy tờ, nội dung cần bổ sung.", fields={"missing": ["Bắt buộc."]})
    dossier.state = State.SUPPLEMENT
    dossier.supplement_requested_at = now
    _save(dossier, "state", "supplement_requested_at")
    _issue_form(dossier, IssuedForm.Number.F02, {"missing": missing, "note": params.note, "before_receipt": True})
    _record(dossier, actor=actor, action="request_completion", from_state=before,
            note="Cần bổ sung, hoàn thiện: " + "; ".join(missing), data={"missing": missing})  # fmt: skip


def _h_refuse(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    reason = _require(params.reason, "lý do từ chối")
    dossier.state = State.REFUSED
    _finish(dossier, now)
    _save(dossier, "state", "finished_at", "timeliness")
    _issue_form(dossier, IssuedForm.Number.F03, {"reason": reason})
    _record(dossier, actor=actor, action="refuse", from_state=before, note=f"Từ chối tiếp nhận: {reason}")


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
    reason = _require(params.reason, "lý do trả lại")
    if dossier.current_step <= 1:
        raise IllegalTransition("Bước đầu tiên của xử lý không có bước trước để trả lại.")
    _enter_step(dossier, _steps(dossier), dossier.current_step - 1, calendar=_calendar(), now=now)
    _save(dossier, "current_step", "current_agency", "current_role", "assignee", "step_due_at")
    _record(dossier, actor=actor, action="return", from_state=before, internal_note=reason, notify=False)


def _h_transfer(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    reason = _require(params.reason, "nội dung chuyển liên thông")
    target = Agency.objects.filter(code=params.target_agency_code.strip(), active=True).first()
    if target is None:
        raise InvalidDossier("Không tìm thấy đơn vị nhận liên thông.", fields={"target": ["Mã đơn vị không đúng."]})
    if target.pk == dossier.current_agency_id:
        raise InvalidDossier("Hồ sơ đang ở chính đơn vị này.", fields={"target": ["Chọn đơn vị khác."]})
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
        raise InvalidDossier("Hãy liệt kê giấy tờ, nội dung cần bổ sung.", fields={"missing": ["Bắt buộc."]})
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
    reason = _require(params.reason, "lý do gia hạn")
    if params.new_due_date is None:
        raise InvalidDossier("Hãy chọn ngày hẹn trả mới.", fields={"new_due_date": ["Bắt buộc."]})
    assert dossier.due_at is not None
    if params.new_due_date <= to_local(dossier.due_at).date():
        raise InvalidDossier("Ngày hẹn mới phải sau ngày hẹn hiện tại.", fields={"new_due_date": ["Ngày quá sớm."]})
    calendar = _calendar()
    day = params.new_due_date
    if not calendar.is_working_day(day):
        raise InvalidDossier(
            "Ngày hẹn mới phải là ngày làm việc.", fields={"new_due_date": ["Không phải ngày làm việc."]}
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
    reason = _require(params.reason, "lý do dừng xử lý")
    dossier.state = State.STOPPED
    _finish(dossier, now)
    _save(dossier, "state", "finished_at", "timeliness")
    _issue_form(dossier, IssuedForm.Number.F05, {"reason": reason})
    _record(dossier, actor=actor, action="stop", from_state=before, note=f"Dừng xử lý: {reason}")


def _h_approve(dossier: Dossier, *, actor: User, now: datetime, params: ActionParams, before: int) -> None:
    if params.result_file is None:
        raise InvalidDossier("Hãy đính kèm tệp kết quả giải quyết.", fields={"result_file": ["Bắt buộc."]})
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
        raise InvalidDossier("Hình thức trả kết quả không hợp lệ.")
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


# --- applicant actions ---------------------------------------------------------------------------------------------
def dossier_supplement(
    *, actor: User, dossier_id: int, expected_version: int | None, data: dict[str, Any] | None = None, note: str = ""
) -> Dossier:
    """The applicant hands in what was asked. Before receipt the dossier goes back to the desk (state 1); after
    receipt processing resumes (state 4) and the clock follows the rule set's supplement mode (DOMAIN.md §3.5)."""
    with transaction.atomic():
        dossier = _lock(dossier_id, None)
        if dossier.applicant_id != actor.pk:
            raise DossierNotFound
        if expected_version is not None and dossier.lock_version != expected_version:
            raise StaleDossier(STALE_MESSAGE)
        if dossier.state != State.SUPPLEMENT:
            raise IllegalTransition("Hồ sơ không ở trạng thái chờ bổ sung.", allowed=allowed_actions(actor=actor,
                                                                                                      dossier=dossier))  # fmt: skip
        now = timezone.now()
        if data is not None:
            dossier.data = data
        errors = check_dossier_complete(dossier=dossier)
        if errors:
            raise InvalidDossier("Hồ sơ bổ sung chưa đầy đủ; hãy sửa các mục được nêu.", fields=errors)
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
        dossier = _lock(dossier_id, None)
        if dossier.applicant_id != actor.pk:
            raise DossierNotFound
        if expected_version is not None and dossier.lock_version != expected_version:
            raise StaleDossier(STALE_MESSAGE)
        if dossier.is_draft or dossier.state not in ACTIONS["withdraw"][0]:
            raise IllegalTransition("Hồ sơ này không thể rút ở trạng thái hiện tại.")
        reason = _require(reason, "lý do rút hồ sơ")
        before = dossier.state
        dossier.state = State.WITHDRAWN
        _finish(dossier, timezone.now())
        _save(dossier, "state", "finished_at", "timeliness")
        _record(dossier, actor=actor, action="withdraw", from_state=before, note=f"Công dân rút hồ sơ: {reason}")
    return dossier


# --- hooks for other apps (payments, signing) ----------------------------------------------------------------------
def dossier_payment_settled(*, dossier_id: int, actor: User | None, note: str) -> Dossier:
    """The fees of a dossier waiting in state 6 were paid (or waived): processing resumes (state 4).

    Idempotent: a dossier no longer in state 6 is returned unchanged.
    """
    with transaction.atomic():
        dossier = _lock(dossier_id, None)
        if dossier.state != State.PAYING:
            return dossier
        before = dossier.state
        dossier.state = State.PROCESSING
        _save(dossier, "state")
        _record(dossier, actor=actor, action="payment_settled", from_state=before, note=note)
    return dossier


def dossier_note(*, dossier_id: int, actor: User | None, action: str, note: str, notify: bool = False) -> DossierEvent:
    """Add a line to a dossier's timeline (and the audit chain) without changing its state, e.g. "fee paid"."""
    with transaction.atomic():
        dossier = _lock(dossier_id, None)
        return _record(dossier, actor=actor, action=action, from_state=dossier.state, note=note, notify=notify)
