"""A real background worker for the tests: ``manage.py worker`` in its own process group, on the
test database, started, killed (SIGKILL, as a crash or an OOM kill would) and started again.

Tests that use it must commit their data (``transactional_db`` or ``live_server``): the worker is
another process with its own connection."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

# Short enough for a test to see a dead worker's job come back, long enough for its solves.
TIMEOUT_S = 10
GRACE_S = 1


def database_url() -> str:
    """The test database (already created by pytest-django) as a DATABASE_URL."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return "sqlite:///" + str(Path(db["NAME"]).resolve())
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{db['HOST']}{port}/{db['NAME']}"


class Worker:
    def __init__(self, log: Path) -> None:
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": database_url(),
            "HALTE_JOB_TIMEOUT": str(TIMEOUT_S),
            "HALTE_JOB_REDELIVERY_GRACE": str(GRACE_S),
            "HALTE_JOB_RETRY_SECONDS": "1",
            "HALTE_WORKER_POLL_SECONDS": "0.2",
        }
        env.pop("DATABASE_REPLICA_URL", None)
        with self.log.open("ab") as out:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "worker"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL the whole worker (the cluster and its processes), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        """Ask the worker to stop (SIGINT, the README unit's KillSignal), as a deploy would; kill
        it if it does not. (SIGTERM to the whole group ends django-q2's sentinel at once and
        leaves its main process waiting.)"""
        if self.process is None or self.process.poll() is not None:
            self.process = None
            return
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=TIMEOUT_S + 5)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_until(check: Callable[[], bool], *, timeout: float, what: str, worker: Worker) -> None:
    """Poll ``check`` until it holds; fail with the worker's log otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if worker.process is not None and worker.process.poll() is not None:
            raise AssertionError(f"the worker stopped; its log:\n{worker.output()[-4000:]}")
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{worker.output()[-4000:]}")
