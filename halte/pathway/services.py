"""Writes of the person's situation, pathways after a test, accompaniments and interpreting. Each
service checks who may act, validates, runs in a transaction and writes its audit event: field
names and codes only, never an answer of the situation nor a result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import _roles_on
from halte.audit.services import audit_record
from halte.care.enums import ScreeningResult
from halte.care.models import CareAct, Referral
from halte.clients.models import Client
from halte.core.errors import DomainError, integrity_as_conflict
from halte.core.models import validate_fields
from halte.core.timeutils import local_today, paris_date
from halte.network.enums import SiteStatus
from halte.network.models import Site
from halte.pathway.enums import (
    CARE_ONLY_FIELDS,
    METHODS_FOR_STAGE,
    OPTIONAL_STAGES,
    SCREENING_FOR,
    STAGE_ORDER,
    STAGES_FOR,
    TEAM_ROLE_OF,
    Asked,
    Coverage,
    Housing,
    Infection,
    Language,
    Place,
    Product,
    Resources,
    Route,
    Stage,
    StepOutcome,
    YesNo,
)
from halte.pathway.models import (
    MAX_AGE_FIRST_USE,
    MIN_AGE_FIRST_USE,
    Accompaniment,
    Interpreting,
    Pathway,
    PathwayStep,
    Situation,
)
from halte.pathway.permissions import (
    can_follow_pathway,
    can_record_accompaniment,
    can_record_sensitive_situation,
    can_record_situation,
)

# Entries are made the day of, or caught up within a month (the team was out, the tablet too).
CATCH_UP = dt.timedelta(days=31)
# A pathway's steps are often reported long after (a hospital's letter), up to two years back.
PATHWAY_CATCH_UP = dt.timedelta(days=2 * 366)


@dataclass(frozen=True)
class Answers:
    """The answers of one situation. Every question starts "not asked"; a list or a number is
    kept only with ``Asked.ANSWERED``."""

    housing: str = Housing.NOT_ASKED
    coverage: str = Coverage.NOT_ASKED
    resources: str = Resources.NOT_ASKED
    products_asked: str = Asked.NOT_ASKED
    products: tuple[str, ...] = field(default=())
    routes_asked: str = Asked.NOT_ASKED
    routes: tuple[str, ...] = field(default=())
    age_first_use_asked: str = Asked.NOT_ASKED
    age_first_use: int | None = None
    languages_asked: str = Asked.NOT_ASKED
    languages: tuple[str, ...] = field(default=())
    interpreter_needed: str = YesNo.NOT_ASKED
    prison_release: str = YesNo.NOT_ASKED
    pregnancy: str = YesNo.NOT_ASKED


_SINGLE = {
    "housing": Housing,
    "coverage": Coverage,
    "resources": Resources,
    "interpreter_needed": YesNo,
    "prison_release": YesNo,
    "pregnancy": YesNo,
}
_LISTS = {"products": Product, "routes": Route, "languages": Language}
_ASKED = {f"{name}_asked": name for name in (*_LISTS, "age_first_use")}


def _check_day(day: dt.date, *, back: dt.timedelta, name: str) -> dt.date:
    today = local_today()
    if day > today:
        raise DomainError(_("Cette date est dans le futur."), field=name)
    if day < today - back:
        raise DomainError(
            _("Cette date est trop ancienne (%(days)s jours au plus).") % {"days": back.days},
            field=name,
        )
    return day


def _check_answers(answers: Answers, client: Client, day: dt.date) -> None:
    # The single answers and the "asked" of each list are the model's choices; a list's "asked"
    # is shown on the list.
    coded = [*_SINGLE, *_ASKED]
    situation = Situation(**{name: getattr(answers, name) for name in coded})
    validate_fields(situation, *coded, shown_as=_ASKED)
    for name, choices in _LISTS.items():
        asked, values = getattr(answers, f"{name}_asked"), getattr(answers, name)
        if any(v not in choices.values for v in values) or len(set(values)) != len(values):
            raise DomainError(_("Choix inconnu ou répété."), field=name)
        if (asked == Asked.ANSWERED) != bool(values):
            raise DomainError(
                _("Cochez au moins un choix, ou indiquez « non demandé » ou « refus »."),
                field=name,
            )
    _check_age(answers, client, day)


def _check_age(answers: Answers, client: Client, day: dt.date) -> None:
    asked, age = answers.age_first_use_asked, answers.age_first_use
    if asked != Asked.ANSWERED:
        if age is not None:
            raise DomainError(_("Un âge ne va qu'avec une réponse donnée."), field="age_first_use")
        return
    if age is None or not MIN_AGE_FIRST_USE <= age <= MAX_AGE_FIRST_USE:
        raise DomainError(
            _("Indiquez un âge de %(min)s à %(max)s ans.")
            % {"min": MIN_AGE_FIRST_USE, "max": MAX_AGE_FIRST_USE},
            field="age_first_use",
        )
    if age > client.age_in(day.year):
        raise DomainError(
            _("Cet âge dépasse l'âge de la personne (%(age)s ans).")
            % {"age": client.age_in(day.year)},
            field="age_first_use",
        )


def _filled(answers: Answers) -> tuple[list[str], list[str]]:
    answered, declined = [], []
    for name in (*_SINGLE, *(f"{n}_asked" for n in _LISTS), "age_first_use_asked"):
        value = getattr(answers, name)
        key = name.removesuffix("_asked")
        if value == Asked.DECLINED:
            declined.append(key)
        elif value != Asked.NOT_ASKED:
            answered.append(key)
    return sorted(answered), sorted(declined)


@transaction.atomic
def situation_record(
    *,
    actor: User,
    site: Site,
    client: Client,
    answers: Answers,
    asked_on: dt.date | None = None,
) -> Situation:
    """Record what the person said of their situation on a day, at a site (its front-line staff).
    Asked again the same day, the day's situation is replaced. Pregnancy, prison release and
    resources are written by care roles only: anyone else leaves them as they were that day (or
    "not asked"), and sending one is refused so nothing is lost silently."""
    if not can_record_situation(actor, site):
        raise Http404(_("Site introuvable."))
    day = _check_day(asked_on or local_today(), back=CATCH_UP, name="asked_on")
    sensitive = can_record_sensitive_situation(actor, site)
    if not sensitive and any(getattr(answers, f) != YesNo.NOT_ASKED for f in CARE_ONLY_FIELDS):
        raise DomainError(
            _("Grossesse, sortie de prison et ressources sont demandées par l'équipe soignante.")
        )
    _check_answers(answers, client, day)
    values = {f.name: getattr(answers, f.name) for f in fields(answers)}
    for name in _LISTS:
        values[name] = list(values[name])
    existing = Situation.objects.select_for_update().filter(client=client, asked_on=day).first()
    if existing is not None and not sensitive:
        for name in CARE_ONLY_FIELDS:
            values[name] = getattr(existing, name)
    with integrity_as_conflict(
        _("La situation de ce jour vient d'être enregistrée : rechargez la page.")
    ):
        if existing is None:
            situation = Situation.objects.create(
                client=client, site=site, asked_on=day, recorded_by=actor, **values
            )
        else:
            situation = existing
            for name, value in values.items():
                setattr(situation, name, value)
            situation.site, situation.recorded_by = site, actor
            situation.save(update_fields=[*values, "site", "recorded_by", "updated_at"])
    answered, declined = _filled(answers)
    audit_record(
        actor=actor,
        action="situation.updated" if existing else "situation.recorded",
        subject=situation,
        site=site,
        # Which questions were answered or declined, never an answer.
        payload={"answered": answered, "declined": declined},
    )
    return situation


def situation_read(*, actor: User, client: Client, sensitive: bool, site: Site | None) -> None:
    """Leave a trace of a read of someone's situation: who, whose, and whether the care-only
    answers were shown. Never the answers."""
    audit_record(
        actor=actor,
        action="situation.read",
        subject=client,
        site=site,
        payload={"sensitive": sensitive},
    )


def pathway_read(*, actor: User, client: Client, site: Site | None) -> None:
    """Leave a trace of a read of someone's pathways (care roles only ever read them)."""
    audit_record(actor=actor, action="pathway.read", subject=client, site=site, payload={})


def _open_pathway(client: Client, infection: str) -> Pathway | None:
    for pathway in Pathway.objects.filter(client=client, infection=infection).prefetch_related(
        "steps"
    ):
        if not pathway_is_finished(pathway):
            return pathway
    return None


def pathway_is_finished(pathway: Pathway) -> bool:
    """A pathway ends when the confirmation is negative, when the cure is checked, or (HIV) when
    the treatment has started: a new test opens a new one."""
    steps = {s.stage: s for s in pathway.steps.all()}
    confirmed = steps.get(Stage.CONFIRMED)
    if confirmed is not None and confirmed.outcome == StepOutcome.NEGATIVE:
        return True
    last = max(STAGES_FOR[pathway.infection], key=STAGE_ORDER.__getitem__)
    return last in steps


@transaction.atomic
def pathway_open(
    *,
    actor: User,
    site: Site,
    client: Client,
    infection: str,
    screening: CareAct | None = None,
    tested_on: dt.date | None = None,
) -> Pathway:
    """Open the pathway after a positive test for an infection (the site's care roles): from the
    rapid test recorded in Halte, or from a test done elsewhere (its date). One pathway at a
    time per infection; a test opens one at most."""
    if not can_follow_pathway(actor, site):
        raise Http404(_("Site introuvable."))
    validate_fields(Pathway(infection=infection), "infection")
    if screening is not None:
        if screening.client_id != client.pk or screening.site_id != site.pk:
            raise DomainError(
                _("Ce dépistage n'est pas celui de cette personne ici."), field="screening"
            )
        if screening.kind != SCREENING_FOR[infection]:
            raise DomainError(
                _("Ce dépistage ne porte pas sur cette infection."), field="screening"
            )
        if screening.result != ScreeningResult.POSITIVE:
            raise DomainError(_("Un parcours suit un dépistage positif."), field="screening")
        tested_on = tested_on or paris_date(screening.performed_at)
    if tested_on is None:
        raise DomainError(_("Indiquez la date du dépistage."), field="tested_on")
    _check_day(tested_on, back=PATHWAY_CATCH_UP, name="tested_on")
    Client.objects.select_for_update().filter(pk=client.pk).first()
    if _open_pathway(client, infection) is not None:
        raise DomainError(
            _("Un parcours %(infection)s est déjà en cours pour cette personne.")
            % {"infection": Infection(infection).label},
            field="infection",
        )
    with integrity_as_conflict(_("Ce dépistage a déjà son parcours."), field="screening"):
        pathway = Pathway.objects.create(
            client=client,
            site=site,
            infection=infection,
            tested_on=tested_on,
            screening=screening,
            recorded_by=actor,
        )
    audit_record(
        actor=actor,
        action="pathway.opened",
        subject=pathway,
        site=site,
        # The infection is the diagnosis: the trail says a pathway was opened, not for what.
        payload={"from_screening": screening is not None},
    )
    return pathway


def _check_step(pathway: Pathway, stage: str, method: str, outcome: str, done_on: dt.date) -> None:
    validate_fields(PathwayStep(stage=stage, outcome=outcome), "stage", "outcome")
    if stage not in STAGES_FOR[pathway.infection]:
        raise DomainError(
            _("Cette étape ne fait pas partie d'un parcours %(infection)s.")
            % {"infection": pathway.get_infection_display()},
            field="stage",
        )
    allowed = METHODS_FOR_STAGE[stage]
    if (method and method not in allowed) or (allowed and not method):
        raise DomainError(_("Choisissez l'examen qui convient à cette étape."), field="method")
    tested = stage in (Stage.CONFIRMED, Stage.CURE_CHECKED)
    if tested and not outcome:
        raise DomainError(_("Indiquez le résultat (positif ou négatif)."), field="outcome")
    if not tested and outcome:
        raise DomainError(_("Cette étape n'a pas de résultat."), field="outcome")
    if pathway_is_finished(pathway):
        raise DomainError(_("Ce parcours est terminé : un nouveau dépistage en ouvre un autre."))
    steps = {s.stage: s for s in pathway.steps.all()}
    if stage in steps:
        raise DomainError(_("Cette étape du parcours est déjà enregistrée."), field="stage")
    order = STAGE_ORDER[stage]
    missing = [
        Stage(s).label
        for s in STAGES_FOR[pathway.infection]
        if STAGE_ORDER[s] < order and s not in steps and s not in OPTIONAL_STAGES
    ]
    if missing:
        raise DomainError(
            _("Enregistrez d'abord : %(steps)s.") % {"steps": ", ".join(map(str, missing))},
            field="stage",
        )
    later = [s for s in steps.values() if STAGE_ORDER[s.stage] > order]
    if later:
        raise DomainError(_("Une étape suivante est déjà enregistrée."), field="stage")
    earliest = max([pathway.tested_on, *(s.done_on for s in steps.values())])
    if done_on < earliest:
        raise DomainError(
            _("Cette étape ne peut pas précéder le %(day)s.")
            % {"day": earliest.strftime("%d/%m/%Y")},
            field="done_on",
        )


def _check_place(place: str, place_site: Site | None, site: Site) -> None:
    validate_fields(PathwayStep(place=place), "place")
    if (place == Place.NETWORK_SITE) != (place_site is not None):
        raise DomainError(_("Choisissez le site du réseau."), field="place_site")
    if place_site is not None and (
        place_site.pk == site.pk or place_site.status != SiteStatus.OPERATIONAL
    ):
        raise DomainError(_("Choisissez un autre site du réseau, en activité."), field="place_site")


@transaction.atomic
def pathway_step_record(
    *,
    actor: User,
    pathway: Pathway,
    stage: str,
    place: str,
    done_on: dt.date | None = None,
    method: str = "",
    outcome: str = "",
    place_site: Site | None = None,
    referral: Referral | None = None,
) -> PathwayStep:
    """Record a step of a pathway (care roles of the pathway's site): its date, where it was done
    and, for a confirmation or a cure check, the test and its result. Steps come in order
    (the assessment may be skipped), each once, never before the previous one; a referral of the
    same person may be named as the way there."""
    if not can_follow_pathway(actor, pathway.site):
        raise Http404(_("Parcours introuvable."))
    current = Pathway.objects.select_for_update().get(pk=pathway.pk)
    day = _check_day(done_on or local_today(), back=PATHWAY_CATCH_UP, name="done_on")
    _check_step(current, stage, method, outcome, day)
    _check_place(place, place_site, current.site)
    if referral is not None and referral.client_id != current.client_id:
        raise DomainError(_("Cette orientation est celle d'une autre personne."), field="referral")
    with integrity_as_conflict(
        _("Cette étape vient d'être enregistrée : rechargez la page."), field="stage"
    ):
        step = PathwayStep.objects.create(
            pathway=current,
            stage=stage,
            done_on=day,
            method=method,
            outcome=outcome,
            place=place,
            place_site=place_site,
            referral=referral,
            recorded_by=actor,
        )
    audit_record(
        actor=actor,
        action="pathway.step_recorded",
        subject=current,
        site=current.site,
        # The stage and the place, never the result.
        payload={"stage": stage, "place": place, "outcome": bool(outcome)},
    )
    return step


MAX_ACCOMPANIMENT_MINUTES = 720
MAX_INTERPRETING_MINUTES = 480


@transaction.atomic
def accompaniment_record(
    *,
    actor: User,
    site: Site,
    client: Client,
    place: str,
    minutes: int,
    outcome: str,
    role: str | None = None,
    done_on: dt.date | None = None,
    referral: Referral | None = None,
) -> Accompaniment:
    """Record that a member of the team went with the person somewhere (the site's front-line
    staff): the team role (the actor's own by default, never a name), where, for how long, and
    what came of it; a referral of the same person may be the reason."""
    if not can_record_accompaniment(actor, site):
        raise Http404(_("Site introuvable."))
    validate_fields(Accompaniment(place=place, outcome=outcome), "place", "outcome")
    if role is None:
        held = sorted(TEAM_ROLE_OF[r] for r in _roles_on(actor, site) if r in TEAM_ROLE_OF)
        role = held[0] if held else ""
    if not role:
        raise DomainError(_("Choisissez le rôle de qui a accompagné."), field="role")
    validate_fields(Accompaniment(role=role), "role")
    if not isinstance(minutes, int) or not 5 <= minutes <= MAX_ACCOMPANIMENT_MINUTES:
        raise DomainError(_("Un accompagnement dure de 5 minutes à 12 heures."), field="minutes")
    if referral is not None and (referral.client_id != client.pk or referral.site_id != site.pk):
        raise DomainError(
            _("Cette orientation n'est pas celle de cette personne ici."), field="referral"
        )
    day = _check_day(done_on or local_today(), back=CATCH_UP, name="done_on")
    accompaniment = Accompaniment.objects.create(
        client=client,
        site=site,
        referral=referral,
        done_on=day,
        role=role,
        place=place,
        minutes=minutes,
        outcome=outcome,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="accompaniment.recorded",
        subject=accompaniment,
        site=site,
        payload={"place": place, "outcome": outcome, "role": role, "minutes": minutes},
    )
    return accompaniment


@transaction.atomic
def interpreting_record(
    *,
    actor: User,
    site: Site,
    client: Client,
    language: str,
    mode: str,
    minutes: int | None = None,
    done_on: dt.date | None = None,
) -> Interpreting:
    """Record interpreting given to the person (the site's front-line staff): the language, by
    phone or in person, and how long if known."""
    if not can_record_accompaniment(actor, site):
        raise Http404(_("Site introuvable."))
    if not mode:
        raise DomainError(_("Indiquez : par téléphone ou sur place."), field="mode")
    validate_fields(Interpreting(language=language, mode=mode), "language", "mode")
    if minutes is not None and (
        not isinstance(minutes, int) or not 1 <= minutes <= MAX_INTERPRETING_MINUTES
    ):
        raise DomainError(_("Un interprétariat dure de 1 minute à 8 heures."), field="minutes")
    day = _check_day(done_on or local_today(), back=CATCH_UP, name="done_on")
    interpreting = Interpreting.objects.create(
        client=client,
        site=site,
        done_on=day,
        language=language,
        mode=mode,
        minutes=minutes,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="interpreting.recorded",
        subject=interpreting,
        site=site,
        payload={"language": language, "mode": mode},
    )
    return interpreting
