"""Solve one scenario now, in this process: ``manage.py run_scenario <public_id>``."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import CommandError

from halte.accounts.models import User
from halte.core.errors import DomainError
from halte.core.management.base import HalteCommand
from halte.planning.enums import ScenarioStatus
from halte.planning.models import Scenario
from halte.planning.services import scenario_solve


class Command(HalteCommand):
    help = "Solve a planning scenario synchronously and print its result."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("public_id", help="The scenario's public id (UUID).")
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help="Acting user (coordinator or admin); default: the scenario's author.",
        )

    def run(self, *args: Any, **options: Any) -> None:
        try:
            scenario = Scenario.objects.get(public_id=uuid.UUID(options["public_id"]))
        except (ValueError, Scenario.DoesNotExist) as exc:
            raise CommandError(f"No scenario {options['public_id']}") from exc
        actor = scenario.created_by
        if options["username"]:
            found = User.objects.filter(username=options["username"]).first()
            if found is None:
                raise CommandError(f"No user {options['username']}")
            actor = found
        try:
            scenario_solve(actor=actor, scenario=scenario, background=False)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        scenario.refresh_from_db()
        result = scenario.latest_result()
        if scenario.status == ScenarioStatus.FAILED or result is None:
            raise CommandError(f"Failed: {scenario.failure}")
        self.stdout.write(
            f"{scenario.name}: {result.solver_status}"
            f"{' (proven optimal)' if result.proven_optimal else ''}, "
            f"objective {result.objective}, covered {result.people_covered:g}/"
            f"{result.people_total:g} ({result.covered_pct:g} %), chosen {result.chosen}, "
            f"{result.seconds:.2f} s"
        )
