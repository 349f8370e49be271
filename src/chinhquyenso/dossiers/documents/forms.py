"""Forms 01–06 of Thông tư 03/2025/TT-VPCP, Phụ lục I, rendered as PDF (DOMAIN.md §3.4).

Forms 01–05 are issued by the services (an ``IssuedForm`` row with what the form states); they are rendered on first
download and the PDF is then kept, so the paper the applicant holds never changes. Form 06 (the control sheet) is
built live from the dossier's timeline each time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chinhquyenso.agencies.models import Agency
from chinhquyenso.core.calendar import WorkingCalendar, classify, to_local
from chinhquyenso.dossiers import deadlines
from chinhquyenso.dossiers.documents.pdf import (
    FAMILY,
    FormPDF,
    Signature,
    date_text,
    in_vietnamese,
    long_datetime_text,
    parse_moment,
    short_datetime_text,
)
from chinhquyenso.dossiers.models import Channel, Dossier, DossierEvent, IssuedForm, State, SupplementMode
from chinhquyenso.dossiers.workflow import Step, parse_steps

TIMELINESS_LABELS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
# The timeline action that issued each form, to find who issued it and when.
_ISSUING_ACTIONS: dict[str, tuple[str, ...]] = {
    IssuedForm.Number.F01: ("receive",),
    IssuedForm.Number.F02: ("request_completion", "request_supplement"),
    IssuedForm.Number.F03: ("refuse",),
    IssuedForm.Number.F04: ("extend",),
    IssuedForm.Number.F05: ("stop",),
}
_RECIPIENTS = ("Như trên;", "Lưu: VT, Bộ phận Một cửa.")


# --- public API ----------------------------------------------------------------------------------------------------
@in_vietnamese
def render_issued_form(issued_form: IssuedForm) -> bytes:
    """The PDF of one issued form (01–06)."""
    if issued_form.number == IssuedForm.Number.F06:
        return render_control_sheet(issued_form.dossier)
    renderer = _RENDERERS.get(issued_form.number)
    if renderer is None:
        raise ValueError(f"Unknown form number {issued_form.number!r}.")
    return renderer(issued_form)


def issued_form_pdf_name(issued_form: IssuedForm) -> str:
    """``<code>-mau-01.pdf``; a dossier refused or sent back before receipt has no code yet: ``ho-so-<id>-…``."""
    stem = issued_form.dossier.code or f"ho-so-{issued_form.dossier_id}"
    return f"{stem}-mau-{issued_form.number}.pdf"


def issued_form_document(*, issued_form: IssuedForm) -> IssuedForm:
    """Render the form on first request and keep the PDF in ``IssuedForm.file``; later requests get the stored one.

    The row is locked while rendering, so two first downloads at once store one file, not two.
    """
    if issued_form.file:
        return issued_form
    with transaction.atomic():
        locked = IssuedForm.objects.select_for_update().select_related("dossier").get(pk=issued_form.pk)
        if not locked.file:
            locked.file.save(issued_form_pdf_name(locked), ContentFile(render_issued_form(locked)), save=False)
            locked.save(update_fields=["file"])
    return locked


@in_vietnamese
def render_control_sheet(dossier: Dossier) -> bytes:
    """Form 06, Phiếu kiểm soát quá trình giải quyết hồ sơ: the route of the dossier from its timeline."""
    agency = dossier.receiving_agency
    pdf = FormPDF(title=f"Phiếu kiểm soát quá trình giải quyết hồ sơ {dossier.code or ''}".strip(), author=agency.name)
    now = timezone.now()
    pdf.agency_header(agency, day=to_local(now).date())
    pdf.form_title(str(IssuedForm.Number.F06.label))
    if dossier.code:
        pdf.centred(f"Mã hồ sơ: {dossier.code}", style="B")
        pdf.centred("(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)", style="I", size=12)
    pdf.ln(2)
    pdf.field("Người nộp hồ sơ:", dossier.applicant_name)
    pdf.field("Nội dung yêu cầu giải quyết:", _procedure_name(dossier))
    handling = [a.name for a in dossier.route_agencies.order_by("name") if a.pk != agency.pk]
    pdf.field("Cơ quan tiếp nhận hồ sơ:", agency.name)
    pdf.field("Cơ quan, đơn vị giải quyết hồ sơ:", "; ".join(handling) or agency.name)
    pdf.field("Thời gian tiếp nhận:", long_datetime_text(dossier.received_at) or "Chưa tiếp nhận")
    pdf.field("Thời gian hẹn trả kết quả:", long_datetime_text(dossier.due_at) or "Không quy định")
    pdf.ln(2)
    rows = control_sheet_rows(dossier)
    pdf.grid(
        ["STT", "Bước xử lý", "Cơ quan, người xử lý", "Nhận hồ sơ lúc", "Hạn xử lý", "Hoàn thành lúc", "Kết quả"],
        [
            [
                str(i),
                row.step_text,
                row.agency_text,
                short_datetime_text(row.handed_at),
                short_datetime_text(row.due_at) or "—",
                short_datetime_text(row.done_at),
                row.result(now),
            ]
            for i, row in enumerate(rows, start=1)
        ],
        widths=(10, 31, 38, 22, 22, 22, 20),
        aligns=("CENTER", "LEFT", "LEFT", "CENTER", "CENTER", "CENTER", "CENTER"),
        size=9.5,
    )
    pdf.ln(3)
    if dossier.is_finished and dossier.timeliness:
        finished = f"{State(dossier.state).label}, ngày {date_text(dossier.finished_at)}"
        pdf.field("Kết quả giải quyết hồ sơ:", f"{TIMELINESS_LABELS[dossier.timeliness]} ({finished})", bold=True)
    else:
        pdf.field("Tình trạng hiện tại:", str(State(dossier.state).label), bold=True)
    pdf.set_font(FAMILY, "I", 11)
    pdf.multi_cell(0, 5.5, f"Phiếu được lập tự động từ nhật ký giải quyết hồ sơ lúc {short_datetime_text(now)}.")
    pdf.ln(2)
    if dossier.code:
        pdf.tracking_block(dossier.code)
    return pdf.to_bytes()


# --- forms 01–05 ---------------------------------------------------------------------------------------------------
def render_form_01_receipt(issued_form: IssuedForm) -> bytes:
    """Mẫu số 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    dossier, event = issued_form.dossier, _issuing_event(issued_form)
    agency = dossier.receiving_agency
    pdf = _start(issued_form, agency)
    due = parse_moment(issued_form.content.get("due_at")) or dossier.due_at
    pdf.paragraph(f"Bộ phận tiếp nhận và trả kết quả — {agency.name} đã tiếp nhận hồ sơ của:", indent=False)
    _applicant_lines(pdf, dossier)
    pdf.field("Nội dung yêu cầu giải quyết:", _procedure_name(dossier))
    pdf.field("1. Thành phần hồ sơ nộp gồm:", "")
    pdf.items(_documents_received(dossier))
    pdf.field("2. Số lượng hồ sơ:", "01 (bộ)")
    pdf.field("3. Thời gian giải quyết hồ sơ theo quy định:", _processing_time(dossier))
    pdf.field("4. Thời gian nhận hồ sơ:", long_datetime_text(dossier.received_at or issued_form.created_at))
    pdf.field("5. Thời gian trả kết quả giải quyết hồ sơ:",
              long_datetime_text(due) if due else "Theo quy định của thủ tục (không quy định thời hạn)",
              bold=True)  # fmt: skip
    channel = dossier.return_channel or dossier.channel
    pdf.field("6. Hình thức nhận kết quả:", _RESULT_CHANNELS.get(channel, str(Channel(channel).label)))
    pdf.field("7. Kênh nộp hồ sơ:", str(Channel(dossier.channel).label))
    pdf.ln(1)
    pdf.paragraph(
        "Mọi thắc mắc về hồ sơ, xin liên hệ " + _contact(agency) + ".", indent=False
    )  # the officer's phone is theirs, not the public's: the desk's number is given
    applicant_signs = dossier.channel != Channel.ONLINE  # online, the applicant signed nothing at the desk
    pdf.signatures(
        Signature("Người nộp hồ sơ", dossier.applicant_name) if applicant_signs else None,
        Signature("Người tiếp nhận hồ sơ", _actor_name(event)),
        code=dossier.code,
    )
    return pdf.to_bytes()


def render_form_02_supplement_request(issued_form: IssuedForm) -> bytes:
    """Mẫu số 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (before receipt or, after receipt, request to supplement)."""
    dossier, event = issued_form.dossier, _issuing_event(issued_form)
    content = issued_form.content
    before_receipt = bool(content.get("before_receipt", dossier.received_at is None))
    agency = dossier.receiving_agency if before_receipt else _event_agency(event, dossier)
    pdf = _start(issued_form, agency)
    pdf.field("Hồ sơ của:", dossier.applicant_name, bold=True)
    _applicant_lines(pdf, dossier, name=False)
    pdf.field("Nội dung yêu cầu giải quyết:", _procedure_name(dossier))
    if dossier.received_at and not before_receipt:
        pdf.field("Ngày tiếp nhận hồ sơ:", date_text(dossier.received_at))
    if content.get("count"):
        pdf.field("Yêu cầu bổ sung lần thứ:", str(content["count"]))
    pdf.paragraph("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:", indent=False)
    missing = [str(m) for m in content.get("missing") or []]
    pdf.items(missing or ["(Không ghi nội dung cụ thể.)"])
    if content.get("reason"):
        pdf.field("Lý do:", _sentence(content["reason"]))
    if content.get("note"):
        pdf.field("Ghi chú:", _sentence(content["note"]))
    pdf.ln(1)
    pdf.paragraph(
        f"Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ {_contact(agency)} "
        f"(người hướng dẫn: {_actor_name(event) or 'cán bộ tiếp nhận'}) để được hướng dẫn."
    )
    if dossier.channel == Channel.ONLINE:
        pdf.paragraph("Hồ sơ nộp trực tuyến: Ông/Bà đăng nhập Cổng Dịch vụ công, mở hồ sơ và chọn «Nộp bổ sung».")
    pdf.signatures(None, Signature("Người hướng dẫn", _actor_name(event)), code=dossier.code)
    return pdf.to_bytes()


def render_form_03_refusal(issued_form: IssuedForm) -> bytes:
    """Mẫu số 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    dossier, event = issued_form.dossier, _issuing_event(issued_form)
    agency = dossier.receiving_agency
    pdf = _start(issued_form, agency)
    submitted = f", nộp ngày {date_text(dossier.submitted_at)}" if dossier.submitted_at else ""
    pdf.paragraph(f"Bộ phận tiếp nhận và trả kết quả — {agency.name} tiếp nhận hồ sơ của:", indent=False)
    _applicant_lines(pdf, dossier)
    pdf.field("Nội dung yêu cầu giải quyết:", _procedure_name(dossier) + submitted)
    pdf.ln(1)
    pdf.paragraph(
        "Sau khi xem xét hồ sơ, đối chiếu với các quy định hiện hành, Bộ phận tiếp nhận và trả kết quả từ chối "
        "tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:"
    )
    pdf.paragraph(_sentence(issued_form.content.get("reason")), style="B")
    pdf.paragraph("Xin thông báo cho Ông/Bà được biết và thực hiện./.")
    pdf.signatures(None, Signature("Người tiếp nhận hồ sơ", _actor_name(event)), code=dossier.code)
    return pdf.to_bytes()


def render_form_04_apology_extension(issued_form: IssuedForm) -> bytes:
    """Mẫu số 04: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (issued before the due date passes)."""
    dossier, event = issued_form.dossier, _issuing_event(issued_form)
    agency = _event_agency(event, dossier)
    content = issued_form.content
    old_due = parse_moment(content.get("old_due"))
    new_due = parse_moment(content.get("new_due")) or dossier.due_at
    pdf = _start(issued_form, agency)
    pdf.centred(f"Kính gửi: Ông/Bà {dossier.applicant_name}")
    pdf.ln(2)
    pdf.paragraph(
        f"Ngày {date_text(dossier.received_at)}, {agency.name} tiếp nhận giải quyết hồ sơ của Ông/Bà, "
        f"mã hồ sơ {dossier.code or ''}, nội dung yêu cầu giải quyết: {_procedure_name(dossier)}."
    )
    pdf.paragraph(f"Thời hạn trả kết quả đã hẹn: {long_datetime_text(old_due) or 'theo quy định'}.")
    pdf.paragraph(
        f"Tuy nhiên, {agency.name} chưa thể trả kết quả giải quyết hồ sơ cho Ông/Bà đúng thời hạn trên. "
        f"Lý do: {_sentence(content.get('reason'))}"
    )
    pdf.paragraph(
        f"Sự chậm trễ này gây phiền hà cho Ông/Bà. {agency.name} xin lỗi Ông/Bà và đề nghị gia hạn thời gian "
        f"giải quyết hồ sơ, hẹn trả kết quả vào {long_datetime_text(new_due)}."
    )
    pdf.paragraph("Xin trân trọng cảm ơn./.")
    pdf.signatures(
        None,
        Signature("Thủ trưởng cơ quan, đơn vị", _actor_name(event), hint="(Ký, ghi rõ họ tên và đóng dấu)"),
        recipients=_RECIPIENTS,
        code=dossier.code,
    )
    return pdf.to_bytes()


def render_form_05_stop_notice(issued_form: IssuedForm) -> bytes:
    """Mẫu số 05: Thông báo dừng giải quyết hồ sơ."""
    dossier, event = issued_form.dossier, _issuing_event(issued_form)
    agency = _event_agency(event, dossier)
    pdf = _start(issued_form, agency)
    pdf.centred(f"Kính gửi: Ông/Bà {dossier.applicant_name}")
    pdf.ln(2)
    received = f", tiếp nhận ngày {date_text(dossier.received_at)}" if dossier.received_at else ""
    pdf.paragraph(
        f"{agency.name} thông báo dừng giải quyết hồ sơ mã số {dossier.code or ''} của Ông/Bà{received}, nội dung "
        f"yêu cầu giải quyết: {_procedure_name(dossier)}."
    )
    pdf.paragraph("Lý do dừng giải quyết hồ sơ:")
    pdf.paragraph(_sentence(issued_form.content.get("reason")), style="B")
    pdf.paragraph(f"Mọi thắc mắc, xin liên hệ {_contact(agency)}.")
    pdf.paragraph(f"{agency.name} thông báo để Ông/Bà được biết./.")
    pdf.signatures(
        None,
        Signature("Thủ trưởng cơ quan, đơn vị", _actor_name(event), hint="(Ký, ghi rõ họ tên và đóng dấu)"),
        recipients=_RECIPIENTS,
        code=dossier.code,
    )
    return pdf.to_bytes()


_RENDERERS: dict[str, Callable[[IssuedForm], bytes]] = {
    IssuedForm.Number.F01: render_form_01_receipt,
    IssuedForm.Number.F02: render_form_02_supplement_request,
    IssuedForm.Number.F03: render_form_03_refusal,
    IssuedForm.Number.F04: render_form_04_apology_extension,
    IssuedForm.Number.F05: render_form_05_stop_notice,
}
_RESULT_CHANNELS: dict[int, str] = {
    Channel.IN_PERSON: "Tại Bộ phận tiếp nhận và trả kết quả",
    Channel.ONLINE: "Trực tuyến (trên Cổng Dịch vụ công và kho dữ liệu của công dân)",
    Channel.POST: "Qua dịch vụ bưu chính công ích",
}


# --- form 06: the route from the timeline ---------------------------------------------------------------------------
@dataclass
class RouteRow:
    """One line of the control sheet: who held the dossier, from when, until when, against which deadline."""

    step: str
    agency: str
    handed_at: datetime | None
    due_at: datetime | None
    handler: str = ""
    done_at: datetime | None = None
    note: str = ""
    step_index: int | None = None
    waiting: bool = False

    @property
    def step_text(self) -> str:
        return f"{self.step} ({self.note})" if self.note else self.step

    @property
    def agency_text(self) -> str:
        return f"{self.agency}\n{self.handler}" if self.handler else self.agency

    def result(self, now: datetime) -> str:
        if self.waiting:
            return "—"
        if self.done_at is None:
            return "Đang xử lý, quá hạn" if self.due_at is not None and now > self.due_at else "Đang xử lý"
        if self.due_at is None:
            return "Hoàn thành"
        return TIMELINESS_LABELS[classify(self.done_at, self.due_at)]


def control_sheet_rows(dossier: Dossier) -> list[RouteRow]:
    """The dossier's route rebuilt from its timeline (the same rules as the services apply when it moves).

    Step deadlines are not stored on events, so each is recomputed the way ``services._enter_step`` computed it:
    the step's share of the working time left until the dossier's due moment in force when it was handed over.
    A transfer keeps the step's deadline; after a supplement the step's deadline moves by the time waited (pause
    mode) or is computed afresh from the new due moment (restart mode), as ``services.dossier_supplement`` does.
    """
    steps = parse_steps(dossier.workflow.steps)
    events = list(dossier.events.select_related("actor", "agency").order_by("at", "id"))
    dues = _dossier_due_after(dossier, events)
    calendar = WorkingCalendar.from_db()
    receiving = dossier.receiving_agency
    rows: list[RouteRow] = []
    dossier_due: datetime | None = None

    def current() -> RouteRow | None:
        return rows[-1] if rows and rows[-1].done_at is None else None

    def close(event: DossierEvent, note: str = "") -> RouteRow | None:
        row = current()
        if row is not None:
            row.done_at = event.at
            row.note = row.note or note
            if not row.handler and not row.waiting:
                row.handler = _actor_name(event)
        return row

    def open_step(event: DossierEvent, index: int, agency: Agency, due: datetime | None) -> None:
        index = max(0, min(index, len(steps) - 1))
        rows.append(RouteRow(steps[index].name, agency.name, event.at, due, step_index=index))

    def step_due(index: int, agency: Agency, start: datetime) -> datetime | None:
        return _step_due(calendar, steps, index, agency, start, dossier_due)

    for event in events:
        dossier_due = dues.get(event.pk, dossier_due)
        agency = event.agency or dossier.current_agency
        index = event.step if event.step is not None else 0
        action = event.action
        if action == "submit":
            rows.append(RouteRow(steps[0].name, receiving.name, event.at, None, step_index=0))
        elif action in ("receive", "forward", "return"):
            close(event, "trả lại bước trước" if action == "return" else "")
            open_step(event, index, agency, step_due(index, agency, event.at))
        elif action == "transfer":
            previous = close(event, "chuyển liên thông")
            due = previous.due_at if previous is not None else None
            open_step(event, index, agency, due)
        elif action in ("request_completion", "request_supplement"):
            previous = close(event, "yêu cầu bổ sung")
            rows.append(RouteRow("Chờ người nộp bổ sung hồ sơ", "Người nộp hồ sơ", event.at, None, waiting=True))
            rows[-1].step_index = previous.step_index if previous is not None else index
            rows[-1].due_at = previous.due_at if previous is not None else None  # kept for the resumed step
        elif action == "supplement":
            waiting = close(event)
            kept = waiting.due_at if waiting is not None else None
            if waiting is not None:
                waiting.due_at = None
            if event.to_state == State.SUBMITTED:
                rows.append(RouteRow(steps[0].name, receiving.name, event.at, None, step_index=0))
            elif dossier.rule_set.supplement_mode == SupplementMode.PAUSE:
                # As services.dossier_supplement: the step's deadline moves by the working time waited.
                resumed = None
                if kept is not None and waiting is not None and waiting.handed_at is not None:
                    resumed, _ = deadlines.extend_by_waiting(calendar=calendar, due=kept, waited_from=waiting.handed_at,
                                                             waited_to=event.at, hours=agency.office_hours)  # fmt: skip
                open_step(event, index, agency, _earliest(resumed, dossier_due))
            else:  # restart: the step gets its share of the fresh processing time
                open_step(event, index, agency, step_due(index, agency, event.at))
        elif action == "claim":
            row = current()
            if row is not None:
                row.handler = _actor_name(event)
        elif action == "extend":
            row = current()
            new_due = dues.get(event.pk)
            if row is not None and new_due is not None:
                row.note = f"gia hạn trả kết quả đến {date_text(new_due)}"
        elif action == "request_payment":
            row = current()
            if row is not None:
                row.note = "yêu cầu thực hiện nghĩa vụ tài chính"
        elif action in ("refuse", "stop", "withdraw"):
            notes = {"refuse": "từ chối tiếp nhận", "stop": "dừng xử lý", "withdraw": "công dân rút hồ sơ"}
            close(event, notes[action])
        elif action == "approve":
            close(event)
            rows.append(RouteRow("Trả kết quả", receiving.name, event.at, dossier_due))
        elif action == "return_result":
            close(event)
    return rows


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return min(a, b) if a is not None and b is not None else a


def _step_due(
    calendar: WorkingCalendar, steps: list[Step], index: int, agency: Agency, start: datetime, due: datetime | None
) -> datetime | None:
    index = max(0, min(index, len(steps) - 1))
    share = deadlines.step_share([s.share for s in steps], index)
    return deadlines.step_due(calendar=calendar, start=start, dossier_due=due, share=share, hours=agency.office_hours)


def _dossier_due_after(dossier: Dossier, events: list[DossierEvent]) -> dict[int, datetime | None]:
    """The dossier's due moment in force after each event that changed it (receipt, extension, supplement).

    Stored values come first: forms 01 and 04 state the due moment they set, and form 04 also the one it replaced.
    A supplement after receipt recomputes the due moment without recording it: it is the "old due" of the extension
    that follows it, or the dossier's current due moment if nothing followed; only between two supplements is it
    recomputed here with the rule set's supplement mode (DOMAIN.md §3.5).
    """
    f01 = [
        parse_moment(f.content.get("due_at")) for f in dossier.forms.filter(number="01").order_by("created_at", "id")
    ]
    f04 = [f.content for f in dossier.forms.filter(number="04").order_by("created_at", "id")]
    changing = [
        e for e in events
        if e.action in ("receive", "extend")
        or (e.action == "supplement" and e.from_state == State.SUPPLEMENT and e.to_state != State.SUBMITTED)
    ]  # fmt: skip
    extensions = [e for e in changing if e.action == "extend"]
    form_04 = {e.pk: f04[i] for i, e in enumerate(extensions) if i < len(f04)}
    requested_at = {e.pk: _previous_request(events, e) for e in changing if e.action == "supplement"}
    result: dict[int, datetime | None] = {}
    due: datetime | None = None
    for position, event in enumerate(changing):
        following = changing[position + 1] if position + 1 < len(changing) else None
        if event.action == "receive" and f01:
            due = f01[0]
        elif event.action == "extend" and event.pk in form_04:
            due = parse_moment(form_04[event.pk].get("new_due"))
        elif following is None:
            due = dossier.due_at
        elif following.pk in form_04:
            due = parse_moment(form_04[following.pk].get("old_due"))
        else:
            due = _recomputed_due(dossier, event, due, requested_at.get(event.pk))
        result[event.pk] = due
    return result


def _previous_request(events: list[DossierEvent], supplement: DossierEvent) -> datetime | None:
    requests = [
        e.at for e in events if e.action == "request_supplement" and (e.at, e.pk) < (supplement.at, supplement.pk)
    ]
    return requests[-1] if requests else None


def _recomputed_due(
    dossier: Dossier, event: DossierEvent, due: datetime | None, requested_at: datetime | None
) -> datetime | None:
    calendar = WorkingCalendar.from_db()
    hours = dossier.receiving_agency.office_hours
    if event.action == "receive":
        return deadlines.due_from(calendar=calendar, case=dossier.case, channel=dossier.channel, start=event.at,
                                  hours=hours)  # fmt: skip
    if dossier.rule_set.supplement_mode == SupplementMode.PAUSE:
        if requested_at is None:
            return due
        extended, _ = deadlines.extend_by_waiting(calendar=calendar, due=due, waited_from=requested_at,
                                                  waited_to=event.at, hours=hours)  # fmt: skip
        return extended
    return deadlines.due_from(calendar=calendar, case=dossier.case, channel=dossier.channel, start=event.at,
                              hours=hours)  # fmt: skip


# --- shared pieces -------------------------------------------------------------------------------------------------
# Where a long form name breaks on paper (it must not leave one word on the second line).
_TITLE_LINES: dict[str, str] = {IssuedForm.Number.F04: "Văn bản xin lỗi và đề nghị gia hạn\nthời gian giải quyết"}


def _start(issued_form: IssuedForm, agency: Agency) -> FormPDF:
    dossier = issued_form.dossier
    label = str(IssuedForm.Number(issued_form.number).label)
    pdf = FormPDF(title=f"{label} {dossier.code or ''}".strip(), author=agency.name)
    pdf.agency_header(agency, day=to_local(issued_form.created_at).date())
    pdf.form_title(_TITLE_LINES.get(issued_form.number, label))
    if dossier.code:
        pdf.centred(f"Mã hồ sơ: {dossier.code}", style="B")
    pdf.ln(3)
    return pdf


def _issuing_event(issued_form: IssuedForm) -> DossierEvent | None:
    """The timeline entry that issued this form: the n-th form 02 goes with the n-th supplement request."""
    actions = _ISSUING_ACTIONS.get(issued_form.number)
    if not actions:
        return None
    earlier = (
        IssuedForm.objects.filter(dossier_id=issued_form.dossier_id, number=issued_form.number)
        .filter(Q(created_at__lt=issued_form.created_at) | Q(created_at=issued_form.created_at, pk__lt=issued_form.pk))
        .count()
    )
    events = list(
        DossierEvent.objects.filter(dossier_id=issued_form.dossier_id, action__in=actions)
        .select_related("actor", "agency")
        .order_by("at", "id")
    )
    if not events:
        return None
    return events[min(earlier, len(events) - 1)]


def _event_agency(event: DossierEvent | None, dossier: Dossier) -> Agency:
    if event is not None and event.agency is not None:
        return event.agency
    return dossier.current_agency


def _actor_name(event: DossierEvent | None) -> str:
    if event is None:
        return ""
    if event.actor is not None:
        return str(event.actor.display_name)
    return event.actor_label


def _procedure_name(dossier: Dossier) -> str:
    version = dossier.case.version
    if version.cases.count() > 1:
        return f"{version.name} (trường hợp: {dossier.case.name})"
    return version.name


def _processing_time(dossier: Dossier) -> str:
    value = deadlines.processing_value(case=dossier.case, channel=dossier.channel)
    if value is None:
        return "Không quy định"
    return f"{value:02d} {dossier.case.get_processing_unit_display()}"


def _sentence(text: object) -> str:
    """Free text typed by an officer, ending with a full stop."""
    value = str(text or "").strip()
    return value if not value or value[-1] in ".!?;:…" else value + "."


def _contact(agency: Agency) -> str:
    parts = [agency.name]
    if agency.address:
        parts.append(f"địa chỉ {agency.address}")
    if agency.phone:
        parts.append(f"số điện thoại {agency.phone}")
    return ", ".join(parts)


def _applicant_lines(pdf: FormPDF, dossier: Dossier, *, name: bool = True) -> None:
    if name:
        pdf.field("Ông/Bà (tổ chức):", dossier.applicant_name, bold=True)
    if dossier.applicant_address:
        pdf.field("Địa chỉ:", dossier.applicant_address)
    contacts = [f"Số điện thoại: {dossier.applicant_phone}"] if dossier.applicant_phone else []
    if dossier.applicant_email:
        contacts.append(f"Thư điện tử: {dossier.applicant_email}")
    if contacts:
        pdf.paragraph("; ".join(contacts), indent=False)


def _documents_received(dossier: Dossier) -> list[str]:
    """The documents handed in: the attachments grouped by component; at the desk without scans, the case's list."""
    attachments = list(dossier.attachments.select_related("component").order_by("component__order", "id"))
    if attachments:
        grouped: dict[Any, list[str]] = {}
        names: dict[Any, str] = {}
        for attachment in attachments:
            key = attachment.component_id or f"file-{attachment.pk}"
            names[key] = attachment.component.name if attachment.component else attachment.original_name
            grouped.setdefault(key, []).append(attachment.original_name)
        return [
            f"{names[key]} (bản điện tử: {', '.join(files)})"
            if names[key] not in files
            else f"{names[key]} (bản điện tử)"
            for key, files in grouped.items()
        ]
    components = dossier.case.components.order_by("order", "id")
    return [f"{c.name} — {c.get_form_display().lower()}, số lượng: {c.quantity:02d}" for c in components] or [
        "(Không có thành phần hồ sơ được khai báo.)"
    ]
