"""Test urlconf for the applicant and tracking pages until ``dossiers.urls`` (which also imports the officer and
document views) is included in the project: the same paths and names, under the ``dossiers`` namespace, plus what
``base.html`` and the pages link to."""

from django.urls import include, path

from chinhquyenso.dossiers.views import applicant, tracking

dossier_patterns = (
    [
        path("thu-tuc/<str:code>/nop/<str:case_code>/", applicant.start, name="start"),
        path("ho-so/", applicant.my_dossiers, name="mine"),
        path("ho-so/<int:pk>/", applicant.detail, name="applicant_detail"),
        path("ho-so/<int:pk>/to-khai/", applicant.declaration, name="declaration"),
        path("ho-so/<int:pk>/dinh-kem/", applicant.attachments, name="attachments"),
        path("ho-so/<int:pk>/xem-lai/", applicant.review, name="review"),
        path("ho-so/<int:pk>/bo-sung/", applicant.supplement, name="supplement"),
        path("ho-so/<int:pk>/rut/", applicant.withdraw, name="withdraw"),
        path("tra-cuu/", tracking.track, name="track"),
    ],
    "dossiers",
)

urlpatterns = [
    path("", include("chinhquyenso.core.urls")),
    path("", include("chinhquyenso.accounts.urls")),
    path("", include("chinhquyenso.agencies.urls")),
    path("", include("chinhquyenso.catalog.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(dossier_patterns)),
]
