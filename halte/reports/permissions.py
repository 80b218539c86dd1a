"""Who sees which reports. The rules, written once (docs/reports.md repeats them):

- coordinators and admins see the reports of the network and of every site, with exact figures;
- evaluators see the same aggregates, always masked: small counts hidden, counts of people rounded,
  and only for whole months, quarters or years that are over (``halte.reports.periods``);
- a site's staff (manager, reception, nurse, educator, outreach) see their own sites' reports and
  dashboards, with exact figures: aggregates of the work they do, nothing they cannot already see;
- an authorisation's reports (a FINESS establishment covering several places) are for the network
  roles and for whoever manages every place it covers;
- an export meant to leave the network is masked whoever asks for it (same periods);
- nobody ever gets a person's record, code or nickname from a report.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from halte.accounts.enums import Role
from halte.accounts.models import User
from halte.accounts.permissions import network_roles
from halte.network.models import Authorisation

EXACT_NETWORK_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})


def can_see_network_reports(user: User | AnonymousUser) -> bool:
    """Coordinators, admins and evaluators see the network's reports (evaluators masked)."""
    return bool(network_roles(user) & {Role.COORDINATOR, Role.ADMIN, Role.EVALUATOR})


def must_suppress(user: User | AnonymousUser, *, external: bool = False) -> bool:
    """Small counts are masked for an evaluator (unless they also coordinate or administer), and
    in any export meant to leave the network."""
    if external:
        return True
    roles = network_roles(user)
    return Role.EVALUATOR in roles and not roles & EXACT_NETWORK_ROLES


def report_site_filter(user: User | AnonymousUser) -> Q | None:
    """The sites whose reports the user sees: all for network roles, else the sites (or operators'
    sites) where they hold a role. None means every site."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if can_see_network_reports(user):
        return None
    memberships = user.memberships.filter(is_active=True)
    return Q(pk__in=memberships.exclude(site=None).values("site_id")) | Q(
        operator_id__in=memberships.exclude(operator=None).values("operator_id")
    )


def can_record_means(user: User | AnonymousUser, site: object) -> bool:
    """Coordinators and admins record funding and staff for any site; a manager for their site."""
    from halte.accounts.permissions import can_edit_site
    from halte.network.models import Site

    if network_roles(user) & EXACT_NETWORK_ROLES:
        return True
    return isinstance(site, Site) and can_edit_site(user, site)


def can_see_authorisation_reports(user: User | AnonymousUser, authorisation: Authorisation) -> bool:
    """Network roles see the reports of every authorisation (evaluators masked); anyone else only
    those of an authorisation whose every place they manage (on the site or its operator): its
    figures add up the places' activity and count their people once."""
    from halte.accounts.permissions import can_edit_site

    if can_see_network_reports(user):
        return True
    sites = list(authorisation.sites.all())
    return bool(sites) and all(can_edit_site(user, site) for site in sites)
