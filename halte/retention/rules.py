"""What the apps keep and for how long. Each app declares its rules in its own ``retention``
module, loaded when the project starts; this module knows no app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Rule:
    """Rows of one kind past their retention period.

    ``keep`` answers the period (read at each purge, so a changed setting applies at once);
    ``expired`` answers the rows older than a cut-off; with ``with_dependents`` the rows that hang
    on them through a protected key go first, children before parents (sessions before visits,
    referral steps before referrals)."""

    name: str
    keep: Callable[[], dt.timedelta]
    expired: Callable[[dt.datetime], models.QuerySet[Any]]
    with_dependents: bool = False


_RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Declare a rule; a name declared twice is a mistake, not an override."""
    if rule.name in _RULES and _RULES[rule.name] != rule:
        raise ValueError(f"Retention rule {rule.name!r} is declared twice.")
    _RULES[rule.name] = rule
    return rule


def registered() -> list[Rule]:
    """The rules in the order they were declared (the order of INSTALLED_APPS)."""
    return list(_RULES.values())
