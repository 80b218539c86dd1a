"""The race harness: conflicting requests released together, so the database, not Python, decides
which one wins. Sizes come from the environment (``HALTE_RACE_THREADS``, ``HALTE_RACE_REPEAT``) so a
CI run or a developer can make the races harder than the default."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections

# 32 conflicting requests released together, each race repeated (more with the variables).
THREADS = int(os.environ.get("HALTE_RACE_THREADS", "32"))
REPEAT = int(os.environ.get("HALTE_RACE_REPEAT", "3"))


def race(work: Callable[[int], Any], *, threads: int = THREADS) -> list[Any]:
    """Run ``work(i)`` for i in range(threads), each in its own thread, all released at once by a
    barrier; return what each returned or the exception it raised, in order. Each thread closes
    its database connections, so none outlives the test."""
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * threads

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the refusals are the point
            results[i] = exc
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results
