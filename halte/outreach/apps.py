from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "halte.outreach"
    label = "outreach"
