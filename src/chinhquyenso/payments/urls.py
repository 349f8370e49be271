from django.urls import path

from chinhquyenso.payments.views import applicant, gateway, officer

app_name = "payments"
urlpatterns = [
    # the gateway's doors: server-to-server notification and the browser's return
    path("thanh-toan/ipn/<slug:gateway>/", gateway.ipn, name="ipn"),
    path("thanh-toan/ket-qua/<slug:gateway>/", gateway.browser_return, name="return"),
    # applicants
    path("ho-so/<int:pk>/phi/", applicant.order, name="order"),
    path("thanh-toan/giao-dich/<str:txn_ref>/", applicant.status, name="status"),
    path("thanh-toan/giao-dich/<str:txn_ref>/kiem-tra/", applicant.check, name="check"),
    path("bien-lai/<int:fee_receipt_id>.pdf", applicant.fee_receipt_pdf, name="fee_receipt"),
    # officers
    path("can-bo/thanh-toan/", officer.payment_list, name="officer_list"),
    path("can-bo/ho-so/<int:pk>/phi/", officer.dossier_fees, name="officer_dossier"),
]
