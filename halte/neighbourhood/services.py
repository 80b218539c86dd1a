"""Writes of the neighbourhood app: rounds and pick-ups, residents' reports and their triage,
committees and their decisions, a site's surroundings. Each writes its audit event; payloads hold
codes, never a description or a contact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.audit.services import audit_record
from halte.core.errors import ConflictError, DomainError, integrity_as_conflict
from halte.core.models import validate_fields
from halte.core.timeutils import local_today, now
from halte.neighbourhood import places
from halte.neighbourhood.enums import (
    AttendeeKind,
    ReportChannel,
    ReportStatus,
)
from halte.neighbourhood.models import (
    MAX_PICKUP_COUNT,
    MAX_SEEN_COUNT,
    Committee,
    CommitteeDecision,
    MediationRound,
    NeighbourhoodReport,
    Pickup,
    ReportContact,
    SiteSurroundings,
)
from halte.neighbourhood.permissions import (
    can_handle_report,
    can_hold_committees,
    can_log_report,
    can_record_street_work,
    can_set_surroundings,
    can_triage_reports,
)
from halte.network.models import Site

FUTURE_TOLERANCE = dt.timedelta(minutes=5)
# A find is recorded within days; a report may tell of something seen weeks ago, not years.
PICKUP_BACKDATE_LIMIT = dt.timedelta(days=7)
REPORT_BACKDATE_LIMIT = dt.timedelta(days=90)


@dataclass(frozen=True, slots=True)
class Where:
    lon: float | None
    lat: float | None
    label: str
    area_code: str
    iris_code: str


def resolve_where(
    *, lon: float | None, lat: float | None, address: str = "", keep_unmatched: bool = False
) -> Where:
    """A point (map tap or phone position) or an address, snapped to its street, placed in its
    arrondissement and IRIS. ``keep_unmatched`` keeps an address no street matches as a label
    without a point (staff typing what a caller said); otherwise it is refused."""
    address = address.strip()[:200]
    if (lon is None) != (lat is None):
        raise DomainError(_("Un emplacement a une longitude et une latitude."), field="lon")
    if lon is not None and lat is not None:
        located = places.locate(lon, lat)
        if not located.area_code:
            raise DomainError(_("Ce point n'est pas dans Paris ou le Grand Paris."), field="lon")
        label = address or places.street_label(lon, lat)
        return Where(lon, lat, label, located.area_code, located.iris_code)
    if not address:
        raise DomainError(_("Indiquez où : un point sur la carte ou une adresse."), field="address")
    snapped = places.snap_address(address)
    if snapped is None:
        if keep_unmatched:
            return Where(None, None, address, "", "")
        raise DomainError(
            _("Adresse introuvable à Paris : précisez la rue ou touchez la carte."),
            field="address",
        )
    return Where(
        snapped.lon,
        snapped.lat,
        snapped.label,
        snapped.area_code,
        places.iris_at(snapped.lon, snapped.lat),
    )


def _check_moment(moment: dt.datetime, *, limit: dt.timedelta, field: str) -> dt.datetime:
    if moment.tzinfo is None:
        raise DomainError(_("Heure sans fuseau horaire."), field=field)
    current = now()
    if moment > current + FUTURE_TOLERANCE:
        raise DomainError(_("Cette date est dans le futur."), field=field)
    if moment < current - limit:
        raise DomainError(
            _("Cette date est trop ancienne (plus de %(days)s jours).") % {"days": limit.days},
            field=field,
        )
    return moment


def _check_street_team(actor: User | None, site: Site) -> None:
    if actor is not None and not can_record_street_work(actor, site):
        raise Http404(_("Équipe introuvable."))


# Rounds and pick-ups


@transaction.atomic
def round_start(
    *,
    actor: User | None,
    site: Site,
    kind: str,
    area_label: str = "",
    started_at: dt.datetime | None = None,
) -> MediationRound:
    """Start a pick-up or mediation round of a site's team (one open round per kind)."""
    _check_street_team(actor, site)
    validate_fields(MediationRound(kind=kind), "kind")
    moment = _check_moment(started_at or now(), limit=PICKUP_BACKDATE_LIMIT, field="started_at")
    with integrity_as_conflict(_("Cette équipe a déjà une tournée de ce type en cours.")):
        round_ = MediationRound.objects.create(
            site=site,
            kind=kind,
            started_at=moment,
            area_label=area_label.strip()[:200],
            started_by=actor,
        )
    audit_record(
        actor=actor,
        action="neighbourhood_round.started",
        subject=round_,
        site=site,
        payload={"kind": kind},
    )
    return round_


@transaction.atomic
def round_end(
    *,
    actor: User | None,
    round_: MediationRound,
    seen: Mapping[str, int] | None = None,
    ended_at: dt.datetime | None = None,
) -> MediationRound:
    """End a round with what was seen, as counts: ``public_consumption_seen``,
    ``gatherings_seen``, ``people_met``, ``residents_met``."""
    _check_street_team(actor, round_.site)
    if round_.ended_at is not None:
        raise ConflictError(_("Cette tournée est déjà terminée."))
    counts = dict(seen or {})
    fields = ("public_consumption_seen", "gatherings_seen", "people_met", "residents_met")
    for name, value in counts.items():
        if name not in fields:
            raise DomainError(_("Valeur inconnue."), field=name)
        if not 0 <= value <= MAX_SEEN_COUNT:
            raise DomainError(_("Un nombre de 0 à 500."), field=name)
        setattr(round_, name, value)
    round_.ended_at = max(ended_at or now(), round_.started_at)
    round_.save(update_fields=["ended_at", *counts.keys(), "updated_at"])
    audit_record(
        actor=actor,
        action="neighbourhood_round.ended",
        subject=round_,
        site=round_.site,
        payload={name: getattr(round_, name) for name in fields},
    )
    return round_


@transaction.atomic
def pickup_record(
    *,
    actor: User | None,
    team: Site,
    item: str,
    place_kind: str,
    count: int,
    lon: float | None = None,
    lat: float | None = None,
    address: str = "",
    found_at: dt.datetime | None = None,
    round_: MediationRound | None = None,
    synthetic: bool = False,
) -> Pickup:
    """Record one find: what, how many, where (a point, or an address snapped to its street),
    when; by a team, in a round of that team when one is given and still open."""
    _check_street_team(actor, team)
    validate_fields(Pickup(item=item, place_kind=place_kind), "item", "place_kind")
    if not 1 <= count <= MAX_PICKUP_COUNT:
        raise DomainError(_("Le nombre va de 1 à 500."), field="count")
    if round_ is not None and (round_.site_id != team.pk or round_.ended_at is not None):
        raise DomainError(_("Cette tournée n'est pas en cours pour cette équipe."), field="round")
    limit = dt.timedelta(days=3650) if synthetic else PICKUP_BACKDATE_LIMIT
    moment = _check_moment(found_at or now(), limit=limit, field="found_at")
    where = resolve_where(lon=lon, lat=lat, address=address)
    assert where.lon is not None and where.lat is not None
    pickup = Pickup.objects.create(
        team=team,
        round=round_,
        found_at=moment,
        item=item,
        place_kind=place_kind,
        count=count,
        lon=where.lon,
        lat=where.lat,
        address_label=where.label,
        iris_code=where.iris_code,
        area_code=where.area_code,
        recorded_by=actor,
        synthetic=synthetic,
    )
    audit_record(
        actor=actor,
        action="pickup.recorded",
        subject=pickup,
        site=team,
        payload={"item": item, "count": count, "area_code": where.area_code},
    )
    return pickup


# Residents' reports


def _squash(text: str) -> str:
    return " ".join(text.split())


def _report_create(
    *,
    actor: User | None,
    channel: str,
    kind: str,
    seen_at: dt.datetime,
    lon: float | None,
    lat: float | None,
    address: str,
    description: str,
    contact: str,
    received_at: dt.datetime | None = None,
    synthetic: bool = False,
) -> NeighbourhoodReport:
    description, contact = _squash(description), _squash(contact)
    asked = NeighbourhoodReport(kind=kind, channel=channel, description=description)
    validate_fields(asked, "kind", "channel", "description")
    if contact:
        validate_fields(ReportContact(contact=contact), "contact")
    limit = dt.timedelta(days=3650) if synthetic else REPORT_BACKDATE_LIMIT
    seen = _check_moment(seen_at, limit=limit, field="seen_at")
    where = resolve_where(
        lon=lon, lat=lat, address=address, keep_unmatched=channel != ReportChannel.PUBLIC_FORM
    )
    report = NeighbourhoodReport.objects.create(
        kind=kind,
        seen_at=seen,
        lon=where.lon,
        lat=where.lat,
        address_label=where.label,
        iris_code=where.iris_code,
        area_code=where.area_code,
        channel=channel,
        description=description,
        received_at=received_at or now(),
        recorded_by=actor,
        synthetic=synthetic,
    )
    if contact:
        ReportContact.objects.create(report=report, contact=contact)
    audit_record(
        actor=actor,
        action="neighbourhood_report.received",
        subject=report,
        site=None,
        payload={
            "kind": kind,
            "channel": channel,
            "area_code": where.area_code,
            "with_contact": bool(contact),
        },
    )
    return report


@transaction.atomic
def report_submit(
    *,
    kind: str,
    seen_at: dt.datetime,
    lon: float | None = None,
    lat: float | None = None,
    address: str = "",
    description: str = "",
    contact: str = "",
) -> NeighbourhoodReport:
    """A resident's report through the public page or the public API: no one signed in."""
    return _report_create(
        actor=None,
        channel=ReportChannel.PUBLIC_FORM,
        kind=kind,
        seen_at=seen_at,
        lon=lon,
        lat=lat,
        address=address,
        description=description,
        contact=contact,
    )


@transaction.atomic
def report_log(
    *,
    actor: User,
    channel: str,
    kind: str,
    seen_at: dt.datetime,
    lon: float | None = None,
    lat: float | None = None,
    address: str = "",
    description: str = "",
    contact: str = "",
    site: Site | None = None,
) -> NeighbourhoodReport:
    """A report received by phone, mail or at a meeting, logged by staff; given at once to
    ``site`` when the one logging it handles that site's reports."""
    if not can_log_report(actor):
        raise Http404(_("Introuvable."))
    if channel == ReportChannel.PUBLIC_FORM:
        raise DomainError(_("Le formulaire public n'est pas un canal de saisie."), field="channel")
    report = _report_create(
        actor=actor,
        channel=channel,
        kind=kind,
        seen_at=seen_at,
        lon=lon,
        lat=lat,
        address=address,
        description=description,
        contact=contact,
    )
    if site is not None:
        _assign(actor=actor, report=report, site=site)
    return report


def _assign(*, actor: User | None, report: NeighbourhoodReport, site: Site) -> None:
    report.assigned_site = site
    if report.status == ReportStatus.RECEIVED:
        report.status = ReportStatus.TRIAGED
    report.triaged_at = report.triaged_at or now()
    report.save(update_fields=["assigned_site", "status", "triaged_at", "updated_at"])
    audit_record(
        actor=actor,
        action="neighbourhood_report.triaged",
        subject=report,
        site=site,
        payload={"status": report.status},
    )


@transaction.atomic
def report_triage(*, actor: User, report: NeighbourhoodReport, site: Site) -> NeighbourhoodReport:
    """The coordinator gives a report to a site or team (again, to change it)."""
    if not can_triage_reports(actor):
        raise Http404(_("Signalement introuvable."))
    if report.status == ReportStatus.CLOSED:
        raise ConflictError(_("Ce signalement est clos."))
    _assign(actor=actor, report=report, site=site)
    return report


@transaction.atomic
def report_answer(*, actor: User, report: NeighbourhoodReport) -> NeighbourhoodReport:
    """The person who reported has been answered (by phone, mail, in person): the time to answer
    stops."""
    if not can_handle_report(actor, report):
        raise Http404(_("Signalement introuvable."))
    if report.status == ReportStatus.CLOSED:
        raise ConflictError(_("Ce signalement est clos."))
    if report.answered_at is not None:
        raise ConflictError(_("Une réponse est déjà notée."))
    report.answered_at = max(now(), report.received_at)
    report.status = ReportStatus.ANSWERED
    report.save(update_fields=["answered_at", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="neighbourhood_report.answered",
        subject=report,
        site=report.assigned_site,
        payload={"status": report.status},
    )
    return report


@transaction.atomic
def report_close(
    *, actor: User, report: NeighbourhoodReport, outcome: str, note: str = ""
) -> NeighbourhoodReport:
    """Close a report with what was done."""
    if not can_handle_report(actor, report):
        raise Http404(_("Signalement introuvable."))
    if report.status == ReportStatus.CLOSED:
        raise ConflictError(_("Ce signalement est déjà clos."))
    if not outcome:  # empty until the report is closed; closing it says what was done
        raise DomainError(_("Valeur inconnue."), field="outcome")
    closed = NeighbourhoodReport(outcome=outcome, outcome_note=_squash(note))
    validate_fields(closed, "outcome", "outcome_note", shown_as={"outcome_note": "note"})
    report.outcome, report.outcome_note = outcome, closed.outcome_note
    report.closed_at = max(now(), report.received_at)
    report.status = ReportStatus.CLOSED
    report.save(update_fields=["outcome", "outcome_note", "closed_at", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="neighbourhood_report.closed",
        subject=report,
        site=report.assigned_site,
        payload={"outcome": outcome},
    )
    return report


# Committees


@transaction.atomic
def committee_record(
    *,
    actor: User | None,
    site: Site,
    held_on: dt.date,
    attendance: Mapping[str, int],
    topics: str = "",
    synthetic: bool = False,
) -> Committee:
    """A committee meeting: who came by kind (residents, school, police, city, traders, other)."""
    if actor is not None and not can_hold_committees(actor, site):
        raise Http404(_("Site introuvable."))
    if held_on > local_today():
        raise DomainError(_("Cette date est dans le futur."), field="held_on")
    for name, value in attendance.items():
        if name not in AttendeeKind.values:
            raise DomainError(_("Valeur inconnue."), field=name)
        if not 0 <= value <= MAX_SEEN_COUNT:
            raise DomainError(_("Un nombre de 0 à 500."), field=name)
    topics = _squash(topics)
    validate_fields(Committee(topics=topics), "topics")
    committee = Committee.objects.create(
        site=site,
        held_on=held_on,
        topics=topics,
        recorded_by=actor,
        synthetic=synthetic,
        **dict(attendance),
    )
    audit_record(
        actor=actor,
        action="committee.recorded",
        subject=committee,
        site=site,
        payload={"attendance": committee.attendance},
    )
    return committee


@transaction.atomic
def decision_add(
    *,
    actor: User | None,
    committee: Committee,
    text: str,
    owner_label: str,
    due_on: dt.date | None = None,
) -> CommitteeDecision:
    """A decision of a committee, with its owner (a service or organisation) and due date."""
    if actor is not None and not can_hold_committees(actor, committee.site):
        raise Http404(_("Comité introuvable."))
    text, owner_label = _squash(text), _squash(owner_label)
    if not text:
        raise DomainError(_("Écrivez la décision."), field="text")
    if not owner_label:
        raise DomainError(
            _("Indiquez qui la porte (un service, un organisme)."), field="owner_label"
        )
    validate_fields(CommitteeDecision(text=text, owner_label=owner_label), "text", "owner_label")
    if due_on is not None and due_on < committee.held_on:
        raise DomainError(_("L'échéance précède le comité."), field="due_on")
    decision = CommitteeDecision.objects.create(
        committee=committee, text=text, owner_label=owner_label, due_on=due_on
    )
    audit_record(
        actor=actor,
        action="committee_decision.added",
        subject=decision,
        site=committee.site,
        payload={"due_on": due_on.isoformat() if due_on else None},
    )
    return decision


@transaction.atomic
def decision_done(
    *, actor: User | None, decision: CommitteeDecision, done_on: dt.date | None = None
) -> CommitteeDecision:
    """Mark a decision done."""
    committee = decision.committee
    if actor is not None and not can_hold_committees(actor, committee.site):
        raise Http404(_("Comité introuvable."))
    if decision.done_on is not None:
        raise ConflictError(_("Cette décision est déjà faite."))
    day = done_on or local_today()
    if day < committee.held_on:
        raise DomainError(_("Cette date précède le comité."), field="done_on")
    decision.done_on = day
    decision.save(update_fields=["done_on", "updated_at"])
    audit_record(
        actor=actor,
        action="committee_decision.done",
        subject=decision,
        site=committee.site,
        payload={"done_on": day.isoformat()},
    )
    return decision


# A site's surroundings


@transaction.atomic
def surroundings_set(
    *,
    actor: User | None,
    site: Site,
    radius_m: int = 300,
    use_iris: bool = False,
    iris_codes: list[str] | None = None,
    contact_phone: str = "",
    contact_email: str = "",
) -> SiteSurroundings:
    """The coordinator sets the area a site answers for and its mediation team's public contact
    (whether the site has a public page is its manager's choice: ``halte.network.publication``)."""
    if actor is not None and not can_set_surroundings(actor):
        raise Http404(_("Site introuvable."))
    if not 50 <= radius_m <= 3000:
        raise DomainError(_("Le rayon va de 50 à 3000 mètres."), field="radius_m")
    codes = sorted(set(iris_codes or []))
    known = set(places.iris_names())
    if any(code not in known for code in codes):
        raise DomainError(_("IRIS inconnu."), field="iris_codes")
    if use_iris and not codes:
        raise DomainError(_("Choisissez au moins un IRIS."), field="iris_codes")
    surroundings, _created = SiteSurroundings.objects.update_or_create(
        site=site,
        defaults={
            "radius_m": radius_m,
            "use_iris": use_iris,
            "iris_codes": codes,
            "contact_phone": contact_phone.strip()[:20],
            "contact_email": contact_email.strip()[:254],
            "updated_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action="site_surroundings.set",
        subject=surroundings,
        site=site,
        payload={"radius_m": radius_m, "use_iris": use_iris},
    )
    return surroundings
