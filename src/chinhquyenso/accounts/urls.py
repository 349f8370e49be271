from django.contrib.auth.views import LogoutView
from django.urls import path

from chinhquyenso.accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("dang-xuat/", LogoutView.as_view(), name="logout"),
    path("dang-ky/", views.register, name="register"),
    path("tai-khoan/", views.account, name="account"),
    path("tai-khoan/ma-truy-cap/", views.token_create, name="token_create"),
    path("tai-khoan/ma-truy-cap/<int:token_id>/thu-hoi/", views.token_revoke, name="token_revoke"),
]
