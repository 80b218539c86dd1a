from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "halte.alerts"
    label = "alerts"
