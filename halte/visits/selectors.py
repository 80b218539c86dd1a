"""Reads of visits, through the site gate."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from halte.accounts.models import User
from halte.accounts.permissions import client_site_ids
from halte.network.models import Site
from halte.visits.models import Visit


def visits_visible_to(user: User | AnonymousUser) -> QuerySet[Visit]:
    """Visits at the sites where the user works with people."""
    return Visit.objects.filter(site_id__in=client_site_ids(user)).select_related("client", "site")


def get_visit_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Visit:
    try:
        return visits_visible_to(user).get(public_id=public_id)
    except (Visit.DoesNotExist, ValueError) as exc:
        raise Http404("Introuvable.") from exc


def open_visits(site: Site) -> QuerySet[Visit]:
    """Who is in now, earliest first. Callers have checked the user may see this site's people."""
    return (
        Visit.objects.filter(site=site, left_at__isnull=True)
        .select_related("client")
        .prefetch_related("sessions")
        .order_by("arrived_at")
    )


def occupancy(site: Site) -> int:
    return Visit.objects.filter(site=site, left_at__isnull=True).count()
