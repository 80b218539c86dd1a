from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class RetentionConfig(AppConfig):
    name = "halte.retention"
    label = "retention"

    def ready(self) -> None:
        # Each app declares what it keeps and for how long in its own ``retention`` module.
        autodiscover_modules("retention")
