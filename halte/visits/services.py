"""Check-in and check-out."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import can_record_at
from halte.audit.services import audit_event, audit_record
from halte.clients.models import Client
from halte.clients.selectors import active_bans
from halte.core import fastsql
from halte.core.errors import ConflictError, DomainError
from halte.core.timeutils import now
from halte.network.enums import SiteStatus
from halte.network.models import Site
from halte.visits.enums import purposes_to_mask
from halte.visits.models import Visit

# Times typed on a tablet may lag a little; a time further ahead is a typing mistake.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
BACKDATE_LIMIT = dt.timedelta(hours=24)


def _check_moment(moment: dt.datetime, *, field: str) -> None:
    current = now()
    if moment > current + FUTURE_TOLERANCE:
        raise DomainError(_("Cette heure est dans le futur."), field=field)
    if moment < current - BACKDATE_LIMIT:
        raise DomainError(
            _("Une saisie de plus de 24 heures en arrière n'est pas acceptée ici."), field=field
        )


def visit_open(
    *,
    actor: User,
    site: Site,
    client: Client | None,
    purposes: list[str],
    arrived_at: dt.datetime | None = None,
) -> Visit:
    """Check someone in (or count an anonymous contact when ``client`` is None). Refused for a
    person excluded from the site or the network, and for someone already in.

    The visit and its audit event are written together, all or nothing (``fastsql.insert``: one
    statement on PostgreSQL, the hot path of the front desk); the checks before only read."""
    if not can_record_at(actor, site):
        raise Http404(_("Site introuvable."))
    if site.status != SiteStatus.OPERATIONAL:
        raise DomainError(_("Ce site n'est pas en activité."))
    try:
        mask = purposes_to_mask(purposes)
    except ValueError as exc:
        raise DomainError(_("Motif de passage inconnu."), field="purposes") from exc
    moment = arrived_at or now()
    _check_moment(moment, field="arrived_at")
    if client is not None and active_bans(client, site_id=site.pk):
        raise DomainError(_("Cette personne est exclue de ce site à cette date."), field="client")
    visit = Visit(site=site, client=client, arrived_at=moment, purposes=mask, opened_by=actor)
    event = audit_event(
        actor=actor,
        action="visit.opened",
        object_type="visit",
        object_id=str(visit.public_id),
        site=site,
        payload={"anonymous": client is None, "purposes": sorted(purposes)},
    )
    try:
        fastsql.insert(visit, event)
    except IntegrityError as exc:
        raise ConflictError(
            _("Cette personne est déjà présente sur ce site."), field="client"
        ) from exc
    return visit


@transaction.atomic
def visit_close(*, actor: User, visit: Visit, left_at: dt.datetime | None = None) -> Visit:
    """Check someone out. A supervised session still running ends at the same time."""
    from halte.consumption.services import session_end

    if not can_record_at(actor, visit.site):
        raise Http404(_("Passage introuvable."))
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.left_at is not None:
        raise DomainError(_("Ce passage est déjà clos."))
    moment = left_at or now()
    _check_moment(moment, field="left_at")
    if moment < visit.arrived_at:
        raise DomainError(_("Le départ précède l'arrivée."), field="left_at")
    for session in visit.sessions.filter(ended_at__isnull=True):
        session_end(actor=actor, session=session, ended_at=moment)
    visit.left_at = moment
    visit.closed_by = actor
    visit.save(update_fields=["left_at", "closed_by", "updated_at"])
    audit_record(
        actor=actor,
        action="visit.closed",
        object_type="visit",
        object_id=str(visit.public_id),
        site=visit.site,
    )
    return visit
