"""``manage.py export_recap (--site SLUG | --authorisation FINESS) --year YYYY [--format xlsx|csv]
[--output PATH]``: a CSAPA's RECAP extract for OFDT, one anonymised record per person seen in the
year (``halte.reports.recap``). The file holds per-person records: it is written where the server's
operator says, and its production is audited like a download from the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from halte.core.errors import DomainError
from halte.core.management.base import HalteCommand
from halte.network.models import Authorisation, Site
from halte.reports import recap


class Command(HalteCommand):
    help = "Export a CSAPA's yearly RECAP extract (one anonymised record per person seen)."

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--site", help="Slug of a CSAPA site.")
        target.add_argument(
            "--authorisation", metavar="FINESS", help="FINESS number of a CSAPA authorisation."
        )
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=list(recap.FORMATS), default="xlsx")
        parser.add_argument(
            "--output", help="File to write (default: recap_<slug|finess-N>_<year> here)."
        )

    def run(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        try:
            scope = self._scope(options)
            body = recap.recap_file(actor=None, scope=scope, fmt=fmt)
        except DomainError as exc:
            raise CommandError(f"--{exc.field or 'year'}: {exc.message}") from exc
        path = Path(options["output"] or recap.filename(scope, fmt))
        path.write_bytes(body)
        self.stdout.write(str(path))

    def _scope(self, options: dict[str, Any]) -> recap.RecapScope:
        year = options["year"]
        if options["site"]:
            site = Site.objects.filter(slug=options["site"]).first()
            if site is None:
                raise CommandError(f"--site: no site has the slug {options['site']!r}.")
            return recap.site_scope(site, year)
        finess = options["authorisation"].strip().upper()
        authorisation = Authorisation.objects.filter(finess=finess).first()
        if authorisation is None:
            raise CommandError(f"--authorisation: no authorisation has the FINESS {finess}.")
        return recap.authorisation_scope(authorisation, year)
