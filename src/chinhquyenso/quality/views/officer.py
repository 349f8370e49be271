"""The 766 page for officers (``/can-bo/chi-so-766/``) and its XLSX export: a GET form (agency, period) and the
table of indicators. Works without JavaScript. An agency outside the officer's scope, or a user who is not an
officer, gets 404 (STYLE.md §4); reads go through ``quality.selectors``."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from chinhquyenso.accounts.models import User
from chinhquyenso.core.calendar import to_local
from chinhquyenso.quality.export import render_report_xlsx, report_filename
from chinhquyenso.quality.forms import PROVINCE, QualityPeriodForm
from chinhquyenso.quality.selectors import (
    QualityNotFound,
    QualityReport,
    quality_agencies,
    quality_report,
    quality_sees_province,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request: HttpRequest) -> QualityPeriodForm:
    user = request.user
    if not isinstance(user, User) or not user.is_officer:
        raise Http404
    agencies = list(quality_agencies(actor=user))
    province = quality_sees_province(actor=user)
    if not agencies and not province:
        raise Http404
    requested = request.GET.get("agency")
    allowed = {str(a.pk) for a in agencies} | ({PROVINCE} if province else set())
    if requested and requested not in allowed:
        raise Http404  # another agency's figures: as if it did not exist
    today = to_local(timezone.now()).date()
    # Without a choice: the province for an administrator, else the officer's first agency; this month.
    data: dict[str, object] = {"agency": PROVINCE if province else str(agencies[0].pk)}
    if "period" not in request.GET:
        data.update({
            "period": "month", "year": today.year, "month": today.month, "quarter": (today.month - 1) // 3 + 1,
            "start": f"{today.replace(day=1):%d/%m/%Y}", "end": f"{today:%d/%m/%Y}",
        })  # fmt: skip
    data.update(request.GET.dict())
    return QualityPeriodForm(data, agencies=agencies, province=province, today=today)


def _report(request: HttpRequest, form: QualityPeriodForm) -> QualityReport | None:
    if not form.is_valid():
        return None
    user = request.user
    assert isinstance(user, User)
    try:
        return quality_report(actor=user, agency_id=form.agency_id, period=form.cleaned_data["range"])
    except QualityNotFound:
        raise Http404 from None


@never_cache
@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """The indicators of one of the officer's agencies (or the province) for a period; this month by default."""
    form = _form(request)
    result = _report(request, form)
    context = {
        "form": form,
        "report": result,
        "export_query": urlencode({name: str(value) for name, value in form.data.items()}),
    }
    return render(request, "quality/report.html", context)


@never_cache
@login_required
@require_GET
def report_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The same table as an XLSX file; with a wrong period, the page with its errors."""
    form = _form(request)
    result = _report(request, form)
    if result is None:
        return render(request, "quality/report.html", {"form": form, "report": None})
    response = FileResponse(
        io.BytesIO(render_report_xlsx(result)), content_type=XLSX, as_attachment=True, filename=report_filename(result)
    )
    response["Cache-Control"] = "private, no-store"
    return response
