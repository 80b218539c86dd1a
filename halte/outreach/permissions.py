"""Who may do what in the street: each predicate states its rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from halte.accounts.permissions import can_record_at, client_site_ids, is_network_viewer
from halte.network.enums import SiteKind

if TYPE_CHECKING:
    from halte.accounts.models import User
    from halte.network.models import Site


def can_work_rounds(user: User | AnonymousUser, team: Site) -> bool:
    """Rounds, contacts and head counts are recorded by the front-line staff of that outreach
    team (outreach workers and its manager)."""
    return team.kind == SiteKind.OUTREACH_TEAM and can_record_at(user, team)


def can_see_head_counts(user: User | AnonymousUser) -> bool:
    """Head counts are numbers at public places, never people: every front-line member of staff
    and every network role (coordinators plan with them) may read them."""
    return bool(client_site_ids(user)) or is_network_viewer(user)


def can_ask_where_to_go(user: User | AnonymousUser) -> bool:
    """ "Where can this person go now?" answers with counts only: front-line staff of any site
    (outreach workers, front desks) and network roles may ask; applying someone's bans needs the
    right to find a person by code, checked separately."""
    return bool(client_site_ids(user)) or is_network_viewer(user)
