from django.urls import path

from chinhquyenso.agencies import views

app_name = "agencies"
urlpatterns = [path("can-bo/", views.officer_home, name="officer_home")]
