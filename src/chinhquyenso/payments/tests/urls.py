"""The project's urls plus the payment pages, the simulator and the payments API, for tests that run before (or
after) config/urls.py and config/api.py mount them. Use with ``@pytest.mark.urls("chinhquyenso.payments.tests.urls")``."""

from django.urls import include, path
from ninja import NinjaAPI

from chinhquyenso.config.api import api as project_api
from chinhquyenso.config.urls import urlpatterns as base
from chinhquyenso.payments.api import router

_mounted = any(r is router for _, r in project_api._routers)

urlpatterns = list(base)
if not any(getattr(p, "namespace", None) == "payments" for p in base):
    urlpatterns.append(path("", include("chinhquyenso.payments.urls")))
if not any(getattr(p, "namespace", None) == "sandbox_pay" for p in base):
    urlpatterns.append(path("sandbox-pay/", include("chinhquyenso.sandbox_pay.urls")))
if not _mounted:
    from ninja.errors import AuthenticationError, HttpError, ValidationError
    from ninja.security import django_auth

    from chinhquyenso.accounts.api_auth import TokenAuth
    from chinhquyenso.config.api import _http_error, _unauthenticated, _validation

    test_api = NinjaAPI(title="payments (tests)", urls_namespace="payments-test-api", auth=[TokenAuth(), django_auth])
    test_api.add_exception_handler(ValidationError, _validation)
    test_api.add_exception_handler(AuthenticationError, _unauthenticated)
    test_api.add_exception_handler(HttpError, _http_error)
    test_api.add_router("/payments", router)
    urlpatterns.insert(0, path("api/v1/", test_api.urls))

API = "/api/v1/payments"
