from django.apps import AppConfig


class ConsumptionConfig(AppConfig):
    name = "halte.consumption"
    label = "consumption"

    def ready(self) -> None:
        from halte.consumption import receivers  # noqa: F401 (connects the receivers)
