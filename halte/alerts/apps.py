from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "halte.alerts"
    label = "alerts"

    def ready(self) -> None:
        from halte.alerts import receivers  # noqa: F401 - connects the incident receiver
