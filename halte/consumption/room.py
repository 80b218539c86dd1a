"""The room's door and queue: people turned away, people kept waiting for a booth, and the watch in
the rest area after a session.

A refusal holds no person: a site, a moment, where (door or room), why, and the route asked when
the route was the reason. The rules that refuse (``visits.services.visit_open`` at the door,
``consumption.services.session_start`` in the room) have their own refusal counted through
``visits.services.turn_away``, each rule in one place, and ``receivers`` records it here; the staff
record what no rule can see (``full``: the room or the waiting area has no space) with
``refusal_record``."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import can_record_at
from halte.audit.services import audit_record
from halte.consumption.enums import RefusalReason, RefusalStage, SessionRoute, WaitOutcome
from halte.consumption.models import Refusal, Session, Wait
from halte.core.errors import DomainError
from halte.core.timeutils import now
from halte.network.models import Site
from halte.visits.models import Visit
from halte.visits.services import entry_moment


def refusal_write(
    *, actor: User, site: Site, stage: str, reason: str, route: str, at: dt.datetime
) -> Refusal:
    """Write a refusal and its audit event, checked already (by the staff's form or by the rule
    that refused)."""
    with transaction.atomic():
        refusal = Refusal.objects.create(
            site=site, at=at, stage=stage, reason=reason, route=route, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="refusal.recorded",
            subject=refusal,
            site=site,
            payload={"stage": stage, "reason": reason, "route": route},
        )
    return refusal


def refusal_record(
    *,
    actor: User,
    site: Site,
    reason: str,
    stage: str = RefusalStage.DOOR,
    route: str = "",
    at: dt.datetime | None = None,
) -> Refusal:
    """Record someone turned away by the staff (the site full, closed, or another reason), at the
    door or at the room, now or up to 24 hours back. No person is named or linked: the refusal is
    counted, never traced back. A refusal for the route names the route asked."""
    if not can_record_at(actor, site):
        raise Http404(_("Site introuvable."))
    if reason not in RefusalReason.values:
        raise DomainError(_("Motif de refus inconnu."), field="reason")
    if stage not in RefusalStage.values:
        raise DomainError(_("Lieu du refus inconnu."), field="stage")
    if route and route not in SessionRoute.values:
        raise DomainError(_("Voie inconnue."), field="route")
    if reason == RefusalReason.ROUTE_NOT_ALLOWED and not route:
        raise DomainError(_("Indiquez la voie demandée."), field="route")
    moment = entry_moment(at, field="at")
    return refusal_write(actor=actor, site=site, stage=stage, reason=reason, route=route, at=moment)


@transaction.atomic
def wait_start(*, actor: User, visit: Visit, route: str) -> Wait:
    """Someone present waits for a booth of ``route``: one open wait per visit (a database
    constraint), none once their session has started."""
    site = visit.site
    if not can_record_at(actor, site):
        raise Http404(_("Passage introuvable."))
    if route not in SessionRoute.values:
        raise DomainError(_("Voie inconnue."), field="route")
    if visit.left_at is not None:
        raise DomainError(_("Ce passage est clos."), field="visit")
    if visit.client_id is None:
        raise DomainError(
            _("Une consommation demande une personne inscrite (code), pas un contact anonyme."),
            field="visit",
        )
    if Session.objects.filter(visit=visit).exists():
        raise DomainError(_("Cette personne a déjà consommé pendant ce passage."), field="visit")
    try:
        with transaction.atomic():
            wait = Wait.objects.create(
                site=site, visit=visit, route=route, started_at=now(), started_by=actor
            )
    except IntegrityError as exc:
        raise DomainError(_("Cette personne attend déjà un poste."), field="visit") from exc
    audit_record(
        actor=actor, action="wait.started", subject=wait, site=site, payload={"route": route}
    )
    return wait


def _close_wait(*, actor: User, wait: Wait, outcome: str, at: dt.datetime) -> Wait:
    wait.ended_at = max(at, wait.started_at)
    wait.outcome = outcome
    wait.save(update_fields=["ended_at", "outcome", "updated_at"])
    audit_record(
        actor=actor, action="wait.ended", subject=wait, site=wait.site, payload={"outcome": outcome}
    )
    return wait


@transaction.atomic
def wait_end(
    *, actor: User, wait: Wait, outcome: str = WaitOutcome.LEFT, at: dt.datetime | None = None
) -> Wait:
    """End a wait: the person left without a booth (``left``) or got one (``served``; starting
    their session ends the wait by itself)."""
    if not can_record_at(actor, wait.site):
        raise Http404(_("Attente introuvable."))
    if outcome not in WaitOutcome.values:
        raise DomainError(_("Issue de l'attente inconnue."), field="outcome")
    wait = Wait.objects.select_for_update().get(pk=wait.pk)
    if wait.ended_at is not None:
        raise DomainError(_("Cette attente est déjà terminée."))
    moment = entry_moment(at, field="at")
    if moment < wait.started_at:
        raise DomainError(_("La fin précède le début."), field="at")
    return _close_wait(actor=actor, wait=wait, outcome=outcome, at=moment)


def waits_served(*, actor: User, visit: Visit, at: dt.datetime) -> None:
    """The visit's open wait ends as served: its session starts at ``at``."""
    for wait in Wait.objects.select_for_update().filter(visit=visit, ended_at__isnull=True):
        _close_wait(actor=actor, wait=wait, outcome=WaitOutcome.SERVED, at=at)


@transaction.atomic
def watch_end(*, actor: User, session: Session, at: dt.datetime | None = None) -> Session:
    """The person leaves the rest area where they were watched after their session."""
    site = session.booth.site
    if not can_record_at(actor, site):
        raise Http404(_("Consommation introuvable."))
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.watch_started_at is None or session.watch_ended_at is not None:
        raise DomainError(_("Cette personne n'est pas en espace de repos."))
    moment = entry_moment(at, field="at")
    if moment < session.watch_started_at:
        raise DomainError(_("La fin précède le début."), field="at")
    session.watch_ended_at = moment
    session.save(update_fields=["watch_ended_at", "updated_at"])
    audit_record(actor=actor, action="session.watch_ended", subject=session, site=site)
    return session


def room_leave(*, actor: User, visit: Visit, at: dt.datetime) -> None:
    """The person leaves the site (their visit closes at ``at``): a session still running ends,
    a wait ends as given up, a watch in the rest area ends, all at the same time."""
    from halte.consumption.services import session_end

    for session in visit.sessions.filter(ended_at__isnull=True):
        session_end(actor=actor, session=session, ended_at=at)
    for wait in Wait.objects.select_for_update().filter(visit=visit, ended_at__isnull=True):
        _close_wait(actor=actor, wait=wait, outcome=WaitOutcome.LEFT, at=at)
    for session in visit.sessions.filter(watch_started_at__isnull=False, watch_ended_at=None):
        session.watch_ended_at = max(at, session.watch_started_at or at)
        session.save(update_fields=["watch_ended_at", "updated_at"])
        audit_record(actor=actor, action="session.watch_ended", subject=session, site=visit.site)


def session_routes(site: Site) -> list[str]:
    """The routes a session may take at ``site``: those of its booths, and the oral route wherever
    there is a booth (an oral consumption takes a free place of any route)."""
    routes = site.allowed_routes()
    return [*routes, SessionRoute.ORAL] if routes else []
