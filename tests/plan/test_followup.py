"""The follow-up of the people oriented at an evacuation, computed from the data: each window
from day 0 to day k included (day 7 counts in the 7-day window, day 8 does not), visits at any
site of the network but not the team's own contact at the scene on day 0, bed nights from the
night of the evacuation, care acts and completed referrals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from halte.clients.models import Client
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.plan.models import Evacuation
from halte.plan.selectors import followup
from halte.reports.indicators import REGISTRY, Scope

DAY0 = local_today() - dt.timedelta(days=120)


def _windows(evacuation: Evacuation) -> dict[int, tuple[int, int, int]]:
    return {w.days: (w.seen, w.housed, w.in_care) for w in followup(evacuation).windows}


def test_a_visit_on_day_7_counts_in_the_7_day_window_and_day_8_does_not(
    team: Site,
    evacuate: Callable[..., Evacuation],
    people: list[Client],
    seen_at: Callable[..., Any],
) -> None:
    first, second, third = people
    seen_at(first, DAY0 + dt.timedelta(days=7))
    seen_at(second, DAY0 + dt.timedelta(days=8))
    seen_at(third, DAY0 - dt.timedelta(days=1))  # before the evacuation: not a return
    evacuation = evacuate(DAY0, people)
    windows = _windows(evacuation)
    assert windows[7][0] == 1
    assert windows[30][0] == 2
    assert windows[90][0] == 2
    assert followup(evacuation).oriented == 3


def test_day_30_and_day_90_edges(
    team: Site,
    evacuate: Callable[..., Evacuation],
    people: list[Client],
    seen_at: Callable[..., Any],
) -> None:
    first, second, third = people
    seen_at(first, DAY0 + dt.timedelta(days=30))
    seen_at(second, DAY0 + dt.timedelta(days=90))
    seen_at(third, DAY0 + dt.timedelta(days=91))
    windows = _windows(evacuate(DAY0, people))
    assert [windows[k][0] for k in (7, 30, 90)] == [0, 1, 2]


def test_the_teams_own_contact_at_the_scene_is_not_a_return(
    team: Site,
    evacuate: Callable[..., Evacuation],
    people: list[Client],
    seen_at: Callable[..., Any],
) -> None:
    first, second, _third = people
    seen_at(first, DAY0, at_site=team)  # the contact at the evacuation itself
    seen_at(second, DAY0 + dt.timedelta(days=1), at_site=team)  # met again the next day
    windows = _windows(evacuate(DAY0, people))
    assert windows[7][0] == 1


def test_housed_from_the_night_of_the_evacuation(
    team: Site,
    evacuate: Callable[..., Evacuation],
    people: list[Client],
    housed_at: Callable[..., Any],
) -> None:
    first, second, third = people
    housed_at(first, DAY0)
    housed_at(second, DAY0 + dt.timedelta(days=8))
    housed_at(third, DAY0 - dt.timedelta(days=1))
    windows = _windows(evacuate(DAY0, people))
    assert [windows[k][1] for k in (7, 30, 90)] == [1, 2, 2]


def test_in_care_by_a_care_act_or_a_completed_referral(
    team: Site,
    evacuate: Callable[..., Evacuation],
    people: list[Client],
    cared_at: Callable[..., Any],
    referred_done: Callable[..., Any],
) -> None:
    first, second, third = people
    cared_at(first, DAY0 + dt.timedelta(days=7))
    referred_done(second, DAY0 + dt.timedelta(days=30))
    referred_done(third, DAY0 + dt.timedelta(days=91))
    windows = _windows(evacuate(DAY0, people))
    assert [windows[k][2] for k in (7, 30, 90)] == [1, 2, 2]


def test_a_window_not_over_says_so(
    people: list[Client], evacuate: Callable[..., Evacuation]
) -> None:
    evacuation = evacuate(local_today() - dt.timedelta(3), people)
    over = {w.days: w.over for w in followup(evacuation).windows}
    assert over == {7: False, 30: False, 90: False}
    assert {w.days: w.over for w in followup(evacuate(DAY0, [])).windows} == {
        7: True,
        30: True,
        90: True,
    }


def test_the_indicators_count_evacuations_and_their_follow_up(
    team: Site,
    site: Site,
    evacuate: Callable[..., Evacuation],
    people: list[Client],
    seen_at: Callable[..., Any],
) -> None:
    seen_at(people[0], DAY0 + dt.timedelta(days=2))
    evacuate(DAY0, people)
    scope = Scope((team.pk,), DAY0 - dt.timedelta(days=5), DAY0 + dt.timedelta(days=5))
    assert REGISTRY["evacuations"].evaluate(scope).value == 1
    cells = {c.key: c.value for c in REGISTRY["evacuation_followup"].evaluate(scope).cells}
    assert cells["oriented"] == 3
    assert (cells["seen_7"], cells["seen_30"], cells["housed_90"]) == (1, 1, 0)
    elsewhere = Scope((site.pk,), scope.start, scope.end)
    assert REGISTRY["evacuations"].evaluate(elsewhere).value == 0
    later = Scope((team.pk,), DAY0 + dt.timedelta(days=1), DAY0 + dt.timedelta(days=9))
    assert REGISTRY["evacuations"].evaluate(later).value == 0


@pytest.mark.parametrize("suppressed", [True, False])
def test_the_follow_up_is_masked_for_a_masked_audience(
    suppressed: bool,
    team: Site,
    evacuate: Callable[..., Evacuation],
    people: list[Client],
) -> None:
    from halte.reports.presentation import present_line

    evacuate(DAY0, people)
    scope = Scope((team.pk,), DAY0, DAY0)
    indicator = REGISTRY["evacuation_followup"]
    shown = present_line(indicator, indicator.evaluate(scope), suppressed=suppressed)
    oriented = next(c for c in shown.cells if c.key == "oriented")
    assert oriented.value == ("<10" if suppressed else "3")
