"""Through a real worker process (manage.py worker): a solve and an export run in the background;
a worker SIGKILLed in the middle of one and started again finishes it once, nothing lost, nothing
done twice."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.db import connection, transaction

from halte.accounts.models import User
from halte.jobs.enums import JobStatus
from halte.jobs.models import Job
from halte.planning.enums import PlanningModel, ScenarioStatus, SolveStage
from halte.planning.models import Scenario, ScenarioResult
from halte.planning.presets import DemandInput
from halte.planning.services import CandidateInput, scenario_create, scenario_solve
from halte.reports.jobs import export_path
from halte.reports.services import export_request
from tests.worker import TIMEOUT_S, Worker, wait_until

pytestmark = pytest.mark.slow


def hard_scenario(actor: User, *, seed: int, time_limit_s: int) -> Scenario:
    """A capacitated plan with tight capacities (about 90 % of the demand can be served close to
    where it is): the solver works until its time limit rather than proving at once."""
    rng = random.Random(seed)
    demand = [
        DemandInput(
            f"D{i}", 2.30 + rng.random() * 0.12, 48.83 + rng.random() * 0.07, rng.randint(5, 40)
        )
        for i in range(260)
    ]
    total = sum(d.weight for d in demand)
    p = 18
    candidates = [
        CandidateInput(
            label=f"C{j}",
            lon=2.30 + rng.random() * 0.12,
            lat=48.83 + rng.random() * 0.07,
            capacity=round(total / p * 1.08),
        )
        for j in range(70)
    ]
    return scenario_create(
        actor=actor,
        name="Essai difficile",
        model=PlanningModel.CAPACITATED,
        p=p,
        demand=demand,
        candidates=candidates,
        time_limit_s=time_limit_s,
    )


def _scenario(pk: int) -> Scenario:
    return Scenario.objects.get(pk=pk)


def test_a_solve_runs_on_the_worker_with_its_progress(worker: Worker, coordinator: User) -> None:
    scenario = hard_scenario(coordinator, seed=1, time_limit_s=3)
    queued = scenario_solve(actor=coordinator, scenario=scenario)
    assert queued.status == ScenarioStatus.QUEUED and queued.job is not None
    seen_live = []

    def solved() -> bool:
        now = _scenario(scenario.pk)
        if now.live_objective is not None:
            seen_live.append((now.live_objective, now.live_bound))
        return Job.objects.get(pk=queued.job.pk).status == JobStatus.DONE

    wait_until(solved, timeout=60, what="the solve", worker=worker)
    assert _scenario(scenario.pk).status == ScenarioStatus.SOLVED
    job = Job.objects.get(pk=queued.job.pk)
    assert job.status == JobStatus.DONE and job.attempts == 1
    assert ScenarioResult.objects.filter(scenario=scenario).count() == 1
    assert seen_live, "the page had a best plan to show while the solve ran"


def test_a_worker_killed_in_the_middle_of_a_solve_finishes_it_once_after_restart(
    worker: Worker, coordinator: User
) -> None:
    scenario = hard_scenario(coordinator, seed=2, time_limit_s=4)
    queued = scenario_solve(actor=coordinator, scenario=scenario)
    assert queued.job is not None
    wait_until(
        lambda: _scenario(scenario.pk).stage == SolveStage.SOLVING,
        timeout=60,
        what="the solver to start",
        worker=worker,
    )
    worker.kill()
    dead = Job.objects.get(pk=queued.job.pk)
    assert dead.status == JobStatus.RUNNING and dead.attempts == 1
    assert _scenario(scenario.pk).status == ScenarioStatus.RUNNING
    assert not ScenarioResult.objects.filter(scenario=scenario).exists()

    worker.start()  # the message comes back once the dead attempt's time is over
    wait_until(
        lambda: Job.objects.get(pk=queued.job.pk).status == JobStatus.DONE,
        timeout=TIMEOUT_S * 4 + 30,
        what="the solve to finish after the restart",
        worker=worker,
    )
    assert _scenario(scenario.pk).status == ScenarioStatus.SOLVED
    job = Job.objects.get(pk=queued.job.pk)
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert ScenarioResult.objects.filter(scenario=scenario).count() == 1


def test_an_export_is_prepared_by_the_worker(
    worker: Worker, coordinator: User, site: Any, tmp_path: Any, settings: Any
) -> None:
    import datetime as dt

    queued = export_request(
        actor=coordinator,
        framework="hsa-annual",
        site_id=None,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        external=False,
        fmt="xlsx",
    )
    wait_until(
        lambda: Job.objects.get(pk=queued.pk).status == JobStatus.DONE,
        timeout=60,
        what="the export",
        worker=worker,
    )
    done = Job.objects.get(pk=queued.pk)
    path = export_path(str(done.public_id), "xlsx")
    assert path.exists() and path.stat().st_size == done.result["bytes"]
    assert path.read_bytes()[:2] == b"PK"  # an XLSX is a zip


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="holding the export in the middle needs a table lock that blocks readers (PostgreSQL)",
)
def test_a_worker_killed_in_the_middle_of_an_export_finishes_it_once_after_restart(
    worker: Worker, coordinator: User, site: Any
) -> None:
    import datetime as dt

    from halte.visits.models import Visit

    table = connection.ops.quote_name(Visit._meta.db_table)
    # The export reads the visits: while this lock is held it waits, claimed and running.
    with transaction.atomic():
        queued = export_request(
            actor=coordinator,
            framework="hsa-annual",
            site_id=None,
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 12, 31),
            external=False,
            fmt="xlsx",
        )
    blocker = transaction.atomic()
    blocker.__enter__()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        from django.db import connections

        probe = connections.create_connection("default")
        try:

            def running() -> bool:
                with probe.cursor() as cursor:
                    cursor.execute("SELECT status FROM jobs_job WHERE id = %s", [queued.pk])
                    return cursor.fetchone()[0] == JobStatus.RUNNING

            wait_until(running, timeout=30, what="the export to start", worker=worker)
        finally:
            probe.close()
        worker.kill()
    finally:
        blocker.__exit__(None, None, None)  # commit: nothing was written, the lock goes
    assert not export_path(str(queued.public_id), "xlsx").exists()
    worker.start()
    wait_until(
        lambda: Job.objects.get(pk=queued.pk).status == JobStatus.DONE,
        timeout=TIMEOUT_S * 4 + 30,
        what="the export to finish after the restart",
        worker=worker,
    )
    done = Job.objects.get(pk=queued.pk)
    assert done.attempts == 2
    assert export_path(str(done.public_id), "xlsx").exists()
