"""Reads of the person's situation, pathways, accompaniments and interpreting, through the gate of
the person's sites. The care-only answers (pregnancy, prison release, resources) and every pathway
are dropped here for anyone who is not a care role there, so screens and the API cannot show what
they never receive."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from halte.accounts.models import User
from halte.care.enums import ScreeningResult
from halte.care.models import CareAct
from halte.clients.models import Client
from halte.pathway.enums import (
    SCREENING_FOR,
    STAGE_ORDER,
    STAGES_FOR,
    Asked,
    Coverage,
    Housing,
    Language,
    Product,
    Resources,
    Route,
    Stage,
    YesNo,
)
from halte.pathway.models import Accompaniment, Interpreting, Pathway, PathwayStep, Situation
from halte.pathway.permissions import (
    can_see_pathways,
    can_see_sensitive_situation,
    can_see_situation,
    reader_site_ids,
)
from halte.pathway.services import pathway_is_finished


@dataclass(frozen=True)
class Answer:
    """One answer as shown: its code and its label ("Non demandé", "Ne souhaite pas répondre",
    or the answer itself)."""

    code: str
    label: str


@dataclass(frozen=True)
class CareOnly:
    resources: Answer
    prison_release: Answer
    pregnancy: Answer


@dataclass(frozen=True)
class SituationView:
    public_id: uuid.UUID
    asked_on: dt.date
    site_name: str
    housing: Answer
    coverage: Answer
    products: Answer
    routes: Answer
    age_first_use: Answer
    languages: Answer
    interpreter_needed: Answer
    # None for whoever may not read them: the values never leave this module for them.
    care_only: CareOnly | None


def _single(value: str, choices: type[Housing | Coverage | Resources | YesNo]) -> Answer:
    return Answer(value, str(choices(value).label))


def _listed(asked: str, values: list[str], choices: type[Product | Route | Language]) -> Answer:
    if asked != Asked.ANSWERED:
        return Answer(asked, str(Asked(asked).label))
    return Answer(",".join(values), ", ".join(str(choices(v).label) for v in values))


def situation_view(situation: Situation, *, care_only: bool) -> SituationView:
    """One situation as a reader may see it (``care_only``: ``can_see_sensitive_situation``)."""
    s = situation
    age = (
        Answer(str(s.age_first_use), str(s.age_first_use))
        if s.age_first_use_asked == Asked.ANSWERED
        else Answer(s.age_first_use_asked, str(Asked(s.age_first_use_asked).label))
    )
    return SituationView(
        public_id=s.public_id,
        asked_on=s.asked_on,
        site_name=s.site.name,
        housing=_single(s.housing, Housing),
        coverage=_single(s.coverage, Coverage),
        products=_listed(s.products_asked, s.products, Product),
        routes=_listed(s.routes_asked, s.routes, Route),
        age_first_use=age,
        languages=_listed(s.languages_asked, s.languages, Language),
        interpreter_needed=_single(s.interpreter_needed, YesNo),
        care_only=(
            CareOnly(
                resources=_single(s.resources, Resources),
                prison_release=_single(s.prison_release, YesNo),
                pregnancy=_single(s.pregnancy, YesNo),
            )
            if care_only
            else None
        ),
    )


def situations_for_user(
    user: User | AnonymousUser, client: Client, *, limit: int = 20
) -> list[SituationView]:
    """The person's situations, latest first, for the staff of the person's sites; 404 for
    anyone else. The care-only answers reach care roles only."""
    if not can_see_situation(user, client):
        raise Http404("Introuvable.")
    care_only = can_see_sensitive_situation(user, client)
    rows = Situation.objects.filter(client=client).select_related("site")[:limit]
    return [situation_view(s, care_only=care_only) for s in rows]


@dataclass(frozen=True)
class PathwayView:
    pathway: Pathway
    steps: list[PathwayStep]
    finished: bool
    next_stages: list[tuple[str, str]]


def _view(pathway: Pathway) -> PathwayView:
    steps = sorted(pathway.steps.all(), key=lambda s: STAGE_ORDER[s.stage])
    done = {s.stage for s in steps}
    last = max((STAGE_ORDER[s] for s in done), default=0)
    finished = pathway_is_finished(pathway)
    upcoming = [
        (s, str(Stage(s).label))
        for s in sorted(STAGES_FOR[pathway.infection], key=STAGE_ORDER.__getitem__)
        if STAGE_ORDER[s] > last
    ]
    return PathwayView(pathway, steps, finished, [] if finished else upcoming)


def pathways_for_user(user: User | AnonymousUser, client: Client) -> list[PathwayView]:
    """The person's pathways after a test, for the care roles of the person's sites; 404 for
    anyone else (a pathway tells a diagnosis)."""
    if not can_see_pathways(user, client):
        raise Http404("Introuvable.")
    rows = (
        Pathway.objects.filter(client=client)
        .select_related("site", "screening")
        .prefetch_related("steps__place_site")
    )
    return [_view(p) for p in rows]


def get_pathway_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Pathway:
    """A pathway the user may follow (care roles of one of the person's sites); 404 otherwise."""
    try:
        pathway = (
            Pathway.objects.select_related("client", "site")
            .prefetch_related("steps")
            .get(public_id=public_id)
        )
    except (Pathway.DoesNotExist, ValueError) as exc:
        raise Http404("Introuvable.") from exc
    if not can_see_pathways(user, pathway.client):
        raise Http404("Introuvable.")
    return pathway


def accompaniments_for_user(user: User | AnonymousUser, client: Client) -> list[Accompaniment]:
    """The person's accompaniments recorded at the user's sites among the person's."""
    sites = reader_site_ids(user, client)
    if not sites:
        raise Http404("Introuvable.")
    rows = Accompaniment.objects.filter(client=client, site_id__in=sites).select_related(
        "site", "referral"
    )
    return list(rows[:50])


def interpretings_for_user(user: User | AnonymousUser, client: Client) -> list[Interpreting]:
    """Interpreting given to the person at the user's sites among the person's."""
    sites = reader_site_ids(user, client)
    if not sites:
        raise Http404("Introuvable.")
    return list(
        Interpreting.objects.filter(client=client, site_id__in=sites).select_related("site")[:50]
    )


def screenings_to_follow(user: User | AnonymousUser, site_id: int, client: Client) -> list[CareAct]:
    """The person's positive rapid tests at this site that no pathway follows yet (care roles)."""
    if not can_see_pathways(user, client):
        raise Http404("Introuvable.")
    return list(
        CareAct.objects.filter(
            client=client,
            site_id=site_id,
            kind__in=sorted(SCREENING_FOR.values()),
            result=ScreeningResult.POSITIVE,
            pathways__isnull=True,
        ).order_by("-performed_at")[:20]
    )
