from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chinhquyenso.accounts.forms import ApiTokenForm, RegistrationForm, SignInForm
from chinhquyenso.accounts.models import ApiToken, User
from chinhquyenso.accounts.selectors import api_token_list
from chinhquyenso.accounts.services import Registration, account_register, api_token_create, api_token_revoke
from chinhquyenso.agencies.selectors import ward_name
from chinhquyenso.core.ratelimit import rate_limit


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this once an account+address has failed too often."""
    return render(request, "accounts/locked.html", status=429)


@rate_limit(scope="register", limit=10, window_seconds=3600)
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = Registration(
            kind=d["kind"],
            full_name=d["full_name"],
            phone=d["phone"],
            email=d.get("email", ""),
            password=d["password1"],
            ward_code=d["ward_code"],
            address_line=d["address_line"],
            cccd=d["cccd"],
            date_of_birth=d["date_of_birth"],
            tax_code=d.get("tax_code") or None,
            organization_name=d.get("organization_name", ""),
        )
        try:
            user = account_register(data=data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(None if field == "__all__" else field, error)
        else:
            login(request, user, backend="chinhquyenso.accounts.backends.IdentifierBackend")
            messages.success(request, gettext("Đăng ký thành công. Chào mừng bạn đến với Cổng Dịch vụ công."))
            return redirect("accounts:account")
    return render(request, "accounts/register.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    new_token = request.session.pop("new_api_token", None)
    return render(
        request,
        "accounts/account.html",
        {
            "tokens": api_token_list(actor=user),
            "token_form": ApiTokenForm(),
            "new_token": new_token,
            "ward": ward_name(user.ward_code),
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accounts/account.html",
            {"tokens": api_token_list(actor=user), "token_form": form, "ward": ward_name(user.ward_code)},
            status=422,
        )
    _, raw = api_token_create(actor=user, name=form.cleaned_data["name"])
    # Shown once on the next page, then gone: kept in the session, never in a URL.
    request.session["new_api_token"] = raw
    return redirect("accounts:account")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        api_token_revoke(actor=user, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    messages.success(request, gettext("Đã thu hồi mã truy cập."))
    return redirect("accounts:account")
