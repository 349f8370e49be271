"""Bulk seeding of dossiers (demo data, benchmarks): the life cycle replayed in memory, then written in batches.

Why not call ``services``: every service action is its own transaction that locks the row, writes the dossier, an
event, maybe a form, an audit-chain entry and queues a notification: a dozen queries per action, ~60 per dossier.
Seeding 2,000 dossiers that way takes minutes; 1,000,000 (the benchmark) takes a day.

What is the same as the services (and must stay so; ``tests/test_bulk.py`` compares the two):

- the state machine (``workflow.ACTIONS``) and the steps of the dossier's workflow (an action must be one of the
  current step's actions; steps resolve to the receiving agency, the competent agency or a unit code);
- due dates: ``deadlines.due_from`` with the real ``WorkingCalendar`` (overrides included) and the receiving agency's
  office hours, the clock start (``start_of_count``), step deadlines (``deadlines.step_due``), the rule set's
  supplement mode (restart or pause, ``deadlines.extend_by_waiting``) and form 04 extensions;
- the end of processing and its classification (``calendar.classify`` on local dates; a second supplement request
  is late; no due date is on time), the fields each action changes, the timeline events (action, from/to state,
  agency and step after the action, the applicant-facing note) and the issued forms' content (01–05);
- codes ``<unit>-<yymmdd>-<NNNN>`` (the rule set's ``code_format``) per receiving unit and local day of receipt.

How codes stay collision-free: ``bulk_write`` groups the dossiers it writes by (receiving unit, local day), reserves a
block of numbers for each group with ONE multi-row ``INSERT … ON CONFLICT DO UPDATE SET last = last + n RETURNING``
on ``CodeCounter`` (atomic, like ``codes.next_sequence``) and hands the block out in order of receipt. The counter
ends at the highest number used, so a live reception later that day continues the sequence, and a live reception
running at the same time as the seeding simply gets a number outside the reserved block.

What it deliberately does not do:

- no audit-chain entry per dossier or action. The chain records what people did; seeding is not a user action, and
  thousands of fictional "officer" entries would bury the real ones (and make ``audit_verify`` walk them forever).
  The caller writes one entry for the whole load (``demo.dossiers.load``).
- no notifications, attachments, result files or PDFs (forms are rendered from their ``IssuedForm`` content on first
  download, as usual; a processed dossier simply has no result file).
- ``created_at`` / ``updated_at`` are ``auto_now`` fields that ``bulk_create`` would stamp with the load time; they
  are set back to the story's times with one ``UPDATE`` per row batch (the COPY path writes them directly).

Usage::

    ctx = BulkContext.load()
    b = ctx.submitted_online(case=case, receiving_agency=ward, applicant=Applicant(...), data={...},
                             submitted_at=t0, by=Actor("Nguyễn Văn An"))
    b.receive(t1, by=desk).claim(t2, by=specialist).forward(t3, by=specialist).approve(t4, by=leader)
    bulk_write([b, ...])                       # or bulk_write(builders, copy=True) on PostgreSQL
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import translation

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency, Role
from chinhquyenso.catalog.models import ProcedureCase
from chinhquyenso.catalog.text import normalize_search
from chinhquyenso.core.calendar import OfficeHours, WorkingCalendar, classify, to_local
from chinhquyenso.dossiers import deadlines
from chinhquyenso.dossiers.codes import format_code
from chinhquyenso.dossiers.models import (
    Channel,
    CodeCounter,
    Dossier,
    DossierEvent,
    IssuedForm,
    RuleSet,
    State,
    SupplementMode,
    WorkflowDefinition,
)
from chinhquyenso.dossiers.services import Applicant, workflow_for
from chinhquyenso.dossiers.workflow import ACTIONS, Step, parse_steps

__all__ = ["Actor", "Applicant", "BulkContext", "BulkPlanError", "DossierBuilder", "bulk_write"]


class BulkPlanError(ValueError):
    """A planned action the services would refuse (wrong state, step, order in time, extension rules)."""


@dataclass(frozen=True)
class Actor:
    """Who performed an action: a user (``user_id``) or a named person without an account (``user_id=None``)."""

    label: str
    user_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        """The label the services write for this user (officers get "(cán bộ)")."""
        name = user.display_name
        return cls(f"{name} (cán bộ)" if user.is_officer else name, user.pk)

    @classmethod
    def officer(cls, name: str) -> Actor:
        """An officer without an account in this installation (demo staff of agencies nobody signs in to)."""
        return cls(f"{name} (cán bộ)")


class BulkContext:
    """What the builders share: the calendar, rule sets, workflows and agencies, each loaded once."""

    def __init__(self, *, calendar: WorkingCalendar, rule_sets: Sequence[RuleSet]) -> None:
        self.calendar = calendar
        self._rule_sets = sorted(rule_sets, key=lambda r: r.effective_from, reverse=True)
        self._workflows: dict[int, tuple[WorkflowDefinition, list[Step]]] = {}
        self._competent: dict[int, Agency | None] = {}
        self._by_code: dict[str, Agency] = {}

    @classmethod
    def load(cls, *, calendar: WorkingCalendar | None = None) -> BulkContext:
        return cls(calendar=calendar or WorkingCalendar.from_db(), rule_sets=list(RuleSet.objects.all()))

    # --- lookups (cached) -----------------------------------------------------------------------------------------
    def rule_set(self, moment: datetime) -> RuleSet:
        """The rule set in force on the local date of ``moment`` (as ``services.rule_set_for``)."""
        day = to_local(moment).date()
        for rule_set in self._rule_sets:
            if rule_set.effective_from <= day and (rule_set.effective_to is None or rule_set.effective_to >= day):
                return rule_set
        raise BulkPlanError(f"Chưa cấu hình bộ quy tắc pháp lý cho ngày {day:%d/%m/%Y}.")

    def workflow(self, case: ProcedureCase) -> tuple[WorkflowDefinition, list[Step]]:
        """The case's active workflow (created from the default route on first use, as the services do)."""
        if case.pk not in self._workflows:
            workflow = workflow_for(case=case)
            self._workflows[case.pk] = (workflow, parse_steps(workflow.steps))
        return self._workflows[case.pk]

    def agency(self, code: str) -> Agency:
        if code not in self._by_code:
            agency = Agency.objects.filter(code=code, active=True).first()
            if agency is None:
                raise BulkPlanError(f"Quy trình trỏ tới đơn vị không tồn tại: {code}.")
            self._by_code[code] = agency
        return self._by_code[code]

    def resolve(self, step: Step, *, case: ProcedureCase, receiving: Agency) -> Agency:
        """The agency handling ``step`` (as ``services._resolve_agency``)."""
        if step.agency == "receiving":
            return receiving
        if step.agency == "competent":
            if case.version_id not in self._competent:
                self._competent[case.version_id] = case.version.competent_agencies.filter(active=True).first()
            return self._competent[case.version_id] or receiving
        return self.agency(step.agency)

    # --- starting a dossier ---------------------------------------------------------------------------------------
    def submitted_online(
        self,
        *,
        case: ProcedureCase,
        receiving_agency: Agency,
        applicant: Applicant,
        submitted_at: datetime,
        by: Actor,
        data: dict[str, Any] | None = None,
        applicant_user_id: int | None = None,
        created_at: datetime | None = None,
    ) -> DossierBuilder:
        """A dossier submitted online (state 1, channel 2), waiting for the desk (``services.dossier_submit``)."""
        builder = DossierBuilder(self, case=case, channel=Channel.ONLINE, receiving_agency=receiving_agency,
                                 applicant=applicant, applicant_user_id=applicant_user_id, data=data or {},
                                 submitted_at=submitted_at, created_at=created_at or submitted_at)  # fmt: skip
        builder._event(submitted_at, by, "submit", None, note="Hồ sơ đã được nộp trực tuyến.")
        return builder

    def received_at_desk(
        self,
        *,
        case: ProcedureCase,
        receiving_agency: Agency,
        channel: int,
        applicant: Applicant,
        received_at: datetime,
        by: Actor,
        data: dict[str, Any] | None = None,
        applicant_user_id: int | None = None,
    ) -> DossierBuilder:
        """A dossier handed in at the desk or by post and received at once (``services.dossier_intake_at_desk``)."""
        if channel not in (Channel.IN_PERSON, Channel.POST):
            raise BulkPlanError("Kênh tiếp nhận tại quầy chỉ là trực tiếp hoặc bưu chính.")
        builder = DossierBuilder(self, case=case, channel=channel, receiving_agency=receiving_agency,
                                 applicant=applicant, applicant_user_id=applicant_user_id, data=data or {},
                                 submitted_at=received_at, created_at=received_at)  # fmt: skip
        builder._event(received_at, by, "submit", None, note="Hồ sơ nộp tại bộ phận một cửa.", save=False)
        return builder.receive(received_at, by=by)


class DossierBuilder:
    """One dossier being replayed in memory. Each method is one service action, checked like the services check it,
    applied to an unsaved ``Dossier``; methods return the builder so a story reads as a chain."""

    def __init__(
        self,
        ctx: BulkContext,
        *,
        case: ProcedureCase,
        channel: int,
        receiving_agency: Agency,
        applicant: Applicant,
        applicant_user_id: int | None,
        data: dict[str, Any],
        submitted_at: datetime,
        created_at: datetime,
    ) -> None:
        self.ctx = ctx
        workflow, self.steps = ctx.workflow(case)
        self.dossier = Dossier(
            case=case,
            workflow=workflow,
            rule_set=ctx.rule_set(submitted_at),
            applicant_id=applicant_user_id,
            applicant_name=applicant.name,
            applicant_search=normalize_search(applicant.name),  # as the services write it: the inbox searches it
            applicant_id_number=applicant.id_number,
            applicant_phone=applicant.phone,
            applicant_email=applicant.email,
            applicant_address=applicant.address,
            channel=channel,
            state=State.SUBMITTED,
            is_draft=False,
            receiving_agency=receiving_agency,
            current_agency=receiving_agency,
            current_role=Role.ONE_STOP,
            current_step=0,
            data=data,
            submitted_at=submitted_at,
            lock_version=0,
        )
        self.events: list[DossierEvent] = []
        self.forms: list[tuple[IssuedForm, datetime]] = []
        self.route: dict[int, None] = {receiving_agency.pk: None}  # ordered set of agency ids
        self.created_at = created_at
        self.updated_at = created_at
        self._receive_event: DossierEvent | None = None
        self._last_at = created_at

    # --- state ------------------------------------------------------------------------------------------------------
    @property
    def state(self) -> int:
        return self.dossier.state

    @property
    def due_at(self) -> datetime | None:
        return self.dossier.due_at

    @property
    def last_at(self) -> datetime:
        return self._last_at

    @property
    def hours(self) -> OfficeHours:
        return self.dossier.receiving_agency.office_hours

    def _check(self, action: str, at: datetime) -> None:
        if at < self._last_at:
            raise BulkPlanError(
                f"«{action}» lúc {at.isoformat()} trước thao tác trước đó ({self._last_at.isoformat()})."
            )
        if self.dossier.state not in ACTIONS[action][0]:
            raise BulkPlanError(f"Không thể «{action}» khi hồ sơ ở trạng thái {self.dossier.state}.")

    def _check_step(self, action: str) -> None:
        step_index = self.dossier.current_step
        if step_index == 0 or action not in self.steps[step_index].actions:
            raise BulkPlanError(f"Bước {step_index} của quy trình không có thao tác «{action}».")

    def _event(
        self,
        at: datetime,
        by: Actor,
        action: str,
        from_state: int | None,
        *,
        note: str = "",
        internal_note: str = "",
        data: dict[str, Any] | None = None,
        save: bool = True,
    ) -> DossierEvent:
        dossier = self.dossier
        event = DossierEvent(
            at=at, actor_id=by.user_id, actor_label=by.label, action=action, from_state=from_state,
            to_state=dossier.state, agency_id=dossier.current_agency_id, step=dossier.current_step, note=note,
            internal_note=internal_note, data=data or {},
        )  # fmt: skip
        self.events.append(event)
        if save:  # every service action saves the row once (lock_version + 1)
            dossier.lock_version += 1
        self.updated_at = max(self.updated_at, at)
        self._last_at = at
        return event

    def _form(self, number: str, content: dict[str, Any], at: datetime) -> None:
        self.forms.append((IssuedForm(number=number, content=content), at))

    def _enter_step(self, index: int, at: datetime) -> None:
        dossier, steps = self.dossier, self.steps
        step = steps[index]
        agency = self.ctx.resolve(step, case=dossier.case, receiving=dossier.receiving_agency)
        dossier.current_step = index
        dossier.current_agency = agency
        dossier.current_role = step.role
        dossier.assignee_id = None
        share = deadlines.step_share([s.share for s in steps], index)
        dossier.step_due_at = deadlines.step_due(calendar=self.ctx.calendar, start=at, dossier_due=dossier.due_at,
                                                 share=share, hours=agency.office_hours)  # fmt: skip
        self.route[agency.pk] = None

    def _finish(self, at: datetime) -> None:
        dossier = self.dossier
        dossier.finished_at = at
        if dossier.supplement_count >= 2:
            dossier.timeliness = "late"
        elif dossier.due_at is None:
            dossier.timeliness = "on_time"
        else:
            dossier.timeliness = classify(at, dossier.due_at)

    # --- reception ----------------------------------------------------------------------------------------------------
    def receive(self, at: datetime, *, by: Actor) -> DossierBuilder:
        self._check("receive", at)
        dossier, calendar, hours = self.dossier, self.ctx.calendar, self.hours
        dossier.state = State.RECEIVED
        dossier.received_at = at
        dossier.clock_started_at = calendar.start_of_count(at, hours)
        dossier.due_at = deadlines.due_from(calendar=calendar, case=dossier.case, channel=dossier.channel, start=at,
                                            hours=hours)  # fmt: skip
        self._enter_step(1, at)
        self._form(IssuedForm.Number.F01, {"due_at": dossier.due_at.isoformat() if dossier.due_at else None}, at)
        # The note names the code, known only when bulk_write reserves the numbers (set_code fills it in).
        self._receive_event = self._event(at, by, "receive", State.SUBMITTED)
        return self

    def request_completion(self, at: datetime, *, by: Actor, missing: Sequence[str], note: str = "") -> DossierBuilder:
        self._check("request_completion", at)
        items = [m.strip() for m in missing if m.strip()]
        if not items:
            raise BulkPlanError("request_completion needs the missing items.")
        before = self.dossier.state
        self.dossier.state = State.SUPPLEMENT
        self.dossier.supplement_requested_at = at
        self._form(IssuedForm.Number.F02, {"missing": items, "note": note, "before_receipt": True}, at)
        self._event(at, by, "request_completion", before, note="Cần bổ sung, hoàn thiện: " + "; ".join(items),
                    data={"missing": items})  # fmt: skip
        return self

    def refuse(self, at: datetime, *, by: Actor, reason: str) -> DossierBuilder:
        self._check("refuse", at)
        before = self.dossier.state
        self.dossier.state = State.REFUSED
        self._finish(at)
        self._form(IssuedForm.Number.F03, {"reason": reason}, at)
        self._event(at, by, "refuse", before, note=f"Từ chối tiếp nhận: {reason}")
        return self

    # --- processing ---------------------------------------------------------------------------------------------------
    def claim(self, at: datetime, *, by: Actor) -> DossierBuilder:
        self._check("claim", at)
        if self.dossier.current_step == 0 or by.user_id is None:
            raise BulkPlanError("claim needs a processing step and an officer with an account.")
        self.dossier.assignee_id = by.user_id
        self._event(at, by, "claim", self.dossier.state)
        return self

    def forward(self, at: datetime, *, by: Actor, note: str = "") -> DossierBuilder:
        self._check("forward", at)
        self._check_step("forward")
        if self.dossier.current_step >= len(self.steps) - 1:
            raise BulkPlanError("forward from the last step.")
        before = self.dossier.state
        self._enter_step(self.dossier.current_step + 1, at)
        self.dossier.state = State.PROCESSING
        self._event(at, by, "forward", before, internal_note=note,
                    note=f"Chuyển bước: {self.steps[self.dossier.current_step].name}.")  # fmt: skip
        return self

    def send_back(self, at: datetime, *, by: Actor, reason: str) -> DossierBuilder:
        """The ``return`` action: back to the previous step (``return`` is a Python keyword)."""
        self._check("return", at)
        self._check_step("return")
        if self.dossier.current_step <= 1:
            raise BulkPlanError("return from the first processing step.")
        before = self.dossier.state
        self._enter_step(self.dossier.current_step - 1, at)
        self._event(at, by, "return", before, internal_note=reason)
        return self

    def transfer(self, at: datetime, *, by: Actor, target: Agency, reason: str) -> DossierBuilder:
        self._check("transfer", at)
        self._check_step("transfer")
        if target.pk == self.dossier.current_agency_id:
            raise BulkPlanError("transfer to the agency the dossier is at.")
        before = self.dossier.state
        self.dossier.current_agency = target
        self.dossier.assignee_id = None
        self.dossier.state = State.PROCESSING
        self.route[target.pk] = None
        self._event(at, by, "transfer", before, internal_note=reason, note=f"Chuyển liên thông đến {target.name}.")
        return self

    def request_supplement(self, at: datetime, *, by: Actor, missing: Sequence[str], note: str = "") -> DossierBuilder:
        self._check("request_supplement", at)
        self._check_step("request_supplement")
        items = [m.strip() for m in missing if m.strip()]
        if not items:
            raise BulkPlanError("request_supplement needs the missing items.")
        dossier = self.dossier
        before = dossier.state
        dossier.state = State.SUPPLEMENT
        dossier.supplement_count += 1
        dossier.supplement_requested_at = at
        self._form(IssuedForm.Number.F02, {"missing": items, "note": note, "before_receipt": False,
                                           "count": dossier.supplement_count}, at)  # fmt: skip
        self._event(at, by, "request_supplement", before, note="Yêu cầu bổ sung: " + "; ".join(items),
                    data={"missing": items})  # fmt: skip
        return self

    def request_payment(self, at: datetime, *, by: Actor) -> DossierBuilder:
        self._check("request_payment", at)
        self._check_step("request_payment")
        before = self.dossier.state
        self.dossier.state = State.PAYING
        self._event(at, by, "request_payment", before, note="Đề nghị thực hiện nghĩa vụ tài chính.")
        return self

    def extend(self, at: datetime, *, by: Actor, new_due_date: date, reason: str) -> DossierBuilder:
        """Form 04: apology and a new date, issued before the due moment passes."""
        self._check("extend", at)
        dossier = self.dossier
        if dossier.due_at is None or at >= dossier.due_at:
            raise BulkPlanError("extend needs a due date that has not passed.")
        if new_due_date <= to_local(dossier.due_at).date() or not self.ctx.calendar.is_working_day(new_due_date):
            raise BulkPlanError("the new due date must be a later working day.")
        old_due = dossier.due_at
        dossier.due_at = datetime.combine(new_due_date, self.hours.closing, tzinfo=to_local(old_due).tzinfo)
        dossier.extended_count += 1
        # The services read the old due moment back from the database, so the form states it in UTC.
        self._form(IssuedForm.Number.F04, {"reason": reason, "old_due": to_local(old_due).isoformat(),
                                           "new_due": dossier.due_at.isoformat()}, at)  # fmt: skip
        self._event(at, by, "extend", dossier.state,
                    note=f"Xin lỗi và hẹn lại ngày trả kết quả: {new_due_date:%d/%m/%Y}. Lý do: {reason}")  # fmt: skip
        return self

    def stop(self, at: datetime, *, by: Actor, reason: str) -> DossierBuilder:
        self._check("stop", at)
        if self.dossier.state != State.SUPPLEMENT:  # from "waiting for a supplement" the current step may always stop
            self._check_step("stop")
        before = self.dossier.state
        self.dossier.state = State.STOPPED
        self._finish(at)
        self._form(IssuedForm.Number.F05, {"reason": reason}, at)
        self._event(at, by, "stop", before, note=f"Dừng xử lý: {reason}")
        return self

    def approve(self, at: datetime, *, by: Actor) -> DossierBuilder:
        self._check("approve", at)
        self._check_step("approve")
        dossier = self.dossier
        before = dossier.state
        dossier.state = State.PROCESSED
        self._finish(at)
        dossier.current_agency = dossier.receiving_agency
        dossier.current_role = Role.ONE_STOP
        dossier.assignee_id = None
        self._event(at, by, "approve", before, note="Hồ sơ đã giải quyết xong, chờ trả kết quả.")
        return self

    def return_result(self, at: datetime, *, by: Actor, channel: int | None = None) -> DossierBuilder:
        self._check("return_result", at)
        dossier = self.dossier
        returned_by = channel or dossier.channel
        dossier.state = State.RETURNED
        dossier.returned_at = at
        dossier.return_channel = returned_by
        with translation.override("vi"):  # stored, as services.dossier_act stores it
            note = f"Đã trả kết quả ({Channel(returned_by).label.lower()})."
        self._event(at, by, "return_result", State.PROCESSED, note=note)
        return self

    # --- the applicant ------------------------------------------------------------------------------------------------
    def supplement(self, at: datetime, *, by: Actor, note: str = "") -> DossierBuilder:
        """The applicant hands in what was asked (``services.dossier_supplement``)."""
        self._check("supplement", at)
        dossier, calendar, hours = self.dossier, self.ctx.calendar, self.hours
        before = dossier.state
        if dossier.received_at is None:
            dossier.state = State.SUBMITTED
        else:
            assert dossier.supplement_requested_at is not None
            index = min(dossier.current_step or 0, len(self.steps) - 1)
            resumed = deadlines.resume_after_supplement(
                calendar=calendar, pause=dossier.rule_set.supplement_mode == SupplementMode.PAUSE, case=dossier.case,
                channel=dossier.channel, due=dossier.due_at, step_deadline=dossier.step_due_at,
                requested_at=dossier.supplement_requested_at, now=at, hours=hours,
                step_hours=dossier.current_agency.office_hours if dossier.current_agency else hours,
                share=deadlines.step_share([s.share for s in self.steps], index),
            )  # fmt: skip
            dossier.due_at, dossier.step_due_at = resumed.due_at, resumed.step_due_at
            dossier.waiting_seconds += resumed.waited_seconds
            dossier.clock_started_at = resumed.clock_started_at or dossier.clock_started_at
            dossier.state = State.PROCESSING
        dossier.supplement_requested_at = None
        self._event(at, by, "supplement", before, note=note or "Đã nộp bổ sung hồ sơ.")
        return self

    def withdraw(self, at: datetime, *, by: Actor, reason: str) -> DossierBuilder:
        self._check("withdraw", at)
        before = self.dossier.state
        self.dossier.state = State.WITHDRAWN
        self._finish(at)
        self._event(at, by, "withdraw", before, note=f"Công dân rút hồ sơ: {reason}")
        return self

    # --- the code -----------------------------------------------------------------------------------------------------
    @property
    def code_key(self) -> tuple[int, date] | None:
        """(receiving agency id, local day of receipt), or None while the dossier has not been received."""
        received = self.dossier.received_at
        return None if received is None else (self.dossier.receiving_agency_id, to_local(received).date())

    def set_code(self, seq: int) -> None:
        dossier = self.dossier
        assert dossier.received_at is not None and self._receive_event is not None
        dossier.code = format_code(rule_set=dossier.rule_set, unit=dossier.receiving_agency.code,
                                   day=to_local(dossier.received_at).date(), seq=seq)  # fmt: skip
        self._receive_event.note = f"Hồ sơ đã được tiếp nhận, mã số {dossier.code}."


# --- writing -----------------------------------------------------------------------------------------------------------
def bulk_write(
    builders: Iterable[DossierBuilder], *, batch_size: int = 1000, chunk_size: int = 20_000, copy: bool = False
) -> int:
    """Write the built dossiers with their events, issued forms and route rows; returns how many dossiers.

    Works through ``builders`` ``chunk_size`` at a time (codes are reserved per chunk, in order of receipt inside it,
    so give the builders roughly in order of receipt when codes must read chronologically across chunks) and inserts
    with ``bulk_create`` in batches of ``batch_size``, or with PostgreSQL ``COPY`` (``copy=True``) for large loads.
    Everything happens in one transaction (a savepoint inside the caller's).
    """
    if copy and connection.vendor != "postgresql":
        raise ValueError("COPY is only available on PostgreSQL.")
    if not copy and not connection.features.can_return_rows_from_bulk_insert:
        raise RuntimeError("bulk_write needs a database that returns ids from bulk inserts (PostgreSQL, SQLite 3.35+).")
    written = 0
    iterator: Iterator[DossierBuilder] = iter(builders)
    with transaction.atomic():
        while chunk := list(islice(iterator, chunk_size)):
            _assign_codes(chunk)
            if copy:
                _write_copy(chunk)
            else:
                _write_orm(chunk, batch_size)
            written += len(chunk)
    return written


def _assign_codes(chunk: Sequence[DossierBuilder]) -> None:
    groups: dict[tuple[int, date], list[DossierBuilder]] = defaultdict(list)
    for builder in chunk:
        key = builder.code_key
        if key is not None:
            groups[key].append(builder)
    last = _reserve_sequences({key: len(members) for key, members in groups.items()})
    for key, members in groups.items():
        members.sort(key=lambda b: b.dossier.received_at or b.created_at)  # stable: equal times keep input order
        first = last[key] - len(members) + 1
        for offset, builder in enumerate(members):
            builder.set_code(first + offset)


def _reserve_sequences(counts: dict[tuple[int, date], int], per_statement: int = 300) -> dict[tuple[int, date], int]:
    """Add ``n`` to ``CodeCounter.last`` of every (agency, day) atomically; returns the new ``last`` of each."""
    table = connection.ops.quote_name(CodeCounter._meta.db_table)
    result: dict[tuple[int, date], int] = {}
    items = sorted(counts.items())  # a fixed order: two concurrent loads lock counters in the same order
    with connection.cursor() as cursor:
        for start in range(0, len(items), per_statement):
            part = items[start : start + per_statement]
            values = ", ".join(["(%s, %s, %s)"] * len(part))
            params: list[Any] = []
            for (agency_id, day), n in part:
                params += [agency_id, connection.ops.adapt_datefield_value(day), n]
            cursor.execute(
                f"INSERT INTO {table} (agency_id, day, last) VALUES {values} "  # noqa: S608 (table name is ours)
                f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + excluded.last "
                "RETURNING agency_id, day, last",
                params,
            )
            for agency_id, day, new_last in cursor.fetchall():
                parsed = day if isinstance(day, date) else date.fromisoformat(str(day))
                result[(int(agency_id), parsed)] = int(new_last)
    return result


def _write_orm(chunk: Sequence[DossierBuilder], batch_size: int) -> None:
    dossiers = [b.dossier for b in chunk]
    Dossier.objects.bulk_create(dossiers, batch_size=batch_size)
    _restore_times(Dossier, [(b.dossier.pk, b.created_at, b.updated_at) for b in chunk], batch_size)
    events = []
    forms: list[IssuedForm] = []
    form_times: list[datetime] = []
    through = Dossier.route_agencies.through
    routes = []
    for builder in chunk:
        dossier_id = builder.dossier.pk
        for event in builder.events:
            event.dossier_id = dossier_id
            events.append(event)
        for form, at in builder.forms:
            form.dossier_id = dossier_id
            forms.append(form)
            form_times.append(at)
        routes += [through(dossier_id=dossier_id, agency_id=agency_id) for agency_id in builder.route]
    DossierEvent.objects.bulk_create(events, batch_size=batch_size)
    IssuedForm.objects.bulk_create(forms, batch_size=batch_size)
    _restore_times(IssuedForm, [(f.pk, at) for f, at in zip(forms, form_times, strict=True)], batch_size)
    through.objects.bulk_create(routes, batch_size=batch_size)


def _restore_times(model: type[models.Model], rows: Sequence[tuple[Any, ...]], batch_size: int) -> None:
    """Set auto_now(_add) columns back to the story's times: rows are (pk, created_at[, updated_at])."""
    names = ["created_at", "updated_at"][: len(rows[0]) - 1] if rows else []
    if not names:
        return
    fields = [model._meta.get_field(name) for name in names]
    assert all(isinstance(f, models.Field) for f in fields)
    concrete = [f for f in fields if isinstance(f, models.Field)]
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(f.column)} = %s" for f in concrete)
    sql = f"UPDATE {qn(model._meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608 (names are ours)
    params = [
        [f.get_db_prep_save(value, connection) for f, value in zip(concrete, row[1:], strict=True)] + [row[0]]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), batch_size):
            cursor.executemany(sql, params[start : start + batch_size])


# --- PostgreSQL COPY ---------------------------------------------------------------------------------------------------
def _next_ids(cursor: Any, model: type[models.Model], n: int) -> list[int]:
    """Take ``n`` ids from the table's identity sequence (so later ORM inserts never collide with them)."""
    if n == 0:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [model._meta.db_table, n]
    )
    return sorted(int(row[0]) for row in cursor.fetchall())


def _copy_converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value goes into COPY: JSON as text, files as their name; anything else as is (psycopg adapts it)."""
    if isinstance(field, models.JSONField):
        encoder = field.encoder or DjangoJSONEncoder
        return lambda value: None if value is None else json.dumps(value, cls=encoder, ensure_ascii=False)
    if isinstance(field, models.FileField):
        return lambda value: str(value.name if hasattr(value, "name") else value or "")
    return None


def _copy_rows(cursor: Any, model: type[models.Model], objs: Sequence[models.Model]) -> None:
    if not objs:
        return
    qn = connection.ops.quote_name
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(qn(f.column) for f in fields)
    plan = [(f.attname, _copy_converter(f)) for f in fields]
    with cursor.copy(f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            values = obj.__dict__
            copy.write_row([values[name] if convert is None else convert(values[name]) for name, convert in plan])


def _write_copy(chunk: Sequence[DossierBuilder]) -> None:
    """The same rows as ``_write_orm``, streamed with COPY; ids come from the tables' sequences."""
    through = Dossier.route_agencies.through
    events: list[DossierEvent] = []
    forms: list[IssuedForm] = []
    routes: list[models.Model] = []
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor: Django's wrapper has no copy()
        for builder, pk in zip(chunk, _next_ids(cursor, Dossier, len(chunk)), strict=True):
            dossier = builder.dossier
            dossier.pk = pk
            dossier.created_at, dossier.updated_at = builder.created_at, builder.updated_at
            for event in builder.events:
                event.dossier_id = pk
                events.append(event)
            for form, at in builder.forms:
                form.dossier_id = pk
                form.created_at = at
                forms.append(form)
            routes += [through(dossier_id=pk, agency_id=agency_id) for agency_id in builder.route]
        for model, objs in ((DossierEvent, events), (IssuedForm, forms), (through, routes)):
            for obj, pk in zip(objs, _next_ids(cursor, model, len(objs)), strict=True):
                obj.pk = pk
        _copy_rows(cursor, Dossier, [b.dossier for b in chunk])
        _copy_rows(cursor, DossierEvent, events)
        _copy_rows(cursor, IssuedForm, forms)
        _copy_rows(cursor, through, routes)
