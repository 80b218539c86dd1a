"""Permission predicates. Each states its rule in its docstring; views and services ask them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from halte.accounts.enums import SITE_ROLES, Role

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


# Client-linked data: visits, sessions, incidents and the people themselves. Network roles
# (coordinator, evaluator, admin) never see a person's record: they get aggregates.
# A peer worker ("pair·e aidant·e", someone with lived experience employed by the site) works
# with people at the door, in the room and on rounds, and leads the acts recorded there
# (check-ins, supervised sessions and their watch, refusals and waits, incidents): a front-line
# role. Never a care role: what only care roles read (care details, referral notes) stays hidden
# from a peer, and a peer excludes nobody and handles no stock.
FRONT_LINE_ROLES = frozenset(
    {Role.RECEPTION, Role.NURSE, Role.EDUCATOR, Role.OUTREACH, Role.PEER, Role.MANAGER}
)
CARE_ROLES = frozenset({Role.NURSE})
BAN_ROLES = frozenset({Role.MANAGER, Role.NURSE, Role.EDUCATOR})


def client_site_ids(user: User | AnonymousUser) -> set[int]:
    """The sites where the user works with people: front-line roles held on the site or on its
    operator. Client-linked records of other sites are invisible (404)."""
    if not user.is_authenticated:
        return set()
    cached: set[int] | None = getattr(user, "_client_site_ids", None)
    if cached is not None:
        return cached
    from halte.accounts.models import Membership
    from halte.network.models import Site

    held = Membership.objects.filter(user=user, is_active=True, role__in=FRONT_LINE_ROLES)
    ids = set(
        Site.objects.filter(
            Q(pk__in=held.filter(site__isnull=False).values("site_id"))
            | Q(operator_id__in=held.filter(operator__isnull=False).values("operator_id"))
        ).values_list("pk", flat=True)
    )
    setattr(user, "_client_site_ids", ids)  # noqa: B010 - a per-request cache on the user
    return ids


def can_see_clients(user: User | AnonymousUser) -> bool:
    """Front-line staff find a person by code whatever site registered them (the code is made to be
    linkable across the network); network roles do not."""
    return bool(client_site_ids(user))


def is_peer_at(user: User | AnonymousUser, site: Site) -> bool:
    """A peer worker of the site (directly or through its operator): the acts they record there
    are counted as led by a peer."""
    return Role.PEER in _roles_on(user, site)


def can_record_at(user: User | AnonymousUser, site: Site) -> bool:
    """Check-ins, sessions and incidents are recorded by the front-line staff of that site."""
    return site.pk in client_site_ids(user)


def can_ban(user: User | AnonymousUser, site: Site | None) -> bool:
    """Managers, nurses and educators of a site exclude someone from it; only a manager excludes
    from the whole network (site None)."""
    if not user.is_authenticated:
        return False
    roles = (
        set(user.memberships.filter(is_active=True).values_list("role", flat=True))
        if site is None
        else _roles_on(user, site)
    )
    if site is None:
        return Role.MANAGER in roles
    return site.pk in client_site_ids(user) and bool(roles & BAN_ROLES)


# Staff accounts. The network's administrator manages every account; a site's manager manages the
# staff of the sites they run, and grants only the roles that run a site.


def staff_site_ids(user: User | AnonymousUser) -> set[int] | None:
    """The sites whose staff the user manages: None for every site (an admin), the sites held as
    manager (directly or through their operator) for a site manager, an empty set for others."""
    from halte.network.models import Site

    if not user.is_authenticated:
        return set()
    if Role.ADMIN in network_roles(user):
        return None
    held = user.memberships.filter(is_active=True, role=Role.MANAGER)
    direct = set(held.exclude(site=None).values_list("site_id", flat=True))
    operators = set(held.exclude(operator=None).values_list("operator_id", flat=True))
    through = set(Site.objects.filter(operator_id__in=operators).values_list("pk", flat=True))
    return direct | through


def can_manage_staff(user: User | AnonymousUser) -> bool:
    """The administrator, and any site manager for the staff of their own sites."""
    scope = staff_site_ids(user)
    return scope is None or bool(scope)


def grantable_roles(user: User | AnonymousUser) -> list[Role]:
    """The administrator grants every role; a site manager only the roles that run a site (never
    a network role: coordinator, evaluator, administrator)."""
    scope = staff_site_ids(user)
    if scope is None:
        return list(Role)
    if not scope:
        return []
    return [role for role in Role if role in SITE_ROLES]


def can_manage_account(actor: User | AnonymousUser, account: User) -> bool:
    """Resetting a password or a second factor hands the account over: a manager does it only for
    accounts whose every active role is on the manager's own sites (an account that also works
    elsewhere, or on the network, is the administrator's)."""
    scope = staff_site_ids(actor)
    if scope is None:
        return True
    if not scope or account.pk == getattr(actor, "pk", None):
        return False
    memberships = list(account.memberships.filter(is_active=True))
    return bool(memberships) and all(
        m.site_id in scope and m.role in SITE_ROLES for m in memberships
    )
