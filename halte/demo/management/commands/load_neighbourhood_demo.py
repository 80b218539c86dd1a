"""``manage.py load_neighbourhood_demo``: a year of pick-ups, rounds, residents' reports and
committees around the Paris HSA and in the north-east, and the HSA's surroundings. Safe to run
again: nothing is added once the demo's rows are there. Needs ``load_demo`` first."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.management.base import CommandError
from django.db import transaction

from halte.core.management.base import HalteCommand
from halte.core.timeutils import local_today
from halte.demo import neighbourhood as demo
from halte.neighbourhood.models import Pickup
from halte.neighbourhood.services import surroundings_set
from halte.network.models import Site


class Command(HalteCommand):
    help = "Fill the neighbourhood with a seeded, plausible year around the Paris HSA and the 18e."

    def run(self, *args: Any, **options: Any) -> None:
        hsa = Site.objects.filter(slug=demo.HSA).first()
        team = Site.objects.filter(slug=demo.TEAM).first()
        if hsa is None or team is None:
            raise CommandError("Load the demo network first: manage.py load_demo")
        if Pickup.objects.filter(synthetic=True).exists():
            self.stdout.write("Neighbourhood demo already loaded: nothing added.")
            return
        rng = np.random.default_rng(demo.SEED)
        today = local_today()
        with transaction.atomic():
            hsa_rounds, hsa_finds = demo.pickup_rounds(
                rng,
                team=hsa,
                streets=demo.LARIBOISIERE,
                today=today,
                items_per_day=demo.HSA_ITEMS_PER_DAY,
            )
            team_rounds, team_finds = demo.pickup_rounds(
                rng,
                team=team,
                streets=demo.NORTH_EAST,
                today=today,
                items_per_day=12.0,
                weekdays=(1, 3),
            )
            history = demo.maubeuge_before_after(rng, team=hsa)
            mediation = demo.mediation_rounds(rng, site=hsa, today=today)
            reports = demo.reports(
                rng, sites=[(hsa, demo.LARIBOISIERE), (team, demo.NORTH_EAST)], today=today
            )
            committees = demo.committees(rng, site=hsa, today=today)
            surroundings_set(
                actor=None,
                site=hsa,
                radius_m=300,
                contact_phone="01 99 00 12 34",
                contact_email="mediation-hsa@example.org",
            )
        self.stdout.write(
            f"Pick-up rounds: {hsa_rounds + team_rounds} ({hsa_finds + team_finds} finds); "
            f"rue de Maubeuge 2016–2017: {history} finds; mediation rounds: {mediation}; "
            f"reports: {reports}; committees: {committees}."
        )
