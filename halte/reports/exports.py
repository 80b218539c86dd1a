"""Reports as files: CSV (semicolon-separated, UTF-8 with a byte-order mark, as French spreadsheet
software expects) and XLSX (numbers as numbers, masked cells as "<10"). A masked export holds the
figures as published (rounded), never the exact ones.

An export carries the report's title, scope, period and whether small counts are masked; it never
carries a person's code, nickname or any record: reports hold aggregates only."""

from __future__ import annotations

import csv
import io

from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from halte.reports.frameworks import Report
from halte.reports.presentation import Shown

HEADER = ("section", "code", "indicateur", "catégorie", "valeur", "unité")


def filename(report: Report, fmt: str) -> str:
    scope = "reseau" if report.scope.network else f"site-{report.scope.site_ids[0]}"
    return f"{report.framework}_{scope}_{report.scope.start:%Y%m%d}-{report.scope.end:%Y%m%d}.{fmt}"


def preamble(report: Report) -> list[list[str]]:
    masked = (
        _(
            "Petits effectifs masqués (<10), effectifs de personnes et d'événements rares "
            "arrondis à 5 ; totaux protégés par suppression secondaire."
        )
        if report.suppressed
        else _("Chiffres exacts : diffusion interne au réseau uniquement.")
    )
    return [
        [report.title],
        [_("Périmètre"), report.scope.label],
        [_("Période"), f"{report.scope.start:%d/%m/%Y} – {report.scope.end:%d/%m/%Y}"],
        [_("Produit le"), f"{localtime(report.generated_at):%d/%m/%Y %H:%M}"],
        [masked],
    ]


def to_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in preamble(report):
        writer.writerow(row)
    writer.writerow([])
    writer.writerow(HEADER)
    writer.writerows(report.rows())
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
    for section in report.sections:
        if section.note:
            sheet.append([section.title, "", section.note])
        for line in section.lines:
            sheet.append(_xlsx_row(section.title, line, "", line.value, line.number))
            for c in line.cells:
                sheet.append(_xlsx_row(section.title, line, c.label, c.value, c.number))
    for target in report.targets:
        sheet.append([_("Objectifs"), "", target.label, target.target, target.actual, target.share])
    for column, width in zip("ABCDEF", (28, 22, 44, 36, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_row(section: str, line: Shown, category: str, text: str, number: object) -> list[object]:
    value: object = text
    if isinstance(number, int | float) and line.available:
        value = number
    return [section, line.code, line.label, category, value, line.unit]


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(report: Report, fmt: str) -> bytes:
    return to_xlsx(report) if fmt == "xlsx" else to_csv(report)
