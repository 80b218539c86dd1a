"""Load the 2021 planning scenarios of the demo: ``manage.py load_planning_demo``. Safe to run
again; run ``load_demo`` first (it creates the sites)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from halte.accounts.models import User
from halte.core.management.base import HalteCommand
from halte.demo import planning as demo
from halte.network.models import Site
from halte.planning.models import Scenario
from halte.planning.presets import gathering_places_2021
from halte.planning.services import CandidateInput, scenario_create, scenario_solve


class Command(HalteCommand):
    help = "Create (and solve) the 2021 planning scenarios of the demo."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-solve", action="store_true", help="Create the scenarios without solving them."
        )

    def run(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username="coordinator").first()
        slugs = (*demo.MUST_OPEN_SLUGS, *demo.PROPOSAL_SLUGS)
        sites = {s.slug: s for s in Site.objects.filter(slug__in=slugs)}
        if actor is None or len(sites) != len(slugs):
            raise CommandError("Run `manage.py load_demo` first: sites or coordinator missing.")
        candidates = [
            CandidateInput(site=sites[slug], must_open=True) for slug in demo.MUST_OPEN_SLUGS
        ] + [CandidateInput(site=sites[slug]) for slug in demo.PROPOSAL_SLUGS]
        for spec in demo.SCENARIOS:
            scenario = Scenario.objects.filter(name=spec.name).first()
            if scenario is None:
                scenario = scenario_create(
                    actor=actor,
                    name=spec.name,
                    description=demo.DESCRIPTION + spec.extra,
                    model=demo.MODEL,
                    p=demo.P,
                    walk_minutes=demo.WALK_MINUTES,
                    school_min_distance_m=demo.SCHOOL_MIN_DISTANCE_M,
                    forbid_near_schools=spec.forbid_near_schools,
                    demand=gathering_places_2021(),
                    candidates=candidates,
                )
                self.stdout.write(f"Scenario created: {spec.name}")
            if not options["no_solve"] and scenario.latest_result() is None:
                scenario_solve(actor=actor, scenario=scenario, background=False)
                self.stdout.write(f"Scenario solved: {spec.name}")
