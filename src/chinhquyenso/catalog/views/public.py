"""Public catalog pages: search the procedures (/thu-tuc/) and read one before applying (/thu-tuc/<code>/).

No sign-in; both pages work without JavaScript (the search is a GET form). With htmx, the list answers a
non-boosted request with only its results region.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from chinhquyenso.catalog.models import Level, OnlineLevel, Procedure
from chinhquyenso.catalog.search import MAX_QUERY_LENGTH, procedure_search, search_agencies, search_fields
from chinhquyenso.catalog.selectors import procedure_published

PAGE_SIZE = 20


class ProcedureSearchForm(forms.Form):
    """The search box and filters of /thu-tuc/; the choices offer only what can be found."""

    q = forms.CharField(
        label=_("Tìm thủ tục"),
        help_text=_("Nhập tên hoặc mã thủ tục, có dấu hay không dấu đều được, ví dụ: dang ky khai sinh."),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=search_fields(), to_field_name="code", required=False, empty_label=_("Tất cả")
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan giải quyết, tiếp nhận"), queryset=search_agencies(), required=False, empty_label=_("Tất cả")
    )
    level = forms.ChoiceField(label=_("Cấp thực hiện"), choices=[("", _("Tất cả")), *Level.choices], required=False)
    online_level = forms.ChoiceField(
        label=_("Mức độ trực tuyến"), choices=[("", _("Tất cả")), *OnlineLevel.choices], required=False
    )


def procedure_list(request: HttpRequest) -> HttpResponse:
    form = ProcedureSearchForm(request.GET or None)
    # A tampered filter (an unknown field code, say) is reported in the error summary; the valid ones still apply.
    form.is_valid()
    criteria: dict[str, Any] = getattr(form, "cleaned_data", {})
    field, agency = criteria.get("field"), criteria.get("agency")
    versions = procedure_search(
        query=criteria.get("q") or "",
        field_code=field.code if field else None,
        agency_id=agency.pk if agency else None,
        level=criteria.get("level") or None,
        online_level=criteria.get("online_level") or None,
    )
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "query": criteria.get("q") or "",
        "filtered": any(criteria.get(name) for name in ("q", "field", "agency", "level", "online_level")),
    }
    template = "catalog/procedure_list.html"
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        template += "#results"
    return render(request, template, context)


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = procedure_published(code=code)
    if procedure is None or procedure.current_version is None:  # unknown, or drafts only: never shown
        raise Http404(_("Không tìm thấy thủ tục này."))
    version = procedure.current_version
    context = {
        "procedure": procedure,
        "version": version,
        "retired": procedure.status == Procedure.Status.RETIRED,
        "cases": list(version.cases.all()),
        "competent_agencies": list(version.competent_agencies.all()),
        "receiving_agencies": list(version.receiving_agencies.all()),
    }
    return render(request, "catalog/procedure_detail.html", context)
