"""The one place where the demo asks the reports to take in what it wrote."""

from __future__ import annotations

import datetime as dt

from halte.reports.rollups import Refreshed, refresh


def reports_refresh() -> Refreshed:
    """Fold what the demo just generated into the reports' roll-ups, without waiting for the
    settling delay: no check-in is in flight while the demo loads."""
    return refresh(settle=dt.timedelta(0))
