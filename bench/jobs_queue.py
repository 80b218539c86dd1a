"""Does a long queue of background jobs slow the web requests? Check-ins on PostgreSQL behind
gunicorn, with a worker, an empty queue against hundreds of waiting jobs.

Run: ``.venv/bin/python bench/jobs_queue.py`` (PostgreSQL at 127.0.0.1:5432, trust auth). It
creates the database ``halte_bench_jobs``, loads the demo network, serves it with gunicorn (the
README's worker count) on 127.0.0.1:8765 and starts ``manage.py worker``; then, in the same run,
the latency of a check-in at a steady 10 a second:
  1. baseline: the worker idle, the queue empty;
  2. with JOBS jobs waiting and the worker stopped (the queue's size alone);
  3. with JOBS jobs waiting and the worker draining them (roll-up refreshes, each a real job);
and the peak memory (VmHWM) of the worker's processes, the jobs run per second, and the ratios to
the baseline. It rewrites its block in docs/performance.md. Traffic goes to 127.0.0.1 only and
stops by itself.
"""

from __future__ import annotations

import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("BENCH_DB", "halte_bench_jobs")
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Imported after choosing the database above: it reads BENCH_DB when loaded.
import checkin_load as base

JOBS = int(os.environ.get("BENCH_JOBS", "500"))
SECONDS = float(os.environ.get("BENCH_STEADY_SECONDS", "20"))
ENQUEUE = (
    "from halte.jobs.services import job_enqueue\n"
    f"for _ in range({JOBS}): job_enqueue('reports.refresh_rollups')\n"
)
COUNT_OPEN = (
    "from halte.jobs.models import Job\n"
    "print(Job.objects.filter(status__in=['waiting', 'running']).count())\n"
)


def open_jobs() -> int:
    return int(base.manage("shell", "-c", COUNT_OPEN).strip().splitlines()[-1])


def start_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [base.PYTHON, "manage.py", "worker", "--verbosity", "0"],
        cwd=base.ROOT,
        env=base.ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C and the README's unit
    process.wait(timeout=60)


def worker_memory_kib(worker: subprocess.Popen[bytes]) -> int:
    """Highest VmHWM among the worker's processes (the cluster forks its own)."""
    pids = subprocess.run(
        ["pgrep", "-g", str(worker.pid)], capture_output=True, text=True
    ).stdout.split()
    return base.highest_vmhwm_kib(pids)


def latencies(send: base.Send) -> dict[str, float]:
    values = base.steady(send, base.TARGET_RATE, SECONDS)
    return {
        "p50": statistics.median(values),
        "p95": base.percentile(values, 0.95),
        "n": len(values),
    }


def main() -> None:
    base.prepare_database()
    token = base.manage("issue_token", "reception-paris").splitlines()[-1]
    server = subprocess.Popen(
        [
            str(base.ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-b",
            f"{base.HOST}:{base.PORT}",
            "-w",
            str(base.RECOMMENDED),
            "--access-logfile",
            "/dev/null",
        ],
        cwd=base.ROOT,
        env=base.ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = start_worker()
    try:
        time.sleep(3)
        site = base.site_id()
        person = base.request_factory("person", token, site, base.people())
        base.peak(person, 2)  # warm-up
        time.sleep(8)  # the worker's first periodic roll-up is over
        idle = latencies(person)
        stop(worker)
        base.manage("shell", "-c", ENQUEUE)
        waiting = latencies(person)
        left_before = open_jobs()
        worker = start_worker()
        t0 = time.monotonic()
        draining = latencies(person)
        drained = left_before - open_jobs()
        rate = drained / (time.monotonic() - t0)
        memory = worker_memory_kib(worker)
    finally:
        stop(worker)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    result = {
        "jobs": JOBS,
        "idle": idle,
        "waiting": waiting,
        "draining": draining,
        "jobs_per_s": rate,
        "worker_kib": memory,
    }
    print(json.dumps(result, indent=2))
    write_report(result)


def write_report(r: dict[str, Any]) -> None:
    idle, waiting, draining = r["idle"], r["waiting"], r["draining"]
    block = "\n".join(
        [
            "<!-- jobs-queue:start -->",
            f"Measured {time.strftime('%Y-%m-%d')} by `bench/jobs_queue.py` on this 2-core machine "
            f"(PostgreSQL, gunicorn {base.RECOMMENDED} sync workers, one `manage.py worker` with "
            f"2 processes); check-ins at a steady {base.TARGET_RATE} a second for "
            f"{SECONDS:.0f} s in each case.",
            "",
            "| queue | check-in p50 (ms) | p95 (ms) | p95 / idle |",
            "|---|---|---|---|",
            f"| empty, worker idle (baseline) | {idle['p50']:.1f} | {idle['p95']:.1f} | 1.00 |",
            f"| {r['jobs']} jobs waiting, worker stopped | {waiting['p50']:.1f} | "
            f"{waiting['p95']:.1f} | {waiting['p95'] / idle['p95']:.2f} |",
            f"| {r['jobs']} jobs waiting, worker draining them | {draining['p50']:.1f} | "
            f"{draining['p95']:.1f} | {draining['p95'] / idle['p95']:.2f} |",
            "",
            f"The worker ran {r['jobs_per_s']:.1f} roll-up jobs a second while the check-ins went "
            f"on; its peak memory (VmHWM, largest process) was {r['worker_kib'] / 1024:.0f} MiB.",
            "<!-- jobs-queue:end -->",
        ]
    )
    path = base.ROOT / "docs/performance.md"
    text = path.read_text()
    if "<!-- jobs-queue:start -->" in text:
        text = re.sub(
            r"<!-- jobs-queue:start -->.*<!-- jobs-queue:end -->", block, text, flags=re.S
        )
    else:
        text += "\n## Background jobs and the web requests\n\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    main()
