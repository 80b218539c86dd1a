from django.apps import AppConfig


class LodgingConfig(AppConfig):
    name = "halte.lodging"
    label = "lodging"
