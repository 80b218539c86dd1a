"""purge_expired: dry run by default, then deletes only what is past retention."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from halte.clients.models import Client
from halte.consumption.models import Session
from halte.visits.models import Visit
from tests.module_rows import rows_for_the_module


def _load() -> None:
    call_command("load_demo")
    call_command("generate_activity", "--days", "20", "--seed", "5")


@pytest.fixture(scope="module")
def _activity_rows(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    # Loaded once for the module (tests/module_rows.py): what a purge deletes is rolled back with
    # the test's own transaction, before the next test.
    yield from rows_for_the_module(django_db_blocker, _load)


@pytest.fixture
def activity(_activity_rows: None, db: None) -> None:
    pass


def test_dry_run_deletes_nothing(activity: None) -> None:
    before = Visit.objects.count()
    out = io.StringIO()
    with override_settings(HALTE_RETENTION_ACTIVITY_DAYS=10):
        call_command("purge_expired", stdout=out)
    assert "Dry run" in out.getvalue() and Visit.objects.count() == before


def test_apply_deletes_only_old_activity(activity: None) -> None:
    from django.utils import timezone

    with override_settings(HALTE_RETENTION_ACTIVITY_DAYS=10):
        cutoff = timezone.now() - timezone.timedelta(days=10)
        recent = Visit.objects.filter(arrived_at__gte=cutoff).count()
        assert Visit.objects.filter(arrived_at__lt=cutoff).exists()
        call_command("purge_expired", "--apply", stdout=io.StringIO())
    assert Visit.objects.count() == recent
    assert not Session.objects.filter(started_at__lt=cutoff - timezone.timedelta(hours=2)).exists()
    assert Client.objects.count() > 0
