from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "halte.demo"
    label = "demo"
