"""An existing network gets the purposes roll-up filled by its migration: the visits the roll-ups
already held are counted there, the later ones by the next refresh, and the purposes figure is the
same as counted from the visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from halte.accounts.models import User
from halte.core.timeutils import paris_instant
from halte.network.models import Site
from halte.reports import rollups
from halte.reports.indicators import REGISTRY, Scope
from halte.reports.models import RollupState
from halte.reports.router import reading_replica
from halte.visits.models import Visit

BEFORE = [("reports", "0003_material_rollups")]
AFTER = [("reports", "0004_daily_purposes")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_purposes_of_the_visits_already_rolled_up(
    site: Site, reception: User
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    # The visits and the roll-ups' state are as before the migration: the current models.
    # Three days, one of them past midnight in Paris (still 2025-03-01 in UTC).
    for day, hour, purposes in [
        (dt.date(2025, 3, 1), 10, 1),
        (dt.date(2025, 3, 1), 11, 1),
        (dt.date(2025, 3, 1), 12, 3),
        (dt.date(2025, 3, 2), 0, 2),
        (dt.date(2025, 3, 3), 9, 16),
    ]:
        at = paris_instant(day, dt.time(hour, 30))
        Visit.objects.create(
            site_id=site.pk, arrived_at=at, purposes=purposes, opened_by_id=reception.pk
        )
    last = Visit.objects.order_by("pk").values_list("pk", flat=True).last()
    assert last is not None
    RollupState.objects.create(pk=1, last_visit_id=last - 1)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("reports", "DailyPurposes").objects.order_by("day", "purposes")
    # The last visit is above the watermark: left to the next refresh, read from the visits.
    assert [(r.day, r.purposes, r.visits) for r in rows] == [
        (dt.date(2025, 3, 1), 1, 2),
        (dt.date(2025, 3, 1), 3, 1),
        (dt.date(2025, 3, 2), 2, 1),
    ]
    scope = Scope((site.pk,), dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    with reading_replica():
        figure = REGISTRY["visits_by_purpose"].evaluate(scope)
    cells = {cell.key: cell.value for cell in figure.cells}
    assert (cells["consumption"], cells["material"], cells["rest"], cells["care"]) == (3, 2, 1, 0)
    assert Visit.objects.count() == 5
    rollups.refresh(settle=dt.timedelta(0))
    with reading_replica():
        assert REGISTRY["visits_by_purpose"].evaluate(scope) == figure
