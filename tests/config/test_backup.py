"""backup and restore round-trip a database exactly."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from halte.core.management.commands.backup import dump_all
from halte.network.enums import OperatorKind
from halte.network.models import Operator

pytestmark = pytest.mark.django_db(transaction=True)


def _empty_database() -> None:
    call_command("flush", "--noinput", verbosity=0)


def test_backup_then_restore_gives_the_same_rows(tmp_path: Path) -> None:
    call_command("load_demo")
    call_command("generate_activity", "--days", "3", "--seed", "11")
    before = dump_all()
    target = tmp_path / "halte.backup.gz"
    call_command("backup", str(target))
    _empty_database()
    assert dump_all() != before
    call_command("restore", str(target))
    assert dump_all() == before
    # New rows take keys after the restored ones (PostgreSQL's sequences were moved past them).
    new = Operator.objects.create(name="Nouvel opérateur", kind=OperatorKind.ASSOCIATION)
    assert new.pk > Operator.objects.exclude(pk=new.pk).order_by("-pk").values_list("pk")[0][0]


def test_restore_refuses_a_damaged_file_and_a_non_empty_database(tmp_path: Path) -> None:
    call_command("load_demo")
    target = tmp_path / "b.gz"
    call_command("backup", str(target))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(target))
    with gzip.open(target, "rt", encoding="utf-8") as handle:
        raw = handle.read()
    damaged = tmp_path / "damaged.gz"
    with gzip.open(damaged, "wt", encoding="utf-8") as handle:
        handle.write(raw.replace("paris-hsa", "paris-hsx"))
    _empty_database()
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged))
