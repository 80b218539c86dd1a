"""Lodging's background job: each evening, tonight's bed-night for every open-ended stay."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from halte.jobs.registry import job
from halte.jobs.runner import JobContext
from halte.lodging.services import stays_extend


@job("lodging.extend_stays", label=_("Nuitées du soir des séjours sans date de fin"))
def extend_stays(ctx: JobContext) -> dict[str, Any]:
    result = stays_extend(actor=None)
    return {"confirmed": result.confirmed, "conflicts": result.conflicts}
