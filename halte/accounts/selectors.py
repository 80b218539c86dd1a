"""Reads of staff accounts for the staff screens, scoped to what the reader manages."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from halte.accounts.models import Membership, User
from halte.accounts.permissions import staff_site_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from halte.network.models import Site


def staff_visible_to(actor: User | AnonymousUser) -> QuerySet[User]:
    """Every account for the administrator; for a site manager, the accounts that hold or held a
    role on one of their sites; nothing for anyone else."""
    return _staff_in(staff_site_ids(actor))


def _staff_in(scope: set[int] | None) -> QuerySet[User]:
    if scope is None:
        return User.objects.order_by("username")
    return User.objects.filter(memberships__site_id__in=scope).distinct().order_by("username")


def staff_with_current_roles(
    actor: User | AnonymousUser, *, limit: int = 500
) -> list[tuple[User, list[Membership]]]:
    """The accounts the actor manages (the first ``limit`` by username), each with its current
    roles the actor may see (as ``memberships_visible_to``), read in a fixed number of queries
    however many accounts there are."""
    scope = staff_site_ids(actor)
    roles = Membership.objects.filter(is_active=True).select_related("site", "operator")
    if scope is not None:
        roles = roles.filter(site_id__in=scope)
    accounts = list(_staff_in(scope)[:limit])
    held: dict[int, list[Membership]] = defaultdict(list)
    for role in roles.filter(user__in=accounts).order_by("role"):
        held[role.user_id].append(role)
    return [(account, held[account.pk]) for account in accounts]


def get_staff_for_user(actor: User | AnonymousUser, public_id: uuid.UUID | str) -> User:
    """An account the actor may manage; 404 for any other, whether it exists or not."""
    try:
        return staff_visible_to(actor).get(public_id=public_id)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Compte introuvable.") from exc


def memberships_visible_to(actor: User | AnonymousUser, account: User) -> QuerySet[Membership]:
    """The account's roles the actor may see: all for the administrator, those on the manager's
    sites for a manager (a role elsewhere is not theirs to know)."""
    scope = staff_site_ids(actor)
    rows = account.memberships.select_related("site", "operator").order_by("-is_active", "role")
    return rows if scope is None else rows.filter(Q(site_id__in=scope))


def staff_sites_for(actor: User | AnonymousUser) -> QuerySet[Site]:
    """The sites where the actor may give a role."""
    from halte.network.models import Site

    scope = staff_site_ids(actor)
    sites = Site.objects.order_by("name")
    return sites if scope is None else sites.filter(pk__in=scope)
