from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "halte.care"
    label = "care"
