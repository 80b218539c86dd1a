from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "halte.plan"
    label = "plan"
    verbose_name = "Tableau de bord du plan crack"
