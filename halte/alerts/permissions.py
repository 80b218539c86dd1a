"""Who may do what with samples and alerts: each predicate states its rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from halte.accounts.enums import Role
from halte.accounts.permissions import _roles_on, can_record_at, client_site_ids, network_roles

if TYPE_CHECKING:
    from halte.accounts.models import User
    from halte.network.models import Site

COORDINATION = frozenset({Role.COORDINATOR, Role.ADMIN})


def is_coordination(user: User | AnonymousUser) -> bool:
    """The network coordinator (and admins) see every sample and alert of the network."""
    return bool(network_roles(user) & COORDINATION)


def can_issue_alert(user: User | AnonymousUser) -> bool:
    """Only the network coordination issues, withdraws and follows alerts, and reads signals."""
    return is_coordination(user)


def can_see_samples(user: User | AnonymousUser) -> bool:
    """Front-line staff see the samples of their sites; the coordination sees all of them."""
    return is_coordination(user) or bool(client_site_ids(user))


def can_record_sample(user: User | AnonymousUser, site: Site) -> bool:
    """A sample is recorded by the front-line staff of the site or team that collected it."""
    return can_record_at(user, site)


def can_enter_result(user: User | AnonymousUser, site: Site) -> bool:
    """A result is entered (or imported) by a nurse of the sample's site or by the coordination."""
    return is_coordination(user) or (
        site.pk in client_site_ids(user) and Role.NURSE in _roles_on(user, site)
    )


def can_import_results(user: User | AnonymousUser) -> bool:
    """A laboratory's CSV is imported by the coordination or by a nurse (for their sites' samples)."""
    if is_coordination(user) or not user.is_authenticated:
        return is_coordination(user)
    return user.memberships.filter(is_active=True, role=Role.NURSE).exists()
