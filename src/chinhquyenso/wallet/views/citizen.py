"""The owner's pages: the store with its access log, one document, keeping documents of a dossier, and one-click
reuse in a new dossier. Officers reach a stored document only through ``views.officer``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chinhquyenso.accounts.models import User
from chinhquyenso.catalog.models import DocumentType
from chinhquyenso.dossiers.errors import DossierNotFound
from chinhquyenso.dossiers.models import Dossier, State
from chinhquyenso.dossiers.selectors import dossier_get
from chinhquyenso.signing.models import IssuedResult
from chinhquyenso.wallet import selectors, services
from chinhquyenso.wallet.errors import ItemNotFound, WalletError
from chinhquyenso.wallet.models import WalletUse


def _owner(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if user.is_officer:
        raise PermissionDenied(
            gettext("Kho dữ liệu là của công dân, doanh nghiệp; cán bộ không xem kho của người khác.")
        )
    return user


def _own_dossier(user: User, pk: int) -> Dossier:
    try:
        dossier = dossier_get(actor=user, dossier_id=pk)
    except DossierNotFound:
        raise Http404(gettext("Không tìm thấy hồ sơ.")) from None
    if dossier.applicant_id != user.pk:
        raise Http404(gettext("Không tìm thấy hồ sơ."))
    return dossier


@never_cache
@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = _owner(request)
    context = {
        "items": list(selectors.wallet_items(actor=user)),
        "log": selectors.wallet_access_log(actor=user, limit=20),
    }
    return render(request, "wallet/home.html", context)


@never_cache
@login_required
@require_safe
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _owner(request)
    try:
        item = selectors.wallet_item_get(actor=user, item_id=pk)
    except ItemNotFound as exc:
        raise Http404(exc.message) from None
    uses = list(item.uses.select_related("dossier__case__version").order_by("-created_at"))
    log = selectors.wallet_access_log(actor=user, item=item)
    return render(request, "wallet/item.html", {"item": item, "uses": uses, "log": log})


@never_cache
@login_required
@require_safe
def item_file(request: HttpRequest, pk: int) -> FileResponse:
    user = _owner(request)
    try:
        item, stream = services.wallet_item_open(actor=user, item_id=pk)
    except ItemNotFound as exc:
        raise Http404(exc.message) from None
    return FileResponse(stream, as_attachment=False, filename=item.original_name, content_type=item.content_type)


@never_cache
@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _owner(request)
    try:
        item = services.wallet_item_remove(actor=user, item_id=pk)
    except ItemNotFound as exc:
        raise Http404(exc.message) from None
    messages.success(request, gettext("Đã xóa «%(title)s» khỏi kho dữ liệu.") % {"title": item.title})
    return HttpResponseRedirect(reverse("wallet:home"))


class KeepForm(forms.Form):
    document_type = forms.ModelChoiceField(
        label=_("Loại giấy tờ"), queryset=DocumentType.objects.all(), required=False, to_field_name="code",
        empty_label=_("— Không xếp loại —"),
    )  # fmt: skip


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def keep(request: HttpRequest, pk: int) -> HttpResponse:
    """«Lưu vào kho dữ liệu»: choose documents of a dossier (its attachments, its result) to keep, with their type."""
    user = _owner(request)
    dossier = _own_dossier(user, pk)
    if request.method == "POST":
        what = request.POST.get("luu", "")
        form = KeepForm(request.POST, prefix="kq" if what == "ket-qua" else f"a{what}")
        if form.is_valid() and (what == "ket-qua" or what.isdigit()):
            document_type = form.cleaned_data.get("document_type")
            try:
                item = services.wallet_keep(
                    actor=user, dossier_id=dossier.pk, result=what == "ket-qua",
                    attachment_id=int(what) if what.isdigit() else None,
                    document_type_code=document_type.code if document_type else "",
                )  # fmt: skip
            except (ItemNotFound, WalletError) as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, gettext("Đã lưu «%(title)s» vào kho dữ liệu.") % {"title": item.title})
        return HttpResponseRedirect(reverse("wallet:keep", args=[dossier.pk]))
    stored = set(selectors.wallet_items(actor=user).values_list("sha256", flat=True))
    attachments = []
    for a in dossier.attachments.select_related("component__reusable_type"):
        reusable = a.component.reusable_type if a.component else None
        form = KeepForm(prefix=f"a{a.pk}", initial={"document_type": reusable.code if reusable else None})
        attachments.append({"attachment": a, "stored": a.sha256 in stored, "form": form})
    results = list(IssuedResult.objects.filter(dossier=dossier))
    has_result = dossier.state in (State.PROCESSED, State.RETURNED) and bool(dossier.result_file)
    result_stored = any(r.sha256 in stored for r in results)
    context = {"dossier": dossier, "attachments": attachments, "has_result": has_result,
               "result_stored": result_stored, "result_form": KeepForm(prefix="kq")}  # fmt: skip
    return render(request, "wallet/keep.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reuse(request: HttpRequest, pk: int) -> HttpResponse:
    """«Dùng giấy tờ từ kho dữ liệu»: for each component that accepts a stored document type, the owner's matching
    documents, each attached with one click."""
    user = _owner(request)
    dossier = _own_dossier(user, pk)
    back = reverse("dossiers:supplement" if dossier.state == State.SUPPLEMENT and not dossier.is_draft
                   else "dossiers:attachments", args=[dossier.pk])  # fmt: skip
    if request.method == "POST":
        item_id, component = request.POST.get("giay-to", ""), request.POST.get("thanh-phan", "")
        if not item_id.isdigit():
            raise Http404(gettext("Không tìm thấy giấy tờ trong kho dữ liệu."))
        try:
            attachment = services.wallet_reuse(actor=user, dossier_id=dossier.pk, component_code=component,
                                               item_id=int(item_id))  # fmt: skip
        except ItemNotFound as exc:
            raise Http404(exc.message) from None
        except WalletError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("wallet:reuse", args=[dossier.pk]))
        name = attachment.component.name if attachment.component else attachment.original_name
        messages.success(request, gettext("Đã dùng giấy tờ từ kho dữ liệu cho «%(name)s».") % {"name": name})
        return HttpResponseRedirect(back)
    editable = dossier.is_draft or dossier.state == State.SUPPLEMENT
    used = {
        (u.item_id, u.attachment.component_id)
        for u in WalletUse.objects.filter(dossier=dossier).select_related("attachment")
    }
    rows = [
        {"component": component, "items": [{"item": i, "used": (i.pk, component.pk) in used} for i in items]}
        for component, items in selectors.wallet_candidates(actor=user, dossier=dossier)
    ]
    return render(request, "wallet/reuse.html", {"dossier": dossier, "rows": rows, "editable": editable, "back": back})
