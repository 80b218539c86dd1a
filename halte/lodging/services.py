"""Writes of the accommodation app: beds, stays and their nights, the waiting list.

A stay materialises its nights as ``BedNight`` rows: every planned night at once when the exit is
planned, tonight only when it is open-ended (later nights come from ``stays_extend``, run each
evening). The unique constraint on (bed, night) decides between concurrent requests for the same
nights. An open-ended stay holds its bed on nights not written yet, so giving a bed also takes the
bed's lock and checks the stays that hold it with no end (``_bed_taken``); the partial unique
index ``stay_one_open_ended_per_bed`` keeps one such stay per bed whatever happens.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import can_record_at
from halte.audit.services import AuditSubject, audit_record
from halte.clients.enums import SexGender
from halte.clients.models import Client
from halte.core.errors import ConflictError, DomainError, integrity_as_conflict
from halte.core.models import serve_from
from halte.core.timeutils import local_today, now
from halte.lodging.enums import (
    PRIORITY_AGE,
    ExitReason,
    Priority,
    WaitingStatus,
    priorities_to_mask,
)
from halte.lodging.models import Bed, BedNight, BedServicePeriod, Stay, WaitingEntry
from halte.lodging.selectors import current_night, stay_refusal, stays_in_progress
from halte.network.enums import Admission
from halte.network.models import Site

# A stay is booked at most this far ahead, and planned for at most a year at once (renewals extend
# it): it bounds the nights written in one request.
MAX_DAYS_AHEAD = 60
MAX_PLANNED_NIGHTS = 366


def beds_sync(*, site: Site, on: dt.date | None = None) -> None:
    """Make the site's active beds match ``site.beds``, from the night of ``on`` (today by
    default; at the site's creation, the day it opened; a change recorded late, the day it took
    effect). Beds beyond the count are deactivated, never deleted: past stays keep pointing at
    them. A women-only site has women-only beds. Their service periods, which the reports read
    (bed occupancy), say the same from ``on`` on (``core.models.serve_from``)."""
    on = on or local_today()
    women = site.admission == Admission.WOMEN_ONLY
    existing = {b.number: b for b in Bed.objects.filter(site=site)}
    serving: list[int] = []
    for number in range(1, site.beds + 1):
        bed = existing.get(number)
        if bed is None:
            bed = Bed.objects.create(site=site, number=number, label=f"L{number}", women_only=women)
        elif not bed.is_active or (women and not bed.women_only):
            Bed.objects.filter(pk=bed.pk).update(is_active=True, women_only=bed.women_only or women)
        serving.append(bed.pk)
    withdrawn = [b.pk for n, b in existing.items() if n > site.beds]
    Bed.objects.filter(pk__in=withdrawn, is_active=True).update(is_active=False)
    serve_from(BedServicePeriod, "bed", serving=serving, withdrawn=withdrawn, on=on)


def _check_dates(entry: dt.date, planned_exit: dt.date | None) -> None:
    tonight = current_night()
    if entry < tonight - dt.timedelta(days=1):
        raise DomainError(
            _("Une entrée de plus d'une nuit en arrière n'est pas acceptée."), field="entry_date"
        )
    if entry > tonight + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError(_("Entrée trop lointaine (60 jours au plus)."), field="entry_date")
    if planned_exit is not None:
        if planned_exit <= entry:
            raise DomainError(
                _("La sortie prévue doit suivre l'entrée."), field="planned_exit_date"
            )
        if (planned_exit - entry).days > MAX_PLANNED_NIGHTS:
            raise DomainError(
                _("Un séjour se prévoit pour un an au plus ; renouvelez-le ensuite."),
                field="planned_exit_date",
            )


def _nights(entry: dt.date, planned_exit: dt.date | None) -> list[dt.date]:
    """The nights written now: all planned nights, or from the entry to tonight if open-ended."""
    last = (
        planned_exit - dt.timedelta(days=1)
        if planned_exit is not None
        else max(entry, current_night())
    )
    return [entry + dt.timedelta(days=i) for i in range((last - entry).days + 1)]


def _lock_bed(bed: Bed) -> None:
    """Hold the bed until commit, so that two requests to give it are decided one after the other:
    a row lock on PostgreSQL (``FOR NO KEY UPDATE``: the rows that merely point at the bed are not
    blocked). SQLite has no row locks and needs none: its transactions are ``IMMEDIATE``, the
    write lock is taken at ``BEGIN``, before any check is read."""
    Bed.objects.select_for_update(no_key=True).filter(pk=bed.pk).values_list("pk").get()


def _bed_taken(bed: Bed, entry: dt.date, planned_exit: dt.date | None) -> str | None:
    """Why another stay holds the bed one of the nights from ``entry`` to ``planned_exit`` (the
    morning of the exit; none: every night from the entry on), or None. An open-ended stay holds
    its bed from its entry night on, though only its confirmed nights are written: it takes every
    later night, and a stay starting later reaches into it. Read under the bed's lock."""
    open_ended = Stay.objects.filter(
        bed=bed, exit_date__isnull=True, planned_exit_date__isnull=True
    )
    nights = BedNight.objects.filter(bed=bed, night__gte=entry)
    if planned_exit is not None:
        open_ended = open_ended.filter(entry_date__lt=planned_exit)
        nights = nights.filter(night__lt=planned_exit)
    if open_ended.exists():
        return _("Ce lit est occupé par un séjour en cours.")
    if nights.exists():
        return _("Le lit %(bed)s est déjà occupé l'une de ces nuits.") % {"bed": bed.label}
    return None


@transaction.atomic
def stay_create(
    *,
    actor: User,
    bed: Bed,
    client: Client,
    entry_date: dt.date | None = None,
    planned_exit_date: dt.date | None = None,
    waiting_entry: WaitingEntry | None = None,
) -> Stay:
    """Give a bed to someone from ``entry_date`` (tonight by default). Refused for a man in a
    women-only bed or place, a minor where adults only, an excluded person, someone with an open
    stay (422); 409 when the bed is taken one of those nights (an open-ended stay takes every
    night from its entry on), decided under the bed's lock and by the database's constraints."""
    if not can_record_at(actor, bed.site):
        raise Http404(_("Lit introuvable."))
    entry = entry_date or current_night()
    _check_dates(entry, planned_exit_date)
    refusal = stay_refusal(bed, client)
    if refusal is not None:
        raise refusal
    _lock_bed(bed)
    taken = _bed_taken(bed, entry, planned_exit_date)
    if taken is not None:
        raise ConflictError(taken, field="bed")
    nights = _nights(entry, planned_exit_date)
    try:
        with transaction.atomic():
            stay = Stay.objects.create(
                bed=bed,
                client=client,
                entry_date=entry,
                planned_exit_date=planned_exit_date,
                created_by=actor,
            )
            BedNight.objects.bulk_create(
                BedNight(bed=bed, night=night, stay=stay, client=client) for night in nights
            )
    except IntegrityError as exc:
        if stays_in_progress().filter(client=client).exists():
            raise DomainError(
                _("Cette personne a déjà un séjour en cours."), field="client"
            ) from exc
        raise ConflictError(
            _("Le lit %(bed)s est déjà occupé l'une de ces nuits.") % {"bed": bed.label},
            field="bed",
        ) from exc
    if waiting_entry is not None:
        _admit(waiting_entry, stay, client)
    audit_record(
        actor=actor,
        action="stay.created",
        subject=stay,
        site=bed.site,
        payload={
            "bed": bed.label,
            "entry_date": entry.isoformat(),
            "planned_exit_date": planned_exit_date.isoformat() if planned_exit_date else None,
            "nights": len(nights),
            "from_waiting_list": waiting_entry is not None,
        },
    )
    return stay


def _admit(entry: WaitingEntry, stay: Stay, client: Client) -> None:
    entry = WaitingEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.client_id != client.pk or entry.site_id != stay.bed.site_id:
        raise DomainError(_("Cette demande ne correspond pas à ce séjour."), field="waiting_entry")
    if entry.status != WaitingStatus.WAITING:
        raise DomainError(_("Cette demande n'est plus en attente."), field="waiting_entry")
    entry.status = WaitingStatus.ADMITTED
    entry.closed_at = now()
    entry.stay = stay
    entry.save(update_fields=["status", "closed_at", "stay", "updated_at"])


@transaction.atomic
def stay_end(
    *, actor: User, stay: Stay, exit_reason: str, exit_date: dt.date | None = None
) -> Stay:
    """End a stay with a coded reason. ``exit_date`` is the morning the person leaves (today by
    default): the nights from that date on are released for others."""
    if not can_record_at(actor, stay.bed.site):
        raise Http404(_("Séjour introuvable."))
    if exit_reason not in ExitReason.values:
        raise DomainError(_("Motif de sortie inconnu."), field="exit_reason")
    stay = Stay.objects.select_for_update().select_related("bed__site").get(pk=stay.pk)
    if stay.exit_date is not None:
        raise DomainError(_("Ce séjour est déjà terminé."))
    moment = exit_date or local_today()
    if moment < stay.entry_date:
        raise DomainError(_("La sortie précède l'entrée."), field="exit_date")
    if moment > local_today() + dt.timedelta(days=1):
        raise DomainError(
            _("Une sortie se note le jour même ; prévoyez-la avec la sortie prévue."),
            field="exit_date",
        )
    released, _detail = BedNight.objects.filter(stay=stay, night__gte=moment).delete()
    stay.exit_date = moment
    stay.exit_reason = exit_reason
    stay.ended_by = actor
    stay.save(update_fields=["exit_date", "exit_reason", "ended_by", "updated_at"])
    audit_record(
        actor=actor,
        action="stay.ended",
        subject=stay,
        site=stay.bed.site,
        payload={
            "exit_date": moment.isoformat(),
            "exit_reason": exit_reason,
            "nights_released": released,
        },
    )
    return stay


@transaction.atomic
def stay_renew(*, actor: User, stay: Stay, planned_exit_date: dt.date) -> Stay:
    """Push a planned exit later (a 2-month stay renewed): the added nights are written now, and
    409 if someone else already holds the bed one of them. They follow on from the current exit,
    so they reach an open-ended stay starting later only through its entry night, which is
    always written: the (bed, night) index decides, no bed lock needed."""
    if not can_record_at(actor, stay.bed.site):
        raise Http404(_("Séjour introuvable."))
    stay = Stay.objects.select_for_update().select_related("bed__site").get(pk=stay.pk)
    if stay.exit_date is not None:
        raise DomainError(_("Ce séjour est terminé."))
    old = stay.planned_exit_date
    if old is None or planned_exit_date <= old:
        raise DomainError(
            _("La nouvelle sortie prévue doit suivre l'actuelle."), field="planned_exit_date"
        )
    if (planned_exit_date - old).days > MAX_PLANNED_NIGHTS:
        raise DomainError(_("Un renouvellement vaut un an au plus."), field="planned_exit_date")
    added = [old + dt.timedelta(days=i) for i in range((planned_exit_date - old).days)]
    with integrity_as_conflict(
        _("Le lit est déjà réservé pour l'une de ces nuits."), field="planned_exit_date"
    ):
        BedNight.objects.bulk_create(
            BedNight(bed=stay.bed, night=n, stay=stay, client_id=stay.client_id) for n in added
        )
    stay.planned_exit_date = planned_exit_date
    stay.save(update_fields=["planned_exit_date", "updated_at"])
    audit_record(
        actor=actor,
        action="stay.renewed",
        subject=stay,
        site=stay.bed.site,
        payload={"planned_exit_date": planned_exit_date.isoformat(), "nights_added": len(added)},
    )
    return stay


@dataclass(frozen=True)
class Extended:
    confirmed: int
    conflicts: int


@transaction.atomic
def stays_extend(*, actor: User | None, night: dt.date | None = None) -> Extended:
    """Confirm the night for every open-ended stay (run each evening, ``manage.py
    extend_stays``). A bed someone else already holds that night is reported as a conflict, never
    given twice."""
    night = night or current_night()
    confirmed = conflicts = 0
    stays = Stay.objects.filter(
        exit_date__isnull=True, planned_exit_date__isnull=True, entry_date__lte=night
    ).exclude(nights__night=night)
    for stay in stays.select_related("bed"):
        try:
            with transaction.atomic():
                BedNight.objects.create(
                    bed=stay.bed, night=night, stay=stay, client_id=stay.client_id
                )
        except IntegrityError:
            conflicts += 1
        else:
            confirmed += 1
    audit_record(
        actor=actor,
        action="stays.extended",
        subject=AuditSubject("night", night.isoformat()),
        site=None,
        payload={"confirmed": confirmed, "conflicts": conflicts},
    )
    return Extended(confirmed, conflicts)


def _derived_priorities(client: Client, priorities: list[str]) -> list[str]:
    chosen = set(priorities)
    if Priority.PREGNANCY in chosen and client.sex_gender != SexGender.WOMAN:
        raise DomainError(_("La grossesse ne s'applique qu'à une femme."), field="priorities")
    chosen.discard(Priority.WOMAN)
    chosen.discard(Priority.AGE)
    if client.sex_gender == SexGender.WOMAN:
        chosen.add(Priority.WOMAN)
    if client.age_in(local_today().year) >= PRIORITY_AGE:
        chosen.add(Priority.AGE)
    return sorted(chosen)


@transaction.atomic
def waiting_add(
    *, actor: User, site: Site, client: Client, priorities: list[str] | None = None
) -> WaitingEntry:
    """Put someone on a site's waiting list. Pregnancy and health need are chosen by staff; woman
    and age (55 or more) follow from the client's record, so they are never typed twice."""
    if not can_record_at(actor, site):
        raise Http404(_("Site introuvable."))
    if site.beds <= 0:
        raise DomainError(_("Ce site n'a pas de lits."))
    try:
        codes = _derived_priorities(client, priorities or [])
        mask = priorities_to_mask(codes)
    except ValueError as exc:
        raise DomainError(_("Priorité inconnue."), field="priorities") from exc
    if site.admission == Admission.WOMEN_ONLY and client.sex_gender != SexGender.WOMAN:
        raise DomainError(_("Ce lieu accueille uniquement des femmes."), field="client")
    with integrity_as_conflict(
        _("Cette personne est déjà sur la liste d'attente."), field="client"
    ):
        entry = WaitingEntry.objects.create(
            site=site, client=client, requested_at=now(), priorities=mask, created_by=actor
        )
    audit_record(
        actor=actor, action="waiting.added", subject=entry, site=site, payload={"priorities": codes}
    )
    return entry


@transaction.atomic
def waiting_withdraw(*, actor: User, entry: WaitingEntry) -> WaitingEntry:
    """Take someone off the waiting list (found elsewhere, no longer asking)."""
    if not can_record_at(actor, entry.site):
        raise Http404(_("Introuvable."))
    entry = WaitingEntry.objects.select_for_update().select_related("site").get(pk=entry.pk)
    if entry.status != WaitingStatus.WAITING:
        raise DomainError(_("Cette demande n'est plus en attente."))
    entry.status = WaitingStatus.WITHDRAWN
    entry.closed_at = now()
    entry.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(actor=actor, action="waiting.withdrawn", subject=entry, site=entry.site)
    return entry
