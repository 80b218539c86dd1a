"""``manage.py load_outreach_demo``: the gathering places and a head-count history. Safe to run
again: existing places and counts are kept, nothing is duplicated."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.core.management.base import CommandError
from django.db import transaction

from halte.core.management.base import HalteCommand
from halte.core.timeutils import paris_instant
from halte.demo.outreach import COUNT_AT, COUNT_EVERY_DAYS, PLACES, DemoPlace, place_create
from halte.network.models import Site
from halte.outreach.models import GatheringPlace, HeadCount

TEAM = "maraude-nord-est"


class Command(HalteCommand):
    help = "Create the gathering places of north-east Paris and a head-count history (2021–2022)."

    def run(self, *args: Any, **options: Any) -> None:
        team = Site.objects.filter(slug=TEAM).first()
        if team is None:
            raise CommandError("Load the demo network first: manage.py load_demo")
        rng = np.random.default_rng(2021)
        created = counts = 0
        with transaction.atomic():
            for demo in PLACES:
                place = GatheringPlace.objects.filter(slug=demo.slug).first()
                if place is None:
                    place = place_create(demo.slug)
                    created += 1
                counts += self._history(place, demo, team, rng)
        self.stdout.write(f"Gathering places: {created} created; {counts} head counts added.")

    def _history(
        self, place: GatheringPlace, demo: DemoPlace, team: Site, rng: np.random.Generator
    ) -> int:
        """Synthetic counts (flagged ``synthetic``), one every few nights over each period."""
        if HeadCount.objects.filter(place=place, synthetic=True).exists():
            return 0
        rows = []
        for first, last, low, high in demo.periods:
            day = first
            while day <= last:
                rows.append(
                    HeadCount(
                        place=place,
                        team=team,
                        counted_at=paris_instant(day, COUNT_AT),
                        count=int(rng.integers(low, high + 1)),
                        synthetic=True,
                    )
                )
                day += dt.timedelta(days=COUNT_EVERY_DAYS)
        HeadCount.objects.bulk_create(rows, ignore_conflicts=True)
        return len(rows)
