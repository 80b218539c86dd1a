"""Evacuations on screen: the team records one with the people oriented by code, reads their
codes and the follow-up; the coordination reads exact counts without codes; an evaluator reads
counts rounded to 5 and "<10"; bad input changes nothing; the place keeps its history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.clients.models import Client as Person
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.outreach.models import GatheringPlace
from halte.plan.models import Evacuation

DAY0 = local_today() - dt.timedelta(days=100)


def _form(place: GatheringPlace, team: Site, people: list[Person], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "place": str(place.public_id),
        "team": str(team.public_id),
        "happened_on": DAY0.isoformat(),
        "people_present": 30,
        "p-TOTAL_FORMS": 6,
        "p-INITIAL_FORMS": 0,
    }
    for i, person in enumerate(people):
        data[f"p-{i}-code"] = person.display_code
        data[f"p-{i}-destination_kind"] = "rest_space"
    data.update(extra)
    return data


def test_the_team_records_an_evacuation_with_two_people_and_reads_the_follow_up(
    login: Callable[[User], Client],
    worker: User,
    team: Site,
    stalingrad: GatheringPlace,
    people: list[Person],
    seen_at: Callable[..., Any],
) -> None:
    seen_at(people[0], DAY0 + dt.timedelta(days=3))
    http = login(worker)
    answer = http.post("/plan/evacuations/nouvelle/", _form(stalingrad, team, people[:2]))
    assert answer.status_code == 302
    evacuation = Evacuation.objects.get()
    assert evacuation.oriented.count() == 2
    page = http.get(answer["Location"]).content.decode()
    assert people[0].display_code in page and people[1].display_code in page
    assert '<tr data-window="7">' in page
    seven = page[page.index('data-window="7"') :]
    assert "<td data-seen>1</td>" in seven[: seven.index("</tr>")]
    event = AuditEvent.objects.get(action="plan.evacuation_oriented")
    assert event.payload == {"oriented": 2, "destinations": {"rest_space": 2}}
    assert people[0].code not in str(AuditEvent.objects.values_list("payload", flat=True))


def test_the_coordination_reads_counts_and_an_evaluator_reads_them_masked(
    login: Callable[[User], Client],
    coordinator: User,
    evaluator: User,
    stalingrad: GatheringPlace,
    people: list[Person],
    evacuate: Callable[..., Evacuation],
) -> None:
    evacuation = evacuate(DAY0, people, "lodging", present=30)
    url = f"/plan/evacuations/{evacuation.public_id}/"
    exact = login(coordinator).get(url).content.decode()
    masked = login(evaluator).get(url).content.decode()
    assert "<dd data-oriented>3</dd>" in exact
    assert "<dd data-oriented>&lt;10</dd>" in masked
    for body in (exact, masked):
        assert all(p.display_code not in body for p in people)
        assert "<dd data-present>30</dd>" in body
    listing = login(evaluator).get("/plan/evacuations/").content.decode()
    assert "&lt;10" in listing
    history = login(evaluator).get(f"/plan/lieux/{stalingrad.public_id}/").content.decode()
    assert DAY0.strftime("%-d/%m/%Y") in history


def test_another_team_reads_counts_only_and_cannot_add_people(
    login: Callable[[User], Client],
    team: Site,
    other_nurse: User,
    stalingrad: GatheringPlace,
    people: list[Person],
    evacuate: Callable[..., Evacuation],
) -> None:
    evacuation = evacuate(DAY0, people[:1], "csapa")
    http = login(other_nurse)
    url = f"/plan/evacuations/{evacuation.public_id}/"
    body = http.get(url).content.decode()
    assert people[0].display_code not in body and 'name="p-0-code"' not in body
    added = http.post(url, _form(stalingrad, team, people[1:2]))
    assert added.status_code == 404
    assert evacuation.oriented.count() == 1


def test_bad_input_changes_nothing(
    login: Callable[[User], Client],
    worker: User,
    coordinator: User,
    team: Site,
    stalingrad: GatheringPlace,
    people: list[Person],
) -> None:
    http = login(worker)
    unknown = _form(
        stalingrad, team, [], **{"p-0-code": "ZZZ-999-99", "p-0-destination_kind": "csapa"}
    )
    assert "Aucune personne n" in http.post("/plan/evacuations/nouvelle/", unknown).content.decode()
    too_many = _form(stalingrad, team, people, people_present=2)
    assert (
        "que de personnes présentes"
        in http.post("/plan/evacuations/nouvelle/", too_many).content.decode()
    )
    no_destination = _form(stalingrad, team, [], **{"p-0-code": people[0].display_code})
    assert (
        "Indiquez où" in http.post("/plan/evacuations/nouvelle/", no_destination).content.decode()
    )
    future = _form(stalingrad, team, [], happened_on=(local_today() + dt.timedelta(1)).isoformat())
    assert "dans le futur" in http.post("/plan/evacuations/nouvelle/", future).content.decode()
    # The coordination records an evacuation, but names no one.
    named = login(coordinator).post("/plan/evacuations/nouvelle/", _form(stalingrad, team, people))
    assert "équipe présente nomme" in named.content.decode()
    assert not Evacuation.objects.exists()
    plain = login(coordinator).post("/plan/evacuations/nouvelle/", _form(stalingrad, team, []))
    assert plain.status_code == 302 and Evacuation.objects.count() == 1
    twice = login(coordinator).post("/plan/evacuations/nouvelle/", _form(stalingrad, team, []))
    assert "déjà notée" in twice.content.decode() and Evacuation.objects.count() == 1


def test_an_evaluator_reads_no_window_before_it_is_over(
    login: Callable[[User], Client],
    coordinator: User,
    evaluator: User,
    people: list[Person],
    evacuate: Callable[..., Evacuation],
) -> None:
    recent = evacuate(local_today() - dt.timedelta(days=3), people, "lodging")
    url = f"/plan/evacuations/{recent.public_id}/"
    masked = login(evaluator).get(url).content.decode()
    exact = login(coordinator).get(url).content.decode()
    seven = masked[masked.index('data-window="7"') :]
    assert "<td data-seen>masqué</td>" in seven[: seven.index("</tr>")]
    seven = exact[exact.index('data-window="7"') :]
    assert "<td data-seen>0</td>" in seven[: seven.index("</tr>")]


def test_the_evacuations_list_reads_in_a_fixed_number_of_queries(
    login: Callable[[User], Client],
    coordinator: User,
    stalingrad: GatheringPlace,
    people: list[Person],
    evacuate: Callable[..., Evacuation],
    django_assert_max_num_queries: Any,
) -> None:
    # Ten evacuations: a query per row would pass the budget (about 19 fixed: session, roles, nav).
    for days in range(100, 110):
        evacuate(local_today() - dt.timedelta(days=days), [people[days % 3]], "csapa")
    http = login(coordinator)
    with django_assert_max_num_queries(24):
        assert http.get("/plan/evacuations/").status_code == 200
    with django_assert_max_num_queries(24):
        assert http.get(f"/plan/lieux/{stalingrad.public_id}/").status_code == 200
