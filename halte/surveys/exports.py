"""The week's results as files: XLSX (sheets "Questionnaires", "Non-répondants", "Agrégats",
"Codes") and CSV (the same blocks one after the other; semicolon-separated, UTF-8 with a byte-order
mark, as French spreadsheet software expects). Named ``ena-caarud_<site slug>_<edition>.<ext>``.

One row per questionnaire with the survey's codes, numbered in the week: no code of a person, no
internal id. The aggregate sheet is for sending out: counts rounded to 5 and small ones masked by
the network's one rule, which the caller hands in as ``publish`` (``halte.reports.presentation.
publish_breakdown``: the reports sit above this app)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db import models
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from halte.surveys.answers import SINGLE_CHOICES
from halte.surveys.enums import (
    NOT_GIVEN,
    AgeGroup,
    NonResponseReason,
    SurveyProduct,
    SurveyRoute,
    age_group,
)
from halte.surveys.models import Questionnaire, SurveyWeek
from halte.surveys.selectors import WeekTable, week_table

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SMALL = "<10"


class Published(Protocol):
    @property
    def values(self) -> tuple[int, ...]: ...

    @property
    def small(self) -> frozenset[int]: ...

    def hidden(self, index: int) -> bool: ...


Publish = Callable[..., Published]

# The column code of each single-answer item, in the order of the questionnaire; its choices are
# the ones the answers are checked against.
SINGLE_COLUMNS = {
    "sex": "sexe",
    "housing": "logement",
    "resources": "ressources",
    "coverage": "couverture",
    "products_given": "produits_renseignes",
    "main_product": "produit_principal",
    "routes_given": "voies_renseignees",
    "injected_30d": "injection_30j",
    "shared_material": "partage_materiel_30j",
    "hiv_tested_12m": "depistage_vih_12m",
    "hiv_result_known": "resultat_vih_connu",
    "hcv_tested_12m": "depistage_vhc_12m",
    "hcv_result_known": "resultat_vhc_connu",
    "substitution": "tso",
}
# (column code, model field, choices) for the single-answer items.
SINGLE_ITEMS: list[tuple[str, str, type[models.TextChoices]]] = [
    (code, field, SINGLE_CHOICES[field]) for field, code in SINGLE_COLUMNS.items()
]


def filename(week: SurveyWeek, fmt: str) -> str:
    return f"ena-caarud_{week.site.slug}_{week.edition_year}.{fmt}"


def _ticks(given: str, chosen: list[str], value: str) -> str:
    """1 ticked, 0 not ticked, blank when the question was not answered."""
    if given == NOT_GIVEN:
        return ""
    return "1" if value in chosen else "0"


def questionnaire_header() -> list[str]:
    head = ["numero", "jour", "age", "classe_age"]
    head += [code for code, _f, _c in SINGLE_ITEMS]
    head += [f"produit_{p}" for p in SurveyProduct.values]
    head += [f"voie_{r}" for r in SurveyRoute.values]
    return head


def questionnaire_row(q: Questionnaire) -> list[str]:
    age = q.age
    row = [str(q.number), q.answered_on.isoformat(), "" if age is None else str(age)]
    row.append(age_group(age))
    row += [getattr(q, f) for _code, f, _c in SINGLE_ITEMS]
    row += [_ticks(q.products_given, q.products, p) for p in SurveyProduct.values]
    row += [_ticks(q.routes_given, q.routes, r) for r in SurveyRoute.values]
    return row


def non_response_rows(table: WeekTable) -> list[list[str]]:
    rows = [["jour", *NonResponseReason.values, "questionnaires"]]
    for day in table.days:
        rows.append(
            [
                day.day.isoformat(),
                *(str(day.non_responses[r]) for r in NonResponseReason.values),
                str(day.questionnaires),
            ]
        )
    rows.append(
        [
            "total",
            *(str(table.by_reason[r]) for r in NonResponseReason.values),
            str(table.questionnaires),
        ]
    )
    return rows


@dataclass(frozen=True)
class Breakdown:
    item: str
    label: str
    categories: list[tuple[str, str, int]]  # code, label, count
    total: int
    additive: bool = True


def _label(name: str) -> str:
    return str(getattr(Questionnaire._meta.get_field(name), "verbose_name", name))


def breakdowns(week: SurveyWeek, table: WeekTable) -> list[Breakdown]:
    """Each item's answers counted over the week's questionnaires (several products or routes
    per person: those two do not add up to the total)."""
    rows = list(Questionnaire.objects.filter(week=week))
    total = len(rows)
    found: list[Breakdown] = []
    ages = Counter(age_group(q.age) for q in rows)
    found.append(
        Breakdown(
            "classe_age",
            _("Âge"),
            [(c, str(label), ages[c]) for c, label in AgeGroup.choices],
            total,
        )
    )
    for code, field_name, choices in SINGLE_ITEMS:
        counts = Counter(getattr(q, field_name) for q in rows)
        label = _label(field_name)
        cats = [(c, str(lab), counts[c]) for c, lab in choices.choices]
        found.append(Breakdown(code, label, cats, total))
    for code, listed, choices_list in (
        ("produits_30j", "products", SurveyProduct),
        ("voies_30j", "routes", SurveyRoute),
    ):
        given = [q for q in rows if getattr(q, f"{listed}_given") != NOT_GIVEN]
        ticked = Counter(v for q in given for v in getattr(q, listed))
        cats = [(c, str(lab), ticked[c]) for c, lab in choices_list.choices]
        label = _label(listed)
        found.append(Breakdown(code, label, cats, len(given), additive=False))
    reasons = [(r, str(lab), table.by_reason[r]) for r, lab in NonResponseReason.choices]
    found.append(Breakdown("non_repondants", _("Non-répondants"), reasons, table.non_respondents))
    return found


def _text(published: Published, index: int) -> str:
    if index in published.small:
        return SMALL
    if published.hidden(index):
        return _("masqué")
    return str(published.values[index])


def aggregate_rows(week: SurveyWeek, table: WeekTable, publish: Publish) -> list[list[str]]:
    """The aggregate sheet as published: every count rounded to 5, "<10" under 10, "masqué"
    where a cell would give back a small one."""
    rows = [["item", "code", _("réponse"), _("effectif publié")]]
    for b in breakdowns(week, table):
        published = publish([n for _c, _l, n in b.categories], b.total, additive=b.additive)
        for index, (code, label, _n) in enumerate(b.categories):
            rows.append([b.item, code, label, _text(published, index)])
        rows.append([b.item, "total", _("Total"), _text(published, len(b.categories))])
    return rows


def code_rows() -> list[list[str]]:
    rows = [["colonne", "code", _("libellé")]]
    rows += [["classe_age", c, str(lab)] for c, lab in AgeGroup.choices]
    for code, _f, choices in SINGLE_ITEMS:
        rows += [[code, c, str(lab)] for c, lab in choices.choices]
    rows += [[f"produit_{c}", "1/0", str(lab)] for c, lab in SurveyProduct.choices]
    rows += [[f"voie_{c}", "1/0", str(lab)] for c, lab in SurveyRoute.choices]
    rows += [["non_repondants", c, str(lab)] for c, lab in NonResponseReason.choices]
    return [[str(cell) for cell in row] for row in rows]


def preamble(week: SurveyWeek) -> list[list[str]]:
    return [
        [_("Enquête nationale ENa-CAARUD %(y)s") % {"y": week.edition_year}],
        [_("Site"), week.site.name],
        [_("Semaine"), f"{week.starts_on:%d/%m/%Y} – {week.ends_on:%d/%m/%Y}"],
        [
            _(
                "Questionnaires anonymes, numérotés dans la semaine ; agrégats arrondis à 5, "
                "petits effectifs masqués (<10)."
            )
        ]
        + ([_("Exemple inventé (démonstration).")] if week.synthetic else []),
    ]


def _number(cell: str) -> object:
    return int(cell) if cell.isdigit() else cell


def to_xlsx(week: SurveyWeek, publish: Publish) -> bytes:
    table = week_table(week)
    book = Workbook()
    first = book.active
    assert first is not None
    blocks: list[tuple[str, list[list[str]]]] = [
        (_("Questionnaires"), [questionnaire_header(), *map(questionnaire_row, _rows(week))]),
        (_("Non-répondants"), non_response_rows(table)),
        (_("Agrégats"), aggregate_rows(week, table, publish)),
        (_("Codes"), code_rows()),
    ]
    for index, (title, rows) in enumerate(blocks):
        sheet = first if index == 0 else book.create_sheet()
        sheet.title = title[:31]
        if index == 0:
            for line in preamble(week):
                sheet.append(line)
            sheet.append([])
        sheet.append(rows[0])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in rows[1:]:
            sheet.append([_number(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(week: SurveyWeek, publish: Publish) -> bytes:
    table = week_table(week)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(preamble(week))
    blocks: list[tuple[str, Sequence[list[str]]]] = [
        (_("Questionnaires"), [questionnaire_header(), *map(questionnaire_row, _rows(week))]),
        (_("Non-répondants"), non_response_rows(table)),
        (_("Agrégats"), aggregate_rows(week, table, publish)),
    ]
    for title, rows in blocks:
        writer.writerow([])
        writer.writerow([f"# {title}"])
        writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _rows(week: SurveyWeek) -> list[Questionnaire]:
    return list(Questionnaire.objects.filter(week=week).order_by("number"))


def render(week: SurveyWeek, fmt: str, publish: Publish) -> bytes:
    return to_xlsx(week, publish) if fmt == "xlsx" else to_csv(week, publish)
