"""Reads of beds, stays, nights and the waiting list, through the site gate."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import client_site_ids
from halte.clients.enums import SexGender
from halte.clients.models import ADULT_AGE, Client
from halte.clients.selectors import active_bans
from halte.core.errors import DomainError
from halte.core.timeutils import PARIS, local_today, now
from halte.lodging.enums import WaitingStatus
from halte.lodging.models import Bed, BedNight, Stay, WaitingEntry
from halte.network.enums import Admission, SiteStatus
from halte.network.models import Site

# Before this hour, "tonight" is still the night that began yesterday evening: the night team ends
# its shift in the morning, and exits are recorded then.
NIGHT_ENDS_AT = dt.time(8, 0)


def current_night(at: dt.datetime | None = None) -> dt.date:
    """The night in progress or to come, named by the date of its evening (Paris time)."""
    local = (at or now()).astimezone(PARIS)
    if local.time() < NIGHT_ENDS_AT:
        return local.date() - dt.timedelta(days=1)
    return local.date()


def lodging_sites_for_user(user: User | AnonymousUser) -> QuerySet[Site]:
    """The sites with beds where the user works with people (front-line roles)."""
    return Site.objects.filter(pk__in=client_site_ids(user), beds__gt=0).order_by("name")


def get_lodging_site_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Site:
    """A site with beds where the user works with people; 404 otherwise."""
    try:
        return lodging_sites_for_user(user).select_related("operator").get(public_id=public_id)
    except (Site.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Site introuvable.") from exc


def stays_visible_to(user: User | AnonymousUser) -> QuerySet[Stay]:
    """Stays in the beds of the sites where the user works with people."""
    return Stay.objects.filter(bed__site_id__in=client_site_ids(user)).select_related(
        "bed__site", "client"
    )


def stays_in_progress() -> QuerySet[Stay]:
    """Stays in progress: begun or booked, and no exit recorded. A person has one at most, across
    the network (``stay_one_open_per_client``): who has one is not given another bed, and the
    waiting lists say so."""
    return Stay.objects.filter(exit_date__isnull=True)


def stay_refusal(bed: Bed, client: Client, *, in_stay: bool | None = None) -> DomainError | None:
    """Why this person may not be given this bed, whatever the nights (the bed's nights are read
    under its lock by ``stay_create``), or None. ``field`` says what to change: "bed" another bed
    may do, "client" no bed here will; None the site takes nobody. ``in_stay``: whether the
    person has a stay in progress, when the caller has read it already for many people."""
    site = bed.site
    if site.status != SiteStatus.OPERATIONAL:
        return DomainError(_("Ce site n'est pas en activité."))
    if not bed.is_active:
        return DomainError(_("Ce lit n'est pas en service."), field="bed")
    if client.sex_gender != SexGender.WOMAN:
        if site.admission == Admission.WOMEN_ONLY:
            return DomainError(_("Ce lieu accueille uniquement des femmes."), field="client")
        if bed.women_only:
            return DomainError(_("Ce lit est réservé aux femmes."), field="bed")
    if site.adults_only and client.age_in(local_today().year) < ADULT_AGE:
        return DomainError(
            _("Ce lieu accueille uniquement des personnes majeures."), field="client"
        )
    if active_bans(client, site_id=site.pk):
        return DomainError(_("Cette personne est exclue de ce site à cette date."), field="client")
    if in_stay is None:
        in_stay = stays_in_progress().filter(client=client).exists()
    if in_stay:
        return DomainError(_("Cette personne a déjà un séjour en cours."), field="client")
    return None


def get_stay_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Stay:
    try:
        return stays_visible_to(user).get(public_id=public_id)
    except (Stay.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Introuvable.") from exc


def get_bed_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Bed:
    try:
        return Bed.objects.select_related("site").get(
            public_id=public_id, site_id__in=client_site_ids(user)
        )
    except (Bed.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Lit introuvable.") from exc


def get_waiting_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> WaitingEntry:
    try:
        return WaitingEntry.objects.select_related("site", "client").get(
            public_id=public_id, site_id__in=client_site_ids(user)
        )
    except (WaitingEntry.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Introuvable.") from exc


def waiting_list(site: Site) -> QuerySet[WaitingEntry]:
    """Who waits for a bed here, in serving order: priorities (pregnancy, health need, woman, age,
    in that order of weight), then first come. Callers have checked the user may see this site."""
    return (
        WaitingEntry.objects.filter(site=site, status=WaitingStatus.WAITING)
        .select_related("client")
        .prefetch_related("client__bans")
        .order_by("-priorities", "requested_at", "pk")
    )


@dataclass(frozen=True)
class WaitingRow:
    """One person waiting, as the night team acts on it: the stay they already have (anywhere),
    and the bed that can be given to them tonight, if any."""

    entry: WaitingEntry
    housed: Stay | None
    # The housed person's bed and site are shown only when the stay is at one of the reader's
    # sites; elsewhere the list says "housed elsewhere", no more.
    housed_visible: bool
    offer: Bed | None

    @property
    def housed_here(self) -> bool:
        return self.housed is not None and self.housed.bed.site_id == self.entry.site_id


def waiting_rows(
    user: User | AnonymousUser, entries: list[WaitingEntry], free_beds: list[Bed]
) -> list[WaitingRow]:
    """The waiting entries with, for each, the stay in progress that keeps them from a bed, or
    the first free bed ``stay_create`` would give them (``stay_refusal``, the same rules)."""
    housed = {
        stay.client_id: stay
        for stay in stays_in_progress()
        .filter(client_id__in=[e.client_id for e in entries])
        .select_related("bed__site")
    }
    mine = set(client_site_ids(user))
    rows = []
    for entry in entries:
        stay = housed.get(entry.client_id)
        offer = None
        if stay is None:
            for bed in free_beds:
                refusal = stay_refusal(bed, entry.client, in_stay=False)
                if refusal is None:
                    offer = bed
                if refusal is None or refusal.field != "bed":
                    break
        visible = stay is not None and stay.bed.site_id in mine
        rows.append(WaitingRow(entry, stay, visible, offer))
    return rows


def held_bed_ids(site: Site, night: dt.date) -> set[int]:
    """Beds taken that night: a materialised night, or an open-ended stay that has begun (its
    nights are confirmed one by one, but the bed stays with the person)."""
    return held_bed_ids_by_site([site.pk], night)[site.pk]


def held_bed_ids_by_site(site_ids: Iterable[int], night: dt.date) -> dict[int, set[int]]:
    """:func:`held_bed_ids` of several sites at once (two queries), by site id."""
    held: dict[int, set[int]] = {pk: set() for pk in site_ids}
    nights = BedNight.objects.filter(bed__site_id__in=held, night=night).values_list(
        "bed__site_id", "bed_id"
    )
    open_ended = Stay.objects.filter(
        bed__site_id__in=held,
        exit_date__isnull=True,
        planned_exit_date__isnull=True,
        entry_date__lte=night,
    ).values_list("bed__site_id", "bed_id")
    for site_id, bed_id in [*nights, *open_ended]:
        held[site_id].add(bed_id)
    return held


def beds_free(site: Site, night: dt.date | None = None, *, sex: str | None = None) -> int:
    """Active beds free that night; for a man (or someone not a woman), women-only beds and the
    beds of a women-only site do not count."""
    return beds_free_by_site([site], night, sex=sex)[site.pk]


def beds_free_by_site(
    sites: Sequence[Site], night: dt.date | None = None, *, sex: str | None = None
) -> dict[int, int]:
    """:func:`beds_free` of several sites at once (three queries whatever their number), by
    site id."""
    counted = {site.pk: site for site in sites}
    free = dict.fromkeys(counted, 0)
    if sex is not None and sex != SexGender.WOMAN:
        counted = {pk: s for pk, s in counted.items() if s.admission != Admission.WOMEN_ONLY}
    if not counted:
        return free
    beds = Bed.objects.filter(site_id__in=counted, is_active=True)
    if sex is not None and sex != SexGender.WOMAN:
        beds = beds.filter(women_only=False)
    held = held_bed_ids_by_site(counted, night or current_night())
    for site_id, pk in beds.values_list("site_id", "pk"):
        if pk not in held[site_id]:
            free[site_id] += 1
    return free


def beds_free_tonight(site: Site) -> int:
    """Free beds tonight, for anyone (the figure the availability of a site shows)."""
    return beds_free(site, current_night())


@dataclass(frozen=True)
class BedState:
    bed: Bed
    stay: Stay | None


def bed_board(site: Site, night: dt.date) -> list[BedState]:
    """Each active bed and who holds it that night (or nobody)."""
    holding: dict[int, Stay] = {}
    nights = BedNight.objects.filter(bed__site=site, night=night).select_related("stay__client")
    for bed_night in nights:
        holding[bed_night.bed_id] = bed_night.stay
    open_ended = Stay.objects.filter(
        bed__site=site,
        exit_date__isnull=True,
        planned_exit_date__isnull=True,
        entry_date__lte=night,
    ).select_related("client")
    for stay in open_ended:
        holding.setdefault(stay.bed_id, stay)
    beds = Bed.objects.filter(site=site, is_active=True).order_by("number")
    return [BedState(bed, holding.get(bed.pk)) for bed in beds]


@dataclass(frozen=True)
class NightView:
    night: dt.date
    board: list[BedState]
    free: int
    free_women_only: int
    arrivals: list[Stay]
    departures: list[Stay]
    waiting_head: list[WaitingEntry]
    waiting_count: int


def night_view(site: Site, night: dt.date | None = None) -> NightView:
    """What the night team needs: who sleeps in which bed, free beds, who is expected to arrive
    or leave, and the head of the waiting list."""
    night = night or current_night()
    board = bed_board(site, night)
    free = [s.bed for s in board if s.stay is None]
    stays = Stay.objects.filter(bed__site=site).select_related("client", "bed")
    waiting = waiting_list(site)
    return NightView(
        night=night,
        board=board,
        free=len(free),
        free_women_only=sum(1 for b in free if b.women_only),
        arrivals=list(stays.filter(entry_date=night).order_by("bed__number")),
        departures=list(
            stays.filter(
                exit_date__isnull=True, planned_exit_date=night + dt.timedelta(days=1)
            ).order_by("bed__number")
        ),
        waiting_head=list(waiting[:5]),
        waiting_count=waiting.count(),
    )


@dataclass(frozen=True)
class NightCount:
    night: dt.date
    occupied: int
    beds: int


def nightly_occupancy(site: Site, start: dt.date, end: dt.date) -> list[NightCount]:
    """Occupied beds per night over a range (materialised nights), against active beds."""
    counts = dict(
        BedNight.objects.filter(bed__site=site, night__range=(start, end))
        .values_list("night")
        .annotate(n=Count("pk"))
        .values_list("night", "n")
    )
    total = Bed.objects.filter(site=site, is_active=True).count()
    days = (end - start).days + 1
    return [
        NightCount(day, counts.get(day, 0), total)
        for day in (start + dt.timedelta(days=i) for i in range(days))
    ]
