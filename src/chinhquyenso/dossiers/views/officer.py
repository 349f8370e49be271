"""The one-stop officer's back office: the inbox, a dossier with its action panel, the actions, and desk intake.

Every page works without JavaScript: filters are a GET form, actions are small POST forms. With htmx, the inbox and
the procedure search answer a non-boosted request with only their results region. Reads go through the dossier
selectors (scoped to the officer's agencies: anything else is a 404), writes through one service call.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency, Role
from chinhquyenso.agencies.selectors import agency_tree, membership_list_for_user
from chinhquyenso.catalog.forms_render import (
    ErrorLink,
    build_form,
    error_summary,
    parse_submission,
    summary_rows,
    validate_submission,
)
from chinhquyenso.catalog.models import ProcedureCase
from chinhquyenso.catalog.search import procedure_search
from chinhquyenso.catalog.selectors import NotFileable, case_for_filing
from chinhquyenso.dossiers import services
from chinhquyenso.dossiers.attachments import AttachmentRejected
from chinhquyenso.dossiers.attachments import _mb as size_text
from chinhquyenso.dossiers.errors import (
    DossierError,
    DossierNotFound,
    IllegalTransition,
    InvalidDossier,
    NotAllowed,
    StaleDossier,
)
from chinhquyenso.dossiers.forms import (
    ACTION_FORMS,
    ActionForm,
    DeskIntakeForm,
    InboxFilterForm,
    IntakeChooseForm,
    action_form,
)
from chinhquyenso.dossiers.models import Dossier, DossierEvent, IssuedForm, State
from chinhquyenso.dossiers.selectors import dossier_get, dossier_inbox, dossier_inbox_counts
from chinhquyenso.dossiers.templatetags.dossier_tags import action_label, state_label, vn_datetime
from chinhquyenso.dossiers.views.slots import ScanSlot

PAGE_SIZE = 25
INTAKE_RESULTS = 30
RECEIVED_FLAG = "tiep-nhan"  # ?tiep-nhan=1 on the detail page: show the code and the form 01 to print
PRIMARY_ACTIONS = frozenset({"receive", "claim", "forward", "approve", "return_result"})
WARNING_ACTIONS = frozenset({"refuse", "stop"})
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_TOKEN_SECONDS = 3600
SCAN_PREFIX = ScanSlot.prefix  # the file input of a document component's scans: scan-<component code>
SCAN_ACCEPT = "application/pdf,image/jpeg,image/png"


# --- helpers ------------------------------------------------------------------------------------------------------


def _officer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not user.is_officer:
        raise PermissionDenied(gettext("Trang này dành cho cán bộ, công chức."))
    return user


def _partial(request: HttpRequest) -> bool:
    """An htmx request for a results region (not a boosted link, not htmx restoring a page from history)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.boosted and not htmx.history_restore_request)


def _dossier(actor: User, pk: int) -> Dossier:
    try:
        return dossier_get(actor=actor, dossier_id=pk)
    except DossierNotFound:
        raise Http404(gettext("Không tìm thấy hồ sơ.")) from None


def _agencies(actor: User) -> list[Agency]:
    """The officer's agencies, each once, by name."""
    found = {m.agency_id: m.agency for m in membership_list_for_user(actor=actor)}
    return sorted(found.values(), key=lambda agency: agency.name)


def _desks(actor: User) -> list[Agency]:
    """The one-stop desks where this officer may receive dossiers."""
    found = {
        m.agency_id: m.agency
        for m in membership_list_for_user(actor=actor)
        if m.role == Role.ONE_STOP and m.agency.is_one_stop
    }
    return sorted(found.values(), key=lambda agency: agency.name)


def _ref(dossier: Dossier) -> str:
    """How a message names the dossier: its code, or its applicant before it has one."""
    if dossier.code:
        return dossier.code
    return gettext("của %(name)s") % {"name": dossier.applicant_name}


def _step_name(dossier: Dossier) -> str:
    steps = dossier.workflow.steps if isinstance(dossier.workflow.steps, list) else []
    if 0 <= dossier.current_step < len(steps) and isinstance(steps[dossier.current_step], dict):
        return str(steps[dossier.current_step].get("name", ""))
    return ""


# --- inbox --------------------------------------------------------------------------------------------------------


@never_cache  # the list holds applicants' names
@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Dossiers at the officer's agencies, newest first, 25 at a time with a "Trang sau" cursor link."""
    actor = _officer(request)
    agencies = _agencies(actor)
    form = InboxFilterForm(request.GET or None, agencies=agencies)
    filters = form.filters()
    cursor = request.GET.get("cursor") or None
    page = dossier_inbox(actor=actor, filters=filters, cursor=cursor, limit=PAGE_SIZE)
    prefetch_related_objects(page.items, "workflow")  # the step name of each row, in one query
    context: dict[str, Any] = {
        "form": form,
        "rows": [{"dossier": d, "step_name": _step_name(d)} for d in page.items],
        "next_cursor": page.next_cursor,
        "cursor": cursor,
        "counts": dossier_inbox_counts(actor=actor, agency_id=filters.agency_id),
        "current_agency": filters.agency_id,
        "filtered": form.filtered,
        "desks": _desks(actor),
    }
    template = "dossiers/officer/inbox.html"
    if _partial(request):
        template += "#results"
    return render(request, template, context)


# --- detail and actions -------------------------------------------------------------------------------------------


@dataclass
class Notice:
    kind: str  # info | error (CSS modifier of cqs-notification)
    text: str
    allowed: list[str] | None = None


def _panel(actor: User, dossier: Dossier, bound: ActionForm | None) -> list[dict[str, Any]]:
    """One entry per action the officer may take now, with its (possibly bound) form."""
    allowed = services.allowed_actions(actor=actor, dossier=dossier)
    agencies = list(agency_tree().order_by("level", "name")) if "transfer" in allowed else []
    panel = []
    for action in allowed:
        if action not in ACTION_FORMS:
            continue
        form = bound if bound is not None and bound.action == action else None
        form = form or action_form(action, dossier=dossier, agencies=agencies)
        visible = [field for field in form if not field.is_hidden]
        panel.append(
            {
                "action": action,
                "label": action_label(action),
                "form": form,
                "has_inputs": bool(visible),
                # The usual next step of this stage shows its inputs at once; the others fold away.
                "open": bool(form.errors) or (action in PRIMARY_ACTIONS and bool(visible)),
                "style": "primary" if action in PRIMARY_ACTIONS else "warning" if action in WARNING_ACTIONS else "",
            }
        )
    return panel


def _render_detail(
    request: HttpRequest,
    actor: User,
    dossier: Dossier,
    *,
    status: int = 200,
    notice: Notice | None = None,
    bound: ActionForm | None = None,
) -> HttpResponse:
    events = list(dossier.events.select_related("agency").prefetch_related("notifications").order_by("at", "id"))
    issued = list(dossier.forms.order_by("created_at", "id"))
    form01 = next((f for f in reversed(issued) if f.number == IssuedForm.Number.F01), None)
    context: dict[str, Any] = {
        "dossier": dossier,
        "procedure": dossier.case.version,
        "step_name": _step_name(dossier),
        "declaration": summary_rows(case=dossier.case, data=dossier.data if isinstance(dossier.data, dict) else {}),
        "attachments": list(dossier.attachments.select_related("component")),
        "issued_forms": issued,
        "form01": form01,
        "just_received": request.GET.get(RECEIVED_FLAG) == "1" and form01 is not None,
        "events": events,
        "closed": dossier.is_finished and dossier.state != State.PROCESSED,
        "panel": _panel(actor, dossier, bound),
        "notice": notice,
        "error_form": bound if bound is not None and bound.errors else None,
    }
    return render(request, "dossiers/officer/detail.html", context, status=status)


@never_cache  # personal data
@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the officer needs to decide, and the actions they may take now."""
    actor = _officer(request)
    return _render_detail(request, actor, _dossier(actor, pk))


def _last_event(dossier: Dossier) -> DossierEvent | None:
    return dossier.events.order_by("-at", "-id").first()


def _stale_notice(dossier: Dossier, action: str) -> Notice:
    """A second click (or a colleague) got there first: say what happened instead of a bare error."""
    last = _last_event(dossier)
    if last is not None and last.action == action:
        return Notice(
            "info",
            gettext(
                "Thao tác «%(action)s» đã được thực hiện (%(who)s, %(when)s). "
                "Dưới đây là trạng thái hiện tại của hồ sơ."
            )
            % {"action": action_label(action), "who": last.actor_label, "when": vn_datetime(last.at)},
        )
    text = gettext(
        "Hồ sơ đã thay đổi kể từ khi bạn mở trang, nên thao tác «%(action)s» chưa được thực hiện. "
        "Trang dưới đây là trạng thái mới nhất; hãy xem lại rồi thao tác lại nếu vẫn cần."
    ) % {"action": action_label(action)}
    if last is not None:
        text += " " + gettext("Thao tác gần nhất: «%(action)s» (%(who)s, %(when)s).") % {
            "action": action_label(last.action),
            "who": last.actor_label,
            "when": vn_datetime(last.at),
        }
    return Notice("error", text)


def _success_message(action: str, dossier: Dossier) -> str:
    ref = _ref(dossier)
    values = {"ref": ref, "step": _step_name(dossier), "agency": dossier.current_agency.name}
    if action == "receive":
        if dossier.due_at is None:
            return gettext("Đã tiếp nhận hồ sơ %(ref)s.") % values
        return gettext("Đã tiếp nhận hồ sơ %(ref)s. Hẹn trả kết quả: %(due)s.") % {
            **values,
            "due": vn_datetime(dossier.due_at),
        }
    if action == "extend":
        return gettext("Đã gia hạn hồ sơ %(ref)s đến %(due)s (văn bản mẫu 04).") % {
            **values,
            "due": vn_datetime(dossier.due_at),
        }
    messages_by_action = {
        "request_completion": gettext("Đã yêu cầu bổ sung, hoàn thiện hồ sơ %(ref)s (phiếu mẫu 02)."),
        "refuse": gettext("Đã từ chối tiếp nhận hồ sơ %(ref)s (phiếu mẫu 03)."),
        "claim": gettext("Bạn đã nhận xử lý hồ sơ %(ref)s."),
        "forward": gettext("Đã chuyển hồ sơ %(ref)s sang bước «%(step)s»."),
        "return": gettext("Đã trả hồ sơ %(ref)s về bước «%(step)s»."),
        "transfer": gettext("Đã chuyển liên thông hồ sơ %(ref)s đến %(agency)s."),
        "request_supplement": gettext("Đã yêu cầu bổ sung giấy tờ cho hồ sơ %(ref)s (phiếu mẫu 02)."),
        "request_payment": gettext("Đã yêu cầu thực hiện nghĩa vụ tài chính cho hồ sơ %(ref)s."),
        "stop": gettext("Đã dừng xử lý hồ sơ %(ref)s (thông báo mẫu 05)."),
        "approve": gettext("Hồ sơ %(ref)s đã xử lý xong; bộ phận một cửa sẽ trả kết quả."),
        "return_result": gettext("Đã trả kết quả hồ sơ %(ref)s."),
    }
    return messages_by_action.get(action, gettext("Đã thực hiện thao tác với hồ sơ %(ref)s.")) % values


def _detail_url(dossier: Dossier, *, received: bool = False) -> str:
    url = reverse("dossiers:officer_detail", args=[dossier.pk])
    return f"{url}?{RECEIVED_FLAG}=1" if received else url


@never_cache
@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Carry out one action: redirect to the dossier on success; 409 when it changed meanwhile or the action is not
    allowed now; 422 with the errors to fix; 404 for a dossier the officer may not see."""
    actor = _officer(request)
    dossier = _dossier(actor, pk)
    if action not in ACTION_FORMS:
        raise Http404(gettext("Không có thao tác này."))
    posted = request.POST.get("expected_version", "").strip()
    if posted.isdigit() and int(posted) != dossier.lock_version:
        # The dossier moved on since the page was loaded (a second click, a colleague): the inputs were meant for a
        # state that is gone, so show the fresh one rather than asking to fix them. The service re-checks (races).
        return _render_detail(request, actor, dossier, status=409, notice=_stale_notice(dossier, action))
    allowed = services.allowed_actions(actor=actor, dossier=dossier)
    if action not in allowed:
        illegal = gettext("Không thể «%(action)s» khi hồ sơ đang ở trạng thái «%(state)s».") % {
            "action": action_label(action),
            "state": state_label(dossier.state),
        }
        notice = Notice("error", illegal, allowed=[str(action_label(a)) for a in allowed])
        return _render_detail(request, actor, dossier, status=409, notice=notice)
    form = action_form(action, dossier=dossier, data=request.POST, files=request.FILES)
    if not form.is_valid():
        return _render_detail(request, actor, dossier, status=422, bound=form)
    assert form.version is not None
    try:
        done = services.dossier_act(
            actor=actor, dossier_id=dossier.pk, action=action, expected_version=form.version, params=form.params()
        )
    except DossierNotFound:
        raise Http404(gettext("Không tìm thấy hồ sơ.")) from None
    except StaleDossier:
        fresh = _dossier(actor, pk)
        return _render_detail(request, actor, fresh, status=409, notice=_stale_notice(fresh, action))
    except IllegalTransition as exc:
        fresh = _dossier(actor, pk)
        notice = Notice("error", exc.message, allowed=[str(action_label(a)) for a in exc.allowed])
        return _render_detail(request, actor, fresh, status=409, notice=notice)
    except InvalidDossier as exc:
        form.add_service_errors(exc)
        return _render_detail(request, actor, _dossier(actor, pk), status=422, bound=form)
    except DossierError as exc:
        return _render_detail(
            request, actor, _dossier(actor, pk), status=exc.status, notice=Notice("error", exc.message)
        )
    messages.success(request, _success_message(action, done))
    return HttpResponseRedirect(_detail_url(done, received=action == "receive"))


# --- desk intake --------------------------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def intake_choose(request: HttpRequest) -> HttpResponse:
    """Step 1 of desk intake: find the published procedure and pick its case (and the desk, if several)."""
    actor = _officer(request)
    desks = _desks(actor)
    if not desks:
        raise PermissionDenied(gettext("Chỉ cán bộ một cửa mới tiếp nhận hồ sơ tại quầy."))
    form = IntakeChooseForm(request.GET or None, agencies=desks)
    form.is_valid()
    criteria: dict[str, Any] = getattr(form, "cleaned_data", {})
    query = criteria.get("q") or ""
    agency_id = criteria.get("agency") or desks[0].pk
    versions = list(procedure_search(query=query)[: INTAKE_RESULTS + 1])
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "versions": versions[:INTAKE_RESULTS],
        "more": len(versions) > INTAKE_RESULTS,
        "agency_id": agency_id,
        "desks": desks,
    }
    template = "dossiers/officer/intake_choose.html"
    if _partial(request):
        template += "#results"
    return render(request, template, context)


def _posted_scans(request: HttpRequest) -> list[tuple[str, UploadedFile]]:
    """(component code, file) for every file posted in a scan-<code> input, in the order of the page."""
    return [
        (name.removeprefix(SCAN_PREFIX), upload)
        for name in request.FILES
        if name.startswith(SCAN_PREFIX)
        for upload in request.FILES.getlist(name)
    ]


def _intake_page(
    request: HttpRequest,
    case: ProcedureCase,
    *,
    applicant_form: DeskIntakeForm,
    data: dict[str, Any] | None,
    errors: dict[str, list[str]] | None,
    token: str,
    status: int = 200,
    notice: Notice | None = None,
    scans: list[tuple[str, UploadedFile]] | None = None,
    scan_errors: Mapping[str, list[str]] | None = None,
) -> HttpResponse:
    fields = build_form(case=case, data=data, errors=errors, profile=None)
    chosen: dict[str, list[str]] = {}
    for code, upload in scans or []:
        chosen.setdefault(code, []).append(upload.name or "")
    scan_errors = scan_errors or {}
    slots = [
        ScanSlot(component=c, chosen=chosen.get(c.code, []), errors=list(scan_errors.get(c.code, [])))
        for c in case.components.all()
    ]
    scan_links = [ErrorLink(href=f"#{slot.id}", text=message) for slot in slots for message in slot.errors]
    context: dict[str, Any] = {
        "case": case,
        "procedure": case.version,
        "applicant_form": applicant_form,
        "fields": fields,
        "error_links": error_summary(fields=fields, errors=errors) + scan_links,
        "token": token,
        "notice": notice,
        "desks": list(applicant_form.agencies.values()),
        "slots": slots,
        "rechoose": bool(chosen) and status != 409,  # 409: the first post may still be receiving it
        "accept": SCAN_ACCEPT,
        "max_file": size_text(settings.CQS_MAX_FILE_BYTES),
        "max_dossier": size_text(settings.CQS_MAX_DOSSIER_BYTES),
    }
    return render(request, "dossiers/officer/intake_form.html", context, status=status)


def _scan_errors(exc: AttachmentRejected) -> dict[str, list[str]]:
    """The service's refusals (``component-<code>``) keyed by component code, each saying to choose the file again."""
    again = gettext("Hãy chọn lại tệp.")
    return {
        name.removeprefix("component-"): [f"{message} {again}" for message in messages_]
        for name, messages_ in exc.fields.items()
        if name.startswith("component-")
    }


@never_cache  # personal data
@login_required
@require_http_methods(["GET", "POST"])
def intake_form(request: HttpRequest, code: str, case_code: str) -> HttpResponse:
    """Step 2 of desk intake: the applicant, the channel and the case's declaration; the dossier is received at once
    (code, due date, form 01). A second click on "Tiếp nhận" leads to the dossier the first one created."""
    actor = _officer(request)
    desks = _desks(actor)
    if not desks:
        raise PermissionDenied(gettext("Chỉ cán bộ một cửa mới tiếp nhận hồ sơ tại quầy."))
    try:
        case = case_for_filing(code=code, case_code=case_code)
    except NotFileable as exc:
        raise Http404(str(exc)) from None
    if request.method != "POST":
        initial = {"agency": request.GET.get("agency") or desks[0].pk}
        applicant_form = DeskIntakeForm(agencies=desks, initial=initial)
        return _intake_page(request, case, applicant_form=applicant_form, data=None, errors=None, token=_new_token())

    applicant_form = DeskIntakeForm(request.POST, agencies=desks)
    data = parse_submission(case=case, post=request.POST)
    errors = validate_submission(case=case, data=data)
    token = request.POST.get("intake_token", "")
    token = token if _TOKEN.match(token) else _new_token()
    scans = _posted_scans(request)
    page: dict[str, Any] = {"applicant_form": applicant_form, "data": data, "token": token, "scans": scans}
    if not applicant_form.is_valid() or errors:
        return _intake_page(request, case, errors=errors, status=422, **page)

    key = f"cqs:dossiers:intake:{actor.pk}:{token}"
    if not cache.add(key, 0, _TOKEN_SECONDS):
        return _repeated_intake(request, actor, case, key, page)
    try:
        dossier = services.dossier_intake_at_desk(
            actor=actor,
            case=case,
            agency=applicant_form.receiving_agency,
            channel=applicant_form.cleaned_data["channel"],
            applicant=applicant_form.applicant(),
            data=data,
            scans=scans,
        )
    except AttachmentRejected as exc:
        cache.delete(key)
        scan_errors = _scan_errors(exc)
        if not scan_errors:  # a component that is not this case's: not one of the page's inputs
            applicant_form.add_error(None, exc.message)
        return _intake_page(request, case, errors=errors, status=exc.status, scan_errors=scan_errors, **page)
    except InvalidDossier as exc:
        cache.delete(key)
        schema_errors = dict(errors)
        for name, field_messages in exc.fields.items():
            if name in applicant_form.fields:
                applicant_form.add_error(name, list(field_messages))
            else:
                schema_errors[name] = list(field_messages)
        if not exc.fields:
            applicant_form.add_error(None, exc.message)
        return _intake_page(request, case, errors=schema_errors, status=422, **page)
    except NotAllowed as exc:
        cache.delete(key)
        return _intake_page(request, case, errors=errors, status=403, notice=Notice("error", exc.message), **page)
    except BaseException:
        # The service rolled back (a storage or database failure): nothing was received, so a second click
        # must be allowed to try again rather than be told for an hour that the first one is in progress.
        cache.delete(key)
        raise
    cache.set(key, dossier.pk, _TOKEN_SECONDS)
    messages.success(request, _intake_message(dossier, scans=len(scans)))
    return HttpResponseRedirect(_detail_url(dossier, received=True))


def _intake_message(dossier: Dossier, *, scans: int) -> str:
    parts = [_success_message("receive", dossier)]
    if scans:
        parts.append(ngettext("Đã lưu %(count)d tệp quét.", "Đã lưu %(count)d tệp quét.", scans) % {"count": scans})
    if dossier.applicant_id:
        linked = gettext(
            "Hồ sơ đã được gắn với tài khoản của người nộp trên Cổng (theo số định danh cá nhân): "
            "người nộp theo dõi được hồ sơ trong tài khoản của mình."
        )
        parts.append(linked)
    return " ".join(parts)


def _new_token() -> str:
    return uuid.uuid4().hex


def _repeated_intake(
    request: HttpRequest, actor: User, case: ProcedureCase, key: str, page: dict[str, Any]
) -> HttpResponse:
    """The same intake form posted again (double click, back and resend): never a second dossier."""
    dossier_id = cache.get(key)
    if dossier_id:
        dossier = _dossier(actor, int(dossier_id))
        messages.info(
            request, gettext("Hồ sơ này đã được tiếp nhận trước đó với mã %(code)s.") % {"code": dossier.code}
        )
        return HttpResponseRedirect(_detail_url(dossier, received=True))
    notice = Notice(
        "error",
        gettext(
            "Yêu cầu tiếp nhận trước đang được xử lý. Hãy đợi giây lát rồi mở hộp hồ sơ để kiểm tra, không bấm lại."
        ),
    )
    return _intake_page(request, case, errors=None, status=409, notice=notice, **page)
