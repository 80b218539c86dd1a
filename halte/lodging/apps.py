from django.apps import AppConfig


class LodgingConfig(AppConfig):
    name = "halte.lodging"
    label = "lodging"

    def ready(self) -> None:
        from halte.lodging import receivers  # noqa: F401 (connects the receivers)
