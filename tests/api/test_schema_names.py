"""Two answer shapes with one name would share one entry of the OpenAPI document: a client (and the
fuzzing) would then read one operation's answer with another's schema."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict

from ninja import Schema

import halte.api.routers


def test_every_schema_of_the_api_has_its_own_name() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for module_info in pkgutil.iter_modules(halte.api.routers.__path__):
        module = importlib.import_module(f"halte.api.routers.{module_info.name}")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Schema)
                and value.__module__ == module.__name__
            ):
                owners[name].add(module_info.name)
    assert {name: mods for name, mods in owners.items() if len(mods) > 1} == {}
