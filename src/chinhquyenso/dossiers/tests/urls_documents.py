"""Test urlconf: the document views under the ``dossiers`` namespace, with the same paths and names as
``dossiers/urls.py``, plus what ``base.html`` links to, so these tests do not depend on the other dossier views.
The other pages base.html links to are stand-ins that only need to resolve."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from chinhquyenso.dossiers.views import documents


def stand_in(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=204)


document_patterns = [
    path("ho-so/<int:pk>/mau/<int:form_id>.pdf", documents.issued_form_pdf, name="form_pdf"),
    path("ho-so/<int:pk>/phieu-kiem-soat.pdf", documents.control_sheet_pdf, name="control_sheet"),
    path("can-bo/so-theo-doi/", documents.register_export, name="register"),
    path("ho-so/", stand_in, name="mine"),
    path("tra-cuu/", stand_in, name="track"),
    path("can-bo/ho-so/", stand_in, name="inbox"),
]
urlpatterns = [
    path("", include("chinhquyenso.core.urls")),
    path("", include("chinhquyenso.accounts.urls")),
    path("", include("chinhquyenso.agencies.urls")),
    path("", include("chinhquyenso.catalog.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include((document_patterns, "dossiers"))),
]
