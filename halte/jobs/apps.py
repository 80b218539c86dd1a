from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "halte.jobs"
    label = "jobs"
    verbose_name = "Travaux en arrière-plan"

    def ready(self) -> None:
        # Each domain app declares its background jobs in its own ``jobs.py`` (halte.jobs.registry).
        autodiscover_modules("jobs")
