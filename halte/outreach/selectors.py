"""Reads of the outreach app, through the site gate for anything tied to people."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from halte.accounts.models import User
from halte.accounts.permissions import client_site_ids
from halte.clients.models import Client
from halte.network.enums import SiteKind
from halte.network.models import Site
from halte.outreach.models import GatheringPlace, HeadCount, Round
from halte.outreach.permissions import can_see_head_counts


def teams_for_user(user: User | AnonymousUser) -> QuerySet[Site]:
    """The outreach teams the user works in."""
    return Site.objects.filter(pk__in=client_site_ids(user), kind=SiteKind.OUTREACH_TEAM).order_by(
        "name"
    )


def get_team_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Site:
    try:
        return teams_for_user(user).get(public_id=public_id)
    except (Site.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Équipe introuvable.") from exc


def rounds_visible_to(user: User | AnonymousUser) -> QuerySet[Round]:
    """Rounds of the teams the user works in."""
    return Round.objects.filter(team_id__in=client_site_ids(user)).select_related("team", "place")


def get_round_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Round:
    try:
        return rounds_visible_to(user).get(public_id=public_id)
    except (Round.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Maraude introuvable.") from exc


def current_round(team: Site) -> Round | None:
    return Round.objects.filter(team=team, ended_at__isnull=True).select_related("place").first()


@dataclass(frozen=True)
class RoundStats:
    contacts: int
    known: int
    anonymous: int
    new: int


def _contact_counts(path: str) -> dict[str, Count]:
    """The counts of a round's contacts, over ``path``: ``"pk"`` from the round's own contacts,
    ``"contacts"`` from rounds (one query for a whole list)."""
    via = "" if path == "pk" else f"{path}__"
    return {
        "n_contacts": Count(path),
        "n_anonymous": Count(path, filter=Q(**{f"{via}visit__client__isnull": True})),
        "n_new": Count(path, filter=Q(**{f"{via}is_new": True})),
    }


def _stats(counts: dict[str, int]) -> RoundStats:
    contacts, anonymous = counts["n_contacts"], counts["n_anonymous"]
    return RoundStats(contacts, contacts - anonymous, anonymous, counts["n_new"])


def round_stats(round_: Round) -> RoundStats:
    """Contacts of a round: everyone met, those with a code, anonymous ones, new people."""
    return _stats(round_.contacts.aggregate(**_contact_counts("pk")))


def recent_rounds(team: Site, limit: int = 15) -> list[tuple[Round, RoundStats]]:
    """The team's latest rounds with their contacts counted, in one query."""
    rounds = (
        Round.objects.filter(team=team)
        .select_related("place")
        .annotate(**_contact_counts("contacts"))
        .order_by("-started_at")
    )
    return [(r, _stats(vars(r))) for r in rounds[:limit]]


def gathering_places(user: User | AnonymousUser) -> QuerySet[GatheringPlace]:
    """The places followed; readable by every member of staff (no person in them)."""
    if not can_see_head_counts(user):
        return GatheringPlace.objects.none()
    return GatheringPlace.objects.filter(is_active=True).order_by("name")


def get_place_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> GatheringPlace:
    try:
        return gathering_places(user).get(public_id=public_id)
    except (GatheringPlace.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Lieu introuvable.") from exc


@dataclass(frozen=True)
class Series:
    place: GatheringPlace
    points: list[tuple[dt.datetime, int]]
    latest: tuple[dt.datetime, int] | None
    peak: int


def head_count_series(
    user: User | AnonymousUser, start: dt.datetime, end: dt.datetime
) -> list[Series]:
    """Counts per place over a period, oldest first, with the latest and the peak."""
    counts: dict[int, list[tuple[dt.datetime, int]]] = {}
    rows = HeadCount.objects.filter(counted_at__range=(start, end)).order_by("counted_at")
    for place_id, moment, count in rows.values_list("place_id", "counted_at", "count"):
        counts.setdefault(place_id, []).append((moment, count))
    result = []
    for place in gathering_places(user):
        points = counts.get(place.pk, [])
        result.append(
            Series(
                place,
                points,
                points[-1] if points else None,
                max((c for _m, c in points), default=0),
            )
        )
    return result


def count_span(user: User | AnonymousUser) -> tuple[dt.datetime, dt.datetime] | None:
    """The first and last moments of the recorded counts, or None."""
    if not can_see_head_counts(user):
        return None
    first = HeadCount.objects.order_by("counted_at").values_list("counted_at", flat=True).first()
    last = HeadCount.objects.order_by("-counted_at").values_list("counted_at", flat=True).first()
    return (first, last) if first and last else None


# The codes a phone keeps offline: people the team met over this many days. The phone drops
# them after OFFLINE_CODES_TTL (halte/www/outreach/offline.py), and at logout.
RECENT_CODES_DAYS = 30
RECENT_CODES_LIMIT = 2000


def recent_codes(user: User | AnonymousUser, *, at: dt.datetime) -> list[str]:
    """The codes of the people the user's teams met in the last ``RECENT_CODES_DAYS`` days (codes
    only: no name, no other field), so that a phone offline recognises a known person."""
    teams = teams_for_user(user)
    since = at - dt.timedelta(days=RECENT_CODES_DAYS)
    rows = (
        Client.objects.filter(is_active=True, visits__site__in=teams, visits__arrived_at__gte=since)
        .values_list("code", flat=True)
        .distinct()
        .order_by("code")
    )
    return list(rows[:RECENT_CODES_LIMIT])
