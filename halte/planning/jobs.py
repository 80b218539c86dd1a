"""The planner's background job: one scenario's solve, on the worker (halte.jobs)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from halte.core.errors import DomainError
from halte.jobs.registry import job
from halte.jobs.runner import JobContext
from halte.planning.enums import ScenarioStatus
from halte.planning.models import Scenario
from halte.planning.services import scenario_run


@job("planning.solve", label=_("Calcul d'un scénario de planification"), max_attempts=2)
def solve_scenario(ctx: JobContext) -> dict[str, Any]:
    """Solve the scenario once. Delivered again after a worker died, it starts the solve over; a
    solve already stored, or replaced by a newer request, is not redone."""
    scenario = Scenario.objects.filter(public_id=ctx.params["scenario"]).first()
    if scenario is None or scenario.job_id != ctx.job.pk:
        return {"skipped": "superseded"}
    if scenario.status == ScenarioStatus.SOLVED:
        return {"skipped": "already solved"}
    result = scenario_run(scenario_id=scenario.pk, ctx=ctx)
    if result is None:
        scenario.refresh_from_db()
        raise DomainError(scenario.failure or str(_("Le calcul a échoué.")))
    return {
        "status": result.solver_status,
        "proven_optimal": result.proven_optimal,
        "seconds": round(result.seconds, 2),
    }
