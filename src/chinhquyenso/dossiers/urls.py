from django.urls import path

from chinhquyenso.dossiers.views import applicant, documents, files, officer, tracking

app_name = "dossiers"
urlpatterns = [
    # applicants (citizens, businesses)
    path("thu-tuc/<str:code>/nop/<str:case_code>/", applicant.start, name="start"),
    path("ho-so/", applicant.my_dossiers, name="mine"),
    path("ho-so/<int:pk>/", applicant.detail, name="applicant_detail"),
    path("ho-so/<int:pk>/to-khai/", applicant.declaration, name="declaration"),
    path("ho-so/<int:pk>/dinh-kem/", applicant.attachments, name="attachments"),
    path("ho-so/<int:pk>/xem-lai/", applicant.review, name="review"),
    path("ho-so/<int:pk>/bo-sung/", applicant.supplement, name="supplement"),
    path("ho-so/<int:pk>/rut/", applicant.withdraw, name="withdraw"),
    # files of a dossier (applicant or officers on its route)
    path("ho-so/<int:pk>/tep/<int:attachment_id>/", files.attachment_file, name="attachment_file"),
    path("ho-so/<int:pk>/ket-qua/", files.result_file, name="result_file"),
    # public tracking by code
    path("tra-cuu/", tracking.track, name="track"),
    # generated documents (forms 01–07)
    path("ho-so/<int:pk>/mau/<int:form_id>.pdf", documents.issued_form_pdf, name="form_pdf"),
    path("ho-so/<int:pk>/phieu-kiem-soat.pdf", documents.control_sheet_pdf, name="control_sheet"),
    path("can-bo/so-theo-doi/", documents.register_export, name="register"),
    # officers
    path("can-bo/ho-so/", officer.inbox, name="inbox"),
    path("can-bo/ho-so/<int:pk>/", officer.detail, name="officer_detail"),
    path("can-bo/ho-so/<int:pk>/thao-tac/<str:action>/", officer.act, name="act"),
    path("can-bo/tiep-nhan/", officer.intake_choose, name="intake"),
    path("can-bo/tiep-nhan/<str:code>/<str:case_code>/", officer.intake_form, name="intake_form"),
]
