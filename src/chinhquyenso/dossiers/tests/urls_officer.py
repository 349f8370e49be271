"""Test urlconf: the officer views under the ``dossiers`` namespace, with the same paths and names as
``dossiers/urls.py``, plus what base.html links to. Used until the project urls include ``dossiers.urls``."""

from django.urls import include, path

from chinhquyenso.dossiers.views import officer

officer_patterns = [
    path("can-bo/ho-so/", officer.inbox, name="inbox"),
    path("can-bo/ho-so/<int:pk>/", officer.detail, name="officer_detail"),
    path("can-bo/ho-so/<int:pk>/thao-tac/<str:action>/", officer.act, name="act"),
    path("can-bo/tiep-nhan/", officer.intake_choose, name="intake"),
    path("can-bo/tiep-nhan/<str:code>/<str:case_code>/", officer.intake_form, name="intake_form"),
]

urlpatterns = [
    path("", include("chinhquyenso.core.urls")),
    path("", include("chinhquyenso.accounts.urls")),
    path("", include("chinhquyenso.agencies.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include((officer_patterns, "dossiers"))),
]
