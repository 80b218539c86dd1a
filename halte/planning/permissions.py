"""Who may plan sites. Each predicate states its rule; views, the API and services ask them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from halte.accounts.enums import Role
from halte.accounts.permissions import network_roles

if TYPE_CHECKING:
    from halte.accounts.models import User


def can_read_plans(user: User | AnonymousUser) -> bool:
    """Network roles (coordinator, evaluator, admin) read scenarios and their results. Site staff
    do not even learn that a scenario exists: candidate addresses can be sensitive, so every
    planning page and endpoint answers 404 to them."""
    return bool(network_roles(user) & {Role.COORDINATOR, Role.EVALUATOR, Role.ADMIN})


def can_plan(user: User | AnonymousUser) -> bool:
    """Coordinators and admins create scenarios and run their solve; evaluators only read."""
    return bool(network_roles(user) & {Role.COORDINATOR, Role.ADMIN})
