from django.apps import AppConfig


class WalletConfig(AppConfig):
    name = "chinhquyenso.wallet"
    label = "wallet"
    verbose_name = "Kho dữ liệu công dân"
