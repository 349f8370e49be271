from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from chinhquyenso.config.api import api

admin.site.site_header = "Quản trị Chính quyền số"
admin.site.site_title = "Quản trị Chính quyền số"
admin.site.index_title = "Danh mục quản trị"

urlpatterns = [
    path("", include("chinhquyenso.core.urls")),
    path("", include("chinhquyenso.accounts.urls")),
    path("", include("chinhquyenso.agencies.urls")),
    path("", include("chinhquyenso.catalog.urls")),
    path("", include("chinhquyenso.dossiers.urls")),
    path("", include("chinhquyenso.signing.urls")),
    path("", include("chinhquyenso.wallet.urls")),
    path("", include("chinhquyenso.payments.urls")),
    path("", include("chinhquyenso.quality.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path(f"{settings.ADMIN_PATH}/", admin.site.urls),
]
if settings.CQS_SANDBOX_PAY:  # the payment gateway SIMULATOR: demo and tests only
    urlpatterns.append(path("sandbox-pay/", include("chinhquyenso.sandbox_pay.urls")))
