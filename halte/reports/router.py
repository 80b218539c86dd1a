"""Reports read from a PostgreSQL read replica when one is configured.

``DATABASE_REPLICA_URL`` adds a ``replica`` database alias (config/settings.py) and installs
:class:`ReportsReplicaRouter`. Report code reads inside ``reading_replica()``; the router then
sends those reads, and only those, to the replica. Every write goes to the primary, and migrations
run on the primary only (the replica follows it by streaming replication)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
F = TypeVar("F", bound=Callable[..., Any])
_reading_reports: ContextVar[bool] = ContextVar("halte_reading_reports", default=False)
# Figures read once per report: the outermost reading_replica() block holds a memo that the
# reads of halte.reports.rollups share (a report asks for its people or its visits several times).
_memo: ContextVar[dict[Any, Any] | None] = ContextVar("halte_report_memo", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def report_alias() -> str:
    """The alias report reads use: the replica inside ``reading_replica()`` when it exists and the
    router is installed, the primary otherwise."""
    installed = any(
        (r if isinstance(r, str) else type(r).__module__ + "." + type(r).__name__).endswith(
            "ReportsReplicaRouter"
        )
        for r in settings.DATABASE_ROUTERS
    )
    return (
        REPLICA
        if installed and replica_configured() and _reading_reports.get()
        else DEFAULT_DB_ALIAS
    )


@contextmanager
def reading_replica() -> Iterator[str]:
    """Within this block, reads of the reports go to the replica (if any); yields the alias."""
    token = _reading_reports.set(True)
    memo = _memo.set({}) if _memo.get() is None else None
    try:
        yield report_alias()
    finally:
        if memo is not None:
            _memo.reset(memo)
        _reading_reports.reset(token)


def report_memo() -> dict[Any, Any] | None:
    """The memo of the report being read (None outside ``reading_replica()``)."""
    return _memo.get()


class ReportsReplicaRouter:
    """Reads made by the reports go to the replica; everything else is left to the default."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _reading_reports.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Replica and primary hold the same rows: an object read from one relates to the other.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


def read_once(fn: F) -> F:
    """A report's read made once per report: inside ``reading_replica()`` the result is kept for
    the same arguments (a scope is a frozen dataclass) until the outermost block ends; outside, it
    is read every time."""

    @functools.wraps(fn)
    def read(*args: Any) -> Any:
        memo = _memo.get()
        if memo is None:
            return fn(*args)
        key = (fn.__module__, fn.__qualname__, report_alias(), *args)
        if key not in memo:
            memo[key] = fn(*args)
        return memo[key]

    return cast(F, read)
