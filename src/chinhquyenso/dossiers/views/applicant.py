"""The applicant's journey (citizens, businesses): start → declaration → attachments → review → submitted dossier,
then the dossier's page, a supplement when the agency asks for one, and withdrawal.

Every page works without JavaScript. Views parse the request, call one service and render; the rules live in
``dossiers.services`` and ``dossiers.attachments``. A dossier that is not the signed-in applicant's own answers 404
(never 403) so ids cannot be probed; officers are sent to their own pages.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from chinhquyenso.accounts.models import User
from chinhquyenso.catalog.forms_render import (
    ErrorLink,
    build_form,
    error_summary,
    parse_submission,
    summary_rows,
    validate_submission,
)
from chinhquyenso.catalog.models import DocumentComponent, OnlineLevel, ProcedureCase
from chinhquyenso.catalog.selectors import NotFileable, case_for_filing
from chinhquyenso.dossiers import selectors, services
from chinhquyenso.dossiers.attachments import AttachmentRejected, attachment_add, attachment_remove
from chinhquyenso.dossiers.attachments import _mb as size_text
from chinhquyenso.dossiers.errors import DossierNotFound, IllegalTransition, InvalidDossier, StaleDossier
from chinhquyenso.dossiers.models import Attachment, Dossier, DossierEvent, IssuedForm, State
from chinhquyenso.dossiers.views.slots import UploadSlot
from chinhquyenso.dossiers.views.tracking import event_label

IDEMPOTENCY_FIELD = "khoa"  # the start page's per-form random token: a double click creates one draft
SAVE_DRAFT = "luu-nhap"  # "Lưu nháp": save the declaration without checking it
CONTINUE = "tiep-tuc"  # attachments: upload what was chosen, then go on to the review
REMOVE = "xoa"  # attachments: the id of the attachment to remove
CHECK = "kiem-tra"  # GET flag from the review's error links: show what is still wrong on the page
SUBMITTED_FLAG = "da-nop"  # detail: show the "Hồ sơ đã được gửi" confirmation panel
DOWNLOAD = "tai-ve"  # detail: ?tai-ve=ket-qua streams the result file after the ownership check
DECLARATION_MARKER = "to-khai"  # supplement: the declaration was on the page (so its fields are meaningful)
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
PAGE_SIZE = 20
APPLICANT_FORM_NUMBERS = ("01", "02", "03", "04", "05")  # form 06 is the agency's internal control sheet


# --- who is asking, and which dossier ------------------------------------------------------------------------------
def _applicant(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    if user.is_officer:
        raise PermissionDenied(
            gettext(
                "Trang này dành cho công dân, doanh nghiệp nộp hồ sơ. Tài khoản cán bộ xử lý hồ sơ tại Trang cán bộ."
            )
        )
    return user


def _own(request: HttpRequest, pk: int) -> tuple[User, Dossier]:
    user = _applicant(request)
    try:
        dossier = selectors.dossier_get(actor=user, dossier_id=pk)
    except DossierNotFound as exc:
        raise Http404(exc.message) from None
    if dossier.applicant_id != user.pk:  # the selector also lets officers on the route see it: not here
        raise Http404(gettext("Không tìm thấy hồ sơ."))
    return user, dossier


def _own_draft(request: HttpRequest, pk: int) -> tuple[User, Dossier | None]:
    """The applicant's draft, or (user, None) when it has been submitted (the caller then shows its page)."""
    user, dossier = _own(request, pk)
    return user, dossier if dossier.is_draft else None


def _to_detail(dossier: Dossier) -> HttpResponse:
    return redirect("dossiers:applicant_detail", pk=dossier.pk)


def _procedure_name(dossier: Dossier) -> str:
    return dossier.case.version.name


def _masked(number: str) -> str:
    """'031190004527' → '031•••••••27': the page shows enough to recognise the number, never all of it."""
    if len(number) <= 5:
        return "•" * len(number)
    return f"{number[:3]}{'•' * (len(number) - 5)}{number[-2:]}"


# --- document components: one upload slot each ---------------------------------------------------------------------
def _slots(dossier: Dossier, errors: Mapping[str, list[str]] | None = None) -> list[UploadSlot]:
    attached: dict[int | None, list[Attachment]] = {}
    for attachment in dossier.attachments.all():
        attached.setdefault(attachment.component_id, []).append(attachment)
    errors = errors or {}
    return [
        UploadSlot(component=c, attachments=attached.get(c.pk, []), errors=list(errors.get(c.code, [])))
        for c in dossier.case.components.all()
    ]


def _component_errors(fields: Mapping[str, list[str]], components: Iterable[DocumentComponent]) -> dict[str, list[str]]:
    """The service names a missing document ``component-<code>``; the pages key slots by code."""
    return {c.code: list(fields[f"component-{c.code}"]) for c in components if f"component-{c.code}" in fields}


def _declaration_errors(
    fields: Mapping[str, list[str]], components: Iterable[DocumentComponent]
) -> dict[str, list[str]]:
    keys = {f"component-{c.code}" for c in components}
    return {key: list(messages_) for key, messages_ in fields.items() if key not in keys}


def _slot_links(slots: Iterable[UploadSlot], base: str = "") -> list[ErrorLink]:
    return [ErrorLink(href=f"{base}#{slot.id}", text=message) for slot in slots for message in slot.errors]


def _upload(request: HttpRequest, user: User, dossier: Dossier, slots: list[UploadSlot]) -> tuple[list[str], int]:
    """Attach every chosen file to its component; a refused file gets its reason on its slot and is not stored.

    Returns the names stored and the HTTP status to answer with (413/415 when a file was refused, else 200).
    """
    stored: list[str] = []
    status = 200
    for slot in slots:
        for upload in request.FILES.getlist(slot.name):
            try:
                attachment = attachment_add(
                    actor=user, dossier_id=dossier.pk, component_code=slot.component.code, upload=upload
                )
            except AttachmentRejected as exc:
                slot.errors.append(exc.message)
                status = exc.status if status == 200 else status
            else:
                stored.append(attachment.original_name)
    return stored, status


def _upload_context() -> dict[str, Any]:
    return {
        "accept": ACCEPT,
        "max_file": size_text(settings.CQS_MAX_FILE_BYTES),
        "max_dossier": size_text(settings.CQS_MAX_DOSSIER_BYTES),
    }


# --- 1. start: "before you start", then create the draft ------------------------------------------------------------
def _fileable_case(code: str, case_code: str) -> ProcedureCase:
    case = case_for_filing(code=code, case_code=case_code)
    if case.version.online_level == OnlineLevel.INFORMATION:
        raise NotFileable(
            gettext("Thủ tục %(code)s chưa nhận hồ sơ trực tuyến; hãy nộp hồ sơ tại Bộ phận Một cửa.") % {"code": code}
        )
    return case


def _start_page(
    request: HttpRequest, user: User, case: ProcedureCase, code: str, *, error: str = "", status: int = 200
) -> HttpResponse:
    drafts = list(selectors.dossier_list_for_applicant(actor=user).filter(case=case, is_draft=True)[:1])
    context = {
        "case": case,
        "version": case.version,
        "procedure_code": code,
        "several_cases": case.version.cases.count() > 1,
        "components": list(case.components.all()),
        "fees": list(case.fees.prefetch_related("exemptions")),
        "token": secrets.token_urlsafe(24),
        "token_name": IDEMPOTENCY_FIELD,
        "draft": drafts[0] if drafts else None,
        "error": error,
    }
    return render(request, "dossiers/applicant/start.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str, case_code: str) -> HttpResponse:
    """GET: what the applicant will need. POST: create the draft (once per page load) and go to the declaration."""
    user = _applicant(request)
    try:
        case = _fileable_case(code, case_code)
    except NotFileable as exc:
        context = {"message": str(exc), "page_title": gettext("Chưa nhận hồ sơ trực tuyến")}
        return render(request, "dossiers/applicant/not_fileable.html", context, status=404)
    if request.method != "POST":
        return _start_page(request, user, case, code)
    key = request.POST.get(IDEMPOTENCY_FIELD, "").strip()[:100] or None
    try:
        dossier, _created = services.dossier_draft_create(actor=user, case=case, data={}, idempotency_key=key)
    except InvalidDossier as exc:
        return _start_page(request, user, case, code, error=exc.message, status=exc.status)
    return redirect("dossiers:declaration", pk=dossier.pk)


# --- 2. declaration: the case's schema form --------------------------------------------------------------------------
def _declaration_page(
    request: HttpRequest,
    user: User,
    dossier: Dossier,
    *,
    data: dict[str, Any] | None,
    errors: dict[str, list[str]] | None,
    status: int = 200,
) -> HttpResponse:
    fields = build_form(case=dossier.case, data=data, errors=errors, profile=user)
    context = {
        "dossier": dossier,
        "case": dossier.case,
        "procedure_name": _procedure_name(dossier),
        "fields": fields,
        "error_links": error_summary(fields=fields, errors=errors),
        "save_draft": SAVE_DRAFT,
    }
    return render(request, "dossiers/applicant/declaration.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def declaration(request: HttpRequest, pk: int) -> HttpResponse:
    """The form, prefilled from the profile. Whatever is posted is saved first, so nothing typed is lost."""
    user, dossier = _own_draft(request, pk)
    if dossier is None:
        return redirect("dossiers:applicant_detail", pk=pk)
    if request.method != "POST":
        # A fresh draft has no data: the form is then filled in from the applicant's profile.
        data = dossier.data or None
        errors = validate_submission(case=dossier.case, data=dossier.data) if CHECK in request.GET else None
        return _declaration_page(request, user, dossier, data=data, errors=errors)
    data = parse_submission(case=dossier.case, post=request.POST)
    try:
        dossier = services.dossier_draft_update(actor=user, dossier_id=dossier.pk, data=data)
    except IllegalTransition:  # submitted in another tab meanwhile
        return redirect("dossiers:applicant_detail", pk=pk)
    if SAVE_DRAFT in request.POST:
        messages.success(
            request,
            gettext("Đã lưu nháp. Bạn có thể quay lại hoàn thành hồ sơ sau, tại mục «Hồ sơ của tôi»."),
        )
        return redirect("dossiers:declaration", pk=dossier.pk)
    errors = validate_submission(case=dossier.case, data=data)
    if errors:
        return _declaration_page(request, user, dossier, data=data, errors=errors, status=422)
    return redirect("dossiers:attachments", pk=dossier.pk)


# --- 3. attachments: one upload per document component --------------------------------------------------------------
def _attachments_page(request: HttpRequest, dossier: Dossier, slots: list[UploadSlot], status: int) -> HttpResponse:
    context = {
        "dossier": dossier,
        "procedure_name": _procedure_name(dossier),
        "slots": slots,
        "error_links": _slot_links(slots),
        "continue_name": CONTINUE,
        "remove_name": REMOVE,
        **_upload_context(),
    }
    return render(request, "dossiers/applicant/attachments.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def attachments(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload (checked by content: PDF, JPEG, PNG within the size limits), remove, then continue to the review.

    "Tiếp tục" uploads whatever was chosen before going on, so a file picked but not yet uploaded is never lost.
    """
    user, dossier = _own_draft(request, pk)
    if dossier is None:
        return redirect("dossiers:applicant_detail", pk=pk)
    if request.method != "POST":
        errors = None
        if CHECK in request.GET:
            components = list(dossier.case.components.all())
            errors = _component_errors(services.check_dossier_complete(dossier=dossier), components)
        return _attachments_page(request, dossier, _slots(dossier, errors), 200)
    if REMOVE in request.POST:
        raw = request.POST.get(REMOVE, "")
        mine = {a.pk: a for a in dossier.attachments.all()}
        attachment = mine.get(int(raw)) if raw.isdigit() else None
        if attachment is not None:
            try:
                attachment_remove(actor=user, attachment_id=attachment.pk)
            except DossierNotFound:
                pass  # already removed (a double click): nothing left to do
            else:
                messages.success(request, gettext("Đã xóa tệp «%(name)s».") % {"name": attachment.original_name})
        return redirect("dossiers:attachments", pk=dossier.pk)
    slots = _slots(dossier)
    try:
        stored, status = _upload(request, user, dossier, slots)
    except IllegalTransition:
        return redirect("dossiers:applicant_detail", pk=pk)
    if stored:  # shown on this page too when another file of the same post was refused
        messages.success(request, gettext("Đã tải lên: %(names)s.") % {"names": ", ".join(f"«{n}»" for n in stored)})
    if status != 200:
        return _attachments_page(request, dossier, _slots(dossier, {s.component.code: s.errors for s in slots}), status)
    if CONTINUE in request.POST:
        return redirect("dossiers:review", pk=dossier.pk)
    return redirect("dossiers:attachments", pk=dossier.pk)


# --- 4. review and submit ------------------------------------------------------------------------------------------
def _review_links(dossier: Dossier, fields: Mapping[str, list[str]]) -> list[ErrorLink]:
    """Each problem the service found, linked to the page (and the control) where it can be fixed."""
    components = list(dossier.case.components.all())
    declaration_errors = _declaration_errors(fields, components)
    declaration_url = reverse("dossiers:declaration", args=[dossier.pk]) + f"?{CHECK}=1"
    attachments_url = reverse("dossiers:attachments", args=[dossier.pk]) + f"?{CHECK}=1"
    form = build_form(case=dossier.case, data=dossier.data, errors=declaration_errors, profile=None)
    links = [
        ErrorLink(href=declaration_url + link.href, text=link.text)
        for link in error_summary(fields=form, errors=declaration_errors)
    ]
    slots = _slots(dossier, _component_errors(fields, components))
    return links + _slot_links(slots, base=attachments_url)


def _review_page(
    request: HttpRequest, user: User, dossier: Dossier, *, error_links: list[ErrorLink], status: int = 200
) -> HttpResponse:
    context = {
        "dossier": dossier,
        "procedure_name": _procedure_name(dossier),
        "rows": summary_rows(case=dossier.case, data=dossier.data),
        "slots": _slots(dossier),
        "id_number": _masked(dossier.applicant_id_number),
        "error_links": error_links,
    }
    return render(request, "dossiers/applicant/review.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers, then "Nộp hồ sơ". A second submit (double click, retry) is harmless."""
    user, dossier = _own(request, pk)
    if request.method != "POST":
        if not dossier.is_draft:
            return _to_detail(dossier)
        return _review_page(request, user, dossier, error_links=[])
    try:
        submitted = services.dossier_submit(actor=user, dossier_id=dossier.pk)
    except InvalidDossier as exc:
        dossier.refresh_from_db()
        links = _review_links(dossier, exc.fields) or [ErrorLink(href="#main", text=exc.message)]
        return _review_page(request, user, dossier, error_links=links, status=exc.status)
    return redirect(reverse("dossiers:applicant_detail", args=[submitted.pk]) + f"?{SUBMITTED_FLAG}=1")


# --- 5. my dossiers --------------------------------------------------------------------------------------------------
@never_cache
@login_required
@require_safe
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """The applicant's dossiers, drafts first (to be continued), then the newest."""
    user = _applicant(request)
    dossiers = selectors.dossier_list_for_applicant(actor=user).order_by("-is_draft", "-created_at", "-id")
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "dossiers/applicant/mine.html", {"page": page, "supplement_state": State.SUPPLEMENT})


# --- 6. one dossier ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineEntry:
    at: Any
    label: str
    state: str
    note: str
    agency: str


def _timeline(dossier: Dossier) -> list[TimelineEntry]:
    """The applicant's timeline: notes meant for them; internal notes and officers' names stay inside."""
    return [
        TimelineEntry(
            at=event.at,
            label=event_label(event.action),
            state=str(State(event.to_state).label),
            note=event.note,
            agency=event.agency.name if event.agency else "",
        )
        for event in dossier.events.select_related("agency").order_by("at", "id")
    ]


def _result_download(dossier: Dossier) -> FileResponse:
    if dossier.state not in (State.PROCESSED, State.RETURNED) or not dossier.result_file:
        raise Http404(gettext("Hồ sơ chưa có tệp kết quả."))
    name = f"{dossier.code or dossier.pk}-ket-qua.pdf"
    return FileResponse(dossier.result_file.open("rb"), as_attachment=True, filename=name)


@never_cache
@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """State, code, dates, timeline, issued forms, the result, and what the applicant may do now."""
    user, dossier = _own(request, pk)
    if dossier.is_draft:
        return redirect("dossiers:declaration", pk=pk)
    if request.GET.get(DOWNLOAD) == "ket-qua":
        return _result_download(dossier)
    actions = services.allowed_actions(actor=user, dossier=dossier)
    context = {
        "dossier": dossier,
        "procedure_name": _procedure_name(dossier),
        "just_submitted": SUBMITTED_FLAG in request.GET and dossier.state == State.SUBMITTED,
        "timeline": _timeline(dossier),
        "issued_forms": list(dossier.forms.filter(number__in=APPLICANT_FORM_NUMBERS).order_by("created_at", "id")),
        "has_result": dossier.state in (State.PROCESSED, State.RETURNED) and bool(dossier.result_file),
        "result_url": reverse("dossiers:applicant_detail", args=[dossier.pk]) + f"?{DOWNLOAD}=ket-qua",
        "can_supplement": "supplement" in actions,
        "can_withdraw": "withdraw" in actions,
        "missing": _supplement_request(dossier)[0] if dossier.state == State.SUPPLEMENT else [],
        "rows": summary_rows(case=dossier.case, data=dossier.data),
        "slots": _slots(dossier),
        "is_finished": dossier.is_finished,
    }
    return render(request, "dossiers/applicant/detail.html", context)


# --- supplement ------------------------------------------------------------------------------------------------------
class SupplementForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú gửi cơ quan giải quyết (không bắt buộc)"),
        help_text=_("Ví dụ: đã chụp lại giấy chứng sinh rõ nét hơn."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _supplement_request(dossier: Dossier) -> tuple[list[str], str]:
    """What the agency asked for (the latest request's list) and the note printed on its form 02."""
    event: DossierEvent | None = (
        dossier.events.filter(action__in=("request_supplement", "request_completion")).order_by("-at", "-id").first()
    )
    raw = event.data.get("missing") if event is not None else None
    missing = [str(item) for item in raw] if isinstance(raw, list) else []
    form: IssuedForm | None = dossier.forms.filter(number=IssuedForm.Number.F02).order_by("-created_at", "-id").first()
    note = form.content.get("note", "") if form is not None else ""
    return missing, note if isinstance(note, str) else ""


def _supplement_page(
    request: HttpRequest,
    user: User,
    dossier: Dossier,
    *,
    form: SupplementForm,
    data: dict[str, Any] | None,
    field_errors: dict[str, list[str]] | None,
    slots: list[UploadSlot],
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    fields = build_form(case=dossier.case, data=data if data is not None else dossier.data, errors=field_errors,
                        profile=user)  # fmt: skip
    links = error_summary(fields=fields, errors=field_errors) + _slot_links(slots)
    stale_page = gettext("Trang đã cũ; hãy tải lại trang rồi thử lại.")
    links += [ErrorLink(href=f"#{form[name].id_for_label}", text=str(e)) if name != "version"
              else ErrorLink(href="#main", text=stale_page) for name, es in form.errors.items() for e in es]  # fmt: skip
    missing, agency_note = _supplement_request(dossier)
    context = {
        "dossier": dossier,
        "procedure_name": _procedure_name(dossier),
        "missing": missing,
        "agency_note": agency_note,
        "form": form,
        "fields": fields,
        "declaration_open": bool(field_errors) or data is not None,
        "declaration_marker": DECLARATION_MARKER,
        "slots": slots,
        "error_links": links,
        "notice": notice,
        **_upload_context(),
    }
    return render(request, "dossiers/applicant/supplement.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def supplement(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand in what the agency asked for: documents, an updated declaration if needed, and a note."""
    user, dossier = _own(request, pk)
    if "supplement" not in services.allowed_actions(actor=user, dossier=dossier):
        messages.error(request, gettext("Hồ sơ không ở trạng thái chờ bổ sung."))
        return _to_detail(dossier)
    if request.method != "POST":
        form = SupplementForm(initial={"version": dossier.lock_version}, prefix="bs")
        return _supplement_page(request, user, dossier, form=form, data=None, field_errors=None,
                                slots=_slots(dossier))  # fmt: skip
    form = SupplementForm(request.POST, prefix="bs")
    data: dict[str, Any] | None = None
    if DECLARATION_MARKER in request.POST:
        parsed = parse_submission(case=dossier.case, post=request.POST)
        data = parsed if parsed != dossier.data else None  # unchanged: keep the declaration as filed
    slots = _slots(dossier)
    try:
        _stored, status = _upload(request, user, dossier, slots)
    except IllegalTransition as exc:
        messages.error(request, exc.message)
        return _to_detail(dossier)
    if status != 200 or not form.is_valid():
        slots = _slots(dossier, {s.component.code: s.errors for s in slots})
        return _supplement_page(request, user, dossier, form=form, data=data, field_errors=None, slots=slots,
                                status=status if status != 200 else 422)  # fmt: skip
    try:
        services.dossier_supplement(actor=user, dossier_id=dossier.pk, expected_version=form.cleaned_data["version"],
                                    data=data, note=form.cleaned_data["note"].strip())  # fmt: skip
    except InvalidDossier as exc:
        components = list(dossier.case.components.all())
        slots = _slots(dossier, _component_errors(exc.fields, components))
        return _supplement_page(request, user, dossier, form=form, data=data, slots=slots, status=exc.status,
                                field_errors=_declaration_errors(exc.fields, components) or None)  # fmt: skip
    except StaleDossier as exc:

        def again(fresh: Dossier, notice: str) -> HttpResponse:
            retry = SupplementForm(initial={"version": fresh.lock_version, "note": form.cleaned_data["note"]},
                                   prefix="bs")  # fmt: skip
            return _supplement_page(request, user, fresh, form=retry, data=data, field_errors=None,
                                    slots=_slots(fresh), notice=notice, status=409)  # fmt: skip

        return _stale(request, user, dossier, exc, action="supplement", again=again)
    except IllegalTransition as exc:
        messages.error(request, exc.message)
        return _to_detail(dossier)
    messages.success(request, gettext("Đã nộp bổ sung hồ sơ. Cơ quan giải quyết sẽ tiếp tục xử lý."))
    return _to_detail(dossier)


def _stale(
    request: HttpRequest,
    user: User,
    dossier: Dossier,
    exc: StaleDossier,
    *,
    action: str,
    again: Callable[[Dossier, str], HttpResponse],
) -> HttpResponse:
    """Someone changed the dossier since the page was loaded. If the action is still possible, show the page again
    with what was typed, the new state and the new version (a deliberate second try then goes through); otherwise
    show the dossier's page with the message."""
    _, fresh = _own(request, dossier.pk)
    if action not in services.allowed_actions(actor=user, dossier=fresh):
        messages.error(request, exc.message)
        return _to_detail(fresh)
    notice = gettext("%(message)s Trạng thái hiện tại: «%(state)s».") % {
        "message": exc.message,
        "state": fresh.get_state_display(),
    }
    return again(fresh, notice)


# --- withdraw --------------------------------------------------------------------------------------------------------
class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        help_text=_("Ví dụ: nộp nhầm thủ tục, hoặc không còn nhu cầu giải quyết."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng nhập lý do rút hồ sơ.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _withdraw_page(
    request: HttpRequest, dossier: Dossier, form: WithdrawForm, *, notice: str = "", status: int = 200
) -> HttpResponse:
    context = {"dossier": dossier, "procedure_name": _procedure_name(dossier), "form": form, "notice": notice}
    return render(request, "dossiers/applicant/withdraw.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, with a reason, that the applicant withdraws the dossier (state 7)."""
    user, dossier = _own(request, pk)
    if "withdraw" not in services.allowed_actions(actor=user, dossier=dossier) or dossier.is_draft:
        messages.error(request, gettext("Hồ sơ này không thể rút ở trạng thái hiện tại."))
        return _to_detail(dossier) if not dossier.is_draft else redirect("dossiers:declaration", pk=pk)
    if request.method != "POST":
        return _withdraw_page(request, dossier, WithdrawForm(initial={"version": dossier.lock_version}))
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _withdraw_page(request, dossier, form, status=422)
    try:
        services.dossier_withdraw(actor=user, dossier_id=dossier.pk, expected_version=form.cleaned_data["version"],
                                  reason=form.cleaned_data["reason"])  # fmt: skip
    except InvalidDossier as exc:
        form.add_error("reason", exc.fields.get("reason", [exc.message])[0])
        return _withdraw_page(request, dossier, form, status=exc.status)
    except StaleDossier as exc:

        def again(fresh: Dossier, notice: str) -> HttpResponse:
            retry = WithdrawForm(initial={"version": fresh.lock_version, "reason": form.cleaned_data["reason"]})
            return _withdraw_page(request, fresh, retry, notice=notice, status=409)

        return _stale(request, user, dossier, exc, action="withdraw", again=again)
    except IllegalTransition as exc:
        messages.error(request, exc.message)
        return _to_detail(dossier)
    messages.success(request, gettext("Đã rút hồ sơ. Cơ quan giải quyết sẽ dừng xử lý hồ sơ này."))
    return _to_detail(dossier)
