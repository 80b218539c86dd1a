"""The jobs of no single app: the retention purge, daily (HALTE_PERIODIC_JOBS), instead of a cron
line. (The retention app sits below this one and cannot declare it.)"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from halte.jobs.registry import job
from halte.jobs.runner import JobContext
from halte.retention.services import purge_expired


@job("retention.purge", label=_("Suppression de ce qui a passé sa durée de conservation"))
def purge(ctx: JobContext) -> dict[str, Any]:
    return {"deleted": purge_expired()}
