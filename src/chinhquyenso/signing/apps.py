from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "chinhquyenso.signing"
    label = "signing"
    verbose_name = "Ký số và kết quả điện tử"
