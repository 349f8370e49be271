from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "chinhquyenso.agencies"
    label = "agencies"
    verbose_name = "Cơ quan, đơn vị"
