"""Reads of the registry, always through what the user may see."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from halte.accounts.models import User
from halte.accounts.permissions import can_see_site, is_network_viewer
from halte.core.timeutils import now
from halte.network.enums import PROJECT_STATUSES, Admission, SiteStatus
from halte.network.hours import Exception_, OpenState, Span, open_state
from halte.network.models import Authorisation, Site, StatusChange


def sites_visible_to(user: User | AnonymousUser) -> QuerySet[Site]:
    """The sites this user may see (rule in ``accounts.permissions.can_see_site``)."""
    base = Site.objects.select_related("operator").prefetch_related(
        "services", "weekly_hours", "hours_exceptions"
    )
    if not user.is_authenticated:
        return base.none()
    if is_network_viewer(user):
        return base
    memberships = user.memberships.filter(is_active=True)
    if not memberships.exists():
        return base.none()
    own = Q(pk__in=memberships.exclude(site=None).values("site_id")) | Q(
        operator_id__in=memberships.exclude(operator=None).values("operator_id")
    )
    return base.filter(~Q(status__in=PROJECT_STATUSES) | own)


def get_site_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Site:
    """The site with this public id if the user may see it; 404 otherwise, whether it exists or
    not, so that a refusal tells nothing."""
    try:
        site = sites_visible_to(user).get(public_id=public_id)
    except (Site.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Site introuvable.") from exc
    if not can_see_site(user, site):
        raise Http404("Site introuvable.")
    return site


def get_site_for_recording(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Site:
    """A site where the user records people's visits (front-line roles there); 404 otherwise."""
    from halte.accounts.permissions import client_site_ids

    try:
        site = Site.objects.get(public_id=public_id)
    except (Site.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404("Site introuvable.") from exc
    if site.pk not in client_site_ids(user):
        raise Http404("Site introuvable.")
    return site


def site_opened_on(site: Site) -> dt.date | None:
    """The day the site first became operational, by its dated status history (None: never)."""
    return (
        StatusChange.objects.filter(site=site, to_status=SiteStatus.OPERATIONAL)
        .order_by("effective_on", "pk")
        .values_list("effective_on", flat=True)
        .first()
    )


def site_spans(site: Site) -> list[Span]:
    return [
        Span(h.weekday, h.opens, h.closes, h.valid_from, h.valid_until, h.women_only)
        for h in site.weekly_hours.all()
    ]


def site_exceptions(site: Site) -> list[Exception_]:
    return [Exception_(e.date, e.closed, e.opens, e.closes) for e in site.hours_exceptions.all()]


def site_open_state(site: Site, at: dt.datetime | None = None) -> OpenState:
    """Open now (or at ``at``), in Paris time, honouring dated hours and exceptions."""
    return open_state(at or now(), site_spans(site), site_exceptions(site))


@dataclass(frozen=True)
class SiteFilters:
    kind: str = ""
    service: str = ""
    status: str = ""
    commune: str = ""
    women_only: bool = False
    open_now: bool = False


def filter_sites(
    sites: QuerySet[Site], filters: SiteFilters, *, at: dt.datetime | None = None
) -> list[tuple[Site, OpenState]]:
    """Apply the map's filters; 'women only' keeps the places reserved to women, whole-time or
    by time slots. Each site comes with its open state at ``at``."""
    if filters.kind:
        sites = sites.filter(kind=filters.kind)
    if filters.status:
        sites = sites.filter(status=filters.status)
    if filters.service:
        sites = sites.filter(services__service=filters.service)
    if filters.commune:
        sites = sites.filter(code_insee=filters.commune)
    if filters.women_only:
        sites = sites.filter(
            Q(admission__in=[Admission.WOMEN_ONLY, Admission.WOMEN_SLOTS])
            | Q(weekly_hours__women_only=True)
        )
    moment = at or now()
    result = [(site, site_open_state(site, moment)) for site in sites.distinct()]
    if filters.open_now:
        result = [(site, state) for site, state in result if state.is_open]
    return result


def authorisations_visible_to(user: User | AnonymousUser) -> QuerySet[Authorisation]:
    """Network roles see every authorisation; staff those of their operator or covering one of
    their sites; anyone else none."""
    base = Authorisation.objects.select_related("operator").prefetch_related("sites")
    if not user.is_authenticated:
        return base.none()
    if is_network_viewer(user):
        return base
    memberships = user.memberships.filter(is_active=True)
    return base.filter(
        Q(operator_id__in=memberships.exclude(operator=None).values("operator_id"))
        | Q(sites__in=memberships.exclude(site=None).values("site_id"))
    ).distinct()


def get_authorisation_for_user(
    user: User | AnonymousUser, public_id: uuid.UUID | str
) -> Authorisation:
    """The authorisation if the user sees it; 404 otherwise, whether it exists or not."""
    try:
        return authorisations_visible_to(user).get(public_id=public_id)
    except (Authorisation.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404("Autorisation introuvable.") from exc
