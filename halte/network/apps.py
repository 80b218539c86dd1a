from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "halte.network"
    label = "network"
