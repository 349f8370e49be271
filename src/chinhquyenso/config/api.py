"""The public JSON API, version 1. One NinjaAPI per version; each app adds its own Router."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from chinhquyenso.accounts.api_auth import TokenAuth
from chinhquyenso.catalog.api import router as catalog_router
from chinhquyenso.core.errors import problem
from chinhquyenso.dossiers.api import router as dossiers_router
from chinhquyenso.dossiers.api import tracking_router
from chinhquyenso.payments.api import router as payments_router
from chinhquyenso.quality.api import router as quality_router
from chinhquyenso.signing.api import router as signing_router
from chinhquyenso.wallet.api import router as wallet_router

api = NinjaAPI(
    title="Chính quyền số API",
    version="1.0.0",
    description="API của nền tảng Chính quyền số. Lỗi trả về theo RFC 9457 (application/problem+json).",
    urls_namespace="api-v1",
    auth=[TokenAuth(), django_auth],
)


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem(
        request,
        422,
        gettext("Dữ liệu không hợp lệ"),
        gettext("Một số trường chưa đúng; xem danh sách lỗi."),
        errors=exc.errors,
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        request,
        401,
        gettext("Chưa xác thực"),
        gettext("Cần đăng nhập hoặc gửi mã truy cập: Authorization: Bearer <mã>."),
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(request, exc.status_code, str(exc.message), str(exc.message))


class MeOut(Schema):
    username: str
    kind: str
    display_name: str


@api.get("/me", response=MeOut, operation_id="me_get", summary="Tài khoản đang dùng API")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(username=user.get_username(), kind=getattr(user, "kind", ""), display_name=str(user))


api.add_router("", catalog_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/tracking", tracking_router)
api.add_router("", signing_router)
api.add_router("/payments", payments_router)
api.add_router("", wallet_router)  # /wallet/..., and /dossiers/{id}/attachments/from-wallet
api.add_router("/quality", quality_router)
