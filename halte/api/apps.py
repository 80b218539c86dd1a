from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "halte.api"
    label = "api"
