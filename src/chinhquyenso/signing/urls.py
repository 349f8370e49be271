from django.urls import path

from chinhquyenso.signing.views import officer, public

app_name = "signing"
urlpatterns = [
    path("xac-thuc/", public.verify, name="verify"),
    path("ky-so/dau-thoi-gian/", public.timestamp_authority, name="tsa"),
    path("can-bo/ho-so/<int:pk>/ky-so/", officer.sign, name="sign"),
    path("can-bo/ho-so/<int:pk>/ky-nhay/", officer.initial, name="initial"),
    path("can-bo/ho-so/<int:pk>/du-thao/<int:draft_id>.pdf", officer.draft_file, name="draft_file"),
    path("can-bo/ket-qua/thu-hoi/", officer.revoke, name="revoke"),
]
