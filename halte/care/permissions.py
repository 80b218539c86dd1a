"""Who records and who reads care, social acts, referrals and material. Each predicate states its
rule; services, selectors, screens and the API ask them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from halte.accounts.enums import Role
from halte.accounts.permissions import (
    CARE_ROLES,
    _roles_on,
    can_record_at,
    is_network_viewer,
)

if TYPE_CHECKING:
    from halte.accounts.models import User
    from halte.network.models import Site

# A manager may record a care act for the team; reading the confidential fields stays with care
# roles (medical secret shared within the care team only).
CARE_RECORDING_ROLES = frozenset(CARE_ROLES | {Role.MANAGER})
STOCK_ROLES = frozenset({Role.MANAGER, Role.NURSE, Role.EDUCATOR})


def can_see_care_details(user: User | AnonymousUser, site: Site) -> bool:
    """Test results and psychiatric details of a care act are read only by care roles (nurse)
    working with people at that site. Reception, educators, outreach, managers and every network
    role see that an act took place ("dépistage VHC réalisé"), never its result."""
    return can_record_at(user, site) and bool(_roles_on(user, site) & CARE_ROLES)


def can_see_referral_note(user: User | AnonymousUser, site: Site) -> bool:
    """A referral's note is free text about a person (what to bring, whom to ask for): written
    and read by the care roles of the referring site only, like a test result. Everyone who
    follows referrals up sees the destination, the status and the appointment, never the note."""
    return can_see_care_details(user, site)


def can_record_care(user: User | AnonymousUser, site: Site) -> bool:
    """Care acts are recorded by care roles (nurse) of the site, or by its manager."""
    return can_record_at(user, site) and bool(_roles_on(user, site) & CARE_RECORDING_ROLES)


def can_record_social(user: User | AnonymousUser, site: Site) -> bool:
    """Social acts, referrals and material given are recorded by the site's front-line staff."""
    return can_record_at(user, site)


def can_adjust_stock(user: User | AnonymousUser, site: Site) -> bool:
    """Deliveries are received by any front-line staff of the site; inventory corrections and
    alert thresholds are set by its manager, nurses and educators."""
    return can_record_at(user, site) and bool(_roles_on(user, site) & STOCK_ROLES)


def can_see_stock(user: User | AnonymousUser, site: Site) -> bool:
    """Stock levels are counts, never people: the site's front-line staff and the network roles
    (coordinator, evaluator, admin) see them; other sites' staff do not (404)."""
    return can_record_at(user, site) or is_network_viewer(user)
