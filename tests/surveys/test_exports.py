"""The results file, opened and read cell by cell: one numbered row per questionnaire in the
survey's codes (no person's code, no internal id), the non-respondents by day and reason, and the
aggregate for sending out, rounded to 5 with small counts masked."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from halte.accounts.models import User
from halte.clients.models import Client
from halte.reports.presentation import publish_breakdown
from halte.surveys import exports
from halte.surveys.answers import Answers
from halte.surveys.models import SurveyWeek
from halte.surveys.services import non_respondent_add, questionnaire_record
from halte.visits.models import Visit

pytestmark = pytest.mark.django_db

CRACK_SMOKER = Answers(
    sex="man",
    housing="street",
    products_given="given",
    products=("crack", "morphine"),
    main_product="crack",
    routes_given="given",
    routes=("inhalation",),
    injected_30d="no",
    hcv_tested_12m="yes",
    hcv_result_known="yes",
)


@pytest.fixture
def filled(week: SurveyWeek, reception: User, person: Client, came: Visit) -> SurveyWeek:
    """Twelve questionnaires: eleven men who smoke crack, one woman with a code, blank items."""
    forty = CRACK_SMOKER.replace(birth_year=week.starts_on.year - 40)
    for _ in range(11):
        questionnaire_record(actor=reception, week=week, answers=forty, day=week.starts_on)
    questionnaire_record(
        actor=reception, week=week, client=person, answers=Answers(sex="woman", birth_year=1985)
    )
    non_respondent_add(actor=reception, week=week, reason="refused", day=week.starts_on, count=3)
    non_respondent_add(actor=reception, week=week, reason="unable")
    return week


def _sheet(book: object, name: str) -> list[list[object]]:
    return [list(row) for row in book[name].iter_rows(values_only=True)]  # type: ignore[index]


def test_one_row_per_questionnaire_in_codes_and_no_person(
    filled: SurveyWeek, person: Client
) -> None:
    book = load_workbook(io.BytesIO(exports.to_xlsx(filled, publish_breakdown)))
    rows = _sheet(book, "Questionnaires")
    assert rows[0][0] == f"Enquête nationale ENa-CAARUD {filled.edition_year}"
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "numero")
    header, data = rows[header_at], rows[header_at + 1 :]
    assert len(data) == 12
    first = dict(zip(header, data[0], strict=True))
    assert first["numero"] == 1 and first["jour"] == filled.starts_on.isoformat()
    assert first["age"] == 40 and first["classe_age"] == "35_44"
    assert (first["sexe"], first["logement"], first["produit_principal"]) == (
        "man",
        "street",
        "crack",
    )
    assert (first["produit_crack"], first["produit_morphine"], first["produit_heroin"]) == (
        1,
        1,
        0,
    )
    assert (first["voie_inhalation"], first["voie_injection"]) == (1, 0)
    assert (first["depistage_vhc_12m"], first["resultat_vhc_connu"]) == ("yes", "yes")
    assert first["ressources"] == "not_given" and first["tso"] == "not_given"
    last = dict(zip(header, data[-1], strict=True))
    assert (last["numero"], last["sexe"], last["produits_renseignes"]) == (12, "woman", "not_given")
    # A question not answered leaves its ticks blank, not "0".
    assert last["produit_crack"] is None and last["voie_injection"] is None
    every_cell = " ".join(
        str(c) for sheet in book.sheetnames for r in _sheet(book, sheet) for c in r
    )
    assert person.code not in every_cell and person.display_code not in every_cell
    assert str(person.public_id) not in every_cell


def test_non_respondents_by_day_and_reason(filled: SurveyWeek) -> None:
    book = load_workbook(io.BytesIO(exports.to_xlsx(filled, publish_breakdown)))
    rows = _sheet(book, "Non-répondants")
    assert rows[0] == ["jour", "refused", "unable", "already_answered", "questionnaires"]
    assert rows[1] == [filled.starts_on.isoformat(), 3, 0, 0, 11]
    assert len(rows) == 1 + 7 + 1
    assert rows[-1] == ["total", 3, 1, 0, 12]


def test_the_aggregate_is_rounded_and_small_counts_are_masked(filled: SurveyWeek) -> None:
    book = load_workbook(io.BytesIO(exports.to_xlsx(filled, publish_breakdown)))
    rows = _sheet(book, "Agrégats")
    assert rows[0] == ["item", "code", "réponse", "effectif publié"]
    sex = {r[1]: r[3] for r in rows if r[0] == "sexe"}
    # 11 men → 10; 1 woman, 0 other, 0 blank → "<10"; 12 in all → 10.
    assert sex == {"man": 10, "woman": "<10", "other": "<10", "not_given": "<10", "total": 10}
    products = {r[1]: r[3] for r in rows if r[0] == "produits_30j"}
    assert products["crack"] == 10 and products["morphine"] == 10 and products["heroin"] == "<10"
    assert products["total"] == 10  # eleven answered the question
    non_respondents = {r[1]: r[3] for r in rows if r[0] == "non_repondants"}
    assert set(non_respondents.values()) == {"<10"}
    published = [r[3] for r in rows[1:]]
    assert all(v in ("<10", "masqué") or (isinstance(v, int) and v % 5 == 0) for v in published)


def test_the_csv_holds_the_same_blocks_for_french_spreadsheets(filled: SurveyWeek) -> None:
    body = exports.to_csv(filled, publish_breakdown)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    titles = [r[0] for r in rows if r and r[0].startswith("# ")]
    assert titles == ["# Questionnaires", "# Non-répondants", "# Agrégats"]
    start = rows.index(["# Questionnaires"]) + 1
    assert rows[start][:3] == ["numero", "jour", "age"]
    assert rows[start + 1][0] == "1" and rows[start + 12][0] == "12"
    assert ["sexe", "woman", "Femme", "<10"] in rows


def test_the_file_is_named_by_site_and_edition(filled: SurveyWeek) -> None:
    name = exports.filename(filled, "csv")
    assert name == f"ena-caarud_{filled.site.slug}_{filled.edition_year}.csv"
