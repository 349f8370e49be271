"""Mounted at /sandbox-pay/ only when ``CQS_SANDBOX_PAY`` is on (config/urls.py)."""

from django.urls import path

from chinhquyenso.sandbox_pay import views

app_name = "sandbox_pay"
urlpatterns = [
    path("", views.index, name="index"),
    path("paymentv2/vpcpay.html", views.pay_page, name="pay"),
    path("giao-dich/<int:txn_id>/ket-qua/", views.finish, name="finish"),
    path("giao-dich/<int:txn_id>/gui-lai/", views.send_again, name="send_again"),
    path("gui-thong-bao-den-han/", views.send_due, name="send_due"),
    path("merchant_webapi/api/transaction", views.merchant_api, name="api"),
    path("sao-ke.csv", views.statement, name="statement"),
]
