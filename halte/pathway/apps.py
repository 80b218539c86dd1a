from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "halte.pathway"
    label = "pathway"
    verbose_name = "Situation et parcours"
