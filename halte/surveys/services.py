"""Writes of the survey week: open it, record a questionnaire, count a non-respondent (or take one
back), close it. Each checks who acts, runs in a transaction and writes its audit event; payloads
hold codes and numbers, never a person's code or any answer."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.audit.services import audit_record
from halte.clients.models import Client
from halte.core.errors import ConflictError, DomainError, integrity_as_conflict
from halte.core.timeutils import local_today, now
from halte.network.enums import PROJECT_STATUSES
from halte.network.models import Site
from halte.surveys import exports
from halte.surveys.answers import Answers, answers_check
from halte.surveys.enums import FIRST_EDITION, SURVEY_SITE_KINDS, WEEK_DAYS, NonResponseReason
from halte.surveys.models import NonResponse, Questionnaire, SurveyWeek
from halte.surveys.permissions import can_export_survey, can_open_survey_week, can_run_survey
from halte.surveys.selectors import has_answered, seen_during

# A week may be opened a little after it started (paper questionnaires typed in later) and well
# ahead of time (the national dates are announced months before).
OPEN_BACKDATE_DAYS = 14
OPEN_AHEAD_DAYS = 180


def _check_start(starts_on: dt.date, *, synthetic: bool) -> None:
    today = local_today()
    if synthetic:
        return
    if starts_on < today - dt.timedelta(days=OPEN_BACKDATE_DAYS):
        raise DomainError(
            _("Le premier jour est passé de plus de %(n)s jours.") % {"n": OPEN_BACKDATE_DAYS},
            field="starts_on",
        )
    if starts_on > today + dt.timedelta(days=OPEN_AHEAD_DAYS):
        raise DomainError(
            _("Le premier jour est à plus de %(n)s jours.") % {"n": OPEN_AHEAD_DAYS},
            field="starts_on",
        )


@transaction.atomic
def survey_week_open(
    *,
    actor: User,
    site: Site,
    starts_on: dt.date,
    edition_year: int | None = None,
    synthetic: bool = False,
) -> SurveyWeek:
    """Open the seven days of collection starting ``starts_on`` at a CAARUD place, for a national
    edition (the year of the first day unless said). One open week per site, one per edition."""
    if not can_open_survey_week(actor, site):
        raise Http404(_("Site introuvable."))
    if site.kind not in SURVEY_SITE_KINDS or site.status in PROJECT_STATUSES:
        raise DomainError(
            _(
                "L'enquête ENa-CAARUD se tient dans un CAARUD en activité (accueil, antenne, "
                "unité mobile ou halte soins addictions)."
            ),
            field="site",
        )
    _check_start(starts_on, synthetic=synthetic)
    edition = edition_year if edition_year is not None else starts_on.year
    if not (edition >= FIRST_EDITION and abs(edition - starts_on.year) <= 1):
        raise DomainError(
            _("Édition nationale impossible pour ces dates : %(y)s.") % {"y": starts_on.year},
            field="edition_year",
        )
    if SurveyWeek.objects.filter(site=site, closed_at__isnull=True).exists():
        raise ConflictError(_("Une semaine d'enquête est déjà ouverte sur ce site."), field="site")
    if SurveyWeek.objects.filter(site=site, edition_year=edition).exists():
        raise ConflictError(
            _("Ce site a déjà sa semaine d'enquête pour l'édition %(y)s.") % {"y": edition},
            field="edition_year",
        )
    week = SurveyWeek(
        site=site,
        edition_year=edition,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=WEEK_DAYS - 1),
        opened_by=actor,
        synthetic=synthetic,
    )
    with integrity_as_conflict(_("Une semaine d'enquête est déjà ouverte sur ce site.")):
        week.save()
    audit_record(
        actor=actor,
        action="survey_week.opened",
        subject=week,
        site=site,
        payload={"edition": edition, "starts_on": starts_on.isoformat()},
    )
    return week


def _writable(actor: User, week: SurveyWeek, day: dt.date, *, synthetic: bool = False) -> None:
    if not can_run_survey(actor, week.site):
        raise Http404(_("Introuvable."))
    if not week.is_open:
        raise DomainError(_("La semaine d'enquête est close."))
    if not week.covers(day):
        raise DomainError(
            _("Le jour doit être dans la semaine d'enquête (du %(a)s au %(b)s).")
            % {"a": f"{week.starts_on:%d/%m/%Y}", "b": f"{week.ends_on:%d/%m/%Y}"},
            field="day",
        )
    if day > local_today() and not synthetic:
        raise DomainError(_("Ce jour n'est pas encore arrivé."), field="day")


@transaction.atomic
def questionnaire_record(
    *,
    actor: User,
    week: SurveyWeek,
    answers: Answers,
    client: Client | None = None,
    day: dt.date | None = None,
    synthetic: bool = False,
) -> Questionnaire:
    """Record the answers of a person who agreed. With a code, the person must have come to the
    site during the week and answers once; without one (the survey is anonymous), nothing links
    the answers to anyone. The person's situation is not changed by what they answer here."""
    answered_on = day or min(local_today(), week.ends_on)
    _writable(actor, week, answered_on, synthetic=synthetic)
    checked = answers_check(answers, day=answered_on)
    if client is not None:
        if not seen_during(week, client):
            raise DomainError(
                _("Cette personne n'est pas venue sur le site pendant la semaine d'enquête."),
                field="client",
            )
        if has_answered(week, client):
            raise ConflictError(_("Cette personne a déjà répondu cette semaine."), field="client")
    SurveyWeek.objects.select_for_update().filter(pk=week.pk).first()  # numbers in turn
    last = Questionnaire.objects.filter(week=week).aggregate(n=Max("number"))["n"] or 0
    questionnaire = Questionnaire(
        week=week,
        number=last + 1,
        client=client,
        answered_on=answered_on,
        recorded_by=actor,
        **checked.as_fields(),
    )
    try:
        with transaction.atomic():
            questionnaire.save()
    except IntegrityError as exc:
        if client is not None and has_answered(week, client):
            raise ConflictError(_("Cette personne a déjà répondu cette semaine.")) from exc
        raise ConflictError(_("Un autre questionnaire a pris ce numéro : réessayez.")) from exc
    audit_record(
        actor=actor,
        action="survey_questionnaire.recorded",
        subject=questionnaire,
        site=week.site,
        payload={
            "week": str(week.public_id),
            "number": questionnaire.number,
            "day": answered_on.isoformat(),
            "with_code": client is not None,
        },
    )
    return questionnaire


def _reason(reason: str) -> str:
    if reason not in NonResponseReason.values:
        raise DomainError(_("Motif inconnu."), field="reason")
    return reason


@transaction.atomic
def non_respondent_add(
    *,
    actor: User,
    week: SurveyWeek,
    reason: str,
    day: dt.date | None = None,
    count: int = 1,
    synthetic: bool = False,
) -> NonResponse:
    """Count people who came on ``day`` and did not answer, for one reason (one by one at the
    desk; several at once when a paper tally is typed in). Never linked to anyone."""
    when = day or min(local_today(), week.ends_on)
    _writable(actor, week, when, synthetic=synthetic)
    _reason(reason)
    if not 1 <= count <= 500:
        raise DomainError(_("Nombre de 1 à 500."), field="count")
    counter, _created = NonResponse.objects.get_or_create(week=week, day=when, reason=reason)
    NonResponse.objects.filter(pk=counter.pk).update(count=F("count") + count)
    counter.refresh_from_db(fields=["count"])
    audit_record(
        actor=actor,
        action="survey_week.non_respondent_counted",
        subject=week,
        site=week.site,
        payload={"day": when.isoformat(), "reason": reason, "added": count},
    )
    return counter


@transaction.atomic
def non_respondent_remove(
    *, actor: User, week: SurveyWeek, reason: str, day: dt.date
) -> NonResponse:
    """Take back one count tapped by mistake (the counter never goes below zero)."""
    _writable(actor, week, day)
    _reason(reason)
    taken = NonResponse.objects.filter(week=week, day=day, reason=reason, count__gt=0).update(
        count=F("count") - 1
    )
    if not taken:
        raise DomainError(_("Rien à retirer pour ce jour et ce motif."), field="reason")
    audit_record(
        actor=actor,
        action="survey_week.non_respondent_removed",
        subject=week,
        site=week.site,
        payload={"day": day.isoformat(), "reason": reason},
    )
    return NonResponse.objects.get(week=week, day=day, reason=reason)


@transaction.atomic
def survey_week_close(*, actor: User, week: SurveyWeek) -> SurveyWeek:
    """Close the week: nothing more is recorded; the results can be sent."""
    if not can_open_survey_week(actor, week.site):
        raise Http404(_("Introuvable."))
    closed = SurveyWeek.objects.filter(pk=week.pk, closed_at__isnull=True).update(
        closed_at=now(), closed_by=actor
    )
    if not closed:
        raise ConflictError(_("La semaine d'enquête est déjà close."))
    week.refresh_from_db(fields=["closed_at", "closed_by"])
    audit_record(
        actor=actor,
        action="survey_week.closed",
        subject=week,
        site=week.site,
        payload={"questionnaires": week.questionnaires.count()},
    )
    return week


def survey_week_export(
    *, actor: User, week: SurveyWeek, fmt: str, publish: exports.Publish
) -> bytes:
    """The week's results file, for the manager or the coordination; the export is audited (its
    format, not its content)."""
    if not can_export_survey(actor, week.site):
        raise Http404(_("Introuvable."))
    if fmt not in exports.CONTENT_TYPES:
        raise DomainError(_("Format inconnu : xlsx ou csv."), field="format")
    body = exports.render(week, fmt, publish)
    audit_record(
        actor=actor,
        action="survey_week.exported",
        subject=week,
        site=week.site,
        payload={"format": fmt, "questionnaires": week.questionnaires.count()},
    )
    return body
