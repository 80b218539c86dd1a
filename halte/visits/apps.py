from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "halte.visits"
    label = "visits"
