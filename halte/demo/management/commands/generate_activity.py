"""``manage.py generate_activity``: synthetic activity for the demo network, seeded and repeatable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser

from halte.accounts.models import User
from halte.core import timeutils
from halte.core.management.base import HalteCommand
from halte.core.timeutils import PARIS, paris_date
from halte.demo import plan
from halte.demo.activity.visits import PROFILES, generate_network
from halte.demo.rollups import add_rollups_argument, reports_follow
from halte.network.models import Site
from halte.visits.models import Visit


def _instant(value: str) -> dt.datetime:
    """An ISO 8601 instant; without an offset, a Paris wall-clock time (its first occurrence on
    the night the clocks go back)."""
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


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
            help=(
                "Last day (YYYY-MM-DD, default today); with a past day and --now the run does not"
                " depend on the clock (a night opening begun on the last day runs past midnight)."
            ),
        )
        parser.add_argument(
            "--now",
            type=_instant,
            default=None,
            help=(
                "The instant taken as now (ISO 8601, Paris time without an offset; default the "
                "clock): the same seed and the same --now give the same activity."
            ),
        )
        add_rollups_argument(parser)

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
        now = options["now"] or timeutils.now()
        if options["end"] and options["end"] > paris_date(now):
            raise CommandError("--end cannot be in the future.")
        ticks = iter(
            self.progress(range(days * len(sites)), total=days * len(sites), label="Activité")
        )
        total, extra = generate_network(
            sites=sites,
            actor=actor,
            days=days,
            seed=options["seed"],
            scale=options["scale"],
            now=now,
            end=options["end"],
            tick=lambda: next(ticks, None),
        )
        self.stdout.write(
            f"{total.clients} people, {total.visits} visits, {total.sessions} sessions, "
            f"{total.incidents} incidents over {days} days on {len(sites)} sites."
        )
        for name, counts in extra.items():
            self.stdout.write(f"{name}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        # The plan board's invented evacuations orient people the activity has just made.
        self.stdout.write(f"Plan crack: {plan.orient_evacuees()} people oriented at evacuations.")
        self.stdout.write(reports_follow(options["rollups"])[1])
