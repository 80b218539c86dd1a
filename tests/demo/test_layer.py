"""The demo sits above the domain: it may import every app, no app imports it."""

from __future__ import annotations

import ast
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO_COMMANDS = ("load_demo", "load_outreach_demo", "load_planning_demo", "generate_activity")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_app_imports_the_demo() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("halte/*/**/*.py")
        if path.relative_to(ROOT / "halte").parts[0] != "demo"
        and any(name == "halte.demo" or name.startswith("halte.demo.") for name in _imports(path))
    ]
    assert offenders == []


def test_the_demo_commands_belong_to_the_demo_app() -> None:
    commands = get_commands()
    assert {name: commands.get(name) for name in DEMO_COMMANDS} == dict.fromkeys(
        DEMO_COMMANDS, "halte.demo"
    )
