from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chinhquyenso.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
