from django.apps import AppConfig


class ConsumptionConfig(AppConfig):
    name = "halte.consumption"
    label = "consumption"
