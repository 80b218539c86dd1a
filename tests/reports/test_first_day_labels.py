"""Issue 23, point 11: labels read in the reader's language, months told apart."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from halte.planning.models import ScenarioResult
from halte.reports.charts import wrap_name
from halte.reports.exports import machine_number, period_name


def test_planning_result_labels_go_through_translation() -> None:
    result = ScenarioResult(
        solver_status="time_limit",
        distance_method="distance à vol d'oiseau × 1,3 (détour supposé)",
    )
    with translation.override("fr"):
        assert result.solver_status_label == "limite de temps atteinte"
        assert result.distance_method_label == result.distance_method
    graph = ScenarioResult(
        solver_status="optimal", distance_method="graphe des rues OSM (12 nœuds)"
    )
    assert graph.distance_method_label == "graphe des rues OSM (12 nœuds)"
    assert ScenarioResult(distance_method="autre").distance_method_label == "autre"


def test_files_name_their_period_and_hold_plain_numbers() -> None:
    assert period_name(dt.date(2025, 3, 1), dt.date(2025, 3, 31)) == "2025-03"
    assert period_name(dt.date(2025, 4, 1), dt.date(2025, 6, 30)) == "2025-T2"
    assert period_name(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == "2025"
    assert period_name(dt.date(2025, 1, 5), dt.date(2025, 2, 3)) == "20250105-20250203"
    assert machine_number("12\u202f345,67") == "12345,67"
    assert machine_number("<10") == "<10" and machine_number("45 %") == "45 %"


def test_long_site_names_wrap_whole() -> None:
    lines = wrap_name("Halte soins addictions Jean-Pierre Lhomme (Paris)")
    assert " ".join(lines) == "Halte soins addictions Jean-Pierre Lhomme (Paris)"
    assert all(len(line) <= 30 for line in lines)
