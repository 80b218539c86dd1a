"""``manage.py export_report FRAMEWORK (--site SLUG | --authorisation FINESS | --network) --year
YYYY``: a report as a file, for a site, an authorisation's places (people counted once) or the
network.

Exports from the command line are meant to be sent to funders, so small counts are masked unless
``--internal`` is given (exact figures, to stay inside the network); masked, the year or month must
be over (``halte.reports.periods``). The report is built indicator
by indicator with a progress bar; nothing is written to the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from halte.core.errors import DomainError
from halte.core.management.base import HalteCommand
from halte.core.timeutils import local_today
from halte.network.enums import PROJECT_STATUSES
from halte.network.models import Authorisation, Site
from halte.reports import exports
from halte.reports.enums import Framework
from halte.reports.frameworks import FRAMEWORKS, Report, Section, build_sections, finish_report
from halte.reports.indicators import Scope
from halte.reports.periods import check_masked_period, month_end
from halte.reports.selectors import AuthorisationScope


class Command(HalteCommand):
    help = (
        "Export a report (ASA-CAARUD, HSA, plan crack, monthly) for a site, an authorisation or "
        "the network."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("framework", choices=Framework.values)
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--site", help="Slug of the site.")
        target.add_argument(
            "--authorisation", metavar="FINESS", help="FINESS number of an authorisation."
        )
        target.add_argument("--network", action="store_true", help="The whole network.")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, help="One month of the year (monthly report).")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument(
            "--output", help="File to write (default: a name in the current folder)."
        )
        parser.add_argument(
            "--internal", action="store_true", help="Exact figures: the file stays in the network."
        )

    def run(self, *args: Any, **options: Any) -> None:
        scope = self._scope(options)
        framework = options["framework"]
        specs = FRAMEWORKS[framework]
        codes = [code for spec in specs for code in spec.codes]
        suppressed = not options["internal"]
        if suppressed:
            try:
                check_masked_period(scope.start, scope.end, today=local_today())
            except DomainError as exc:
                raise CommandError(f"{exc.message} (--internal: exact figures)") from exc
        sections: list[Section] = build_sections(
            specs,
            scope,
            suppressed=suppressed,
            tick=self.progress(codes, total=len(codes), label="Indicateurs"),
        )
        report: Report = finish_report(framework, scope, sections, suppressed=suppressed)
        fmt = options["format"]
        path = Path(options["output"] or exports.filename(report, fmt))
        path.write_bytes(exports.render(report, fmt))
        self.stdout.write(f"{path} ({'masked' if suppressed else 'exact figures'})")

    def _scope(self, options: dict[str, Any]) -> Scope:
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be between 2000 and 2100.")
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if options["month"]:
            if not 1 <= options["month"] <= 12:
                raise CommandError("--month must be between 1 and 12.")
            start = dt.date(year, options["month"], 1)
            end = month_end(start)
        if options["network"]:
            ids = Site.objects.exclude(status__in=PROJECT_STATUSES).values_list("pk", flat=True)
            return Scope(tuple(ids), start, end, network=True, label="Réseau entier")
        if options["authorisation"]:
            return self._authorisation_scope(options["authorisation"], start, end)
        site = Site.objects.filter(slug=options["site"]).first()
        if site is None:
            raise CommandError(f"No site with slug {options['site']!r}.")
        return Scope((site.pk,), start, end, label=site.name)

    def _authorisation_scope(self, finess: str, start: dt.date, end: dt.date) -> Scope:
        authorisation = (
            Authorisation.objects.filter(finess=finess.strip().upper())
            .prefetch_related("sites")
            .first()
        )
        if authorisation is None:
            raise CommandError(f"No authorisation with FINESS number {finess!r}.")
        if not authorisation.in_force_during(start, end):
            raise CommandError(f"Authorisation {authorisation.finess} is not in force then.")
        ids = tuple(sorted(site.pk for site in authorisation.sites.all()))
        if not ids:
            raise CommandError(f"Authorisation {authorisation.finess} covers no site.")
        label = f"{authorisation.label} (FINESS {authorisation.finess})"
        return AuthorisationScope(ids, start, end, label=label, finess=authorisation.finess)
