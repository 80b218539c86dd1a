"""Writes of the plan-crack board. Each runs in a transaction and writes its audit event; the
payloads hold codes, numbers and dates, never a person's code or free text about a person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.audit.services import audit_record
from halte.clients.models import Client
from halte.core.errors import ConflictError, DomainError, integrity_as_conflict
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.outreach.models import GatheringPlace
from halte.plan.enums import ActionStatus, Axis, Destination
from halte.plan.models import (
    NOTE_MAX,
    SOURCE_MAX,
    ActionStatusChange,
    Evacuation,
    OrientedPerson,
    PlanAction,
    PlanBudgetYear,
    PlanEdition,
)
from halte.plan.permissions import can_manage_plan, can_orient_at, can_record_evacuation

MAX_PRESENT = 5000
MAX_ORIENTED = 500
MAX_AMOUNT = Decimal("1000000000")


def _coordination(actor: User | None) -> None:
    if actor is not None and not can_manage_plan(actor):
        raise Http404(_("Introuvable."))


def _text(value: str, limit: int, field: str, *, required: bool = False) -> str:
    value = " ".join((value or "").split())
    if required and not value:
        raise DomainError(_("Ce champ est obligatoire."), field=field)
    if len(value) > limit:
        raise DomainError(
            _("Texte trop long : %(n)s caractères au plus.") % {"n": limit}, field=field
        )
    return value


def _not_future(day: dt.date, field: str) -> dt.date:
    if day > local_today():
        raise DomainError(_("La date est dans le futur."), field=field)
    return day


# Editions and actions


@transaction.atomic
def edition_create(
    *,
    actor: User | None,
    code: str,
    label: str,
    first_year: int,
    last_year: int,
    actions_planned: int | None = None,
    source: str = "",
) -> PlanEdition:
    """Open a plan edition (its years and, where published, its count of actions)."""
    _coordination(actor)
    if not 2000 <= first_year <= last_year <= 2100:
        raise DomainError(_("Années du plan invalides."), field="last_year")
    if PlanEdition.objects.filter(code=code).exists():
        raise ConflictError(_("Ce plan existe déjà."), field="code")
    edition = PlanEdition.objects.create(
        code=code,
        label=_text(label, 120, "label", required=True),
        first_year=first_year,
        last_year=last_year,
        actions_planned=actions_planned,
        source=_text(source, SOURCE_MAX, "source"),
    )
    audit_record(
        actor=actor,
        action="plan.edition_created",
        subject=edition,
        site=None,
        payload={"code": code, "first_year": first_year, "last_year": last_year},
    )
    return edition


@transaction.atomic
def action_create(
    *,
    actor: User | None,
    edition: PlanEdition,
    number: int,
    title: str,
    axis: str,
    owner: str,
    due_on: dt.date | None = None,
    status: str = ActionStatus.PLANNED,
    status_since: dt.date | None = None,
    source: str = "",
    invented: bool = False,
) -> PlanAction:
    """Add a numbered action to an edition, with the organisation or service that carries it.
    Its first status opens its history."""
    _coordination(actor)
    if number < 1 or (edition.actions_planned and number > edition.actions_planned):
        raise DomainError(
            _("Numéro d'action hors du plan (1 à %(n)s).") % {"n": edition.actions_planned or "…"},
            field="number",
        )
    if axis not in Axis.values:
        raise DomainError(_("Axe inconnu."), field="axis")
    if status not in ActionStatus.values:
        raise DomainError(_("Statut inconnu."), field="status")
    since = _not_future(status_since or local_today(), "status_since")
    action = PlanAction(
        edition=edition,
        number=number,
        title=_text(title, 200, "title", required=True),
        axis=axis,
        owner=_text(owner, 120, "owner", required=True),
        due_on=due_on,
        status=status,
        status_since=since,
        source=_text(source, SOURCE_MAX, "source"),
        invented=invented,
    )
    with integrity_as_conflict(_("Ce plan a déjà une action de ce numéro."), field="number"):
        action.save()
    ActionStatusChange.objects.create(
        action=action, from_status="", to_status=status, effective_on=since, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="plan.action_created",
        subject=action,
        site=None,
        payload={"edition": edition.code, "number": number, "axis": axis, "status": status},
    )
    return action


@transaction.atomic
def action_set_status(
    *,
    actor: User | None,
    action: PlanAction,
    status: str,
    effective_on: dt.date | None = None,
    note: str = "",
) -> PlanAction:
    """Move an action to another status on a date (not in the future, not before its current
    status), with a short note on the action (never about a person)."""
    _coordination(actor)
    if status not in ActionStatus.values:
        raise DomainError(_("Statut inconnu."), field="status")
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    if status == action.status:
        raise DomainError(_("L'action a déjà ce statut."), field="status")
    day = _not_future(effective_on or local_today(), "effective_on")
    if day < action.status_since:
        raise DomainError(
            _("La date précède le statut actuel (depuis le %(d)s).")
            % {"d": action.status_since.strftime("%d/%m/%Y")},
            field="effective_on",
        )
    previous = action.status
    ActionStatusChange.objects.create(
        action=action,
        from_status=previous,
        to_status=status,
        effective_on=day,
        note=_text(note, NOTE_MAX, "note"),
        recorded_by=actor,
    )
    action.status, action.status_since = status, day
    action.save(update_fields=["status", "status_since", "updated_at"])
    audit_record(
        actor=actor,
        action="plan.action_status_changed",
        subject=action,
        site=None,
        payload={"from": previous, "to": status, "effective_on": str(day)},
    )
    return action


def _amount(value: Decimal | int | str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("Montant invalide."), field="amount") from exc
    if amount < 0 or amount >= MAX_AMOUNT:
        raise DomainError(_("Le montant doit être positif et plausible."), field="amount")
    return amount


@transaction.atomic
def budget_year_set(
    *,
    actor: User | None,
    edition: PlanEdition,
    year: int,
    amount: Decimal | int | str,
    source: str = "",
    approximate: bool = False,
) -> PlanBudgetYear:
    """Set what an edition planned for one of its years (a new line or a corrected one). The
    source names the public document; empty, the figure was typed by the coordination."""
    _coordination(actor)
    if year not in edition.years:
        raise DomainError(
            _("L'année %(y)s n'est pas une année de ce plan (%(a)s–%(b)s).")
            % {"y": year, "a": edition.first_year, "b": edition.last_year},
            field="year",
        )
    value = _amount(amount)
    line, created = PlanBudgetYear.objects.select_for_update().get_or_create(
        edition=edition,
        year=year,
        defaults={"amount": value, "created_by": actor},
    )
    line.amount, line.approximate = value, approximate
    line.source = _text(source, SOURCE_MAX, "source")
    line.save(update_fields=["amount", "approximate", "source", "updated_at"])
    audit_record(
        actor=actor,
        action="plan.budget_set" if created else "plan.budget_corrected",
        subject=line,
        site=None,
        payload={"edition": edition.code, "year": year, "amount": str(value)},
    )
    return line


# Evacuations


@dataclass(frozen=True)
class Orientation:
    """One person oriented at an evacuation: the person (found by code by the caller) and where."""

    client: Client
    destination_kind: str
    destination_site: Site | None = None


def _check_orientations(orientations: Sequence[Orientation]) -> None:
    if len(orientations) > MAX_ORIENTED:
        raise DomainError(
            _("%(n)s personnes orientées au plus.") % {"n": MAX_ORIENTED}, field="oriented"
        )
    seen: set[int] = set()
    for item in orientations:
        if item.destination_kind not in Destination.values:
            raise DomainError(_("Orientation inconnue."), field="oriented")
        if item.client.pk in seen:
            raise DomainError(_("Une personne est nommée deux fois."), field="oriented")
        seen.add(item.client.pk)


@transaction.atomic
def evacuation_record(
    *,
    actor: User | None,
    place: GatheringPlace,
    team: Site,
    happened_on: dt.date,
    people_present: int,
    oriented: Sequence[Orientation] = (),
    source: str = "",
    synthetic: bool = False,
) -> Evacuation:
    """Record the evacuation of a gathering place: the day, the people present (a count) and the
    people oriented, by code, with where they were sent. People are named by the front-line staff
    of the team that met them; the coordination records an evacuation without them."""
    if actor is not None and not can_record_evacuation(actor, team):
        raise Http404(_("Site introuvable."))
    _not_future(happened_on, "happened_on")
    if not 0 <= people_present <= MAX_PRESENT:
        raise DomainError(
            _("Nombre de personnes présentes invalide (0 à %(n)s).") % {"n": MAX_PRESENT},
            field="people_present",
        )
    if Evacuation.objects.filter(place=place, happened_on=happened_on).exists():
        raise ConflictError(
            _("Une évacuation de ce lieu est déjà notée ce jour-là."), field="happened_on"
        )
    evacuation = Evacuation.objects.create(
        place=place,
        team=team,
        happened_on=happened_on,
        people_present=people_present,
        source=_text(source, SOURCE_MAX, "source"),
        synthetic=synthetic,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="plan.evacuation_recorded",
        subject=evacuation,
        site=team,
        payload={
            "place": place.slug,
            "happened_on": str(happened_on),
            "people_present": people_present,
        },
    )
    if oriented:
        evacuation_orient(actor=actor, evacuation=evacuation, oriented=oriented)
    return evacuation


@transaction.atomic
def evacuation_orient(
    *, actor: User | None, evacuation: Evacuation, oriented: Sequence[Orientation]
) -> list[OrientedPerson]:
    """Add people oriented at an evacuation (by the team's front-line staff). No more people can
    be oriented than were present."""
    if actor is not None and not can_orient_at(actor, evacuation.team):
        raise Http404(_("Évacuation introuvable."))
    _check_orientations(oriented)
    evacuation = Evacuation.objects.select_for_update().get(pk=evacuation.pk)
    already = set(evacuation.oriented.values_list("client_id", flat=True))
    if already & {item.client.pk for item in oriented}:
        raise DomainError(
            _("Une de ces personnes est déjà orientée pour cette évacuation."), field="oriented"
        )
    if len(already) + len(oriented) > evacuation.people_present:
        raise DomainError(
            _("Plus de personnes orientées (%(n)s) que de personnes présentes (%(p)s).")
            % {"n": len(already) + len(oriented), "p": evacuation.people_present},
            field="oriented",
        )
    rows = OrientedPerson.objects.bulk_create(
        OrientedPerson(
            evacuation=evacuation,
            client=item.client,
            destination_kind=item.destination_kind,
            destination_site=item.destination_site,
        )
        for item in oriented
    )
    kinds: dict[str, int] = {}
    for item in oriented:
        kinds[item.destination_kind] = kinds.get(item.destination_kind, 0) + 1
    # Counts by destination: never a person's code.
    audit_record(
        actor=actor,
        action="plan.evacuation_oriented",
        subject=evacuation,
        site=evacuation.team,
        payload={"oriented": len(rows), "destinations": kinds},
    )
    return rows
