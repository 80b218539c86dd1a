from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "halte.surveys"
    label = "surveys"
    verbose_name = "Enquêtes nationales (ENa-CAARUD)"
