"""A past ENa-CAARUD survey week at the Paris harm reduction room (run by Gaïa-Paris, a CAARUD
operator), closed, so that the week's page, its rate and its results file can be seen.

Everything here is INVENTED: the week (a year back, not a national edition's real dates), every
answer and every count. The mix of answers is only shaped on the published profile of the room's
users (docs/domain.md §2.1: about 13 % women in 2017; in 2023 79 % homeless, 49 % without social
coverage, 65 % without resources; morphine sulfate the main product, crack also smoked; IGA/IGAS
2024 via bdoc.ofdt.fr notice 87713, Inserm 2021, asud.org). Drawn from a fixed seed: the same
demo every time. Loaded through the services, so each write leaves its audit event."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from halte.accounts.models import User
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.surveys.answers import Answers
from halte.surveys.enums import NOT_GIVEN, ListAnswer, NonResponseReason, YesNo
from halte.surveys.models import SurveyWeek
from halte.surveys.services import (
    non_respondent_add,
    questionnaire_record,
    survey_week_close,
    survey_week_open,
)

SITE = "paris-hsa"
QUESTIONNAIRES = 42
# Invented tallies per reason over the week.
NON_RESPONDENTS = {
    NonResponseReason.REFUSED: 17,
    NonResponseReason.UNABLE: 6,
    NonResponseReason.ALREADY_ANSWERED: 2,
}
SEED = 2019


def _pick(rng: random.Random, weighted: dict[str, float]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def _answers(rng: random.Random, year: int) -> Answers:
    """One invented questionnaire."""
    products = ["morphine"]
    if rng.random() < 0.45:
        products.append("crack")
    if rng.random() < 0.2:
        products.append("buprenorphine")
    if rng.random() < 0.25:
        products.append("alcohol")
    routes = ["injection"] + (["inhalation"] if "crack" in products else [])
    tested = _pick(rng, {YesNo.YES: 0.6, YesNo.NO: 0.3, NOT_GIVEN: 0.1})
    return Answers(
        sex=_pick(rng, {"man": 0.85, "woman": 0.13, "other": 0.02}),
        birth_year=year - rng.randint(24, 58),
        housing=_pick(
            rng, {"street": 0.5, "squat": 0.15, "emergency_shelter": 0.14, "own_home": 0.21}
        ),
        resources=_pick(rng, {"none": 0.65, "rsa": 0.2, "aah": 0.1, NOT_GIVEN: 0.05}),
        coverage=_pick(rng, {"none": 0.49, "puma": 0.2, "css": 0.2, "ame": 0.11}),
        products_given=ListAnswer.GIVEN,
        products=tuple(products),
        main_product="morphine" if rng.random() < 0.8 else products[-1],
        routes_given=ListAnswer.GIVEN,
        routes=tuple(routes),
        injected_30d=YesNo.YES,
        shared_material=_pick(rng, {YesNo.NO: 0.8, YesNo.YES: 0.1, NOT_GIVEN: 0.1}),
        hiv_tested_12m=tested,
        hiv_result_known=YesNo.YES if tested == YesNo.YES else NOT_GIVEN,
        hcv_tested_12m=tested,
        hcv_result_known=YesNo.YES if tested == YesNo.YES else NOT_GIVEN,
        substitution=_pick(rng, {"none": 0.5, "methadone": 0.3, "buprenorphine": 0.2}),
    )


def load(today: dt.date | None = None) -> int:
    """Record the invented week once; the number of questionnaires created (0 when it exists)."""
    if SurveyWeek.objects.filter(synthetic=True).exists():
        return 0
    site = Site.objects.filter(slug=SITE).first()
    if site is None:
        return 0
    manager = User.objects.get(username="manager-paris")
    reception = User.objects.get(username="reception-paris")
    day = (today or local_today()) - dt.timedelta(weeks=53)
    monday = day - dt.timedelta(days=day.weekday())
    week = survey_week_open(actor=manager, site=site, starts_on=monday, synthetic=True)
    rng = random.Random(SEED)  # noqa: S311 - invented answers, repeatable; no secret
    days = week.days()
    for n in range(QUESTIONNAIRES):
        questionnaire_record(
            actor=reception,
            week=week,
            answers=_answers(rng, monday.year),
            day=days[n % len(days)],
            synthetic=True,
        )
    for reason, total in NON_RESPONDENTS.items():
        per_day = Counter(days[n % len(days)] for n in range(total))
        for when, count in per_day.items():
            non_respondent_add(
                actor=reception, week=week, reason=reason, day=when, count=count, synthetic=True
            )
    survey_week_close(actor=manager, week=week)
    return QUESTIONNAIRES
