"""The alerts' background job: read the network's incidents of the last hours for a signal."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from halte.alerts.services import signal_check
from halte.jobs.registry import job
from halte.jobs.runner import JobContext


@job("alerts.signal_check", label=_("Recherche d'une hausse des surdoses et incidents"))
def check_signal(ctx: JobContext) -> dict[str, Any]:
    """Open (or extend) a signal when the last hours are above their usual level."""
    signal = signal_check()
    return {"signal": str(signal.public_id) if signal else None}
