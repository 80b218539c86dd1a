from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "halte.www"
    label = "www"
