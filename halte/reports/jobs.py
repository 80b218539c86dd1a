"""The reports' background jobs: the roll-ups' refresh (periodic) and large file exports."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from halte.core.errors import DomainError
from halte.jobs.models import Job
from halte.jobs.registry import job
from halte.jobs.runner import JobContext
from halte.reports import exports
from halte.reports.frameworks import build_report
from halte.reports.permissions import must_suppress
from halte.reports.rollups import refresh
from halte.reports.selectors import report_scope


@job("reports.refresh_rollups", label=_("Mise à jour des cumuls des rapports"))
def refresh_rollups(ctx: JobContext) -> dict[str, Any]:
    """Fold what was recorded since the last run into the roll-ups. ``settle_seconds`` (params)
    replaces the settling delay: 0 where nothing is still being written (the demo's loaders)."""
    settle = ctx.params.get("settle_seconds")
    if settle is None:
        done = refresh(full=False)
    else:
        done = refresh(full=False, settle=dt.timedelta(seconds=settle))
    return {
        "visits": done.visits,
        "last_visit_id": done.last_visit_id,
        "distributions": done.distributions,
        "last_distribution_id": done.last_distribution_id,
    }


def export_path(public_id: str, fmt: str) -> Path:
    """Where a prepared export waits for its requester (outside the static files)."""
    return Path(settings.VAR_DIR) / "exports" / f"{public_id}.{fmt}"


@receiver(post_delete, sender=Job, dispatch_uid="reports-export-file")
def _remove_export_file(sender: type[Job], instance: Job, **kwargs: Any) -> None:
    """A prepared file is kept as long as its job (HALTE_RETENTION_JOBS_DAYS), not longer."""
    if instance.kind == "reports.export":
        export_path(str(instance.public_id), str(instance.result.get("format", "xlsx"))).unlink(
            missing_ok=True
        )


@job("reports.export", label=_("Préparation d'un fichier de rapport"))
def export_report(ctx: JobContext) -> dict[str, Any]:
    """Build the report as its requester may see it now (permissions and masking checked again
    at run time) and write the file whole, then rename it: a killed attempt leaves no half file."""
    user = ctx.job.requested_by
    if user is None or not user.is_active:
        raise DomainError(str(_("Le compte qui a demandé ce fichier n'est plus actif.")))
    params = ctx.params
    fmt = params["format"]
    suppressed = must_suppress(user, external=bool(params.get("external")))
    try:
        scope = report_scope(
            user,
            site_id=params.get("site") or None,
            network=not (params.get("site") or params.get("authorisation")),
            authorisation=params.get("authorisation") or None,
            start=dt.date.fromisoformat(params["start"]),
            end=dt.date.fromisoformat(params["end"]),
            masked=suppressed,
        )
    except (Http404, PermissionDenied) as exc:
        raise DomainError(str(_("Ce compte ne peut plus lire ce rapport."))) from exc
    ctx.progress(10)
    report = build_report(params["framework"], scope, suppressed=suppressed)
    ctx.stop_if_cancelled()
    ctx.progress(80)
    content = exports.render(report, fmt)
    target = export_path(str(ctx.job.public_id), fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.replace(temporary, target)
    return {"format": fmt, "filename": exports.filename(report, fmt), "bytes": len(content)}
