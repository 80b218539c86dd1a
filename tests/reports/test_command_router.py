"""The export command, the read replica router and the demo funding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connections
from django.test.utils import CaptureQueriesContext, override_settings

from halte.accounts.models import User
from halte.core.timeutils import paris_date
from halte.demo import funding
from halte.network.models import Site
from halte.reports.frameworks import build_report
from halte.reports.indicators import REGISTRY, Scope
from halte.reports.models import FundingLine
from halte.reports.router import ReportsReplicaRouter, reading_replica
from halte.visits.models import Visit
from tests.reports.conftest import Activity

ROUTER = "halte.reports.router.ReportsReplicaRouter"


def test_export_command_writes_a_masked_file_by_default(activity: Activity, tmp_path: Path) -> None:
    out = tmp_path / "hsa.csv"
    call_command(
        "export_report",
        "hsa-annual",
        "--site",
        activity.site.slug,
        "--year",
        "2025",
        "--format",
        "csv",
        "--output",
        str(out),
    )
    text = out.read_text(encoding="utf-8-sig")
    assert "Petits effectifs masqués" in text and ";opioid_overdoses;" in text
    assert ";<10;" in text
    internal = tmp_path / "internal.xlsx"
    call_command(
        "export_report",
        "asa-caarud",
        "--network",
        "--year",
        "2025",
        "--output",
        str(internal),
        "--internal",
    )
    assert internal.read_bytes()[:2] == b"PK"


def test_export_command_refuses_an_unknown_site(activity: Activity) -> None:
    with pytest.raises(CommandError):
        call_command("export_report", "hsa-annual", "--site", "nowhere", "--year", "2025")


def test_router_sends_report_reads_to_the_replica_and_writes_to_the_primary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    router = ReportsReplicaRouter()
    monkeypatch.setattr(settings, "DATABASES", {"default": {}, "replica": {}})
    assert router.db_for_read(Visit) is None
    with reading_replica():
        assert router.db_for_read(Visit) == "replica"
        assert router.db_for_write(Visit) == "default"
    assert router.allow_migrate("replica", "visits") is False


@contextmanager
def replica_alias() -> Iterator[dict[str, object]]:
    """A second alias pointing at the same test database, as a streaming replica would. Made
    inside the test (after the test case set up its guards) and removed before it ends."""
    connections.settings["replica"] = dict(connections["default"].settings_dict)
    # Open it ourselves: the test case only lets aliases it knew at set-up connect lazily.
    connections["replica"].connect()
    try:
        yield {**settings.DATABASES, "replica": connections.settings["replica"]}
    finally:
        connections["replica"].close()
        del connections["replica"]
        del connections.settings["replica"]


@pytest.mark.django_db(transaction=True)
def test_reports_read_from_the_replica_alias(site: Site, reception: User) -> None:
    Visit.objects.create(
        site=site, arrived_at=dt.datetime(2025, 3, 3, 14, tzinfo=dt.UTC), opened_by=reception
    )
    scope = Scope((site.pk,), dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    with (
        replica_alias() as databases,
        override_settings(DATABASE_ROUTERS=[ROUTER]),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(settings, "DATABASES", databases)
        replica, primary = connections["replica"], connections["default"]
        with (
            CaptureQueriesContext(replica) as on_replica,
            CaptureQueriesContext(primary) as on_primary,
        ):
            report = build_report("monthly-scs", scope, suppressed=False)
    figures = {line.code: line for s in report.sections for line in s.lines}
    assert figures["visits"].number == 1
    assert any("visits_visit" in q["sql"] for q in on_replica)
    assert not any("visits_visit" in q["sql"] for q in on_primary)


def test_demo_funding_gives_costs(db: None, admin_user: User) -> None:
    call_command("load_demo")
    call_command("generate_activity", "--days", "10")
    actor = User.objects.get(username="admin")
    # load_demo already loads the demo funding; loading it again makes nothing new.
    assert FundingLine.objects.exists()
    assert funding.load(actor=actor) == 0
    assert FundingLine.objects.filter(source__contains="1 M€").exists()
    rest = Site.objects.get(slug="repos-chapelle")
    end = paris_date(Visit.objects.latest("arrived_at").arrived_at)
    scope = Scope((rest.pk,), end - dt.timedelta(days=9), end)
    cost = REGISTRY["cost_per_visit"].evaluate(scope).value
    assert cost is not None and cost > 0
    board = build_report("plan-crack", scope, suppressed=False)
    assert board.targets and board.targets[-1].actual != "0"
