from django.urls import path

from chinhquyenso.quality.views import officer

app_name = "quality"
urlpatterns = [
    path("can-bo/chi-so-766/", officer.report, name="report"),
    path("can-bo/chi-so-766/tai-ve.xlsx", officer.report_xlsx, name="report_xlsx"),
]
