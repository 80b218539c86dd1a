"""Who reads and records the person's situation, pathways, accompaniments and interpreting. Each
predicate states its rule; services, selectors, screens and the API ask them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from halte.accounts.permissions import CARE_ROLES, _roles_on, can_record_at, client_site_ids

if TYPE_CHECKING:
    from halte.accounts.models import User
    from halte.clients.models import Client
    from halte.network.models import Site


def person_site_ids(client: Client) -> set[int]:
    """The person's sites: where they were registered, came, or told their situation."""
    ids = {client.registered_at_site_id}
    ids |= set(client.visits.values_list("site_id", flat=True).distinct())
    ids |= set(client.situations.values_list("site_id", flat=True).distinct())
    return ids


def reader_site_ids(user: User | AnonymousUser, client: Client) -> set[int]:
    """The person's sites where the user works with people (empty: the user reads nothing)."""
    return client_site_ids(user) & person_site_ids(client)


def can_see_situation(user: User | AnonymousUser, client: Client) -> bool:
    """The front-line staff of the person's sites (reception, nurses, educators, outreach,
    managers) read the situation; network roles and other sites' staff do not (404)."""
    return bool(reader_site_ids(user, client))


def _care_on_any(user: User | AnonymousUser, site_ids: set[int]) -> bool:
    from halte.network.models import Site

    return any(_roles_on(user, site) & CARE_ROLES for site in Site.objects.filter(pk__in=site_ids))


def can_see_sensitive_situation(user: User | AnonymousUser, client: Client) -> bool:
    """Pregnancy, release from prison and resources are read only by care roles (nurse) of one of
    the person's sites, like a test result; everyone else sees that the question exists, never the
    answer."""
    return _care_on_any(user, reader_site_ids(user, client))


def can_record_situation(user: User | AnonymousUser, site: Site) -> bool:
    """The front-line staff of the site ask the situation at the desk; the care-only answers are
    written by its care roles (``can_record_sensitive_situation``)."""
    return can_record_at(user, site)


def can_record_sensitive_situation(user: User | AnonymousUser, site: Site) -> bool:
    """Pregnancy, prison release and resources are asked and written by the site's care roles."""
    return can_record_at(user, site) and bool(_roles_on(user, site) & CARE_ROLES)


def can_follow_pathway(user: User | AnonymousUser, site: Site) -> bool:
    """A pathway after a test tells a diagnosis: the care roles (nurse) of the site open it,
    record its steps and read it; no one else learns it exists."""
    return can_record_sensitive_situation(user, site)


def can_see_pathways(user: User | AnonymousUser, client: Client) -> bool:
    """The care roles of one of the person's sites read all of the person's pathways (the care
    goes on from one site of the network to another)."""
    return can_see_sensitive_situation(user, client)


def can_record_accompaniment(user: User | AnonymousUser, site: Site) -> bool:
    """Accompaniments and interpreting are recorded by the site's front-line staff and read by the
    staff of the person's sites (``can_see_situation``)."""
    return can_record_at(user, site)
