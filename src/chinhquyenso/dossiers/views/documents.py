"""Generated documents: forms 01–06 of one dossier (PDF) and an agency's register, form 07 (PDF or XLSX).

Every document carries personal data: the dossier must be visible to the user (selectors.dossier_get) and the
register is only for officers of the agency; anything else answers 404 so ids cannot be probed (STYLE.md §4).
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency
from chinhquyenso.core.calendar import to_local
from chinhquyenso.dossiers.documents import (
    issued_form_document,
    issued_form_pdf_name,
    render_control_sheet,
    render_register_pdf,
    render_register_xlsx,
)
from chinhquyenso.dossiers.errors import DossierNotFound
from chinhquyenso.dossiers.models import Dossier, IssuedForm
from chinhquyenso.dossiers.selectors import dossier_get, officer_agency_ids

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_REGISTER_DAYS = 366
DATE_FORMATS = ["%d/%m/%Y"]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


def _visible_dossier(request: HttpRequest, pk: int) -> Dossier:
    try:
        return dossier_get(actor=_user(request), dossier_id=pk)
    except DossierNotFound:
        raise Http404 from None


def _private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_store=True)  # personal data: never kept by a shared cache
    return response


@login_required
@require_GET
def issued_form_pdf(request: HttpRequest, pk: int, form_id: int) -> HttpResponseBase:
    """One issued form (01–05) of a dossier, ``form_id`` being the IssuedForm's id. Rendered and stored on the first
    download; later downloads serve the stored file, so the paper never changes."""
    dossier = _visible_dossier(request, pk)
    issued = IssuedForm.objects.select_related("dossier").filter(dossier=dossier, pk=form_id).first()
    if issued is None:
        raise Http404
    issued = issued_form_document(issued_form=issued)
    return _private(FileResponse(issued.file.open("rb"), content_type=PDF, filename=issued_form_pdf_name(issued)))


@login_required
@require_GET
def control_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Form 06, built live from the dossier's timeline."""
    dossier = _visible_dossier(request, pk)
    if dossier.is_draft:
        raise Http404
    name = f"{dossier.code or f'ho-so-{dossier.pk}'}-phieu-kiem-soat.pdf"
    return _private(FileResponse(io.BytesIO(render_control_sheet(dossier)), content_type=PDF, filename=name))


class RegisterExportForm(forms.Form):
    agency = forms.TypedChoiceField(
        label=_("Đơn vị"), coerce=int, error_messages={"required": _("Vui lòng chọn đơn vị.")}
    )
    start = forms.DateField(
        label=_("Từ ngày"),
        help_text=_("Ví dụ: 01/11/2026"),
        input_formats=DATE_FORMATS,
        error_messages={
            "required": _("Vui lòng nhập ngày bắt đầu."),
            "invalid": _("Ngày bắt đầu phải có dạng ngày/tháng/năm, ví dụ 01/11/2026."),
        },
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    end = forms.DateField(
        label=_("Đến ngày"),
        help_text=_("Ví dụ: 30/11/2026"),
        input_formats=DATE_FORMATS,
        error_messages={
            "required": _("Vui lòng nhập ngày kết thúc."),
            "invalid": _("Ngày kết thúc phải có dạng ngày/tháng/năm, ví dụ 30/11/2026."),
        },
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    format = forms.ChoiceField(
        label=_("Định dạng tệp"),
        choices=[("pdf", _("PDF (để in)")), ("xlsx", _("Excel (XLSX, để lọc và sắp xếp)"))],
        initial="pdf",
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn định dạng tệp.")},
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.TypedChoiceField)
        agency.choices = [(a.pk, a.name) for a in agencies]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("end", _("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."))
            elif end - start > timedelta(days=MAX_REGISTER_DAYS - 1):
                self.add_error("end", _("Mỗi lần xuất tối đa 366 ngày; hãy chia thành nhiều khoảng thời gian."))
        return cleaned


@login_required
@require_GET
def register_export(request: HttpRequest) -> HttpResponseBase:
    """Form 07 for one of the officer's agencies and a period: without parameters the form, with them the file."""
    user = _user(request)
    agency_ids = officer_agency_ids(actor=user) if user.is_officer else []
    if not agency_ids:
        raise Http404
    agencies = list(Agency.objects.filter(pk__in=agency_ids).order_by("name"))
    requested = request.GET.get("agency")
    if requested and requested not in {str(a.pk) for a in agencies}:
        raise Http404  # another agency's register: as if it did not exist
    if not request.GET:
        today = to_local(timezone.now()).date()
        form = RegisterExportForm(
            agencies=agencies, initial={"agency": agencies[0].pk, "start": today.replace(day=1), "end": today}
        )
        return render(request, "dossiers/register_form.html", {"form": form})
    form = RegisterExportForm(request.GET, agencies=agencies)
    if not form.is_valid():
        return render(request, "dossiers/register_form.html", {"form": form})
    agency = next(a for a in agencies if a.pk == form.cleaned_data["agency"])
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    extension = form.cleaned_data["format"]
    name = f"so-theo-doi-ho-so-{agency.code}-{start:%Y%m%d}-{end:%Y%m%d}.{extension}"
    if extension == "xlsx":
        content, content_type = render_register_xlsx(agency=agency, start=start, end=end), XLSX
    else:
        content, content_type = render_register_pdf(agency=agency, start=start, end=end), PDF
    response = FileResponse(io.BytesIO(content), content_type=content_type, as_attachment=True, filename=name)
    return _private(response)
