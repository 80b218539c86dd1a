"""Reads of the plan-crack board: the actions (overdue first), the budget by year against
spending, the evacuations and the follow-up of the people oriented.

The follow-up is computed from the data, never typed: for each window of ``WINDOWS`` days, a
person oriented counts as *seen again* with a visit at any site of the network, *housed* with a
bed night, *in care* with a care act or a referral completed, from the evacuation day (day 0, the
night of the evacuation included) to day ``k`` included. The team's own contacts at the scene on
day 0 are the evacuation itself, not a return: they do not count as seen again."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, IntegerField, Min, Q, QuerySet, Value, When
from django.http import Http404

from halte.accounts.models import User
from halte.care.enums import ReferralStatus
from halte.care.models import CareAct, Referral
from halte.core.timeutils import local_today, paris_date, paris_instant
from halte.lodging.models import BedNight
from halte.outreach.models import GatheringPlace
from halte.plan.enums import CLOSED_STATUSES, WINDOWS
from halte.plan.models import (
    ActionStatusChange,
    Evacuation,
    OrientedPerson,
    PlanAction,
    PlanBudgetYear,
    PlanEdition,
)
from halte.plan.permissions import can_see_plan
from halte.visits.models import Visit

# Actions


def editions() -> QuerySet[PlanEdition]:
    return PlanEdition.objects.order_by("first_year", "code")


def get_edition(public_id: uuid.UUID | str) -> PlanEdition:
    try:
        return PlanEdition.objects.get(public_id=public_id)
    except (PlanEdition.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Plan introuvable.") from exc


def actions_board(
    *,
    edition: PlanEdition | None = None,
    axis: str = "",
    status: str = "",
    overdue_only: bool = False,
    today: dt.date | None = None,
) -> QuerySet[PlanAction]:
    """The actions, overdue first, then by due date (those without one last), plan and number."""
    day = today or local_today()
    overdue = Q(due_on__lt=day) & ~Q(status__in=CLOSED_STATUSES)
    rows = PlanAction.objects.select_related("edition").annotate(
        late=Case(When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField())
    )
    if edition is not None:
        rows = rows.filter(edition=edition)
    if axis:
        rows = rows.filter(axis=axis)
    if status:
        rows = rows.filter(status=status)
    if overdue_only:
        rows = rows.filter(late=0)
    return rows.order_by("late", "due_on", "edition__first_year", "number")


def get_action(public_id: uuid.UUID | str) -> PlanAction:
    try:
        return PlanAction.objects.select_related("edition").get(public_id=public_id)
    except (PlanAction.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Action introuvable.") from exc


def action_history(action: PlanAction) -> QuerySet[ActionStatusChange]:
    return action.history.order_by("-effective_on", "-pk")


def statuses_on(day: dt.date, *, years: range | None = None) -> dict[int, tuple[PlanAction, str]]:
    """Each action's status at the end of ``day`` (from its dated history), for the actions of
    the editions overlapping ``years`` that existed by then."""
    changes = ActionStatusChange.objects.filter(effective_on__lte=day).select_related(
        "action", "action__edition"
    )
    if years is not None:
        changes = changes.filter(
            action__edition__first_year__lte=years[-1], action__edition__last_year__gte=years[0]
        )
    found: dict[int, tuple[PlanAction, str]] = {}
    for change in changes.order_by("effective_on", "pk"):
        found[change.action_id] = (change.action, change.to_status)
    return found


# Budget


@dataclass(frozen=True)
class BudgetRow:
    """One year: the amount planned (None when no edition planned one), the amount spent, and the
    difference (spent minus planned)."""

    year: int
    editions: tuple[str, ...]
    planned: Decimal | None
    spent: Decimal
    sources: tuple[str, ...]

    @property
    def difference(self) -> Decimal | None:
        return None if self.planned is None else self.spent - self.planned

    @property
    def share(self) -> float | None:
        return None if not self.planned else float(100 * self.spent / self.planned)


def budget_rows(
    spent_by_year: Mapping[int, Decimal], *, years: Iterable[int] | None = None
) -> list[BudgetRow]:
    """Planned against spent for each year: the years given, or every year that has a budget line
    or spending. ``spent_by_year`` comes from the funding lines (read by halte.reports)."""
    lines = list(PlanBudgetYear.objects.select_related("edition").order_by("year", "edition"))
    wanted = sorted(
        set(years) if years is not None else {b.year for b in lines} | set(spent_by_year)
    )
    rows = []
    for year in wanted:
        of_year = [b for b in lines if b.year == year]
        rows.append(
            BudgetRow(
                year=year,
                editions=tuple(b.edition.label for b in of_year),
                planned=sum((b.amount for b in of_year), Decimal(0)) if of_year else None,
                spent=Decimal(spent_by_year.get(year, 0)),
                sources=tuple(b.source for b in of_year if b.source),
            )
        )
    return rows


# Evacuations


def evacuations_for_user(user: User | AnonymousUser) -> QuerySet[Evacuation]:
    """Every evacuation for any member of staff (places and counts, no person)."""
    if not can_see_plan(user):
        return Evacuation.objects.none()
    return Evacuation.objects.select_related("place", "team").order_by("-happened_on", "pk")


def get_evacuation_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Evacuation:
    try:
        return evacuations_for_user(user).get(public_id=public_id)
    except (Evacuation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Évacuation introuvable.") from exc


def evacuations_at(place: GatheringPlace) -> QuerySet[Evacuation]:
    return Evacuation.objects.filter(place=place).select_related("team").order_by("-happened_on")


def oriented_people(evacuation: Evacuation) -> QuerySet[OrientedPerson]:
    """The people oriented, with their codes: for the team's own staff only (the caller checks
    ``can_see_oriented_people``)."""
    return evacuation.oriented.select_related("client", "destination_site").order_by("pk")


@dataclass(frozen=True)
class Window:
    days: int
    ends_on: dt.date
    over: bool
    seen: int
    housed: int
    in_care: int


@dataclass(frozen=True)
class FollowUp:
    oriented: int
    windows: tuple[Window, ...]
    by_destination: tuple[tuple[str, int], ...] = ()


def _first_days(evacuation: Evacuation, ids: list[int]) -> dict[str, dict[int, dt.date]]:
    """For each person, the first day (from day 0) of each kind of sign within the longest
    window: one aggregate query per kind."""
    day0 = evacuation.happened_on
    t0 = paris_instant(day0, dt.time(0, 0))
    t1 = paris_instant(day0 + dt.timedelta(days=1), dt.time(0, 0))
    t_end = paris_instant(day0 + dt.timedelta(days=max(WINDOWS) + 1), dt.time(0, 0))

    visits = (
        Visit.objects.filter(client_id__in=ids, arrived_at__gte=t0, arrived_at__lt=t_end)
        .exclude(site_id=evacuation.team_id, arrived_at__lt=t1)
        .values_list("client_id")
        .annotate(first=Min("arrived_at"))
        .order_by()
    )
    nights = (
        BedNight.objects.filter(
            client_id__in=ids, night__gte=day0, night__lte=day0 + dt.timedelta(days=max(WINDOWS))
        )
        .values_list("client_id")
        .annotate(first=Min("night"))
        .order_by()
    )
    acts = (
        CareAct.objects.filter(
            visit__client_id__in=ids, performed_at__gte=t0, performed_at__lt=t_end
        )
        .values_list("visit__client_id")
        .annotate(first=Min("performed_at"))
        .order_by()
    )
    referrals = Referral.objects.filter(
        Q(client_id__in=ids) | Q(visit__client_id__in=ids),
        status=ReferralStatus.COMPLETED,
        closed_at__gte=t0,
        closed_at__lt=t_end,
    ).values_list("client_id", "visit__client_id", "closed_at")
    care: dict[int, dt.date] = {pk: paris_date(at) for pk, at in acts}
    for client_id, visit_client_id, closed in referrals:
        person = client_id or visit_client_id
        if person is None or closed is None:
            continue
        if person not in care or paris_date(closed) < care[person]:
            care[person] = paris_date(closed)
    return {
        "seen": {pk: paris_date(at) for pk, at in visits},
        "housed": dict(nights),
        "in_care": care,
    }


def followup(evacuation: Evacuation, *, today: dt.date | None = None) -> FollowUp:
    """The follow-up of the people oriented at an evacuation: counts per window."""
    day = today or local_today()
    rows = list(evacuation.oriented.values_list("client_id", "destination_kind"))
    ids = [pk for pk, _kind in rows]
    firsts = _first_days(evacuation, ids) if ids else {"seen": {}, "housed": {}, "in_care": {}}
    windows = []
    for k in WINDOWS:
        last = evacuation.happened_on + dt.timedelta(days=k)

        def within(kind: str, last: dt.date = last) -> int:
            return sum(1 for first in firsts[kind].values() if first <= last)

        windows.append(
            Window(k, last, day > last, within("seen"), within("housed"), within("in_care"))
        )
    kinds: dict[str, int] = {}
    for _pk, kind in rows:
        kinds[kind] = kinds.get(kind, 0) + 1
    return FollowUp(len(ids), tuple(windows), tuple(sorted(kinds.items())))
