"""The kinds of background job, each declared once by the app that owns the work.

An app writes, in its ``jobs.py``::

    @job("planning.solve", label=_("Calcul d'un scénario"))
    def solve(ctx: JobContext) -> dict[str, object]: ...

The handler receives a :class:`JobContext` and returns a small JSON-able summary. It must be safe
to run again after an interruption (the queue delivers at least once): check what is already done
and write its result in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from halte.jobs.runner import JobContext

Handler = Callable[["JobContext"], dict[str, Any]]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str | Promise
    handler: Handler
    max_attempts: int


_KINDS: dict[str, JobKind] = {}


def job(name: str, *, label: str | Promise, max_attempts: int = 3) -> Callable[[Handler], Handler]:
    """Declare ``name`` as a kind of job run by the decorated handler."""

    def register(handler: Handler) -> Handler:
        if name in _KINDS and _KINDS[name].handler is not handler:
            raise RuntimeError(f"job kind {name!r} is declared twice")
        _KINDS[name] = JobKind(name, label, handler, max_attempts)
        return handler

    return register


def get_kind(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"unknown job kind {name!r}") from None


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
