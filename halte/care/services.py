"""Writes of the care part: care and social acts, referrals and their steps, material given or
collected, deliveries, inventory corrections and alert thresholds. Each service checks who may act,
runs in a transaction and writes its audit event (codes and field names only, never a result)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import can_record_at
from halte.audit.services import audit_record
from halte.care.catalogue import active_by_code, lot_to_give
from halte.care.enums import (
    HBV_DOSES,
    REFERRAL_MOVES,
    SCREENING_KINDS,
    STAGE,
    CareKind,
    Channel,
    DestinationKind,
    Item,
    MovementKind,
    ReferralStatus,
    SocialOutcome,
    Vaccine,
)
from halte.care.models import (
    CareAct,
    CatalogueItem,
    Distribution,
    DistributionLine,
    Referral,
    ReferralStep,
    SocialAct,
    StockLevel,
    StockMovement,
)
from halte.care.permissions import (
    can_adjust_stock,
    can_record_care,
    can_record_social,
    can_see_referral_note,
)
from halte.clients.models import Client
from halte.core.errors import ConflictError, DomainError, integrity_as_conflict
from halte.core.models import validate_fields
from halte.core.timeutils import now, paris_date
from halte.network.enums import SiteStatus
from halte.network.models import Site
from halte.visits.models import Visit

FUTURE_TOLERANCE = dt.timedelta(minutes=5)
BACKDATE_LIMIT = dt.timedelta(hours=24)
MAX_LINE_QUANTITY = 10_000
NOTE_MAX_LENGTH = 200
APPOINTMENT_HORIZON = dt.timedelta(days=366)
Lines = Iterable[tuple[str, int]]


def _moment_on_visit(visit: Visit, moment: dt.datetime | None, *, field: str) -> dt.datetime:
    """When an act on a visit happened: now by default (the departure if the person has left);
    never before the arrival, never in the future, never more than 24 hours back."""
    current = now()
    if moment is None:
        moment = min(current, visit.left_at) if visit.left_at else current
    if moment > current + FUTURE_TOLERANCE:
        raise DomainError(_("Cette heure est dans le futur."), field=field)
    if moment < current - BACKDATE_LIMIT:
        raise DomainError(
            _("Une saisie de plus de 24 heures en arrière n'est pas acceptée ici."), field=field
        )
    if moment < visit.arrived_at:
        raise DomainError(_("Cette heure précède l'arrivée de la personne."), field=field)
    return moment


def _check_vaccine(kind: str, vaccine: str, dose: int | None) -> None:
    if kind != CareKind.VACCINATION:
        if vaccine or dose is not None:
            raise DomainError(_("Un vaccin ne va qu'avec une vaccination."), field="vaccine")
        return
    if not vaccine:
        raise DomainError(_("Indiquez le vaccin."), field="vaccine")
    if vaccine == Vaccine.HBV and dose not in HBV_DOSES:
        raise DomainError(
            _("Indiquez la dose du vaccin de l'hépatite B (1, 2 ou 3)."), field="dose"
        )
    if vaccine != Vaccine.HBV and dose is not None:
        raise DomainError(_("Seul le vaccin de l'hépatite B indique sa dose."), field="dose")


def _check_care_fields(
    kind: str, result: str, psychiatric_history: bool | None, psychiatric_outcome: str, kit: bool
) -> None:
    if kind in SCREENING_KINDS and not result:
        raise DomainError(
            _("Indiquez le résultat du dépistage (négatif, positif ou refusé)."), field="result"
        )
    if kind not in SCREENING_KINDS and result:
        raise DomainError(_("Seul un dépistage a un résultat."), field="result")
    psychiatric = kind == CareKind.PSYCHIATRIC_CONSULTATION
    if not psychiatric and (psychiatric_history is not None or psychiatric_outcome):
        raise DomainError(
            _("Les informations psychiatriques ne vont qu'avec une consultation psychiatrique."),
            field="psychiatric_outcome",
        )
    if kit and kind != CareKind.NALOXONE_TRAINING:
        raise DomainError(
            _("Un kit de naloxone se remet avec la formation."), field="naloxone_kit_given"
        )


@transaction.atomic
def care_act_record(
    *,
    actor: User,
    visit: Visit,
    kind: str,
    result: str = "",
    psychiatric_history: bool | None = None,
    psychiatric_outcome: str = "",
    naloxone_kit_given: bool = False,
    vaccine: str = "",
    dose: int | None = None,
    performed_at: dt.datetime | None = None,
) -> CareAct:
    """Record a care act on a visit (care roles of the site, or its manager). A rapid test needs
    its result; psychiatric details go with a psychiatric consultation only; a vaccination names
    its vaccine, and the dose (1 to 3) for hepatitis B; a naloxone kit given with the training
    leaves the site's stock like any material given."""
    site = visit.site
    if not can_record_at(actor, site):
        raise Http404(_("Passage introuvable."))
    if not can_record_care(actor, site):
        raise DomainError(_("Les actes de soin sont saisis par l'équipe soignante."))
    asked = CareAct(
        kind=kind, result=result, psychiatric_outcome=psychiatric_outcome, vaccine=vaccine
    )
    validate_fields(asked, "kind", "result", "psychiatric_outcome", "vaccine")
    _check_care_fields(kind, result, psychiatric_history, psychiatric_outcome, naloxone_kit_given)
    _check_vaccine(kind, vaccine, dose)
    moment = _moment_on_visit(visit, performed_at, field="performed_at")
    act = CareAct.objects.create(
        site=site,
        visit=visit,
        client=visit.client,
        kind=kind,
        result=result,
        psychiatric_history=psychiatric_history,
        psychiatric_outcome=psychiatric_outcome,
        naloxone_kit_given=naloxone_kit_given,
        vaccine=vaccine,
        dose=dose,
        performed_at=moment,
        recorded_by=actor,
    )
    if naloxone_kit_given:
        _distribute(actor=actor, site=site, visit=visit, lines=[(Item.NALOXONE_KIT, 1)], at=moment)
    filled = [
        f for f in ("result", "psychiatric_history", "psychiatric_outcome") if _filled(act, f)
    ]
    audit_record(
        actor=actor,
        action="care_act.recorded",
        subject=act,
        site=site,
        # The result itself never goes to the audit trail: only which fields were filled.
        payload={
            "kind": kind,
            "fields": filled,
            "naloxone_kit_given": naloxone_kit_given,
            **({"vaccine": vaccine, "dose": dose} if vaccine else {}),
        },
    )
    return act


def _filled(act: CareAct, field: str) -> bool:
    value = getattr(act, field)
    return value is not None and value != ""


@transaction.atomic
def social_act_record(
    *,
    actor: User,
    visit: Visit,
    kind: str,
    outcome: str = SocialOutcome.DONE,
    performed_at: dt.datetime | None = None,
) -> SocialAct:
    """Record a social act on a visit (front-line staff of the site): coded kind and outcome."""
    site = visit.site
    if not can_record_social(actor, site):
        raise Http404(_("Passage introuvable."))
    validate_fields(SocialAct(kind=kind, outcome=outcome), "kind", "outcome")
    moment = _moment_on_visit(visit, performed_at, field="performed_at")
    act = SocialAct.objects.create(
        site=site,
        visit=visit,
        client=visit.client,
        kind=kind,
        outcome=outcome,
        performed_at=moment,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="social_act.recorded",
        subject=act,
        site=site,
        payload={"kind": kind, "outcome": outcome},
    )
    return act


def _check_destination(site: Site, kind: str, destination_site: Site | None) -> None:
    validate_fields(Referral(destination_kind=kind), "destination_kind")
    if kind == DestinationKind.NETWORK_SITE and destination_site is None:
        raise DomainError(_("Choisissez le site du réseau."), field="destination_site")
    if destination_site is not None:
        if destination_site.pk == site.pk:
            raise DomainError(
                _("On n'oriente pas vers le site où l'on est."), field="destination_site"
            )
        if destination_site.status != SiteStatus.OPERATIONAL:
            raise DomainError(_("Ce site n'est pas en activité."), field="destination_site")


def _clean_note(actor: User, site: Site, note: str) -> str:
    note = " ".join(note.split())
    if not note:
        return ""
    if not can_see_referral_note(actor, site):
        raise DomainError(
            _("La note d'une orientation est réservée à l'équipe soignante."), field="note"
        )
    validate_fields(Referral(note=note), "note")
    if any(unicodedata.category(c).startswith("C") for c in note):
        raise DomainError(_("La note contient un caractère invalide."), field="note")
    return note


def _check_appointment(appointment_at: dt.datetime | None, proposed_at: dt.datetime) -> None:
    if appointment_at is None:
        return
    if appointment_at < proposed_at - BACKDATE_LIMIT:
        raise DomainError(
            _("Le rendez-vous ne peut pas précéder l'orientation de plus d'un jour."),
            field="appointment_at",
        )
    if appointment_at > proposed_at + APPOINTMENT_HORIZON:
        raise DomainError(_("Rendez-vous trop lointain (un an au plus)."), field="appointment_at")


@transaction.atomic
def referral_create(
    *,
    actor: User,
    site: Site,
    destination_kind: str,
    visit: Visit | None = None,
    client: Client | None = None,
    destination_site: Site | None = None,
    appointment_at: dt.datetime | None = None,
    note: str = "",
) -> Referral:
    """Propose a referral from a visit, or for a person at a site, to a destination (optionally a
    site of the network), with its appointment if one is made. It stays open until completed,
    refused or missed. A short note goes with it for the care team (``can_see_referral_note``):
    free text about a person, it never reaches the audit trail, only the fact it was written."""
    if not can_record_social(actor, site):
        raise Http404(_("Site introuvable."))
    note = _clean_note(actor, site, note)
    if visit is not None:
        if visit.site_id != site.pk:
            raise Http404(_("Passage introuvable."))
        client = client or visit.client
        if client is not None and visit.client_id not in (None, client.pk):
            raise DomainError(_("Ce passage est celui d'une autre personne."), field="client")
    if visit is None and client is None:
        raise DomainError(_("Indiquez le passage ou la personne orientée."), field="visit")
    _check_destination(site, destination_kind, destination_site)
    moment = _moment_on_visit(visit, None, field="visit") if visit else now()
    _check_appointment(appointment_at, moment)
    referral = Referral.objects.create(
        site=site,
        visit=visit,
        client=client,
        destination_kind=destination_kind,
        destination_site=destination_site,
        status=ReferralStatus.PROPOSED,
        proposed_at=moment,
        appointment_at=appointment_at,
        note=note,
        recorded_by=actor,
    )
    ReferralStep.objects.create(
        referral=referral, status=ReferralStatus.PROPOSED, stage=0, at=moment, by=actor
    )
    audit_record(
        actor=actor,
        action="referral.proposed",
        subject=referral,
        site=site,
        # Whether a note was written, never the note.
        payload={
            "destination_kind": destination_kind,
            "to_network_site": bool(destination_site),
            "appointment": appointment_at is not None,
            "note": bool(note),
        },
    )
    return referral


@transaction.atomic
def referral_advance(
    *, actor: User, referral: Referral, status: str, at: dt.datetime | None = None
) -> Referral:
    """Move a referral forward: proposed → accepted → completed, or → no-show / refused. It never
    goes back and is closed once: the service refuses (422) and the database's one-step-per-stage
    constraint settles two requests racing (409)."""
    if not can_record_social(actor, referral.site):
        raise Http404(_("Orientation introuvable."))
    validate_fields(ReferralStep(status=status), "status")
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if status not in REFERRAL_MOVES[current.status]:
        raise DomainError(
            _("Une orientation « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": current.get_status_display(), "to": ReferralStatus(status).label},
            field="status",
        )
    moment = at or now()
    if moment < current.proposed_at or moment > now() + FUTURE_TOLERANCE:
        raise DomainError(_("Date d'étape impossible."), field="at")
    dates = {"accepted_at": moment} if status == ReferralStatus.ACCEPTED else {"closed_at": moment}
    with integrity_as_conflict(
        _("Cette orientation vient de changer de statut : rechargez la page."), field="status"
    ):
        ReferralStep.objects.create(
            referral=current, status=status, stage=STAGE[status], at=moment, by=actor
        )
        moved = Referral.objects.filter(pk=current.pk, status=current.status).update(
            status=status, updated_at=now(), **dates
        )
        if moved != 1:
            raise IntegrityError("referral status changed meanwhile")
    current.refresh_from_db()
    audit_record(
        actor=actor,
        action="referral.advanced",
        subject=current,
        site=current.site,
        payload={"status": status},
    )
    return current


def _clean_lines(lines: Lines, *, for_stock: bool = False) -> list[tuple[CatalogueItem, int]]:
    """The lines as (active catalogue version, quantity), checked, in the order of the codes."""
    wanted = list(lines)
    catalogue = active_by_code(str(item) for item, _q in wanted)
    cleaned: dict[str, tuple[CatalogueItem, int]] = {}
    for code, quantity in wanted:
        entry = catalogue.get(str(code))
        if entry is None:
            raise DomainError(_("Matériel inconnu."), field="lines")
        if for_stock and entry.collected:
            raise DomainError(_("Ce matériel n'a pas de stock."), field="item")
        if not isinstance(quantity, int) or not 1 <= quantity <= MAX_LINE_QUANTITY:
            raise DomainError(
                _("Quantité impossible pour « %(item)s » (de 1 à %(max)s).")
                % {"item": entry.label, "max": MAX_LINE_QUANTITY},
                field="lines",
            )
        if entry.code in cleaned:
            raise DomainError(
                _("« %(item)s » figure deux fois.") % {"item": entry.label}, field="lines"
            )
        cleaned[entry.code] = (entry, quantity)
    if not cleaned:
        raise DomainError(_("Indiquez au moins un matériel et sa quantité."), field="lines")
    # Always the same order: two distributions touching the same items lock rows alike.
    return [cleaned[code] for code in sorted(cleaned)]


def _take_from_stock(site: Site, entry: CatalogueItem, quantity: int) -> None:
    # One guarded UPDATE: the row is decremented only if enough is left, atomically, whatever
    # the number of concurrent requests; the CHECK (quantity >= 0) is the last line of defence.
    item = entry.code
    try:
        with transaction.atomic():
            taken = StockLevel.objects.filter(site=site, item=item, quantity__gte=quantity).update(
                quantity=F("quantity") - quantity, updated_at=now()
            )
    except IntegrityError:
        taken = 0
    if taken != 1:
        left = StockLevel.objects.filter(site=site, item=item).values_list("quantity", flat=True)
        raise ConflictError(
            _(
                "Stock insuffisant : « %(item)s » (en stock : %(left)s, demandé : %(asked)s). "
                "Enregistrez la livraison ou corrigez l'inventaire d'abord."
            )
            % {"item": entry.label, "left": left.first() or 0, "asked": quantity},
            field="lines",
        )


def _distribute(
    *,
    actor: User,
    site: Site,
    visit: Visit | None,
    lines: Lines,
    at: dt.datetime,
    channel: str = Channel.DESK,
) -> Distribution:
    validate_fields(Distribution(channel=channel), "channel")
    cleaned = _clean_lines(lines)
    lots = {}
    for entry, quantity in cleaned:
        if not entry.collected:
            if entry.tracks_lots:
                lots[entry.code] = lot_to_give(site, entry.code, on=paris_date(at))
            _take_from_stock(site, entry, quantity)
    distribution = Distribution.objects.create(
        site=site, visit=visit, given_at=at, channel=channel, recorded_by=actor
    )
    DistributionLine.objects.bulk_create(
        DistributionLine(
            distribution=distribution,
            item=entry.code,
            catalogue_item=entry,
            quantity=quantity,
            syringe_equivalents=quantity * entry.syringe_equivalents,
            lot=lots.get(entry.code),
        )
        for entry, quantity in cleaned
    )
    return distribution


@transaction.atomic
def distribution_record(
    *,
    actor: User,
    site: Site,
    lines: Lines,
    visit: Visit | None = None,
    given_at: dt.datetime | None = None,
    channel: str = Channel.DESK,
) -> Distribution:
    """Record material given (and used material collected) on a visit, or in bulk for a busy
    hour at the site (no visit, no person), through a channel (desk by default; outreach, the
    vending machine, a pharmacy, the post, a peer). Items are the catalogue's active versions;
    each line keeps its syringe equivalents (a Stéribox counts two) and, for naloxone, its lot.
    Given items leave the site's stock; a line that would take it below zero refuses the whole
    distribution (409) and nothing is written."""
    if not can_record_social(actor, site):
        raise Http404(_("Site introuvable."))
    if visit is not None and visit.site_id != site.pk:
        raise Http404(_("Passage introuvable."))
    if visit is not None:
        moment = _moment_on_visit(visit, given_at, field="given_at")
    else:
        moment = given_at or now()
        if not now() - BACKDATE_LIMIT <= moment <= now() + FUTURE_TOLERANCE:
            raise DomainError(_("Heure de remise impossible."), field="given_at")
    distribution = _distribute(
        actor=actor, site=site, visit=visit, lines=lines, at=moment, channel=channel
    )
    audit_record(
        actor=actor,
        action="distribution.recorded",
        subject=distribution,
        site=site,
        payload={
            "bulk": visit is None,
            "channel": channel,
            "lines": {line.item: line.quantity for line in distribution.lines.all()},
        },
    )
    return distribution


def _level_for_update(site: Site, item: str) -> StockLevel:
    StockLevel.objects.get_or_create(site=site, item=item)
    return StockLevel.objects.select_for_update().get(site=site, item=item)


def _stock_item(item: str) -> None:
    entry = active_by_code([item]).get(item)
    if entry is None or entry.collected:
        raise DomainError(_("Ce matériel n'a pas de stock."), field="item")


@transaction.atomic
def stock_receive(*, actor: User, site: Site, lines: Lines) -> list[StockMovement]:
    """Add a delivery to the site's stock (any front-line staff of the site)."""
    if not can_record_at(actor, site):
        raise Http404(_("Site introuvable."))
    movements = []
    for entry, quantity in _clean_lines(lines, for_stock=True):
        item = entry.code
        level = _level_for_update(site, item)
        level.quantity += quantity
        level.save(update_fields=["quantity", "updated_at"])
        movements.append(
            StockMovement.objects.create(
                site=site,
                item=item,
                kind=MovementKind.RECEIPT,
                delta=quantity,
                quantity_after=level.quantity,
                at=now(),
                recorded_by=actor,
            )
        )
    audit_record(
        actor=actor,
        action="stock.received",
        subject=site,
        site=site,
        payload={"lines": {m.item: m.delta for m in movements}},
    )
    return movements


@transaction.atomic
def stock_correct(*, actor: User, site: Site, item: str, counted: int) -> StockMovement:
    """Set an item's stock to what was counted (inventory): the only way a level goes down other
    than by material given. Manager, nurses and educators of the site."""
    if not can_record_at(actor, site):
        raise Http404(_("Site introuvable."))
    if not can_adjust_stock(actor, site):
        raise DomainError(_("L'inventaire est corrigé par l'équipe du site, pas par l'accueil."))
    _stock_item(item)
    if not 0 <= counted <= 1_000_000:
        raise DomainError(_("Le stock compté doit être un nombre positif ou nul."), field="counted")
    level = _level_for_update(site, item)
    delta = counted - level.quantity
    level.quantity = counted
    level.save(update_fields=["quantity", "updated_at"])
    movement = StockMovement.objects.create(
        site=site,
        item=item,
        kind=MovementKind.CORRECTION,
        delta=delta,
        quantity_after=counted,
        at=now(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="stock.corrected",
        subject=site,
        site=site,
        payload={"item": item, "delta": delta},
    )
    return movement


@transaction.atomic
def stock_threshold_set(*, actor: User, site: Site, item: str, threshold: int) -> StockLevel:
    """Set the level at or under which an item shows as low (0: no alert)."""
    if not can_record_at(actor, site):
        raise Http404(_("Site introuvable."))
    if not can_adjust_stock(actor, site):
        raise DomainError(_("Les seuils sont fixés par l'équipe du site, pas par l'accueil."))
    _stock_item(item)
    if not 0 <= threshold <= 1_000_000:
        raise DomainError(_("Le seuil doit être un nombre positif ou nul."), field="threshold")
    level = _level_for_update(site, item)
    level.threshold = threshold
    level.save(update_fields=["threshold", "updated_at"])
    audit_record(
        actor=actor,
        action="stock.threshold_set",
        subject=site,
        site=site,
        payload={"item": item, "threshold": threshold},
    )
    return level
