"""Check-in and check-out."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import can_record_at
from halte.audit.services import audit_record
from halte.clients.models import Client
from halte.clients.selectors import active_bans, get_client_for_user
from halte.core.errors import DomainError, integrity_as_conflict
from halte.core.timeutils import local_today, now
from halte.network.enums import SiteStatus
from halte.network.models import Site
from halte.network.selectors import get_site_for_recording
from halte.visits.admission import Arrival, admission_refusal
from halte.visits.enums import RefusalReason, RefusalStage, purposes_to_mask
from halte.visits.models import Visit
from halte.visits.signals import turned_away, visit_closing

# Times typed on a tablet may lag a little; a time further ahead is a typing mistake.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
BACKDATE_LIMIT = dt.timedelta(hours=24)


def entry_moment(at: dt.datetime | None, *, field: str) -> dt.datetime:
    """The moment typed for an arrival, a departure or what happens in between (now when none):
    a few minutes ahead at most, 24 hours back at most."""
    current = now()
    moment = at or current
    if moment > current + FUTURE_TOLERANCE:
        raise DomainError(_("Cette heure est dans le futur."), field=field)
    if moment < current - BACKDATE_LIMIT:
        raise DomainError(
            _("Une saisie de plus de 24 heures en arrière n'est pas acceptée ici."), field=field
        )
    return moment


class RefusedEntry(DomainError):
    """A rule turned the person away; unlike other refusals, something was written: the refusal
    itself (site, moment, reason), without the person."""

    def __init__(self, message: str, *, reason: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.reason = reason


def turn_away(
    *,
    actor: User,
    site: Site,
    stage: str,
    reason: str,
    message: str,
    route: str = "",
    field: str | None = None,
) -> RefusedEntry:
    """Have the refusal a rule has just made counted (``signals.turned_away``: the site, the
    moment, the reason, never the person) and give back the error to raise. Called outside the
    service's own transaction, so that the refusal stays when the error is raised (inside a
    request's transaction, as with an Idempotency-Key, it lands with the refusal's answer)."""
    turned_away.send(Visit, actor=actor, site=site, stage=stage, reason=reason, route=route)
    return RefusedEntry(message, reason=reason, field=field)


def _arrival(purposes: list[str], arrived_at: dt.datetime | None) -> tuple[int, dt.datetime]:
    """The purposes as stored (a bit mask) and the time of arrival, both checked."""
    try:
        mask = purposes_to_mask(purposes)
    except ValueError as exc:
        raise DomainError(_("Motif de passage inconnu."), field="purposes") from exc
    return mask, entry_moment(arrived_at, field="arrived_at")


def visit_open(
    *,
    actor: User,
    site: Site,
    client: Client | None,
    purposes: list[str],
    arrived_at: dt.datetime | None = None,
) -> Visit:
    """Check someone in (or count an anonymous contact when ``client`` is None): every check-in,
    from the screens and the API, and each of its rules, in order. The site must be one of the
    actor's front-line sites (404 otherwise) and in activity; the person not excluded from the
    site or the network today, admitted by the site (a minor where adults only, someone not a
    woman where or when women only: ``visits.admission``), and not in already (a unique
    constraint, so that two desks cannot both let the same person in).

    The visit and its audit event are written in one transaction, all or nothing. A refusal by a
    rule (site not in activity, exclusion, admission) is counted before it is raised
    (``turn_away``: the site, the moment and the reason, never the person)."""
    if not can_record_at(actor, site):
        raise Http404(_("Site introuvable."))
    at_door = partial(turn_away, actor=actor, site=site, stage=RefusalStage.DOOR)
    if site.status != SiteStatus.OPERATIONAL:
        raise at_door(reason=RefusalReason.CLOSED, message=_("Ce site n'est pas en activité."))
    mask, moment = _arrival(purposes, arrived_at)
    if client is not None and active_bans(client, site_id=site.pk):
        raise at_door(
            reason=RefusalReason.BANNED,
            message=_("Cette personne est exclue de ce site à cette date."),
            field="client",
        )
    refusal = admission_refusal(
        site=site, client=client, when=Arrival(at=moment, today=local_today())
    )
    if refusal is not None:
        raise at_door(reason=refusal.reason, message=refusal.message, field="client")
    visit = Visit(site=site, client=client, arrived_at=moment, purposes=mask, opened_by=actor)
    with integrity_as_conflict(_("Cette personne est déjà présente sur ce site."), field="client"):
        visit.save()
        audit_record(
            actor=actor,
            action="visit.opened",
            subject=visit,
            site=site,
            payload={"anonymous": client is None, "purposes": sorted(purposes)},
        )
    return visit


def visit_check_in(
    *,
    actor: User,
    site_id: uuid.UUID,
    client_id: uuid.UUID | None,
    purposes: list[str],
    arrived_at: dt.datetime | None = None,
) -> Visit:
    """``visit_open`` for a site and a person given by their public ids, the API's check-in: a
    site or a person the actor may not see is a 404."""
    site = get_site_for_recording(actor, site_id)
    client = get_client_for_user(actor, client_id) if client_id is not None else None
    return visit_open(
        actor=actor, site=site, client=client, purposes=purposes, arrived_at=arrived_at
    )


@transaction.atomic
def visit_close(*, actor: User, visit: Visit, left_at: dt.datetime | None = None) -> Visit:
    """Check someone out. What still runs on the visit ends at the same time (``signals.
    visit_closing``: the room ends a session still running, a wait for a booth as given up and a
    watch in the rest area)."""
    if not can_record_at(actor, visit.site):
        raise Http404(_("Passage introuvable."))
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.left_at is not None:
        raise DomainError(_("Ce passage est déjà clos."))
    moment = entry_moment(left_at, field="left_at")
    if moment < visit.arrived_at:
        raise DomainError(_("Le départ précède l'arrivée."), field="left_at")
    visit_closing.send(Visit, actor=actor, visit=visit, at=moment)
    visit.left_at = moment
    visit.closed_by = actor
    visit.save(update_fields=["left_at", "closed_by", "updated_at"])
    audit_record(actor=actor, action="visit.closed", subject=visit, site=visit.site)
    return visit
