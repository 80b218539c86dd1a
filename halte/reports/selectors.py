"""Reads for the reports: which sites a user may report on, and the scope of a request.

A site the user may not see answers 404, as everywhere in Halte; the network's reports refused to
site staff answer 403 (the network is not an object whose existence could leak)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.enums import PROJECT_STATUSES
from halte.network.models import Site
from halte.reports.indicators import Scope
from halte.reports.periods import check_masked_period
from halte.reports.permissions import can_see_network_reports, report_site_filter

MAX_DAYS = 6 * 366
EARLIEST = dt.date(2000, 1, 1)


def report_sites_for_user(user: User | AnonymousUser) -> QuerySet[Site]:
    """Sites with activity (not projects) whose reports this user sees, by name."""
    sites = Site.objects.exclude(status__in=PROJECT_STATUSES).order_by("name")
    rule = report_site_filter(user)
    return sites if rule is None else sites.filter(rule)


def get_report_site(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Site:
    """The site if the user sees its reports; 404 otherwise, whether it exists or not."""
    try:
        return report_sites_for_user(user).get(public_id=public_id)
    except (Site.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404(_("Site introuvable.")) from exc


def check_period(start: dt.date, end: dt.date, *, masked: bool = False) -> None:
    """A period is a start and an end, in order, over at most six years, not in the future; for
    masked figures, a whole month, quarter or year that is over (``halte.reports.periods``)."""
    if end < start:
        raise DomainError(_("La fin de la période précède son début."), field="end")
    if start < EARLIEST:
        raise DomainError(_("La période commence avant 2000."), field="start")
    if end > local_today() + dt.timedelta(days=366):
        raise DomainError(_("La période finit plus d'un an dans le futur."), field="end")
    if (end - start).days + 1 > MAX_DAYS:
        raise DomainError(_("Une période couvre six ans au plus."), field="end")
    if masked:
        check_masked_period(start, end, today=local_today())


def report_scope(
    user: User | AnonymousUser,
    *,
    site_id: uuid.UUID | str | None,
    network: bool,
    start: dt.date,
    end: dt.date,
    masked: bool,
) -> Scope:
    """The scope a user asks for: one site (404 if not theirs) or the network (403 unless a
    network role), over a checked period (a fixed one when the figures are ``masked``)."""
    check_period(start, end, masked=masked)
    if network == (site_id is not None):
        raise DomainError(_("Choisissez un site ou le réseau entier."), field="site")
    if network:
        if not can_see_network_reports(user):
            raise PermissionDenied(_("Les rapports du réseau sont réservés aux rôles du réseau."))
        ids = tuple(report_sites_for_user(user).values_list("pk", flat=True))
        return Scope(ids, start, end, network=True, label=_("Réseau entier"))
    assert site_id is not None
    site = get_report_site(user, site_id)
    return Scope((site.pk,), start, end, network=False, label=site.name)


def site_scope(site: Site, start: dt.date, end: dt.date) -> Scope:
    return Scope((site.pk,), start, end, label=site.name)
