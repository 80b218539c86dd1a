from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "halte.planning"
    label = "planning"
