"""The job rules, in this process: a job runs once however often it is delivered, a failing job is
tried again a bounded number of times then shown as failed in plain words, a dead attempt is taken
over, a cancelled job never runs, periodic jobs come from the settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django_q.models import OrmQ, Schedule

from halte.core.errors import DomainError
from halte.jobs.enums import JobStatus
from halte.jobs.models import Job
from halte.jobs.registry import job
from halte.jobs.runner import JobContext, lease, run
from halte.jobs.schedules import PREFIX, sync_schedules
from halte.jobs.services import job_cancel, job_enqueue, job_run_here, run_periodic

CALLS: list[str] = []


@job("tests.count", label="count")
def _count(ctx: JobContext) -> dict[str, Any]:
    CALLS.append(str(ctx.job.public_id))
    return {"n": len(CALLS)}


@job("tests.crash", label="crash", max_attempts=3)
def _crash(ctx: JobContext) -> dict[str, Any]:
    raise RuntimeError("disk on fire /var/lib/secret-path")


@job("tests.refused", label="refused")
def _refused(ctx: JobContext) -> dict[str, Any]:
    raise DomainError("Ce site est fermé.")


@pytest.fixture(autouse=True)
def _reset() -> None:
    CALLS.clear()


def test_a_job_is_queued_with_its_message_and_runs_once_however_often_delivered(db: None) -> None:
    queued = job_enqueue("tests.count", params={"site": "x"})
    assert OrmQ.objects.count() == 1  # the message was written with the job
    assert run(queued.pk) == "done"
    assert run(queued.pk) == "skipped"  # delivered again: nothing is done twice
    queued.refresh_from_db()
    assert queued.status == JobStatus.DONE
    assert queued.result == {"n": 1}
    assert queued.attempts == 1
    assert queued.finished_at is not None and queued.progress == 100
    assert len(CALLS) == 1


def test_a_crashing_job_is_tried_again_then_failed_with_a_sentence_not_a_trace(db: None) -> None:
    queued = job_enqueue("tests.crash")
    assert run(queued.pk) == "retry"
    queued.refresh_from_db()
    assert queued.status == JobStatus.WAITING
    assert "nouvel essai" in queued.failure
    retry = Schedule.objects.get(name__startswith=f"retry:tests.crash:{queued.pk}:")
    assert retry.schedule_type == Schedule.ONCE and retry.next_run > timezone.now()
    assert run(queued.pk) == "retry"
    assert run(queued.pk) == "failed"
    queued.refresh_from_db()
    assert queued.status == JobStatus.FAILED
    assert queued.attempts == 3
    assert "journalisée" in queued.failure
    assert "fire" not in queued.failure and "secret-path" not in queued.failure
    assert run(queued.pk) == "skipped"


def test_a_refusal_fails_at_once_with_its_own_words(db: None) -> None:
    queued = job_enqueue("tests.refused")
    assert run(queued.pk) == "failed"
    queued.refresh_from_db()
    assert (queued.status, queued.failure, queued.attempts) == (
        JobStatus.FAILED,
        "Ce site est fermé.",
        1,
    )


def test_a_dead_attempt_is_taken_over_and_a_live_one_left_alone(db: None) -> None:
    queued = job_enqueue("tests.count")
    # A worker claimed it a moment ago and is still inside its time limit: hands off.
    Job.objects.filter(pk=queued.pk).update(
        status=JobStatus.RUNNING, attempts=1, started_at=timezone.now()
    )
    assert run(queued.pk) == "skipped"
    assert CALLS == []
    # Its worker died: the queue kills nothing older than its timeout, so this attempt is dead.
    Job.objects.filter(pk=queued.pk).update(
        started_at=timezone.now() - lease() - dt.timedelta(seconds=1)
    )
    assert run(queued.pk) == "done"
    queued.refresh_from_db()
    assert queued.attempts == 2 and len(CALLS) == 1


def test_attempts_killed_every_time_end_as_failed(db: None) -> None:
    queued = job_enqueue("tests.count")
    Job.objects.filter(pk=queued.pk).update(
        status=JobStatus.RUNNING,
        attempts=queued.max_attempts,
        started_at=timezone.now() - lease() - dt.timedelta(seconds=1),
    )
    assert run(queued.pk) == "skipped"
    queued.refresh_from_db()
    assert queued.status == JobStatus.FAILED
    assert "interrompus" in queued.failure
    assert CALLS == []


def test_a_cancelled_job_never_runs_and_cannot_be_cancelled_twice(db: None) -> None:
    queued = job_enqueue("tests.count")
    job_cancel(job=queued)
    assert run(queued.pk) == "skipped"
    queued.refresh_from_db()
    assert queued.status == JobStatus.CANCELLED and CALLS == []
    with pytest.raises(DomainError):
        job_cancel(job=queued)


def test_a_running_job_asked_to_stop_sees_it(db: None) -> None:
    queued = job_enqueue("tests.count")
    Job.objects.filter(pk=queued.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    queued.refresh_from_db()
    ctx = JobContext(queued)
    assert not ctx.cancelled()
    job_cancel(job=queued)
    ctx._last_cancel_check = 0.0  # the next read is due
    assert ctx.cancelled()


def test_an_unknown_kind_is_refused_before_anything_is_written(db: None) -> None:
    with pytest.raises(LookupError):
        job_enqueue("tests.no-such-kind")
    assert not Job.objects.exists() and not OrmQ.objects.exists()


def test_periodic_runs_do_not_pile_up(db: None) -> None:
    assert run_periodic("tests.count") == "done"
    # One still running (within its lease): the next tick does not start a second one.
    Job.objects.update(status=JobStatus.RUNNING, finished_at=None, started_at=timezone.now())
    assert run_periodic("tests.count") == "skipped"
    assert Job.objects.filter(kind="tests.count").count() == 1
    assert len(CALLS) == 1


def test_schedules_follow_the_settings(db: None, settings: Any) -> None:
    settings.HALTE_PERIODIC_JOBS = {
        "tests.count": {"every_minutes": 5},
        "reports.refresh_rollups": {"daily_at": "03:30"},
    }
    names = sync_schedules()
    assert sorted(names) == [PREFIX + "reports.refresh_rollups", PREFIX + "tests.count"]
    every = Schedule.objects.get(name=PREFIX + "tests.count")
    assert (every.schedule_type, every.minutes) == (Schedule.MINUTES, 5)
    daily = Schedule.objects.get(name=PREFIX + "reports.refresh_rollups")
    local = timezone.localtime(daily.next_run)
    assert (daily.schedule_type, local.hour, local.minute) == (Schedule.DAILY, 3, 30)
    assert daily.next_run > timezone.now()
    # A schedule removed from the settings goes; starting again changes nothing else.
    settings.HALTE_PERIODIC_JOBS = {"tests.count": {"every_minutes": 5}}
    sync_schedules()
    assert list(Schedule.objects.values_list("name", flat=True)) == [PREFIX + "tests.count"]


@pytest.mark.parametrize(
    "spec",
    [{"every_minutes": 0}, {"daily_at": "25h"}, {}, {"daily_at": "3:99"}],
)
def test_a_bad_schedule_fails_loudly_and_writes_nothing(
    db: None, settings: Any, spec: dict[str, Any]
) -> None:
    settings.HALTE_PERIODIC_JOBS = {"tests.count": spec}
    with pytest.raises(ImproperlyConfigured):
        sync_schedules()
    assert not Schedule.objects.exists()


def test_the_declared_periodic_jobs_all_exist(db: None) -> None:
    names = sync_schedules()
    assert {n.removeprefix(PREFIX) for n in names} == {
        "reports.refresh_rollups",
        "lodging.extend_stays",
        "retention.purge",
        "alerts.signal_check",
    }


def test_a_job_run_here_runs_through_the_runner_and_queues_nothing(db: None) -> None:
    done = job_run_here("tests.count", params={"site": "x"})
    assert done.status == JobStatus.DONE and done.result == {"n": 1} and done.attempts == 1
    assert not OrmQ.objects.exists()
    assert run(done.pk) == "skipped" and len(CALLS) == 1
