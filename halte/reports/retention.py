"""The reports keep no row of their own past retention, but their roll-ups counted the visits and
the material a purge deletes: rebuild them from what is left."""

from __future__ import annotations

import logging
from typing import Any

from halte.reports.rollups import refresh
from halte.retention.signals import purged

logger = logging.getLogger(__name__)


def rebuild_rollups(*, counts: dict[str, int], **kwargs: Any) -> None:
    if counts.get("visits.Visit") or counts.get("care.Distribution"):
        done = refresh(full=True)
        logger.info(
            "reports roll-ups rebuilt from %s visits and %s distributions",
            done.visits,
            done.distributions,
        )


purged.connect(rebuild_rollups, dispatch_uid="reports.rebuild_rollups_after_purge")
