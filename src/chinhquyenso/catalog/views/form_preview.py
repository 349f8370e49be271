"""A procedure case's form, filled in and checked on the server, until dossier intake takes over the submission."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from chinhquyenso.accounts.models import User
from chinhquyenso.catalog.forms_render import (
    build_form,
    error_summary,
    hidden_inputs,
    parse_submission,
    summary_rows,
    validate_submission,
)
from chinhquyenso.catalog.models import ProcedureCase
from chinhquyenso.catalog.selectors import NotFileable, case_for_filing

TEMPLATE = "catalog/case_form.html"
EDIT = "_sua"  # the "change your answers" button of the valid page posts the answers back with this name


def _form_page(
    request: HttpRequest,
    case: ProcedureCase,
    code: str,
    *,
    data: dict[str, Any] | None,
    errors: dict[str, list[str]] | None,
    profile: User | None,
    status: int,
) -> HttpResponse:
    fields = build_form(case=case, data=data, errors=errors, profile=profile)
    links = error_summary(fields=fields, errors=errors)
    context: dict[str, Any] = {
        "case": case,
        "procedure_code": code,
        "fields": fields,
        "error_links": links,
        "page_title": case.version.name,
        "mode": "form",
    }
    return render(request, TEMPLATE, context, status=status)


@never_cache  # the page can hold the applicant's personal data
@csrf_protect
@require_http_methods(["GET", "POST"])
def case_form(request: HttpRequest, code: str, case_code: str) -> HttpResponse:
    """GET: the published case's form, prefilled for a signed-in applicant. POST: check it, 422 with errors."""
    try:
        case = case_for_filing(code=code, case_code=case_code)
    except NotFileable as exc:
        missing = {"mode": "not_fileable", "message": str(exc), "page_title": gettext("Không có biểu mẫu này")}
        return render(request, TEMPLATE, missing, status=404)
    user = request.user
    profile = user if isinstance(user, User) and user.is_authenticated else None
    if request.method != "POST":
        return _form_page(request, case, code, data=None, errors=None, profile=profile, status=200)
    data = parse_submission(case=case, post=request.POST)
    if EDIT in request.POST:
        return _form_page(request, case, code, data=data, errors=None, profile=profile, status=200)
    errors = validate_submission(case=case, data=data)
    if errors:
        return _form_page(request, case, code, data=data, errors=errors, profile=profile, status=422)
    valid: dict[str, Any] = {
        "case": case,
        "procedure_code": code,
        "mode": "valid",
        "page_title": gettext("Biểu mẫu hợp lệ"),
        "rows": summary_rows(case=case, data=data),
        "answers": hidden_inputs(build_form(case=case, data=data, errors=None, profile=None)),
        "edit_name": EDIT,
    }
    return render(request, TEMPLATE, valid)


@never_cache
@staff_member_required
@require_http_methods(["GET", "POST"])
def admin_case_preview(request: HttpRequest, case_id: int) -> HttpResponse:
    """Back-office preview of any case's form, drafts included (drafts are never shown to the public)."""
    case = ProcedureCase.objects.select_related("version__procedure").filter(pk=case_id).first()
    if case is None:
        raise Http404
    code = case.version.procedure.code
    if request.method != "POST":
        return _form_page(request, case, code, data=None, errors=None, profile=None, status=200)
    data = parse_submission(case=case, post=request.POST)
    errors = validate_submission(case=case, data=data)
    return _form_page(
        request, case, code, data=data, errors=errors or None, profile=None, status=422 if errors else 200
    )
