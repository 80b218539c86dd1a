"""The demo's commands live in the demo app, above the domain (tests/test_conventions.py checks
that no app imports it)."""

from __future__ import annotations

from django.core.management import get_commands

DEMO_COMMANDS = ("load_demo", "load_outreach_demo", "load_planning_demo", "generate_activity")


def test_the_demo_commands_belong_to_the_demo_app() -> None:
    commands = get_commands()
    assert {name: commands.get(name) for name in DEMO_COMMANDS} == dict.fromkeys(
        DEMO_COMMANDS, "halte.demo"
    )
