"""What every activity generator is given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from halte.accounts.models import User
from halte.clients.models import Client
from halte.network.models import Site


@dataclass(frozen=True)
class Run:
    """One generation: the random generator to draw from, the sites to fill, the pool of
    synthetic people, the days from ``start`` to ``end``, the volume scale, the account recorded
    as author, and the instant taken as now (``None``: the clock)."""

    rng: np.random.Generator
    sites: list[Site]
    pool: list[Client]
    start: dt.date
    end: dt.date
    scale: float
    actor: User
    now: dt.datetime | None = None
