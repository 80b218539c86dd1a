"""Writes of the outreach app: gathering places, rounds, contacts, head counts."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import can_manage_registry
from halte.audit.services import audit_record
from halte.care.services import Lines, distribution_record
from halte.clients.models import Client
from halte.core.errors import ConflictError, DomainError, integrity_as_conflict
from halte.core.timeutils import now
from halte.geo.lib import areas
from halte.network.models import Site
from halte.outreach.enums import Zone
from halte.outreach.models import MAX_HEAD_COUNT, GatheringPlace, HeadCount, Round, RoundContact
from halte.outreach.permissions import can_work_rounds
from halte.visits.models import Visit
from halte.visits.services import visit_close, visit_open

FUTURE_TOLERANCE = dt.timedelta(minutes=5)
COUNT_BACKDATE_LIMIT = dt.timedelta(hours=48)
# A round sent late from a phone that was offline: as far back as a visit may be (24 hours).
ROUND_BACKDATE_LIMIT = dt.timedelta(hours=24)


def _check_team(actor: User, team: Site) -> None:
    if not can_work_rounds(actor, team):
        raise Http404(_("Équipe introuvable."))


@transaction.atomic
def gathering_place_create(
    *,
    actor: User | None,
    slug: str,
    name: str,
    zone: str,
    lon: float,
    lat: float,
    source: str,
) -> GatheringPlace:
    """Add a gathering place; its arrondissement follows from the point, which must lie in the
    Greater Paris. Coordinators and admins add places (the demo loader acts as nobody)."""
    if actor is not None and not can_manage_registry(actor):
        raise Http404(_("Introuvable."))
    if zone not in Zone.values:
        raise DomainError(_("Secteur inconnu."), field="zone")
    area = areas.locate(lon, lat)
    if area is None:
        raise DomainError(_("Ce point n'est pas dans Paris ou le Grand Paris."), field="lon")
    place = GatheringPlace.objects.create(
        slug=slug,
        name=name,
        zone=zone,
        lon=lon,
        lat=lat,
        code_insee=area.code_insee,
        area_name=area.name,
        source=source,
    )
    audit_record(
        actor=actor,
        action="gathering_place.created",
        subject=place,
        site=None,
        payload={"slug": slug, "zone": zone, "code_insee": area.code_insee},
    )
    return place


@transaction.atomic
def round_start(
    *,
    actor: User,
    team: Site,
    zone: str = "",
    place: GatheringPlace | None = None,
    started_at: dt.datetime | None = None,
    public_id: uuid.UUID | None = None,
) -> Round:
    """Start a round of this team over a zone or around a place; one round at a time per team.
    ``public_id`` may be chosen by the caller (a phone offline names its round before sending
    it, so that the round's contacts can name it too); one already taken is refused (409)."""
    _check_team(actor, team)
    if zone and zone not in Zone.values:
        raise DomainError(_("Secteur inconnu."), field="zone")
    if not zone and place is None:
        raise DomainError(_("Choisissez un secteur ou un lieu."), field="zone")
    moment = started_at or now()
    if moment > now() + FUTURE_TOLERANCE:
        raise DomainError(_("Cette heure est dans le futur."), field="started_at")
    if moment < now() - ROUND_BACKDATE_LIMIT:
        raise DomainError(
            _("Une maraude de plus de 24 heures en arrière n'est pas acceptée."), field="started_at"
        )
    if public_id is not None and Round.objects.filter(public_id=public_id).exists():
        raise ConflictError(_("Cette maraude est déjà enregistrée."), field="id")
    if Round.objects.filter(team=team, ended_at__isnull=True).exists():
        raise ConflictError(_("Cette équipe a déjà une maraude en cours."), field="team")
    with integrity_as_conflict(_("Cette équipe a déjà une maraude en cours."), field="team"):
        round_ = Round.objects.create(
            **({"public_id": public_id} if public_id else {}),
            team=team,
            zone=zone or (place.zone if place else ""),
            place=place,
            started_at=moment,
            started_by=actor,
        )
    audit_record(
        actor=actor,
        action="round.started",
        subject=round_,
        site=team,
        payload={"zone": round_.zone, "place": place.slug if place else None},
    )
    return round_


@transaction.atomic
def round_end(*, actor: User, round_: Round, ended_at: dt.datetime | None = None) -> Round:
    """End a round."""
    _check_team(actor, round_.team)
    round_ = Round.objects.select_for_update().select_related("team").get(pk=round_.pk)
    if round_.ended_at is not None:
        raise DomainError(_("Cette maraude est déjà terminée."))
    moment = ended_at or now()
    if moment < round_.started_at:
        raise DomainError(_("La fin précède le début."), field="ended_at")
    if moment > now() + FUTURE_TOLERANCE:
        raise DomainError(_("Cette heure est dans le futur."), field="ended_at")
    round_.ended_at = moment
    round_.save(update_fields=["ended_at", "updated_at"])
    audit_record(
        actor=actor,
        action="round.ended",
        subject=round_,
        site=round_.team,
        payload={"contacts": round_.contacts.count()},
    )
    return round_


@transaction.atomic
def contact_record(
    *,
    actor: User,
    round_: Round,
    client: Client | None,
    purposes: list[str],
    is_new: bool = False,
    place: GatheringPlace | None = None,
    lon: float | None = None,
    lat: float | None = None,
    at: dt.datetime | None = None,
    material: Lines = (),
) -> RoundContact:
    """Record one person met: a visit at the team's site, opened and closed at the same moment
    (so material and referrals recorded on visits work in the street), linked to the round, with
    the material given if any (from the team's stock: all or nothing). A known person is new
    when the team had never met them; an anonymous contact is new when the worker says so. A
    contact on an ended round is taken only when ``at`` falls before its end (sent late)."""
    team = round_.team
    _check_team(actor, team)
    round_ = Round.objects.select_related("team", "place").get(pk=round_.pk)
    # A contact sent late by a phone that was offline is taken if it happened before the end.
    if round_.ended_at is not None and (at is None or at > round_.ended_at):
        raise DomainError(_("Cette maraude est terminée."), field="round")
    if (lon is None) != (lat is None):
        raise DomainError(_("Un emplacement a une longitude et une latitude."), field="lon")
    if lon is not None and lat is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise DomainError(_("Coordonnées invalides."), field="lon")
    moment = at or now()
    if moment < round_.started_at:
        raise DomainError(_("Ce contact précède le début de la maraude."), field="at")
    visit = visit_open(actor=actor, site=team, client=client, purposes=purposes, arrived_at=moment)
    visit = visit_close(actor=actor, visit=visit, left_at=moment)
    if client is not None:
        is_new = not Visit.objects.filter(site=team, client=client).exclude(pk=visit.pk).exists()
    contact = RoundContact.objects.create(
        round=round_, visit=visit, place=place or round_.place, lon=lon, lat=lat, is_new=is_new
    )
    material = list(material)
    if material:
        distribution_record(actor=actor, site=team, visit=visit, lines=material, given_at=moment)
    audit_record(
        actor=actor,
        action="round_contact.recorded",
        subject=contact,
        site=team,
        payload={
            "anonymous": client is None,
            "is_new": is_new,
            "place": contact.place.slug if contact.place else None,
            "purposes": sorted(purposes),
        },
    )
    return contact


@transaction.atomic
def head_count_record(
    *,
    actor: User,
    team: Site,
    place: GatheringPlace,
    count: int,
    counted_at: dt.datetime | None = None,
) -> HeadCount:
    """Record how many people the team counted at a place. One count per place, team and moment;
    a moment more than 48 hours back or in the future is refused."""
    _check_team(actor, team)
    if not 0 <= count <= MAX_HEAD_COUNT:
        raise DomainError(_("Plus de 2 000 personnes : vérifiez la saisie."), field="count")
    if not place.is_active:
        raise DomainError(_("Ce lieu n'est plus suivi."), field="place")
    moment = counted_at or now()
    if moment > now() + FUTURE_TOLERANCE:
        raise DomainError(_("Cette heure est dans le futur."), field="counted_at")
    if moment < now() - COUNT_BACKDATE_LIMIT:
        raise DomainError(
            _("Un comptage de plus de 48 heures en arrière n'est pas accepté."), field="counted_at"
        )
    with integrity_as_conflict(_("Ce comptage est déjà enregistré."), field="counted_at"):
        head_count = HeadCount.objects.create(
            place=place, counted_at=moment, count=count, team=team, recorded_by=actor
        )
    audit_record(
        actor=actor,
        action="head_count.recorded",
        subject=head_count,
        site=team,
        payload={"place": place.slug, "count": count},
    )
    return head_count
