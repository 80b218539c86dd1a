"""Who runs the survey week: each predicate states its rule; services, selectors, screens and the
API ask them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from halte.accounts.enums import Role
from halte.accounts.permissions import _roles_on, can_record_at, network_roles

if TYPE_CHECKING:
    from halte.accounts.models import User
    from halte.network.models import Site

OPENERS = frozenset({Role.MANAGER, Role.COORDINATOR, Role.ADMIN})
COORDINATION = frozenset({Role.COORDINATOR, Role.ADMIN})


def is_survey_coordination(user: User | AnonymousUser) -> bool:
    """The network coordination (and admins) follow every site's survey week."""
    return bool(network_roles(user) & COORDINATION)


def can_open_survey_week(user: User | AnonymousUser, site: Site) -> bool:
    """The site's manager (on the site or its operator) or the network coordination opens and
    closes a survey week, and exports its results."""
    return bool(_roles_on(user, site) & OPENERS)


def can_run_survey(user: User | AnonymousUser, site: Site) -> bool:
    """The site's front-line staff ask people, fill the questionnaires and count those who do
    not answer."""
    return can_record_at(user, site)


def can_see_survey_week(user: User | AnonymousUser, site: Site) -> bool:
    """Those who run it or open it see the week: its days, numbered questionnaires, counters and
    rate (never a person's code). Evaluators get the masked aggregate through the coordination."""
    return can_run_survey(user, site) or can_open_survey_week(user, site)


def can_export_survey(user: User | AnonymousUser, site: Site) -> bool:
    """The results file (one anonymous row per questionnaire, the counters, the masked aggregate)
    is produced by whoever opens the week: the manager or the coordination."""
    return can_open_survey_week(user, site)
