"""The demo's background job: the reports take in what the demo just wrote."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from halte.jobs.registry import job
from halte.jobs.runner import JobContext
from halte.reports.rollups import refresh


@job("demo.refresh_rollups", label=_("Prise en compte de l'activité de démonstration"))
def demo_rollups(ctx: JobContext) -> dict[str, Any]:
    """The reports' roll-up refresh (``reports.rollups.refresh``) without its settling delay: the
    delay guards against a check-in still being written, and none is while the demo loads, so
    every generated visit is folded in at once."""
    done = refresh(settle=dt.timedelta(0))
    return {"visits": done.visits, "last_visit_id": done.last_visit_id}
