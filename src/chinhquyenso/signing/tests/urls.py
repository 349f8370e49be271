"""The project's urls, plus this app's and the wallet's where config/urls.py and config/api.py do not have them yet
(so the tests pass before and after they are wired in)."""

from django.urls import URLResolver, include, path
from ninja import NinjaAPI

from chinhquyenso.config.urls import urlpatterns as project_urlpatterns
from chinhquyenso.signing.api import router

_namespaces = {p.namespace for p in project_urlpatterns if isinstance(p, URLResolver)}
urlpatterns = [
    *(path("", include(f"chinhquyenso.{app}.urls")) for app in ("signing", "wallet") if app not in _namespaces),
    *project_urlpatterns,
]

if getattr(router, "api", None) is None:  # not yet on the project's /api/v1/: mount it alone at the same prefix
    _api = NinjaAPI(title="signing (tests)", urls_namespace="signing-tests-api")
    _api.add_router("", router)
    urlpatterns.insert(0, path("api/v1/", _api.urls))
