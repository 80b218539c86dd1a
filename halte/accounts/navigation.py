"""What each member of staff can use, for the header's tabs and the page after login.

Only what the user's roles open: a tab that leads to an empty page or a refusal is not offered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from halte.accounts.enums import Role
from halte.accounts.permissions import can_manage_staff, client_site_ids, network_roles

if TYPE_CHECKING:
    from halte.accounts.models import User
    from halte.network.models import Site


@dataclass(frozen=True)
class Navigation:
    """The user's places of work, each None (or False) when no role opens it."""

    roles: frozenset[str]
    desk: Site | None  # the front desk of a fixed site
    room: Site | None  # a consumption room (a desk whose site allows a route)
    lodging: Site | None  # a site with beds
    team: Site | None  # an outreach team
    manages_site: Site | None  # a site the user manages
    network: bool  # coordinator, evaluator or administrator
    staff: bool  # manages staff accounts
    reports: bool
    coordination: bool = False  # the network's coordinator or an administrator
    frontline: bool = False  # works at a site or in a team

    @property
    def street_and_alerts(self) -> bool:
        """The neighbourhood (pick-ups, residents' reports) and product alerts: the front line of
        every site and team, and the coordination that follows them."""
        return self.coordination or self.frontline

    @property
    def places(self) -> bool:
        """The address tool: for those who place sites (managers and the network)."""
        return self.network or self.manages_site is not None


EMPTY = Navigation(frozenset(), None, None, None, None, None, False, False, False)


def navigation_for(user: User | AnonymousUser) -> Navigation:
    """The tabs this user can use: a few queries, once per page."""
    from halte.network.enums import SiteKind
    from halte.network.models import Site

    if not user.is_authenticated:
        return EMPTY
    memberships = list(user.memberships.filter(is_active=True).select_related("site"))
    roles = frozenset(m.role for m in memberships)
    sites = list(Site.objects.filter(pk__in=client_site_ids(user)).order_by("name"))
    fixed = [s for s in sites if s.kind != SiteKind.OUTREACH_TEAM]
    managed = [m.site for m in memberships if m.role == Role.MANAGER and m.site is not None]
    return Navigation(
        roles=roles,
        desk=fixed[0] if fixed else None,
        room=next((s for s in fixed if s.allowed_routes()), None),
        lodging=next((s for s in fixed if s.beds > 0), None),
        team=next((s for s in sites if s.kind == SiteKind.OUTREACH_TEAM), None),
        manages_site=managed[0]
        if managed
        else (fixed[0] if Role.MANAGER in roles and fixed else None),
        network=bool(network_roles(user)),
        staff=can_manage_staff(user),
        reports=bool(memberships),
        coordination=any(
            m.site_id is None and m.operator_id is None and m.role in {Role.COORDINATOR, Role.ADMIN}
            for m in memberships
        ),
        frontline=bool(sites),
    )


def landing(nav: Navigation) -> tuple[str, Site | None]:
    """Where a user starts the day, as (screen, site): the night team on the night view, the
    nurse in the room, reception at its desk, outreach on its round, a manager on the site's page,
    the evaluator on the reports, the coordinator and the administrator on the network map."""
    roles = nav.roles
    if Role.MANAGER in roles and nav.manages_site is not None:
        return "site", nav.manages_site
    if Role.NURSE in roles and nav.room is not None:
        return "room", nav.room
    if Role.RECEPTION in roles and nav.desk is not None:
        return "desk", nav.desk
    if Role.OUTREACH in roles and nav.team is not None:
        return "team", nav.team
    if nav.lodging is not None and nav.lodging.kind in NIGHT_KINDS:
        return "night", nav.lodging
    if nav.desk is not None:
        return ("room", nav.room) if nav.room is not None else ("desk", nav.desk)
    if nav.lodging is not None:
        return "night", nav.lodging
    if Role.EVALUATOR in roles and not roles & {Role.COORDINATOR, Role.ADMIN}:
        return "reports", None
    return "map", None


NIGHT_KINDS = frozenset({"night_shelter", "accommodation"})
