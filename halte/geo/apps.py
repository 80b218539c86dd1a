from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "halte.geo"
    label = "geo"
