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
