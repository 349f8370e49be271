from django.urls import path

from chinhquyenso.catalog.views import form_preview, public

app_name = "catalog"
urlpatterns = [
    path("thu-tuc/", public.procedure_list, name="list"),
    path("thu-tuc/<str:code>/", public.procedure_detail, name="detail"),
    path("thu-tuc/<str:code>/bieu-mau/<str:case_code>/", form_preview.case_form, name="case_form"),
    path("xem-truoc-bieu-mau/<int:case_id>/", form_preview.admin_case_preview, name="case_preview"),
]
