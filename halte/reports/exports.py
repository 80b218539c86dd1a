"""Reports as files: CSV (semicolon-separated, UTF-8 with a byte-order mark, as French spreadsheet
software expects; numbers with a decimal comma and no thousands separator, so that the software
and a script read them as numbers) and XLSX (numbers as numbers, masked cells as "<10" or
"masqué"). A masked export holds the figures as published (rounded), never the exact ones. Files
are named by framework, the site's slug ("reseau" for the network, "finess-<number>" for an
authorisation) and the period ("2025-03", "2025-T1", "2025", or the two dates of a free period).
Every item of the framework's reference has its rows: one per indicator line and category, or one
saying why Halte cannot fill it.

An export carries the report's title, scope, period and whether small counts are masked; it never
carries a person's code, nickname or any record: reports hold aggregates only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from halte.network.models import Site
from halte.reports.frameworks import Report
from halte.reports.indicators import Scope
from halte.reports.periods import calendar_unit
from halte.reports.references import REFERENCES

HEADER = (
    "section",
    "n°",
    "élément du référentiel",
    "code",
    "indicateur",
    "catégorie",
    "valeur",
    "unité",
)
VALUE_COLUMN = HEADER.index("valeur")
# A number as shown on screen: digits grouped by narrow no-break spaces, a decimal comma.
SHOWN_NUMBER = re.compile(r"-?\d[\d\u202f]*(,\d+)?")


def period_name(start: dt.date, end: dt.date) -> str:
    """ "2025-03" for a month, "2025-T1" for a quarter, "2025" for a year, else both dates."""
    unit = calendar_unit(start, end)
    if unit == "month":
        return f"{start:%Y-%m}"
    if unit == "quarter":
        return f"{start.year}-T{(start.month - 1) // 3 + 1}"
    if unit == "year":
        return f"{start.year}"
    return f"{start:%Y%m%d}-{end:%Y%m%d}"


def filename(report: Report, fmt: str) -> str:
    """The framework, the site's slug ("reseau", "finess-<number>") and the period: never an
    internal id."""
    finess = getattr(report.scope, "finess", "")
    if report.scope.network:
        scope = "reseau"
    elif finess:
        scope = f"finess-{finess}"
    else:
        scope = Site.objects.filter(pk=report.scope.site_ids[0]).values_list("slug", flat=True)[0]
    return f"{report.framework}_{scope}_{period_name(report.scope.start, report.scope.end)}.{fmt}"


def machine_number(text: str) -> str:
    """A number shown on screen ("12\u202f345,6") as the CSV holds it ("12345,6"); other text
    ("<10", "masqué", "—", "45 %") unchanged."""
    return text.replace("\u202f", "") if SHOWN_NUMBER.fullmatch(text) else text


def preamble(report: Report) -> list[list[str]]:
    reference = REFERENCES[report.framework]
    masked = (
        _(
            "Petits effectifs masqués (<10), effectifs de personnes et d'événements rares "
            "arrondis à 5 ; cases cachées pour protéger un total : « masqué » ; événements de "
            "sécurité (surdoses, naloxone, appels au 15, transferts, décès) exacts."
        )
        if report.suppressed
        else _("Chiffres exacts : diffusion interne au réseau uniquement.")
    )
    return [
        [report.title],
        [_("Périmètre"), report.scope.label],
        [_("Référentiel"), str(reference.document)],
        [_("Réserve"), str(reference.caveat)],
        [_("Période"), f"{report.scope.start:%d/%m/%Y} – {report.scope.end:%d/%m/%Y}"],
        [_("Produit le"), f"{localtime(report.generated_at):%d/%m/%Y %H:%M}"],
        [masked],
    ]


def to_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in preamble(report):
        writer.writerow(row)
    writer.writerow([_("Nombres : virgule décimale, sans séparateur de milliers.")])
    writer.writerow([])
    writer.writerow(HEADER)
    writer.writerows([machine_number(cell) for cell in row] for row in report.rows())
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Rapport")[:31]
    for row in preamble(report):
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(list(HEADER))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row, number in report.entries():
        cells: list[object] = list(row)
        if isinstance(number, int | float):
            cells[VALUE_COLUMN] = number
        sheet.append(cells)
    for column, width in zip("ABCDEFGH", (28, 6, 44, 22, 44, 30, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(report: Report, fmt: str) -> bytes:
    return to_xlsx(report) if fmt == "xlsx" else to_csv(report)


# A file of the whole network, or of a quarter or more, is prepared by the worker and fetched when
# ready (halte.reports.jobs): building it can take longer than a tablet's request should wait.
BACKGROUND_EXPORT_DAYS = 90


def prepared_in_background(scope: Scope) -> bool:
    return scope.network or (scope.end - scope.start).days + 1 >= BACKGROUND_EXPORT_DAYS
