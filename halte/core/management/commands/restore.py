"""``manage.py restore PATH``: load a backup into an empty, migrated database.

The rows are inserted in batches, model by model in the backup's order (dependencies first), all
in one transaction: Django's ``loaddata`` saves them one at a time (an UPDATE then an INSERT each),
minutes for a few days of activity. They are inserted raw, as ``loaddata`` does: no signal, no
``auto_now``, every value as it was written. The XML is read with ElementTree into the records
Django's python deserializer takes (its XML deserializer builds a DOM node per attribute, most
of the time of a restore), each value read as the XML deserializer reads it."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any, cast
from xml.etree import ElementTree

from django.apps import apps
from django.core import serializers
from django.core.management.base import CommandError, CommandParser
from django.core.management.color import no_style
from django.core.serializers.base import (
    DeserializedObject,
    deserialize_fk_value,
    deserialize_m2m_values,
)
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.sql import InsertQuery

from halte.core.management.base import HalteCommand


def _has_data() -> bool:
    return any(
        model._default_manager.exists()
        for model in apps.get_models()
        if model._meta.app_label.startswith(("network", "clients", "visits", "accounts", "audit"))
    )


def _clear_seeded() -> None:
    """A new, migrated database already holds what Halte's data migrations seed (the material
    catalogue): the backup has those rows too, as they were then, so they replace the seeded ones
    instead of colliding with them. The rows go in the order of the model graph: those that point
    at others first, so that no protected key stands in the way."""
    seeded = {m for m in apps.get_models() if m.__module__.startswith("halte.")}
    seeded = {m for m in seeded if m._default_manager.exists()}
    pointing = {
        model: {
            rel.related_model
            for rel in model._meta.related_objects
            if rel.related_model in seeded and rel.related_model is not model
        }
        for model in seeded
    }
    for model in TopologicalSorter(pointing).static_order():
        model._default_manager.all().delete()


def _value(node: ElementTree.Element) -> Any:
    """A ``<field>``'s value: None, a key (a natural key is a list), a list of keys, or text
    (JSON decoded)."""
    if node.find("None") is not None:
        return None
    if node.get("rel") == "ManyToManyRel":
        return [_key(item) or item.get("pk") for item in node.findall("object")]
    if node.get("rel"):
        return _key(node) or "".join(node.itertext()).strip()
    text = "".join(node.itertext()).strip()
    return json.loads(text) if node.get("type") == "JSONField" else text


def _key(node: ElementTree.Element) -> list[str] | None:
    return [(part.text or "").strip() for part in node.findall("natural")] or None


def _records(data: str) -> Iterator[dict[str, Any]]:
    """The backup's objects, one at a time, as Django's python deserializer reads them. A document
    type or an entity is refused, as Django's XML deserializer refuses them (``dumpdata`` writes
    neither)."""
    if "<!" in data:
        raise CommandError("The backup holds a document type or an entity. Nothing restored.")
    for _event, node in ElementTree.iterparse(io.StringIO(data)):  # noqa: S314 - no DTD, above
        if node.tag == "object" and node.get("model"):
            fields = {field.get("name"): _value(field) for field in node.findall("field")}
            yield {"model": node.get("model"), "pk": node.get("pk"), "fields": fields}
            node.clear()


def _insert(model: type[models.Model], rows: list[models.Model]) -> None:
    """Insert ``rows`` of ``model`` as they are (primary keys, dates), in batches the database
    accepts."""
    fields = model._meta.local_concrete_fields
    size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
    for start in range(0, len(rows), size):
        query = InsertQuery(model)
        query.insert_values(fields, rows[start : start + size], raw=True)
        query.get_compiler(connection=connection).execute_sql(returning_fields=None)


def _resolve(item: DeserializedObject) -> None:
    """Set the keys the deserializer could not find yet: a user or a group named by natural key
    in the batch just inserted."""
    for field, value in item.deferred_fields.items():
        if isinstance(field, models.ManyToManyField):
            keys = deserialize_m2m_values(field, value, connection.alias, False)
            item.m2m_data = {**(item.m2m_data or {}), field.name: cast(list[Any], keys)}
        elif isinstance(field, models.ForeignKey):
            key = deserialize_fk_value(field, value, connection.alias, False)
            setattr(item.object, field.attname, key)


def _load(items: Iterable[DeserializedObject]) -> None:
    """Insert every deserialized row, a model's rows together, then their many-to-many links,
    and set PostgreSQL's sequences past the keys restored."""
    pending: list[models.Model] = []
    links: list[DeserializedObject] = []
    restored: set[type[models.Model]] = set()
    for item in items:
        model = type(item.object)
        if pending and type(pending[0]) is not model:
            _insert(type(pending[0]), pending)
            pending = []
        if item.deferred_fields:
            _resolve(item)
        pending.append(item.object)
        restored.add(model)
        if item.m2m_data and any(item.m2m_data.values()):
            links.append(item)
    if pending:
        _insert(type(pending[0]), pending)
    for item in links:
        for name, values in (item.m2m_data or {}).items():
            getattr(item.object, name).set(values)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(restored)):
            cursor.execute(sql)


class Command(HalteCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database (migrate first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")

    def run(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                manifest = json.loads(handle.readline())
                data = handle.read()
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path} is not a Halte backup: {exc}") from exc
        if manifest.get("format") != "halte-backup-1":
            raise CommandError(f"{path} is not a Halte backup.")
        if hashlib.sha256(data.encode("utf-8")).hexdigest() != manifest["sha256"]:
            raise CommandError(
                "The backup is damaged: its checksum does not match. Nothing restored."
            )
        applied = {
            f"{a}.{n}" for a, n in MigrationRecorder.Migration.objects.values_list("app", "name")
        }
        missing = set(manifest["migrations"]) - applied
        if missing:
            raise CommandError(
                f"Migrate first: {len(missing)} migration(s) of the backup are not applied here."
            )
        if _has_data():
            raise CommandError(
                "The database is not empty: restore only into a new, migrated database."
            )
        with transaction.atomic():
            _clear_seeded()
            _load(serializers.deserialize("python", _records(data), handle_forward_references=True))
        self.stdout.write(f"{manifest['rows']} rows restored from {path}.")
