"""Reads of the neighbourhood app. Pick-ups, rounds and committees hold no person and are read by
all staff; reports go through ``reports_visible_to`` and a report's contact through
``report_contact_for`` (the coordinating role only)."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import client_site_ids
from halte.core.timeutils import PARIS, local_today, paris_date
from halte.geo.lib.areas import area_by_code
from halte.neighbourhood.enums import ReportStatus
from halte.neighbourhood.models import (
    Committee,
    CommitteeDecision,
    MediationRound,
    NeighbourhoodReport,
    Pickup,
    SiteSurroundings,
)
from halte.neighbourhood.permissions import (
    can_see_report_contact,
    can_see_street_work,
    is_coordinator,
    report_site_ids,
)
from halte.network.models import Site


def street_teams_for_user(user: User | AnonymousUser) -> QuerySet[Site]:
    """The sites and teams where the user records street work."""
    return Site.objects.filter(pk__in=client_site_ids(user)).order_by("name")


def get_street_team_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Site:
    try:
        return street_teams_for_user(user).get(public_id=public_id)
    except (Site.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Équipe introuvable.") from exc


def pickups_visible_to(user: User | AnonymousUser) -> QuerySet[Pickup]:
    if not can_see_street_work(user):
        return Pickup.objects.none()
    return Pickup.objects.select_related("team")


def rounds_visible_to(user: User | AnonymousUser) -> QuerySet[MediationRound]:
    if not can_see_street_work(user):
        return MediationRound.objects.none()
    return MediationRound.objects.select_related("site")


def get_round_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> MediationRound:
    try:
        return rounds_visible_to(user).get(public_id=public_id)
    except (MediationRound.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Tournée introuvable.") from exc


def open_rounds(user: User | AnonymousUser) -> list[MediationRound]:
    """The rounds in progress of the user's teams."""
    return list(
        MediationRound.objects.filter(
            site_id__in=client_site_ids(user), ended_at__isnull=True
        ).select_related("site")
    )


def reports_visible_to(user: User | AnonymousUser) -> QuerySet[NeighbourhoodReport]:
    """The coordinator reads every report; front-line staff read those given to their sites and
    those they logged; no one else reads any."""
    base = NeighbourhoodReport.objects.select_related("assigned_site")
    if is_coordinator(user):
        return base
    if not user.is_authenticated:
        return base.none()
    return base.filter(Q(assigned_site_id__in=report_site_ids(user)) | Q(recorded_by=user))


def get_report_for_user(
    user: User | AnonymousUser, public_id: uuid.UUID | str
) -> NeighbourhoodReport:
    try:
        return reports_visible_to(user).get(public_id=public_id)
    except (NeighbourhoodReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Signalement introuvable.") from exc


def report_contact_for(user: User | AnonymousUser, report: NeighbourhoodReport) -> str | None:
    """The resident's contact, for the coordinating role only; None for anyone else."""
    if not can_see_report_contact(user):
        return None
    contact = getattr(report, "contact", None)
    return contact.contact if contact is not None else ""


def time_to_answer(report: NeighbourhoodReport) -> dt.timedelta | None:
    if report.answered_at is None:
        return None
    return report.answered_at - report.received_at


def hours_to_answer(report: NeighbourhoodReport) -> float | None:
    delta = time_to_answer(report)
    return None if delta is None else round(delta.total_seconds() / 3600, 1)


def answer_delay_label(report: NeighbourhoodReport) -> str | None:
    """The time to answer as people read it: minutes under an hour, hours under two days, then
    days."""
    delta = time_to_answer(report)
    if delta is None:
        return None
    minutes = delta.total_seconds() / 60
    if minutes < 60:
        return _("%(n)s min") % {"n": max(1, round(minutes))}
    if minutes < 48 * 60:
        return _("%(n)s h") % {"n": number_format(minutes / 60, 1)}
    return _("%(n)s j") % {"n": number_format(minutes / 1440, 1)}


def committees_visible_to(user: User | AnonymousUser) -> QuerySet[Committee]:
    if not can_see_street_work(user):
        return Committee.objects.none()
    return Committee.objects.select_related("site")


def get_committee_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Committee:
    try:
        return committees_visible_to(user).get(public_id=public_id)
    except (Committee.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Comité introuvable.") from exc


def get_decision_for_user(
    user: User | AnonymousUser, public_id: uuid.UUID | str
) -> CommitteeDecision:
    try:
        return CommitteeDecision.objects.select_related("committee__site").get(
            public_id=public_id, committee__in=committees_visible_to(user)
        )
    except (CommitteeDecision.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Décision introuvable.") from exc


def is_overdue(decision: CommitteeDecision, today: dt.date | None = None) -> bool:
    return (
        decision.done_on is None
        and decision.due_on is not None
        and decision.due_on < (today or local_today())
    )


def open_decisions(user: User | AnonymousUser) -> list[CommitteeDecision]:
    """Decisions not done yet, the most urgent first."""
    return list(
        CommitteeDecision.objects.filter(
            committee__in=committees_visible_to(user), done_on__isnull=True
        )
        .select_related("committee__site")
        .order_by("due_on", "id")
    )


def surroundings_of(site: Site) -> SiteSurroundings | None:
    return SiteSurroundings.objects.filter(site=site).first()


# Pick-up map and series


@dataclass(frozen=True, slots=True)
class Cell:
    """A square of the density grid: its centre, its size and the material found in it."""

    lon: float
    lat: float
    half_lon: float
    half_lat: float
    total: int


def density_grid(pickups: QuerySet[Pickup], cell_m: int = 200) -> list[Cell]:
    """Items found per square of about ``cell_m`` metres: counted in the database by rounding
    the coordinates, one query."""
    dlat = cell_m / 111_320
    dlon = cell_m / (111_320 * math.cos(math.radians(48.86)))
    totals: dict[tuple[int, int], int] = {}
    for lon, lat, count in pickups.values_list("lon", "lat", "count").order_by():
        key = (math.floor(lon / dlon), math.floor(lat / dlat))
        totals[key] = totals.get(key, 0) + count
    return [
        Cell(round((i + 0.5) * dlon, 6), round((j + 0.5) * dlat, 6), dlon / 2, dlat / 2, total)
        for (i, j), total in sorted(totals.items())
    ]


@dataclass(frozen=True, slots=True)
class AreaSeries:
    area_code: str
    area_name: str
    months: dict[dt.date, int]

    @property
    def total(self) -> int:
        return sum(self.months.values())


def monthly_series(pickups: QuerySet[Pickup]) -> tuple[list[dt.date], list[AreaSeries]]:
    """Items found per month (Paris time) and per arrondissement or commune: one query."""
    rows = (
        pickups.order_by()
        .annotate(month=TruncMonth("found_at", tzinfo=PARIS))
        .values("area_code", "month")
        .annotate(total=Sum("count"))
    )
    by_area: dict[str, dict[dt.date, int]] = {}
    months: set[dt.date] = set()
    for row in rows:
        month = row["month"]
        day = paris_date(month) if isinstance(month, dt.datetime) else month
        months.add(day)
        by_area.setdefault(row["area_code"], {})[day] = row["total"]
    series = []
    for code, values in sorted(by_area.items()):
        area = area_by_code(code)
        series.append(AreaSeries(code, area.name if area else code, values))
    return sorted(months), series


def reports_open_count(user: User | AnonymousUser) -> int:
    return reports_visible_to(user).exclude(status=ReportStatus.CLOSED).count()
