"""Indicators of the plan-crack board (halte.plan), defined once like the others: the plan's
actions by status at the end of the period, the budget planned against what was spent each year,
the evacuations of gathering places and the follow-up of the people oriented.

Actions and budget belong to the whole network: they do not depend on the scope's sites, except
spending, read from the funding lines of the scope's sites that carry a plan action number.
Evacuations are those recorded by the scope's teams (all of them for the network). The follow-up
counts people: it is masked for those who only see suppressed reports."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from halte.reports.indicators.base import (
    Cell,
    Indicator,
    Result,
    Scope,
    as_number,
    breakdown,
    cells_from,
)

ACTIONS = ("plan.PlanAction", "plan.ActionStatusChange")
BUDGET = ("plan.PlanBudgetYear", "reports.FundingLine")
EVACUATIONS = ("plan.Evacuation", "plan.OrientedPerson")


def _statuses(scope: Scope) -> dict[int, tuple[object, str]]:
    from halte.plan.selectors import statuses_on

    return dict(statuses_on(scope.end, years=range(scope.start.year, scope.end.year + 1)))


def _actions(scope: Scope) -> Result:
    from halte.plan.enums import ActionStatus

    counts: dict[str, int] = {}
    for _action, status in _statuses(scope).values():
        counts[status] = counts.get(status, 0) + 1
    return breakdown(cells_from(counts.items(), dict(ActionStatus.choices)))


def _done(scope: Scope) -> Result:
    from halte.plan.enums import ActionStatus

    return Result(value=sum(1 for _a, s in _statuses(scope).values() if s == ActionStatus.DONE))


def _overdue(scope: Scope) -> Result:
    """Due on or before the period's last day and neither done nor abandoned at that date."""
    from halte.plan.enums import CLOSED_STATUSES
    from halte.plan.models import PlanAction

    late = 0
    for action, status in _statuses(scope).values():
        assert isinstance(action, PlanAction)
        if action.due_on is not None and action.due_on <= scope.end:
            late += status not in CLOSED_STATUSES
    return Result(value=late)


def spending_by_year(site_ids: tuple[int, ...] | None, years: list[int]) -> dict[int, Decimal]:
    """The funding lines carrying a plan action number, summed by year (all sites when
    ``site_ids`` is None)."""
    from halte.reports.models import FundingLine

    rows = FundingLine.objects.filter(year__in=years, plan_action__isnull=False)
    if site_ids is not None:
        rows = rows.filter(site_id__in=site_ids)
    totals = rows.values_list("year").annotate(total=Sum("amount")).order_by()
    return {year: Decimal(total) for year, total in totals}


def _budget_by_year(scope: Scope) -> Result:
    """Two cells a year: planned (every edition's budget line for that year) and spent."""
    from halte.plan.selectors import budget_rows

    years = scope.years()
    rows = budget_rows(spending_by_year(scope.site_ids, years), years=years)
    cells: list[Cell] = []
    for row in rows:
        planned = as_number(row.planned)
        planned_words, spent_words = _("prévu"), _("dépensé")
        cells.append(Cell(f"planned_{row.year}", f"{row.year} — {planned_words}", planned))
        cells.append(Cell(f"spent_{row.year}", f"{row.year} — {spent_words}", as_number(row.spent)))
    spent = sum((row.spent for row in rows), Decimal(0))
    return Result(value=as_number(spent), cells=tuple(cells), additive=False)


def _scoped_evacuations(scope: Scope):  # type: ignore[no-untyped-def]
    from halte.plan.models import Evacuation

    rows = Evacuation.objects.filter(happened_on__gte=scope.start, happened_on__lte=scope.end)
    return rows if scope.network else rows.filter(team_id__in=scope.site_ids)


def _evacuations(scope: Scope) -> Result:
    return Result(value=_scoped_evacuations(scope).count())


FOLLOWUP_KINDS = (
    ("seen", _("revues")),
    ("housed", _("hébergées")),
    ("in_care", _("en soins")),
)


def _followup(scope: Scope) -> Result:
    """People oriented at the period's evacuations; of them, seen again, housed, in care within
    7, 30 and 90 days (a window not over yet counts what happened so far)."""
    from halte.plan.enums import WINDOWS
    from halte.plan.selectors import followup

    oriented = 0
    totals: dict[str, int] = {}
    for evacuation in _scoped_evacuations(scope):
        result = followup(evacuation)
        oriented += result.oriented
        for window in result.windows:
            for kind, _label in FOLLOWUP_KINDS:
                key = f"{kind}_{window.days}"
                totals[key] = totals.get(key, 0) + getattr(window, kind)
    cells = [Cell("oriented", str(_("personnes orientées")), oriented, oriented)]
    for days in WINDOWS:
        for kind, label in FOLLOWUP_KINDS:
            value = totals.get(f"{kind}_{days}", 0)
            text = _("%(what)s à %(days)s jours") % {"what": label, "days": days}
            cells.append(Cell(f"{kind}_{days}", str(text), value, value))
    return Result(value=oriented, cells=tuple(cells), additive=False, basis=oriented)


INDICATORS = [
    Indicator(
        "plan_actions",
        _("Actions du plan par statut"),
        _(
            "Actions des éditions du plan couvrant la période, selon leur statut au dernier jour "
            "de la période (historique daté des statuts)."
        ),
        "plan",
        _("actions"),
        _actions,
        requires=ACTIONS,
        breakdown=True,
    ),
    Indicator(
        "plan_actions_done",
        _("Actions du plan réalisées"),
        _("Actions réalisées au dernier jour de la période."),
        "plan",
        _("actions"),
        _done,
        requires=ACTIONS,
    ),
    Indicator(
        "plan_actions_overdue",
        _("Actions du plan en retard"),
        _(
            "Actions dont l'échéance tombe au plus tard le dernier jour de la période et qui, à "
            "cette date, ne sont ni réalisées ni abandonnées."
        ),
        "plan",
        _("actions"),
        _overdue,
        requires=ACTIONS,
    ),
    Indicator(
        "plan_budget_by_year",
        _("Budget du plan par année : prévu et dépensé"),
        _(
            "Pour chaque année de la période, entière : le budget prévu par le plan (toutes "
            "éditions) et les lignes de financement des sites portant un numéro d'action du "
            "plan. Le plan 2019–2021 s'arrête en 2021 ; les années suivantes ont leurs propres "
            "lignes. Le total est la dépense."
        ),
        "plan",
        _("€"),
        _budget_by_year,
        requires=BUDGET,
        breakdown=True,
    ),
    Indicator(
        "evacuations",
        _("Évacuations de lieux de regroupement"),
        _("Évacuations notées dans la période par les équipes du périmètre."),
        "plan",
        _("évacuations"),
        _evacuations,
        requires=EVACUATIONS,
    ),
    Indicator(
        "evacuation_followup",
        _("Suivi des personnes orientées lors des évacuations"),
        _(
            "Personnes orientées lors des évacuations de la période ; parmi elles, revues (un "
            "passage sur un site du réseau), hébergées (une nuitée) ou en soins (un acte de soin "
            "ou une orientation réalisée) du jour de l'évacuation au 7e, 30e et 90e jour inclus. "
            "Calculé sur les données, jamais saisi ; une fenêtre pas encore close compte ce qui "
            "s'est passé jusqu'ici."
        ),
        "plan",
        _("personnes"),
        _followup,
        requires=EVACUATIONS,
        sensitive=True,
        breakdown=True,
    ),
]
