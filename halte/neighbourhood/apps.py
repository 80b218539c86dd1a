from django.apps import AppConfig


class NeighbourhoodConfig(AppConfig):
    name = "halte.neighbourhood"
    label = "neighbourhood"
