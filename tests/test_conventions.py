"""Conventions the code must keep, checked on the source itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENS_AND_API = [*ROOT.glob("halte/www/**/*.py"), *ROOT.glob("halte/api/**/*.py")]


def test_views_and_api_handlers_never_write_models_themselves() -> None:
    """Writes go through services (which audit); a view that saves directly would skip the trail."""
    pattern = re.compile(r"\.(save|delete|bulk_create|update)\(|\.objects\.create\(")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in SCREENS_AND_API
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line.replace("attrs.update(", ""))
    ]
    assert offenders == []


def test_domain_apps_do_not_import_screens_or_api() -> None:
    offenders = []
    for path in ROOT.glob("halte/*/**/*.py"):
        app = path.relative_to(ROOT / "halte").parts[0]
        if app in {"www", "api"}:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith(("halte.www", "halte.api"))
            ):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_planning_solver_and_geo_library_import_no_django() -> None:
    for folder in ("halte/planning/solver", "halte/geo/lib"):
        for path in (ROOT / folder).glob("**/*.py"):
            assert "django" not in path.read_text(), path


def test_templates_have_no_inline_script_or_style() -> None:
    """The CSP forbids inline code; JSON data goes through json_script, which is not executed."""
    for path in ROOT.glob("halte/**/templates/**/*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert "style=" not in text and "<style" not in text, path
        assert not re.search(r"\son[a-z]+=", text), path


def test_urls_carry_public_ids_not_integer_keys() -> None:
    text = (ROOT / "halte/www/urls.py").read_text()
    assert "<int:pk>" not in text and "<int:site_id>" not in text


# The apps from the base up. An app imports from the layers below its own, never from above; apps
# of one layer do not import each other, except in a layer marked as one knot (staff, the sites
# they work on and the audit trail name each other: a membership is on a site, a site's services
# check memberships and write the trail).
LAYERS: list[tuple[str, set[str], bool]] = [
    ("base", {"core", "geo"}, False),
    ("retention", {"retention"}, False),
    ("staff, sites, trail, jobs", {"accounts", "audit", "network", "jobs"}, True),
    ("registry", {"clients"}, False),
    ("visits and beds", {"visits", "lodging"}, False),
    ("activity on a visit", {"consumption", "care"}, False),
    ("street and pathways", {"outreach", "pathway"}, False),
    ("surroundings and product watch", {"neighbourhood", "alerts"}, False),
    ("survey week and plan board", {"surveys", "plan"}, False),
    ("above the domain", {"reports", "planning"}, False),
    ("screens, API, demo", {"api", "www", "demo"}, False),
]


def _imported_apps(path: Path) -> list[tuple[int, str]]:
    """Every ``halte.<app>`` imported by a module, at module level or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.extend((node.lineno, n.split(".")[1]) for n in names if n.startswith("halte."))
    return found


# Loops not untied yet, each with its reason; the list may only shrink (a test says when an entry
# is no longer needed).
KNOWN_WRONG_WAY: dict[tuple[str, str], str] = {}


def _wrong_way_imports() -> list[str]:
    layer_of = {app: (n, knot) for n, (_, apps, knot) in enumerate(LAYERS) for app in apps}
    offenders = []
    for path in sorted(ROOT.glob("halte/*/**/*.py")):
        app = path.relative_to(ROOT / "halte").parts[0]
        if "migrations" in path.parts:
            continue
        here, knot = layer_of[app]
        for line, other in _imported_apps(path):
            there = layer_of[other][0]
            if other != app and (there > here or (there == here and not knot)):
                offenders.append(f"{path.relative_to(ROOT)}:{line} {app} → {other}")
    return offenders


def test_every_app_has_a_layer() -> None:
    apps = {p.parent.name for p in ROOT.glob("halte/*/apps.py")}
    placed = [app for _, layer, _ in LAYERS for app in layer]
    assert len(placed) == len(set(placed)) and apps <= set(placed)


def test_apps_import_only_from_the_layers_below() -> None:
    """The base imports no domain app, the domain apps no report, screen or API; a loop between
    two apps, even hidden in a function, is a wrong-way import on one side."""
    known = {f" {a} → {b}" for a, b in KNOWN_WRONG_WAY}
    assert [o for o in _wrong_way_imports() if o[o.index(" ") :] not in known] == []


def test_every_known_wrong_way_import_is_still_there() -> None:
    """An entry of KNOWN_WRONG_WAY that no import needs any more goes from the list."""
    seen = {o[o.index(" ") :] for o in _wrong_way_imports()}
    assert {f" {a} → {b}" for a, b in KNOWN_WRONG_WAY} <= seen


def test_the_layer_check_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import halte.core\n\ndef f():\n    from halte.www.views import x\n")
    assert [app for _, app in _imported_apps(module)] == ["core", "www"]


# ``.date()`` of an aware instant is UTC's day, yesterday's in the first hour or two of every Paris
# day: the day of an instant is ``paris_date(instant)``, today is ``local_today()``. The few other
# ``.date()`` calls, each on something that is not a UTC instant:
NOT_AN_INSTANT = {
    ("halte/core/timeutils.py", "return instant.astimezone(PARIS).date()"),  # paris_date itself
    ("halte/alerts/csv_import.py", "dt.datetime.strptime(text, fmt).date()"),  # a date as typed
    ("halte/lodging/selectors.py", "local.date()"),  # already a Paris wall-clock time
    ("tests/care/test_paris_day.py", "moment.date()"),  # UTC's day, to show it is not Paris's
}


def _day_of_an_instant(path: Path) -> list[tuple[int, str]]:
    """The ``.date()`` calls of a module that are not in ``NOT_AN_INSTANT``."""
    relative = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name
    return [
        (n, line.strip())
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if ".date()" in line
        and not line.lstrip().startswith("#")
        and "``" not in line
        and not any(relative == f and snippet in line for f, snippet in NOT_AN_INSTANT)
    ]


def test_the_day_of_an_instant_is_always_the_paris_day() -> None:
    modules = [*ROOT.glob("halte/**/*.py"), *ROOT.glob("tests/**/*.py")]
    offenders = [
        f"{path.relative_to(ROOT)}:{n} {line}"
        for path in sorted(modules)
        if "migrations" not in path.parts and path.name != "test_conventions.py"
        for n, line in _day_of_an_instant(path)
    ]
    assert offenders == []


def test_the_paris_day_check_sees_utcs_day(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f(at):\n    return now().date(), at.date()\n# at.date()\n")
    assert _day_of_an_instant(module) == [(2, "return now().date(), at.date()")]
