from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "halte.audit"
    label = "audit"
