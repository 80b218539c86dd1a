"""The demo's activity reaches the reports' roll-ups through the task queue: queued for the worker
that ``make run`` starts, or run here through the jobs runner where no worker runs."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Max, Sum
from django_q.models import OrmQ

from halte.jobs.enums import JobStatus
from halte.jobs.models import Job
from halte.jobs.runner import run
from halte.reports.models import DailyVisits, RollupState
from halte.visits.models import Visit


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo")


def _folded() -> int:
    return DailyVisits.objects.aggregate(n=Sum("visits"))["n"] or 0


def test_without_a_worker_the_command_runs_the_roll_up_job_itself(
    demo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("generate_activity", "--days", "3", "--seed", "11")
    job = Job.objects.get(kind="reports.refresh_rollups")
    visits = Visit.objects.count()
    assert job.status == JobStatus.DONE and job.result["visits"] == visits > 0
    assert job.params == {"settle_seconds": 0}  # no settling delay: nothing is being written
    assert _folded() == visits
    last = Visit.objects.aggregate(last=Max("pk"))["last"]
    assert RollupState.objects.get().last_visit_id == last
    assert not OrmQ.objects.exists()  # run here, nothing left for a worker
    assert f"reports roll-ups: {visits} visits folded in" in capsys.readouterr().out


def test_queued_the_roll_ups_wait_for_the_worker(
    demo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("generate_activity", "--days", "3", "--seed", "11", "--rollups", "queue")
    job = Job.objects.get(kind="reports.refresh_rollups")
    assert job.status == JobStatus.WAITING and OrmQ.objects.count() == 1
    assert _folded() == 0
    assert "job queued" in capsys.readouterr().out
    assert run(job.pk) == "done"  # what the worker does with the message
    assert _folded() == Visit.objects.count() > 0
