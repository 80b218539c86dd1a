from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "halte.reports"
    label = "reports"
