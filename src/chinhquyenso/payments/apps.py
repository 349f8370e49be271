from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "chinhquyenso.payments"
    verbose_name = "Thanh toán phí, lệ phí"
