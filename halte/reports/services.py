"""Writes of the reports app: funding lines and staff positions. Each checks who acts, validates,
runs in a transaction and leaves an audit event (codes and amounts, nothing about a person)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.audit.services import audit_record
from halte.core.errors import DomainError
from halte.core.models import validate_model
from halte.jobs.models import Job
from halte.jobs.services import job_enqueue
from halte.network.models import Site
from halte.reports.enums import ExportFormat, Framework
from halte.reports.models import FundingLine, StaffPosition
from halte.reports.permissions import can_record_means, must_suppress
from halte.reports.selectors import report_scope


@transaction.atomic
def funding_line_create(
    *,
    actor: User,
    site: Site,
    funder: str,
    year: int,
    amount: Decimal,
    plan_action: int | None = None,
    source: str = "",
    approximate: bool = False,
) -> FundingLine:
    """Record what a funder grants a site for a year (optionally for one plan-crack action)."""
    if not can_record_means(actor, site):
        raise PermissionDenied(
            _("Seuls la coordination et le responsable du site saisissent les financements.")
        )
    line = FundingLine(
        site=site,
        funder=funder,
        year=year,
        amount=amount,
        plan_action=plan_action,
        source=source,
        approximate=approximate,
        created_by=actor,
    )
    validate_model(line, exclude=["created_by"])
    line.save()
    audit_record(
        actor=actor,
        action="funding_line.create",
        subject=line,
        site=site,
        payload={"funder": funder, "year": year, "amount": str(amount), "plan_action": plan_action},
    )
    return line


@transaction.atomic
def staff_position_set(
    *, actor: User, site: Site, profession: str, year: int, fte: Decimal
) -> StaffPosition:
    """Set the full-time equivalents of one profession at a site for a year (replaces the figure)."""
    if not can_record_means(actor, site):
        raise PermissionDenied(
            _("Seuls la coordination et le responsable du site saisissent le personnel.")
        )
    position = (
        StaffPosition.objects.select_for_update()
        .filter(site=site, profession=profession, year=year)
        .first()
    ) or StaffPosition(site=site, profession=profession, year=year, created_by=actor)
    position.fte = fte
    validate_model(position, exclude=["created_by"])
    position.save()
    audit_record(
        actor=actor,
        action="staff_position.set",
        subject=position,
        site=site,
        payload={"profession": profession, "year": year, "fte": str(fte)},
    )
    return position


def export_request(
    *,
    actor: User,
    framework: str,
    site_id: str | None,
    start: dt.date,
    end: dt.date,
    external: bool,
    fmt: str,
    authorisation: str | None = None,
) -> Job:
    """Ask the worker for a report file (halte.reports.jobs). The scope is checked now, so a
    refusal answers at once; the job checks it again when it runs. The job carries ids, the
    authorisation's FINESS number and dates only."""
    suppressed = must_suppress(actor, external=external)
    report_scope(
        actor,
        site_id=site_id,
        network=site_id is None and not authorisation,
        start=start,
        end=end,
        masked=suppressed,
        authorisation=authorisation,
    )
    if framework not in Framework.values or fmt not in ExportFormat.values:
        raise DomainError(_("Rapport ou format inconnu."))
    params = {
        "framework": framework,
        "site": site_id or "",
        "start": start.isoformat(),
        "end": end.isoformat(),
        "external": external,
        "format": fmt,
    }
    if authorisation:
        params["authorisation"] = authorisation
    return job_enqueue("reports.export", params=params, actor=actor)
