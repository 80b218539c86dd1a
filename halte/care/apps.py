from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CareConfig(AppConfig):
    name = "halte.care"
    label = "care"

    def ready(self) -> None:
        from halte.care.defaults import reseed_after_flush

        # A flush empties the catalogue the data migration seeded: put the default one back.
        post_migrate.connect(reseed_after_flush, sender=self, dispatch_uid="care.catalogue")
