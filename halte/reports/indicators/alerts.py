"""Indicators of the alerts app (halte.alerts), defined once like the others."""

from __future__ import annotations

from halte.reports.indicators.base import Indicator

INDICATORS: list[Indicator] = []
