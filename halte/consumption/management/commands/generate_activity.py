"""``manage.py generate_activity``: synthetic activity for the demo network, seeded and repeatable."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from halte.accounts.models import User
from halte.consumption.activity import PROFILES, Generated, generate_site, make_pool
from halte.core.management.base import HalteCommand
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.visits.models import Visit

# The other apps fill their part of the day after the visits exist: care acts and material on
# visits, stays in beds, outreach rounds and head counts. Each exposes activity.generate(...).
EXTENSIONS = ("halte.care.activity", "halte.lodging.activity", "halte.outreach.activity")


def _extensions(**kwargs: Any) -> dict[str, dict[str, int]]:
    import importlib

    results: dict[str, dict[str, int]] = {}
    for module_name in EXTENSIONS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        generate = getattr(module, "generate", None)
        if generate is not None:
            results[module_name.split(".")[1]] = generate(**kwargs)
    return results


class Command(HalteCommand):
    help = "Fill the demo network with synthetic visits, sessions and incidents shaped on published volumes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Days of history (default 90).")
        parser.add_argument(
            "--years", type=float, default=None, help="Years of history (overrides --days)."
        )
        parser.add_argument("--scale", type=float, default=1.0, help="Multiply the volumes.")
        parser.add_argument(
            "--seed", type=int, default=2021, help="Random seed: same seed, same activity."
        )
        parser.add_argument(
            "--force", action="store_true", help="Generate even if activity exists."
        )
        parser.add_argument(
            "--end",
            type=dt.date.fromisoformat,
            default=None,
            help="Last day (YYYY-MM-DD, default today); a past day makes the run clock-independent.",
        )

    def run(self, *args: Any, **options: Any) -> None:
        days = int(options["years"] * 365) if options["years"] else (options["days"] or 90)
        if not 1 <= days <= 20 * 365 or not 0 < options["scale"] <= 1000:
            raise CommandError(
                "--days/--years must give 1 day to 20 years, --scale must be in (0, 1000]."
            )
        if Visit.objects.exists() and not options["force"]:
            self.stdout.write(
                "Activity already present: nothing generated (use --force to add more)."
            )
            return
        sites = list(Site.objects.filter(slug__in=PROFILES, status="operational").order_by("slug"))
        actor = (
            User.objects.filter(username="reception-paris").first()
            or User.objects.order_by("pk").first()
        )
        if not sites or actor is None:
            raise CommandError("Load the demo network first: manage.py load_demo")
        rng = np.random.default_rng(options["seed"])
        end = options["end"] or local_today()
        if end > local_today():
            raise CommandError("--end cannot be in the future.")
        start = end - dt.timedelta(days=days - 1)
        total = Generated()
        ticks = iter(
            self.progress(range(days * len(sites)), total=days * len(sites), label="Activité")
        )
        with transaction.atomic():
            pool = make_pool(
                rng=rng, site=sites[0], actor=actor, years=days / 365, scale=options["scale"]
            )
            for site in sites:
                done = generate_site(
                    site=site,
                    actor=actor,
                    pool=pool,
                    start=start,
                    end=end,
                    scale=options["scale"],
                    rng=rng,
                    tick=lambda: next(ticks, None),
                )
                total.visits += done.visits
                total.sessions += done.sessions
                total.incidents += done.incidents
            extra = _extensions(
                rng=rng,
                sites=sites,
                pool=pool,
                start=start,
                end=end,
                scale=options["scale"],
                actor=actor,
            )
        self.stdout.write(
            f"{len(pool)} people, {total.visits} visits, {total.sessions} sessions, "
            f"{total.incidents} incidents over {days} days on {len(sites)} sites."
        )
        for name, counts in extra.items():
            self.stdout.write(f"{name}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        # The reports' roll-ups take in what was just generated (no check-in is in flight here).
        from halte.reports.rollups import refresh

        rolled = refresh(settle=dt.timedelta(0))
        self.stdout.write(f"reports roll-ups: {rolled.visits} visits folded in")
