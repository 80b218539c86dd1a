"""Signals: are the network's overdoses and incidents of the last hours above their usual level?

Method (docs/alerts.md): count the product-related incidents (opioid overdoses, stimulant
toxicities, seizures, malaises) recorded at any site in the last ``WINDOW_HOURS`` hours. The usual
level is the mean count of the same hours of the week over the previous ``BASELINE_WEEKS`` weeks
(the same window moved back by 7, 14 … days), floored at ``MIN_EXPECTED`` so that a quiet history
does not make two incidents look like an outbreak. The window is a signal when the count reaches
``MIN_OBSERVED`` and the chance of seeing at least that many under a Poisson law of the usual level
is below ``ALPHA``: the threshold is the smallest such count.

Pure arithmetic first (``poisson_threshold``), then one query for the window and one for the
baseline weeks.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Q

from halte.consumption.enums import IncidentKind
from halte.consumption.models import Incident

WINDOW_HOURS = 6
BASELINE_WEEKS = 8
ALPHA = 0.01
MIN_EXPECTED = 0.3
MIN_OBSERVED = 3
SIGNAL_KINDS = (
    IncidentKind.OPIOID_OVERDOSE,
    IncidentKind.STIMULANT_TOXICITY,
    IncidentKind.SEIZURE,
    IncidentKind.MALAISE,
)


def poisson_tail(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean)."""
    if k <= 0:
        return 1.0
    term = math.exp(-mean)
    below = term
    for i in range(1, k):
        term *= mean / i
        below += term
    return max(0.0, 1.0 - below)


def poisson_threshold(expected: float, *, alpha: float = ALPHA) -> int:
    """The smallest count that is a signal for this usual level: at least ``MIN_OBSERVED`` and
    with a Poisson upper tail below ``alpha``."""
    mean = max(expected, MIN_EXPECTED)
    k = MIN_OBSERVED
    while poisson_tail(k, mean) >= alpha:
        k += 1
    return k


@dataclass(frozen=True)
class Reading:
    """The window read at ``end``: what was counted, the usual level and the threshold."""

    start: dt.datetime
    end: dt.datetime
    observed: int
    expected: float
    threshold: int
    weekly: tuple[int, ...]

    @property
    def raised(self) -> bool:
        return self.observed >= self.threshold

    @property
    def tail(self) -> float:
        return poisson_tail(self.observed, max(self.expected, MIN_EXPECTED))


def read_window(end: dt.datetime) -> Reading:
    """Count the window ending at ``end`` and its baseline (two queries)."""
    width = dt.timedelta(hours=WINDOW_HOURS)
    start = end - width
    kinds = [k.value for k in SIGNAL_KINDS]
    observed = Incident.objects.filter(
        kind__in=kinds, occurred_at__gte=start, occurred_at__lt=end
    ).count()
    shifts = [dt.timedelta(days=7 * w) for w in range(1, BASELINE_WEEKS + 1)]
    windows = Q()
    for shift in shifts:
        windows |= Q(occurred_at__gte=start - shift, occurred_at__lt=end - shift)
    weekly = [0] * BASELINE_WEEKS
    for moment in Incident.objects.filter(windows, kind__in=kinds).values_list(
        "occurred_at", flat=True
    ):
        for i, shift in enumerate(shifts):
            if start - shift <= moment < end - shift:
                weekly[i] += 1
                break
    expected = sum(weekly) / BASELINE_WEEKS
    return Reading(
        start=start,
        end=end,
        observed=observed,
        expected=expected,
        threshold=poisson_threshold(expected),
        weekly=tuple(weekly),
    )
