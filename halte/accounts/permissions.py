"""Permission predicates. Each states its rule in its docstring; views and services ask them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from halte.accounts.enums import Role

if TYPE_CHECKING:
    from halte.accounts.models import User
    from halte.network.models import Site


def _roles_on(user: User | AnonymousUser, site: Site) -> set[str]:
    """The roles the user holds on this site: directly, through its operator, or network-wide."""
    if not user.is_authenticated:
        return set()
    cache_key = f"_roles_on_{site.pk}"
    cached: set[str] | None = getattr(user, cache_key, None)
    if cached is not None:
        return cached
    memberships = user.memberships.filter(is_active=True).filter(
        Q(site=site) | Q(operator_id=site.operator_id) | Q(site__isnull=True, operator__isnull=True)
    )
    roles = set(memberships.values_list("role", flat=True))
    setattr(user, cache_key, roles)
    return roles


def network_roles(user: User | AnonymousUser) -> set[str]:
    """Roles held on the whole network (coordinator, evaluator, admin)."""
    if not user.is_authenticated:
        return set()
    return set(
        user.memberships.filter(
            is_active=True, site__isnull=True, operator__isnull=True
        ).values_list("role", flat=True)
    )


def is_network_viewer(user: User | AnonymousUser) -> bool:
    """Coordinators, evaluators and admins see every site, projects included."""
    return bool(network_roles(user) & {Role.COORDINATOR, Role.EVALUATOR, Role.ADMIN})


def can_see_site(user: User | AnonymousUser, site: Site) -> bool:
    """Any member of staff sees a site that exists for the public (operational, suspended, closed);
    a project (proposed, approved, in preparation, abandoned) is seen by network roles and by the
    site's own staff only, since an address under study can be sensitive."""
    from halte.network.enums import PROJECT_STATUSES

    if not user.is_authenticated:
        return False
    if site.status not in PROJECT_STATUSES:
        return user.memberships.filter(is_active=True).exists()
    return bool(_roles_on(user, site))


def can_edit_site(user: User | AnonymousUser, site: Site) -> bool:
    """The site's manager (on the site or on its operator) and admins edit hours, capacities and
    services."""
    return bool(_roles_on(user, site) & {Role.MANAGER, Role.ADMIN})


def can_change_site_status(user: User | AnonymousUser, site: Site) -> bool:
    """Only the network coordinator (and admins) move a site through its statuses."""
    return bool(_roles_on(user, site) & {Role.COORDINATOR, Role.ADMIN})


def can_manage_registry(user: User | AnonymousUser) -> bool:
    """Coordinators and admins create sites and operators."""
    return bool(network_roles(user) & {Role.COORDINATOR, Role.ADMIN})
