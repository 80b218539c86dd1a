"""Who may do what about the neighbourhood: each predicate states its rule.

Nothing here is about a person who uses a site, except a resident's contact on a report, which only
the coordinating role reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from halte.accounts.enums import Role
from halte.accounts.permissions import _roles_on, client_site_ids, network_roles

if TYPE_CHECKING:
    from halte.accounts.models import User
    from halte.neighbourhood.models import NeighbourhoodReport
    from halte.network.models import Site


def _network_roles(user: User | AnonymousUser) -> set[str]:
    """``network_roles``, asked once per request: a page asks several predicates."""
    cached: set[str] | None = getattr(user, "_nb_network_roles", None)
    if cached is None:
        cached = network_roles(user)
        if user.is_authenticated:
            setattr(user, "_nb_network_roles", cached)  # noqa: B010 - a per-request cache
    return cached


def is_coordinator(user: User | AnonymousUser) -> bool:
    """The network's coordinating role (not admins, not evaluators)."""
    return Role.COORDINATOR in _network_roles(user)


def can_record_street_work(user: User | AnonymousUser, site: Site) -> bool:
    """Pick-ups and mediation rounds are recorded by the front-line staff of the site or team
    that did them (outreach workers, educators, peers, nurses, reception, manager)."""
    return site.pk in client_site_ids(user)


def can_see_street_work(user: User | AnonymousUser) -> bool:
    """Pick-ups, rounds and committees hold no person: every front-line member of staff and the
    network roles (coordinators, evaluators, admins) read them."""
    return bool(client_site_ids(user)) or bool(
        _network_roles(user) & {Role.COORDINATOR, Role.EVALUATOR, Role.ADMIN}
    )


def can_log_report(user: User | AnonymousUser) -> bool:
    """A report received by phone, mail or at a meeting is logged by the coordinator or by the
    front-line staff of any site."""
    return is_coordinator(user) or bool(client_site_ids(user))


def can_triage_reports(user: User | AnonymousUser) -> bool:
    """The coordinator sees every report and gives it to a site or team."""
    return is_coordinator(user)


def report_site_ids(user: User | AnonymousUser) -> set[int]:
    """The sites whose reports the user handles: those where they hold a front-line role."""
    return client_site_ids(user)


def can_handle_report(user: User | AnonymousUser, report: NeighbourhoodReport) -> bool:
    """The coordinator, and the front-line staff of the site the report was given to, answer it
    and close it."""
    if is_coordinator(user):
        return True
    return report.assigned_site_id is not None and report.assigned_site_id in report_site_ids(user)


def can_see_report_contact(user: User | AnonymousUser) -> bool:
    """A resident's contact is personal data: the coordinating role only reads it."""
    return is_coordinator(user)


def can_hold_committees(user: User | AnonymousUser, site: Site) -> bool:
    """A site's committee meetings and decisions are recorded by its manager or by the
    coordinator."""
    return is_coordinator(user) or Role.MANAGER in _roles_on(user, site)


def can_set_surroundings(user: User | AnonymousUser) -> bool:
    """The coordinator sets each site's surroundings (area and the mediation team's contact)."""
    return is_coordinator(user)
