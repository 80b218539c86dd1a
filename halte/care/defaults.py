"""The default material catalogue, put back by a ``post_migrate`` receiver whenever the catalogue is
empty: a flushed database (``manage.py flush``, the tests that run in transactions) would otherwise
lose what the data migration ``care/0005`` seeded. The list and its seeding are that migration's,
frozen there (a migration imports no code that changes): one list. Afterwards the catalogue changes
through new versions made by the coordinator."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import AppConfig
from django.apps.registry import Apps

SEEDING = "halte.care.migrations.0005_seed_material_catalogue"


def reseed_after_flush(
    sender: AppConfig, *, using: str = "default", apps: Apps | None = None, **kwargs: Any
) -> None:
    """``post_migrate`` receiver: a flushed (or freshly migrated) database gets the catalogue.
    ``flush`` sends no ``apps``: the project's models are the current state then."""
    if apps is None:
        from django.apps import apps as current

        apps = current
    try:
        apps.get_model("care", "KitComponent")
    except LookupError:  # migrating backwards, before the catalogue existed
        return
    if not apps.get_model("care", "CatalogueItem").objects.using(using).exists():
        import_module(SEEDING).seed_catalogue(apps, using)
