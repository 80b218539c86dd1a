"""Who may do what on the plan-crack board: each predicate states its rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from halte.accounts.enums import Role
from halte.accounts.permissions import can_record_at, client_site_ids, network_roles

if TYPE_CHECKING:
    from halte.accounts.models import User
    from halte.network.models import Site
    from halte.plan.models import Evacuation

COORDINATION = frozenset({Role.COORDINATOR, Role.ADMIN})


def can_see_plan(user: User | AnonymousUser) -> bool:
    """The plan's actions, budget and evacuations (counts, no person) are read by every member of
    staff: network roles and anyone holding a role on a site."""
    if not user.is_authenticated:
        return False
    return bool(network_roles(user)) or user.memberships.filter(is_active=True).exists()


def can_manage_plan(user: User | AnonymousUser) -> bool:
    """The network coordination (and admins) keep the actions, their statuses and the budget."""
    return bool(network_roles(user) & COORDINATION)


def can_record_evacuation(user: User | AnonymousUser, team: Site) -> bool:
    """An evacuation is recorded by the front-line staff of the team or site that was there, or by
    the coordination (who then records it without people)."""
    return can_manage_plan(user) or can_record_at(user, team)


def can_orient_at(user: User | AnonymousUser, team: Site) -> bool:
    """People are named (by code) as oriented only by the front-line staff of the team that met
    them: network roles never see a person's record."""
    return can_record_at(user, team)


def can_see_oriented_people(user: User | AnonymousUser, evacuation: Evacuation) -> bool:
    """The codes of the people oriented are read by the front-line staff of the evacuation's team
    only; everyone else reads counts."""
    return evacuation.team_id in client_site_ids(user)
