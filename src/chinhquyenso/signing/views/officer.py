"""Back office: "Ký số kết quả" for a dossier (specialists initial the draft, the leader signs and the result is
issued with the approval), the draft download, and revoking a result. Every page works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chinhquyenso.accounts.models import User
from chinhquyenso.dossiers.errors import DossierError, DossierNotFound
from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.dossiers.selectors import dossier_get
from chinhquyenso.signing import selectors, services
from chinhquyenso.signing.errors import ResultNotFound, SigningError
from chinhquyenso.signing.forms import InitialForm, RevokeForm, SignForm
from chinhquyenso.signing.models import ResultDraft


def _officer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not user.is_officer:
        raise PermissionDenied(gettext("Trang này dành cho cán bộ, công chức."))
    return user


def _dossier(actor: User, pk: int) -> Dossier:
    try:
        return dossier_get(actor=actor, dossier_id=pk)
    except DossierNotFound:
        raise Http404(gettext("Không tìm thấy hồ sơ.")) from None


def _add_errors(form: Any, exc: SigningError) -> None:
    placed = False
    for name, errors in exc.fields.items():
        if name in form.fields:
            for error in errors:
                form.add_error(name, error)
            placed = True
    if not placed or all(exc.message not in errors for errors in exc.fields.values()):
        form.add_error(None, exc.message)


def _page(request: HttpRequest, actor: User, dossier: Dossier, *, sign_form: SignForm | None = None,
          initial_form: InitialForm | None = None, status: int = 200) -> HttpResponse:  # fmt: skip
    credential = selectors.credential_for(user=actor)
    can_sign = selectors.can_sign(actor=actor, dossier=dossier)
    can_initial = selectors.can_initial(actor=actor, dossier=dossier)
    guess = selectors.guess_document_type(dossier=dossier)
    if can_sign and sign_form is None:
        sign_form = SignForm(credential=credential, initial={"version": dossier.lock_version,
                                                             "document_type": guess.code if guess else None})  # fmt: skip
    if can_initial and initial_form is None:
        initial_form = InitialForm(credential=credential)
    forms_with_errors = [f for f in (sign_form, initial_form) if f is not None and f.errors]
    context = {
        "dossier": dossier,
        "procedure": dossier.case.version,
        "credential": credential,
        "latest_credential": selectors.latest_credential(user=actor),
        "can_sign": can_sign,
        "can_initial": can_initial,
        "sign_form": sign_form if can_sign else None,
        "initial_form": initial_form if can_initial else None,
        "draft": selectors.latest_draft(dossier=dossier),
        "results": list(selectors.results_for_dossier(dossier=dossier)),
        "error_form": forms_with_errors[0] if forms_with_errors else None,
    }
    return render(request, "signing/sign.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the signing page. POST: the leader signs and the result is issued (the dossier is approved)."""
    actor = _officer(request)
    dossier = _dossier(actor, pk)
    if request.method != "POST":
        return _page(request, actor, dossier)
    if not selectors.can_sign(actor=actor, dossier=dossier):
        messages.error(request, gettext("Bạn không thể ký kết quả của hồ sơ ở bước này."))
        return _page(request, actor, dossier, status=403)
    form = SignForm(request.POST, request.FILES, credential=selectors.credential_for(user=actor))
    if not form.is_valid():
        return _page(request, actor, dossier, sign_form=form, status=422)
    data = form.cleaned_data
    document_type = data.get("document_type")
    request_ = services.IssueRequest(
        dossier_id=dossier.pk, expected_version=data["version"], upload=data.get("file"),
        use_draft=data.get("file") is None, document_type_code=document_type.code if document_type else "",
        type_name=data.get("type_name", ""), valid_until=data.get("valid_until"), replaces=data.get("replaces", ""),
        **form.secret(),
    )  # fmt: skip
    try:
        result = services.result_issue(actor=actor, request=request_)
    except SigningError as exc:
        _add_errors(form, exc)
        return _page(request, actor, _dossier(actor, pk), sign_form=form, status=exc.status)
    except DossierError as exc:  # IllegalTransition / StaleDossier from the approval: nothing was published
        form.add_error(None, exc.message)
        return _page(request, actor, _dossier(actor, pk), sign_form=form, status=exc.status)
    messages.success(
        request,
        gettext("Đã ký số và phát hành kết quả số %(number)s. Hồ sơ %(code)s đã xử lý xong; bộ phận một cửa sẽ trả kết "
                "quả.") % {"number": result.number, "code": dossier.code},
    )  # fmt: skip
    return HttpResponseRedirect(reverse("dossiers:officer_detail", args=[dossier.pk]))


@never_cache
@login_required
@require_POST
def initial(request: HttpRequest, pk: int) -> HttpResponse:
    """A specialist initials (ký nháy) the draft result."""
    actor = _officer(request)
    dossier = _dossier(actor, pk)
    if not selectors.can_initial(actor=actor, dossier=dossier):
        messages.error(request, gettext("Bạn không thể ký nháy dự thảo kết quả của hồ sơ ở bước này."))
        return _page(request, actor, dossier, status=403)
    form = InitialForm(request.POST, request.FILES, credential=selectors.credential_for(user=actor))
    if not form.is_valid():
        return _page(request, actor, dossier, initial_form=form, status=422)
    upload = form.cleaned_data.get("file")
    try:
        services.result_initial(actor=actor, dossier_id=dossier.pk, upload=upload, use_draft=upload is None,
                                **form.secret())  # fmt: skip
    except SigningError as exc:
        _add_errors(form, exc)
        return _page(request, actor, dossier, initial_form=form, status=exc.status)
    messages.success(request, gettext("Đã ký nháy dự thảo kết quả; lãnh đạo sẽ ký ban hành."))
    return HttpResponseRedirect(reverse("signing:sign", args=[dossier.pk]))


@never_cache
@login_required
@require_GET
def draft_file(request: HttpRequest, pk: int, draft_id: int) -> FileResponse:
    actor = _officer(request)
    dossier = _dossier(actor, pk)
    draft = ResultDraft.objects.filter(dossier=dossier, pk=draft_id).first()
    if draft is None:
        raise Http404(gettext("Không tìm thấy dự thảo."))
    return FileResponse(draft.file.open("rb"), as_attachment=False, filename=f"{dossier.code}-du-thao.pdf",
                        content_type="application/pdf")  # fmt: skip


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest) -> HttpResponse:
    """A leader of the issuing agency revokes a result, with the reason verification will show."""
    actor = _officer(request)
    number = (request.POST.get("number") or request.GET.get("so") or "").strip()
    result = selectors.result_of_agency_for_leader(actor=actor, number=number) if number else None
    if result is None:
        raise Http404(gettext("Không tìm thấy kết quả điện tử của đơn vị bạn."))
    form = RevokeForm(request.POST or None, initial={"number": result.number})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.result_revoke(actor=actor, number=result.number, reason=form.cleaned_data["reason"])
        except ResultNotFound:
            raise Http404(gettext("Không tìm thấy kết quả điện tử của đơn vị bạn.")) from None
        except SigningError as exc:
            form.add_error("reason", exc.message)
            status = exc.status
        else:
            messages.success(request, gettext("Đã thu hồi kết quả số %(number)s.") % {"number": result.number})
            return HttpResponseRedirect(reverse("signing:sign", args=[result.dossier_id]))
    elif request.method == "POST":
        status = 422
    return render(request, "signing/revoke.html", {"result": result, "form": form}, status=status)
