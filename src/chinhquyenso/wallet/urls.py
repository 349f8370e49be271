from django.urls import path

from chinhquyenso.wallet.views import citizen, officer

app_name = "wallet"
urlpatterns = [
    path("kho-du-lieu/", citizen.home, name="home"),
    path("kho-du-lieu/<int:pk>/", citizen.item_detail, name="item"),
    path("kho-du-lieu/<int:pk>/tep/", citizen.item_file, name="item_file"),
    path("kho-du-lieu/<int:pk>/xoa/", citizen.item_remove, name="item_remove"),
    path("ho-so/<int:pk>/luu-vao-kho/", citizen.keep, name="keep"),
    path("ho-so/<int:pk>/dung-tu-kho/", citizen.reuse, name="reuse"),
    path("can-bo/ho-so/<int:pk>/kho-du-lieu/<int:attachment_id>/", officer.stored_document, name="officer_document"),
]
