"""The one gate for reading people's records: everything client-linked is read through here."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from halte.accounts.models import User
from halte.accounts.permissions import can_record_at, can_see_clients, client_site_ids
from halte.clients.codes import normalise_code
from halte.clients.models import Ban, Client
from halte.core.timeutils import local_today
from halte.network.models import Site


def get_client_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Client:
    """A client, for front-line staff of any site (the code links across the network); 404 for
    everyone else."""
    if not can_see_clients(user):
        raise Http404("Introuvable.")
    try:
        return Client.objects.get(public_id=public_id, is_active=True)
    except (Client.DoesNotExist, ValueError) as exc:
        raise Http404("Introuvable.") from exc


def find_client_by_code(user: User | AnonymousUser, typed: str) -> Client | None:
    """The client with this code (typed with or without dashes, or scanned), or None."""
    if not can_see_clients(user):
        raise Http404("Introuvable.")
    code = normalise_code(typed)
    if code is None:
        return None
    return Client.objects.filter(code=code, is_active=True).first()


def find_client_known_at_site(user: User | AnonymousUser, site: Site, code: str) -> Client | None:
    """The person with this code registered at ``site`` or who came there, or None: the people a
    registration at that desk may be confused with."""
    if not can_see_clients(user) or not can_record_at(user, site):
        raise Http404("Introuvable.")
    known_here = Q(registered_at_site=site) | Q(visits__site=site)
    return Client.objects.filter(known_here, code=code, is_active=True).distinct().first()


def active_bans(client: Client, *, site_id: int) -> list[Ban]:
    """Bans in force today at this site (site bans and network-wide bans)."""
    today = local_today()
    return [b for b in client.bans.all() if b.applies(site_id=site_id, day=today)]


def bans_visible_to(user: User | AnonymousUser, client: Client) -> QuerySet[Ban]:
    """A client's bans on the user's sites and across the network."""
    return client.bans.filter(
        Q(site__isnull=True) | Q(site_id__in=client_site_ids(user))
    ).select_related("site")
