"""The four frameworks item by item: the references are well formed, the documentation's tables
are the code's, and each framework's XLSX file holds every item of its reference in order and
words, with the indicators' values, for a site, an authorisation and the network."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook

from halte.accounts.models import User
from halte.network.enums import AuthorisationKind
from halte.network.models import Authorisation, Site
from halte.network.services import authorisation_create
from halte.reports import exports
from halte.reports.enums import Framework
from halte.reports.frameworks import build_report
from halte.reports.indicators import REGISTRY, Number, Scope
from halte.reports.management.commands.reference_tables import generated_tables
from halte.reports.references import DOC_END, DOC_START, REFERENCES
from halte.reports.selectors import report_scope
from tests.reports.conftest import MARCH, Activity

FINESS = "750000015"
Row = tuple[object, ...]


def test_every_framework_has_its_reference_and_every_item_is_filled_or_explained() -> None:
    assert set(REFERENCES) == set(Framework.values)
    for reference in REFERENCES.values():
        assert str(reference.document) and str(reference.caveat)
        numbers = [item.number for _part, item in reference.items()]
        assert len(numbers) == len(set(numbers)), reference.framework
        assert len({p.key for p in reference.parts}) == len(reference.parts)
        for _part, item in reference.items():
            assert item.codes or str(item.reason), (reference.framework, item.number)


def test_every_code_of_the_references_is_a_registered_indicator() -> None:
    missing = {
        (framework, code)
        for framework, reference in REFERENCES.items()
        for code in reference.codes()
        if code not in REGISTRY
    }
    assert missing == set()


def test_the_documentation_tables_are_the_codes() -> None:
    document = (Path(settings.BASE_DIR) / "docs" / "reports.md").read_text()
    start, end = document.index(DOC_START), document.index(DOC_END) + len(DOC_END)
    assert document[start:end] == generated_tables(), (
        "docs/reports.md differs from halte/reports/references.py: "
        "run manage.py reference_tables --write"
    )


@pytest.fixture
def authorisation(activity: Activity, coordinator: User) -> Authorisation:
    """Both places of the fixture under one CAARUD authorisation (the other place moved to the
    first one's operator): one person came to both."""
    Site.objects.filter(pk=activity.other_site.pk).update(operator=activity.site.operator)
    return authorisation_create(
        actor=coordinator,
        operator=activity.site.operator,
        finess=FINESS,
        kind=AuthorisationKind.CAARUD,
        label="CAARUD de test",
        sites=Site.objects.filter(pk__in=[activity.site.pk, activity.other_site.pk]),
    )


def _scope(kind: str, activity: Activity, user: User, *, masked: bool = False) -> Scope:
    return report_scope(
        user,
        site_id=activity.site.public_id if kind == "site" else None,
        network=kind == "network",
        start=MARCH[0],
        end=MARCH[1],
        masked=masked,
        authorisation=FINESS if kind == "authorisation" else None,
    )


def _sheet_rows(content: bytes) -> list[Row]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = [tuple(None if v == "" else v for v in row) for row in sheet.iter_rows(values_only=True)]
    header = rows.index(exports.HEADER)
    return rows[header + 1 :]


def _value(value: Number) -> object:
    return "—" if value is None else value


def _expected(framework: str, scope: Scope) -> Iterator[Row]:
    """The rows the reference and the indicators' own results call for, computed here without
    the report: item after item, each indicator's value and each category's."""
    for part in REFERENCES[framework].parts:
        title = str(part.title)
        if part.note:
            yield (title, None, None, None, str(part.note), None, None, None)
        for item in part.items:
            head = (title, item.number, str(item.words))
            for code in item.codes:
                indicator = REGISTRY[code]
                result = indicator.evaluate(scope)
                line = (*head, code, str(indicator.label))
                yield (*line, None, _value(result.value), str(indicator.unit))
                for cell in result.cells:
                    yield (*line, cell.label, _value(cell.value), str(indicator.unit))
            if str(item.reason):
                prefix = "Non couvert" if item.codes else "Ne peut pas être rempli"
                yield (*head, None, f"{prefix} : {item.reason}", None, None, None)


def _same(got: object, want: object) -> bool:
    if isinstance(want, int | float) and isinstance(got, int | float):
        return got == pytest.approx(want)
    return got == want


@pytest.mark.parametrize("framework", Framework.values)
@pytest.mark.parametrize("kind", ["site", "authorisation", "network"])
def test_the_xlsx_file_is_the_reference_cell_by_cell(
    framework: str, kind: str, activity: Activity, authorisation: Authorisation, coordinator: User
) -> None:
    scope = _scope(kind, activity, coordinator)
    with translation.override("fr"):
        report = build_report(framework, scope, suppressed=False)
        rows = _sheet_rows(exports.to_xlsx(report))
        expected = list(_expected(framework, scope))
    rows = rows[: len(rows) - len(report.targets)]  # the plan's targets follow the items
    assert [r[:6] for r in rows] == [e[:6] for e in expected]
    for got, want in zip(rows, expected, strict=True):
        assert _same(got[6], want[6]) and got[7] == want[7], (got, want)
    items = {(r[1], r[2]) for r in rows if r[1] is not None}
    assert items == {(i.number, str(i.words)) for _p, i in REFERENCES[framework].items()}


def test_an_authorisation_counts_a_person_of_both_places_once(
    activity: Activity, authorisation: Authorisation, coordinator: User
) -> None:
    scope = _scope("authorisation", activity, coordinator)
    assert set(scope.site_ids) == {activity.site.pk, activity.other_site.pk}
    people = REGISTRY["file_active"].evaluate(scope).value
    alone = [
        REGISTRY["file_active"].evaluate(_scope("site", activity, coordinator)).value,
        REGISTRY["file_active"].evaluate(Scope((activity.other_site.pk,), *MARCH)).value,
    ]
    assert alone == [12, 4] and people == 15  # the person seen at both counts once
    report = build_report(Framework.MONTHLY_SCS, scope, suppressed=False)
    assert exports.filename(report, "xlsx") == f"monthly-scs_finess-{FINESS}_2025-03.xlsx"


SENSITIVE_COUNTS = {code for code, i in REGISTRY.items() if i.sensitive and i.count}


@pytest.mark.parametrize("framework", Framework.values)
@pytest.mark.parametrize("kind", ["site", "authorisation", "network"])
def test_every_masked_file_rounds_and_hides_small_counts(
    framework: str, kind: str, activity: Activity, authorisation: Authorisation, evaluator: User
) -> None:
    scope = _scope(kind, activity, evaluator, masked=True)
    rows = _sheet_rows(exports.to_xlsx(build_report(framework, scope, suppressed=True)))
    counted = [r for r in rows if r[3] in SENSITIVE_COUNTS]
    assert counted, "every framework counts people"
    for row in counted:
        value = row[6]
        assert value in ("<10", "masqué", "—") or (
            isinstance(value, int | float) and value % 5 == 0 and value >= 10
        ), row
    shown = {r[3]: r[6] for r in rows if r[5] is None}
    if "file_active" in shown:
        assert shown["file_active"] == {"site": 10, "authorisation": 15, "network": 15}[kind]


def test_the_monthly_report_keeps_age_gender_and_the_oral_route(
    activity: Activity, coordinator: User
) -> None:
    scope = _scope("site", activity, coordinator)
    report = build_report(Framework.MONTHLY_SCS, scope, suppressed=False)
    lines = {line.code: line for section in report.sections for line in section.lines}
    assert {"people_by_sex", "age_groups"} <= set(lines)
    routes = {cell.key: cell.number for cell in lines["sessions_by_route"].cells}
    assert routes["oral"] == 0 and routes["injection"] == 20
