from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.selectors import agency_staff, membership_list_for_user


@login_required
def officer_home(request: HttpRequest) -> HttpResponse:
    """An officer's start page: their agencies, roles, office hours and colleagues."""
    user = request.user
    assert isinstance(user, User)
    if not user.is_officer:
        raise PermissionDenied(gettext("Trang này dành cho cán bộ, công chức."))
    memberships = list(membership_list_for_user(actor=user))
    agencies = {m.agency_id: m.agency for m in memberships}
    sections = [
        {
            "agency": agency,
            "roles": [m for m in memberships if m.agency_id == agency_id],
            "staff": list(agency_staff(actor=user, agency=agency)),
            "children": list(agency.children.filter(active=True).order_by("name")[:50]),
        }
        for agency_id, agency in agencies.items()
    ]
    return render(request, "agencies/officer_home.html", {"sections": sections})
