"""Supervised consumption: booths, sessions and incidents."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import can_record_at, is_peer_at
from halte.audit.services import audit_record
from halte.clients.selectors import active_bans
from halte.consumption.enums import (
    PRODUCT_BITS,
    ROUTE_PREFIX,
    IncidentKind,
    Outcome,
    Product,
    RefusalReason,
    RefusalStage,
    SessionRoute,
    mask_to_products,
    products_to_mask,
)
from halte.consumption.models import Booth, BoothServicePeriod, Incident, Session
from halte.consumption.room import session_routes, waits_served
from halte.core.errors import ConflictError, DomainError
from halte.core.models import serve_from
from halte.core.timeutils import local_today, now
from halte.network.enums import SiteStatus
from halte.network.models import Site
from halte.network.selectors import site_open_state
from halte.visits.models import Visit
from halte.visits.services import turn_away

ADULT_AGE = 18


def booths_sync(*, site: Site, on: dt.date | None = None) -> None:
    """Make the site's active booths match its booth counts per route, from ``on`` (today by
    default; at the site's creation, the day it opened; a change recorded late, the day it took
    effect). Booths beyond the count are deactivated, never deleted: past sessions keep pointing
    at them. Their service periods, which the reports read (booth occupancy), say the same from
    ``on`` on (``core.models.serve_from``)."""
    on = on or local_today()
    for route, count in site.booths_by_route().items():
        existing = {b.number: b for b in Booth.objects.filter(site=site, route=route)}
        serving: list[int] = []
        for number in range(1, count + 1):
            booth = existing.get(number)
            if booth is None:
                booth = Booth.objects.create(
                    site=site, route=route, number=number, label=f"{ROUTE_PREFIX[route]}{number}"
                )
            elif not booth.is_active:
                Booth.objects.filter(pk=booth.pk).update(is_active=True)
            serving.append(booth.pk)
        withdrawn = [b.pk for n, b in existing.items() if n > count]
        Booth.objects.filter(pk__in=withdrawn, is_active=True).update(is_active=False)
        serve_from(BoothServicePeriod, "booth", serving=serving, withdrawn=withdrawn, on=on)


def _room_refusal(
    visit: Visit, route: str, *, adult_confirmed: bool
) -> tuple[str, str, str | None] | None:
    """Why the room turns this person away, as (reason, message, field), or None; asked in order:
    the site closed, the route not offered, a minor, an exclusion. A question to staff (confirm
    the majority) or a wrong input is raised as it is, and is no refusal."""
    site = visit.site
    if site.status != SiteStatus.OPERATIONAL or not site_open_state(site).is_open:
        message = _("Le site est fermé : pas de consommation en dehors des horaires.")
        return RefusalReason.CLOSED, message, None
    if route not in session_routes(site):
        message = _("Ce site n'accepte pas la voie « %(route)s ».") % {
            "route": SessionRoute(route).label
        }
        return RefusalReason.ROUTE_NOT_ALLOWED, message, "route"
    client = visit.client
    if client is None:
        raise DomainError(
            _("Une consommation demande une personne inscrite (code), pas un contact anonyme."),
            field="visit",
        )
    age = client.age_in(local_today().year)
    if age < ADULT_AGE:
        message = _("Personne mineure : la consommation supervisée est réservée aux majeurs.")
        return RefusalReason.MINOR, message, None
    if age == ADULT_AGE and not adult_confirmed:
        # Only the year of birth is kept: someone born this year 18 years ago may still be 17.
        raise DomainError(
            _("Née ou né il y a 18 ans cette année : confirmez la majorité avant de commencer."),
            field="adult_confirmed",
        )
    if active_bans(client, site_id=visit.site_id):
        message = _("Cette personne est exclue de ce site à cette date.")
        return RefusalReason.BANNED, message, None
    return None


def _pick_booth(site: Site, route: str, booth: Booth | None) -> Booth:
    """The booth asked for, or the first free one of the route. An oral consumption needs no
    booth of its own: it takes the place asked for, or the first free one of any route."""
    oral = route == SessionRoute.ORAL
    if booth is not None:
        if booth.site_id != site.pk or not booth.is_active:
            raise DomainError(_("Ce poste n'existe pas sur ce site."), field="booth")
        if booth.route != route and not oral:
            raise DomainError(
                _("Le poste %(booth)s n'accepte pas la voie « %(route)s ».")
                % {"booth": booth.label, "route": SessionRoute(route).label},
                field="booth",
            )
        return booth
    busy = Session.objects.filter(booth__site=site, ended_at__isnull=True).values("booth_id")
    places = Booth.objects.filter(site=site, is_active=True).exclude(pk__in=busy)
    free = (places if oral else places.filter(route=route)).order_by("route", "number").first()
    if free is None:
        raise ConflictError(_("Aucun poste libre pour cette voie."), field="booth")
    return free


def _other_products(product: str, others: list[str] | None) -> int:
    try:
        mask = products_to_mask(others or [])
    except ValueError as exc:
        raise DomainError(_("Produit inconnu."), field="other_products") from exc
    if mask & PRODUCT_BITS.get(product, 0):
        raise DomainError(
            _("Le produit principal est déjà déclaré : ne le cochez pas une seconde fois."),
            field="other_products",
        )
    return mask


def session_start(
    *,
    actor: User,
    visit: Visit,
    route: str,
    product: str,
    other_products: list[str] | None = None,
    booth: Booth | None = None,
    adult_confirmed: bool = False,
) -> Session:
    """Start a supervised consumption on a free booth that allows the route (any free place for
    the oral route). One per visit; a booth holds one session at a time (both enforced by the
    database under concurrent requests). ``other_products`` are the products taken beside the
    main one. A wait for a booth ends as served.

    When the room turns the person away (site closed, route not offered, a minor, an exclusion)
    the refusal is counted (``visits.services.turn_away``, no person) before the error is raised:
    the checks run before the session's own transaction, so the count stays."""
    site = visit.site
    if not can_record_at(actor, site):
        raise Http404(_("Passage introuvable."))
    if route not in SessionRoute.values:
        raise DomainError(_("Voie inconnue."), field="route")
    if product not in Product.values:
        raise DomainError(_("Produit inconnu."), field="product")
    mask = _other_products(product, other_products)
    if visit.left_at is not None:
        raise DomainError(_("Ce passage est clos."), field="visit")
    refusal = _room_refusal(visit, route, adult_confirmed=adult_confirmed)
    if refusal is not None:
        reason, message, field = refusal
        raise turn_away(
            actor=actor,
            site=site,
            stage=RefusalStage.ROOM,
            reason=reason,
            message=message,
            route=route if reason == RefusalReason.ROUTE_NOT_ALLOWED else "",
            field=field,
        )
    return _session_create(
        actor=actor, visit=visit, route=route, product=product, mask=mask, booth=booth
    )


@transaction.atomic
def _session_create(
    *, actor: User, visit: Visit, route: str, product: str, mask: int, booth: Booth | None
) -> Session:
    site = visit.site
    if Session.objects.filter(visit=visit).exists():
        raise DomainError(_("Une seule consommation par passage."), field="visit")
    chosen = _pick_booth(site, route, booth)
    moment = now()
    try:
        with transaction.atomic():
            session = Session.objects.create(
                visit=visit,
                booth=chosen,
                route=route,
                product=product,
                other_products=mask,
                started_at=moment,
                started_by=actor,
                led_by_peer=is_peer_at(actor, site),
            )
    except IntegrityError as exc:
        if Session.objects.filter(visit=visit).exists():
            raise DomainError(_("Une seule consommation par passage."), field="visit") from exc
        raise ConflictError(
            _("Le poste %(booth)s est occupé.") % {"booth": chosen.label}, field="booth"
        ) from exc
    waits_served(actor=actor, visit=visit, at=moment)
    audit_record(
        actor=actor,
        action="session.started",
        subject=session,
        site=site,
        payload={
            "booth": chosen.label,
            "route": route,
            "product": product,
            "other_products": mask_to_products(mask),
        },
    )
    return session


@transaction.atomic
def session_end(
    *, actor: User, session: Session, ended_at: dt.datetime | None = None, watch: bool = False
) -> Session:
    """End a session; the booth is free again. With ``watch`` the person goes on to the rest
    area, watched from that moment until ``room.watch_end`` (or until they leave the site)."""
    site = session.booth.site
    if not can_record_at(actor, site):
        raise Http404(_("Consommation introuvable."))
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.ended_at is not None:
        raise DomainError(_("Cette consommation est déjà terminée."))
    moment = ended_at or now()
    if moment < session.started_at:
        raise DomainError(_("La fin précède le début."), field="ended_at")
    session.ended_at = moment
    session.watch_started_at = moment if watch else None
    session.save(update_fields=["ended_at", "watch_started_at", "updated_at"])
    audit_record(
        actor=actor, action="session.ended", subject=session, site=site, payload={"watch": watch}
    )
    return session


@transaction.atomic
def incident_record(
    *,
    actor: User,
    site: Site,
    kind: str,
    outcome: str,
    visit: Visit | None = None,
    session: Session | None = None,
    occurred_at: dt.datetime | None = None,
    oxygen: bool = False,
    naloxone_doses: int = 0,
    resuscitation: bool = False,
    emergency_call: bool = False,
    hospital_transfer: bool = False,
) -> Incident:
    """Record an overdose or another incident with what was done and how it ended."""
    if not can_record_at(actor, site):
        raise Http404(_("Site introuvable."))
    if kind not in IncidentKind.values:
        raise DomainError(_("Type d'incident inconnu."), field="kind")
    if outcome not in Outcome.values:
        raise DomainError(_("Issue inconnue."), field="outcome")
    if session is not None:
        visit = visit or session.visit
        if session.visit_id != visit.pk:
            raise DomainError(
                _("Cette consommation n'appartient pas à ce passage."), field="session"
            )
    if visit is not None and visit.site_id != site.pk:
        raise DomainError(_("Ce passage n'a pas lieu sur ce site."), field="visit")
    if not 0 <= naloxone_doses <= 20:
        raise DomainError(
            _("Plus de 20 doses de naloxone : vérifiez la saisie."), field="naloxone_doses"
        )
    if outcome == Outcome.TRANSFERRED:
        hospital_transfer = True
    moment = occurred_at or now()
    if moment > now() + dt.timedelta(minutes=5):
        raise DomainError(_("Cette heure est dans le futur."), field="occurred_at")
    incident = Incident.objects.create(
        site=site,
        visit=visit,
        session=session,
        client=visit.client if visit else None,
        kind=kind,
        occurred_at=moment,
        oxygen=oxygen,
        naloxone_doses=naloxone_doses,
        resuscitation=resuscitation,
        emergency_call=emergency_call,
        hospital_transfer=hospital_transfer,
        outcome=outcome,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="incident.recorded",
        subject=incident,
        site=site,
        payload={
            "kind": kind,
            "outcome": outcome,
            "naloxone_doses": naloxone_doses,
            "emergency_call": emergency_call,
            "hospital_transfer": hospital_transfer,
        },
    )
    return incident
