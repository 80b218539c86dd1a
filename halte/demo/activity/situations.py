"""Synthetic situations, pathways after a positive test, accompaniments and interpreting for the
demo network (halte.pathway), hung on the visits and the rapid tests already generated.

The shares are shaped on the national CAARUD survey, ENa-CAARUD 2019 (OFDT: A. Cadet-Taïrou et
al., "Les usagers des CAARUD en 2019", and the survey's earlier waves, Tendances n° 98 for 2012),
and on the Paris and Strasbourg HSA evaluations (Inserm, 2021). They are orders of magnitude as
published, rounded; the figures marked [approximate] are from memory of those publications and
are to be checked against them before anyone quotes the demo; those marked [assumption] have no
published source (docs/domain.md, "Situation and pathway", lists them).

Rows are bulk-inserted (synthetic: no audit events); every draw comes from the run's ``rng``,
public ids included, so a seed gives the same rows; nothing is dated after the run's ``now``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections import defaultdict
from typing import TypeVar

import numpy as np
from django.db.models import Exists, OuterRef

from halte.care.enums import CareKind, ScreeningResult
from halte.care.models import CareAct
from halte.core import timeutils
from halte.core.timeutils import paris_date
from halte.demo.activity.run import Run
from halte.pathway.enums import (
    NOT_ASKED,
    Asked,
    Coverage,
    Housing,
    Language,
    Product,
    Resources,
    Route,
    YesNo,
)
from halte.pathway.models import Accompaniment, Interpreting, Pathway, PathwayStep, Situation
from halte.visits.models import Visit

# Share of the people seen in the period whose situation was asked at least once [assumption:
# it is asked when the person agrees, ENa-CAARUD's response rate was about 3 in 4 in 2012].
ASKED_SHARE = 0.7
# Share of a question left unasked in a situation, and declined when asked [assumption].
UNASKED_SHARE = 0.1
DECLINED_SHARE = 0.05

# ENa-CAARUD 2019 [approximate]: about a third of CAARUD users without stable housing (street,
# squat, emergency shelter, hotel); about half in durable housing.
HOUSING: dict[str, float] = {
    Housing.STREET: 0.15,
    Housing.SQUAT: 0.08,
    Housing.EMERGENCY_SHELTER: 0.08,
    Housing.HOTEL: 0.04,
    Housing.INSTITUTION: 0.07,
    Housing.FAMILY_FRIENDS: 0.10,
    Housing.OWN_HOME: 0.48,
}
# ENa-CAARUD [approximate]: about 1 in 10 without affiliation, a few % under AME, a third with
# the CSS (ex-CMU-C).
COVERAGE: dict[str, float] = {
    Coverage.NONE: 0.08,
    Coverage.PENDING: 0.04,
    Coverage.PUMA: 0.15,
    Coverage.PUMA_COMPLEMENTARY: 0.30,
    Coverage.CSS: 0.36,
    Coverage.AME: 0.07,
}
# ENa-CAARUD [approximate]: social benefits first (RSA, AAH), then work, then no income.
RESOURCES: dict[str, float] = {
    Resources.WORK: 0.14,
    Resources.UNEMPLOYMENT: 0.05,
    Resources.RSA: 0.35,
    Resources.AAH: 0.14,
    Resources.OTHER_BENEFITS: 0.06,
    Resources.THIRD_PARTY: 0.06,
    Resources.UNOFFICIAL: 0.10,
    Resources.NONE: 0.10,
}
# The Paris HSA's public is far more precarious than the CAARUD average: in 2023, 79 % homeless,
# 49 % without social coverage, 65 % without resources (IGA/IGAS report, Oct. 2024, bdoc.ofdt.fr
# notice 87713; docs/domain.md §2.1). Only those three totals are published: the split inside
# them and the rest are ours [assumption]. "Homeless" is street, squat, emergency shelter or
# hotel; "without coverage" is none or pending (docs/domain.md §11).
PARIS_HSA_HOUSING: dict[str, float] = {
    Housing.STREET: 0.45,
    Housing.SQUAT: 0.12,
    Housing.EMERGENCY_SHELTER: 0.12,
    Housing.HOTEL: 0.10,
    Housing.INSTITUTION: 0.05,
    Housing.FAMILY_FRIENDS: 0.06,
    Housing.OWN_HOME: 0.10,
}
PARIS_HSA_COVERAGE: dict[str, float] = {
    Coverage.NONE: 0.40,
    Coverage.PENDING: 0.09,
    Coverage.PUMA: 0.10,
    Coverage.PUMA_COMPLEMENTARY: 0.08,
    Coverage.CSS: 0.23,
    Coverage.AME: 0.10,
}
PARIS_HSA_RESOURCES: dict[str, float] = {
    Resources.NONE: 0.65,
    Resources.RSA: 0.15,
    Resources.AAH: 0.06,
    Resources.WORK: 0.04,
    Resources.UNEMPLOYMENT: 0.01,
    Resources.OTHER_BENEFITS: 0.02,
    Resources.THIRD_PARTY: 0.03,
    Resources.UNOFFICIAL: 0.04,
}
# Site slug -> (housing, coverage, resources) mixes; the other sites take the CAARUD ones.
SITE_MIXES: dict[str, tuple[dict[str, float], dict[str, float], dict[str, float]]] = {
    "paris-hsa": (PARIS_HSA_HOUSING, PARIS_HSA_COVERAGE, PARIS_HSA_RESOURCES),
}
# Use in the last 30 days among CAARUD users, ENa-CAARUD 2019 [approximate]; at the Paris HSA
# morphine sulfates and crack weigh more (Inserm evaluation 2021 [approximate]).
PRODUCTS: dict[str, float] = {
    Product.CANNABIS: 0.70,
    Product.ALCOHOL: 0.55,
    Product.COCAINE: 0.35,
    Product.CRACK: 0.30,
    Product.HEROIN: 0.30,
    Product.BUPRENORPHINE: 0.25,
    Product.METHADONE: 0.15,
    Product.MORPHINE: 0.15,
    Product.BENZODIAZEPINES: 0.20,
    Product.AMPHETAMINES: 0.06,
    Product.CATHINONES: 0.04,
    Product.KETAMINE: 0.05,
    Product.HALLUCINOGENS: 0.05,
    Product.OTHER_OPIOIDS: 0.05,
}
# Routes in the last 30 days, ENa-CAARUD 2019 [approximate]: injection about 45 %, smoking about
# half (crack), snorting about 40 %.
ROUTES: dict[str, float] = {
    Route.INJECTION: 0.45,
    Route.INHALATION: 0.50,
    Route.SNORTING: 0.40,
    Route.ORAL: 0.35,
    Route.OTHER: 0.02,
}
# Languages at a Paris or Strasbourg desk [assumption], and interpreting asked by non-French
# speakers (most often Russian, Georgian, Arabic at the HSAs [assumption]).
LANGUAGES: dict[str, float] = {
    Language.FRENCH: 0.82,
    Language.ARABIC: 0.05,
    Language.RUSSIAN: 0.04,
    Language.GEORGIAN: 0.03,
    Language.ROMANIAN: 0.02,
    Language.ENGLISH: 0.02,
    Language.POLISH: 0.01,
    Language.PERSIAN: 0.01,
}
# Age at first use: ENa-CAARUD gives a mean near 16 for the first product [approximate].
AGE_FIRST_USE = (16.5, 3.5)
# Released from prison in the last 12 months: about 1 in 10 [approximate]; pregnant women among
# women asked: a few % [assumption].
PRISON_RELEASE = 0.10
PREGNANCY = 0.03

# After a positive HCV rapid test (HCV cascade, ANRS / HSA evaluations [assumption]): a third
# clear the virus alone (PCR negative), three in five of the confirmed start a treatment, which
# almost all finish; four in five are checked, with 95 % cured.
CONFIRMED = 0.66
ASSESSED = 0.75
TREATED = 0.6
ENDED = 0.9
CHECKED = 0.8
CURED = 0.95
# The other pathways [assumption]: a positive HIV rapid test is confirmed by serology nine times in
# ten and treated at the hospital; hepatitis B is confirmed, assessed, and treated when chronic
# and active (one in three); syphilis is confirmed, treated by penicillin within the week, and
# checked by serology months later.
HIV_CONFIRMED = 0.9
HBV_CONFIRMED = 0.8
HBV_TREATED = 0.3
SYPHILIS_CONFIRMED = 0.85
INFECTION_OF: dict[str, str] = {
    CareKind.TROD_HCV: "hcv",
    CareKind.TROD_HIV: "hiv",
    CareKind.TROD_HBV: "hbv",
    CareKind.TROD_SYPHILIS: "syphilis",
}
# Accompaniments per hundred people seen [assumption], their places and lengths in minutes.
ACCOMPANIMENT_RATE = 0.04
ACCOMPANIMENT_PLACES: dict[str, float] = {
    "hospital": 0.35,
    "csapa": 0.15,
    "prefecture": 0.12,
    "social_services": 0.15,
    "court": 0.05,
    "shelter": 0.13,
    "pharmacy": 0.05,
}


def _uuid(rng: np.random.Generator, salt: object) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"halte-pathway:{salt}:{rng.bytes(16).hex()}")


def _pick(rng: np.random.Generator, mix: dict[str, float]) -> str:
    keys = list(mix)
    weights = np.array([mix[k] for k in keys], dtype=float)
    return str(keys[int(rng.choice(len(keys), p=weights / weights.sum()))])


def _unset(rng: np.random.Generator) -> str | None:
    """Not asked, declined, or None for an answer to draw."""
    draw = rng.random()
    if draw < UNASKED_SHARE:
        return NOT_ASKED
    if draw < UNASKED_SHARE + DECLINED_SHARE:
        return Asked.DECLINED
    return None


def _listed(rng: np.random.Generator, shares: dict[str, float]) -> tuple[str, list[str]]:
    unset = _unset(rng)
    if unset:
        return unset, []
    chosen = [k for k, share in shares.items() if rng.random() < share]
    return (Asked.ANSWERED, chosen) if chosen else (NOT_ASKED, [])


def _situation(
    rng: np.random.Generator,
    visit: Visit,
    day: dt.date,
    woman: bool,
    actor_id: int,
    slug: str = "",
) -> Situation:
    housing, coverage, resources = SITE_MIXES.get(slug, (HOUSING, COVERAGE, RESOURCES))
    products_asked, products = _listed(rng, PRODUCTS)
    routes_asked, routes = _listed(rng, ROUTES)
    language = _pick(rng, LANGUAGES)
    age_asked = _unset(rng) or Asked.ANSWERED
    age = int(np.clip(rng.normal(*AGE_FIRST_USE), 10, 40)) if age_asked == Asked.ANSWERED else None
    assert visit.client is not None
    if age is not None:
        age = min(age, visit.client.age_in(day.year))
    return Situation(
        public_id=_uuid(rng, visit.public_id),
        client=visit.client,
        site_id=visit.site_id,
        asked_on=day,
        housing=_unset(rng) or _pick(rng, housing),
        coverage=_unset(rng) or _pick(rng, coverage),
        resources=_unset(rng) or _pick(rng, resources),
        products_asked=products_asked,
        products=products,
        routes_asked=routes_asked,
        routes=routes,
        age_first_use_asked=age_asked,
        age_first_use=age,
        languages_asked=Asked.ANSWERED,
        languages=[language],
        interpreter_needed=YesNo.NO if language == Language.FRENCH else YesNo.YES,
        prison_release=_unset(rng) or (YesNo.YES if rng.random() < PRISON_RELEASE else YesNo.NO),
        pregnancy=(
            (_unset(rng) or (YesNo.YES if rng.random() < PREGNANCY else YesNo.NO))
            if woman
            else NOT_ASKED
        ),
        recorded_by_id=actor_id,
    )


def _situations(run: Run, visits: list[Visit]) -> list[Situation]:
    """One situation for most people seen, on the day of one of their visits; a second, later,
    for some (the situation changes over time), one a day at most."""
    rng, rows, seen = run.rng, [], set()
    slugs = {site.pk: site.slug for site in run.sites}
    by_person: dict[int, list[Visit]] = defaultdict(list)
    for visit in visits:
        if visit.client_id is not None:
            by_person[visit.client_id].append(visit)
    for person_visits in by_person.values():
        if rng.random() >= ASKED_SHARE:
            continue
        picks = [person_visits[int(rng.integers(len(person_visits)))]]
        if len(person_visits) > 3 and rng.random() < 0.25:
            picks.append(person_visits[-1])
        for visit in picks:
            key = (visit.client_id, paris_date(visit.arrived_at))
            if key in seen:
                continue
            seen.add(key)
            assert visit.client is not None
            woman = visit.client.sex_gender == "woman"
            slug = slugs.get(visit.site_id, "")
            rows.append(_situation(rng, visit, key[1], woman, run.actor.pk, slug))
    return rows


def _steps(
    rng: np.random.Generator, pathway: Pathway, today: dt.date, actor_id: int
) -> list[PathwayStep]:
    """The cascade after the test, each step some weeks after the previous, none after today."""
    day, steps = pathway.tested_on, []
    if pathway.infection != "hcv":
        return _other_steps(rng, pathway, today, actor_id)

    def step(stage: str, weeks: float, **fields: str) -> bool:
        nonlocal day
        day = day + dt.timedelta(days=int(7 * weeks * (0.5 + rng.random())))
        if day > today:
            return False
        steps.append(
            PathwayStep(
                pathway=pathway, stage=stage, done_on=day, recorded_by_id=actor_id, **fields
            )
        )
        return True

    confirmed = rng.random() < CONFIRMED
    outcome = "positive" if confirmed else "negative"
    if not step("confirmed", 2, method="pcr", outcome=outcome, place="laboratory") or not confirmed:
        return steps
    if rng.random() < ASSESSED and not step("assessed", 3, method="fibroscan", place="mobile_unit"):
        return steps
    if rng.random() >= TREATED or not step("treatment_started", 3, place="on_site"):
        return steps
    if rng.random() >= ENDED or not step("treatment_ended", 12, place="on_site"):
        return steps
    if rng.random() < CHECKED:
        cured = "negative" if rng.random() < CURED else "positive"
        step("cure_checked", 12, method="pcr", outcome=cured, place="hospital")
    return steps


def _other_steps(
    rng: np.random.Generator, pathway: Pathway, today: dt.date, actor_id: int
) -> list[PathwayStep]:
    """HIV, hepatitis B and syphilis after a positive rapid test (the stages each allows)."""
    day, steps = pathway.tested_on, []

    def step(stage: str, weeks: float, **fields: str) -> bool:
        nonlocal day
        day = day + dt.timedelta(days=int(7 * weeks * (0.5 + rng.random())))
        if day > today:
            return False
        steps.append(
            PathwayStep(
                pathway=pathway, stage=stage, done_on=day, recorded_by_id=actor_id, **fields
            )
        )
        return True

    share = {"hiv": HIV_CONFIRMED, "hbv": HBV_CONFIRMED, "syphilis": SYPHILIS_CONFIRMED}
    confirmed = rng.random() < share[pathway.infection]
    outcome = "positive" if confirmed else "negative"
    place = "cegidd" if pathway.infection == "syphilis" else "laboratory"
    if not step("confirmed", 2, method="serology", outcome=outcome, place=place) or not confirmed:
        return steps
    if pathway.infection == "hiv":
        if step("assessed", 2, method="blood_work", place="hospital"):
            step("treatment_started", 2, place="hospital")
    elif pathway.infection == "hbv":
        if step("assessed", 4, method="fibroscan", place="mobile_unit") and (
            rng.random() < HBV_TREATED
        ):
            step("treatment_started", 4, place="hospital")
    elif step("treatment_started", 0.5, place="on_site") and step(
        "treatment_ended", 3, place="on_site"
    ):
        step("cure_checked", 20, method="serology", outcome="negative", place="cegidd")
    return steps


def _pathways(run: Run, today: dt.date) -> tuple[list[Pathway], list[PathwayStep]]:
    """A pathway for each positive rapid test (HCV, HIV, HBV, syphilis) of the run that has
    none yet, one at a time per person and infection."""
    tests = (
        CareAct.objects.filter(
            site__in=run.sites,
            kind__in=list(INFECTION_OF),
            result=ScreeningResult.POSITIVE,
            client__isnull=False,
            performed_at__date__range=(run.start, run.end),
        )
        .exclude(Exists(Pathway.objects.filter(screening=OuterRef("pk"))))
        .order_by("performed_at", "pk")
    )
    pathways, steps = [], []
    open_for: set[tuple[int, str]] = set()
    for act in tests:
        assert act.client_id is not None
        infection = INFECTION_OF[act.kind]
        if (act.client_id, infection) in open_for:  # one at a time per person and infection
            continue
        open_for.add((act.client_id, infection))
        pathway = Pathway(
            public_id=_uuid(run.rng, act.public_id),
            client_id=act.client_id,
            site_id=act.site_id,
            infection=infection,
            tested_on=paris_date(act.performed_at),
            screening=act,
            recorded_by=run.actor,
        )
        pathways.append(pathway)
        steps.extend(_steps(run.rng, pathway, today, run.actor.pk))
    return pathways, steps


def _accompaniments(
    run: Run, visits: list[Visit]
) -> tuple[list[Accompaniment], list[Interpreting]]:
    rng, done, interpreted = run.rng, [], []
    for visit in visits:
        if visit.client_id is None:
            continue
        day = paris_date(visit.arrived_at)
        if rng.random() < ACCOMPANIMENT_RATE / 10:
            done.append(
                Accompaniment(
                    public_id=_uuid(rng, visit.public_id),
                    client_id=visit.client_id,
                    site_id=visit.site_id,
                    done_on=day,
                    role=_pick(
                        rng, {"educator": 0.5, "nurse": 0.2, "social_worker": 0.2, "peer": 0.1}
                    ),
                    place=_pick(rng, ACCOMPANIMENT_PLACES),
                    minutes=int(np.clip(rng.normal(120, 50), 20, 480)),
                    outcome=_pick(
                        rng,
                        {"done": 0.8, "postponed": 0.1, "not_received": 0.05, "person_left": 0.05},
                    ),
                    recorded_by=run.actor,
                )
            )
        if rng.random() < 0.01:
            interpreted.append(
                Interpreting(
                    public_id=_uuid(rng, visit.public_id),
                    client_id=visit.client_id,
                    site_id=visit.site_id,
                    done_on=day,
                    language=_pick(
                        rng, {k: v for k, v in LANGUAGES.items() if k != Language.FRENCH}
                    ),
                    mode=_pick(rng, {"phone": 0.7, "in_person": 0.3}),
                    minutes=int(rng.integers(10, 46)),
                    recorded_by=run.actor,
                )
            )
    return done, interpreted


_Done = TypeVar("_Done", Accompaniment, Interpreting)


def _not_yet(model: type[_Done], rows: list[_Done], run: Run) -> list[_Done]:
    """The rows for a person and day that has none of the kind yet: a second run adds none."""
    known = set(
        model.objects.filter(done_on__range=(run.start, run.end)).values_list(
            "client_id", "done_on"
        )
    )
    return [r for r in rows if (r.client_id, r.done_on) not in known]


def generate(run: Run) -> dict[str, int]:
    """Situations, HCV pathways, accompaniments and interpreting on the run's visits and positive
    tests between its ``start`` and ``end``, nothing after its ``now``. Repeatable for a given
    ``rng`` and ``now``; a second run adds no situation, accompaniment or interpreting to a
    person and day that has one. Each part draws from its own stream spawned from the run's, so
    what one part skips on a second run does not shift what the next draws."""
    today = paris_date(run.now or timeutils.now())
    for_situations, for_pathways, for_accompaniments = (
        dataclasses.replace(run, rng=rng) for rng in run.rng.spawn(3)
    )
    visits = list(
        Visit.objects.filter(site__in=run.sites, arrived_at__date__range=(run.start, run.end))
        .exclude(client=None)
        .select_related("client")
        .order_by("arrived_at", "pk")
    )
    known = set(
        Situation.objects.filter(asked_on__range=(run.start, run.end)).values_list(
            "client_id", "asked_on"
        )
    )
    situations = [
        s for s in _situations(for_situations, visits) if (s.client_id, s.asked_on) not in known
    ]
    Situation.objects.bulk_create(situations, batch_size=2000)
    pathways, steps = _pathways(for_pathways, today)
    Pathway.objects.bulk_create(pathways, batch_size=2000)
    PathwayStep.objects.bulk_create(steps, batch_size=2000)
    accompaniments, interpretings = _accompaniments(for_accompaniments, visits)
    accompaniments = _not_yet(Accompaniment, accompaniments, run)
    interpretings = _not_yet(Interpreting, interpretings, run)
    Accompaniment.objects.bulk_create(accompaniments, batch_size=2000)
    Interpreting.objects.bulk_create(interpretings, batch_size=2000)
    return {
        "situations": len(situations),
        "pathways": len(pathways),
        "pathway steps": len(steps),
        "accompaniments": len(accompaniments),
        "interpretings": len(interpretings),
    }
