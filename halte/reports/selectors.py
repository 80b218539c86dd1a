"""Reads for the reports: which sites and authorisations a user may report on, and the scope of a
request (a site, an authorisation's places, or the network).

A site the user may not see answers 404, as everywhere in Halte; the network's reports refused to
site staff answer 403 (the network is not an object whose existence could leak)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.enums import PROJECT_STATUSES
from halte.network.models import Authorisation, Site
from halte.network.selectors import authorisations_visible_to
from halte.reports.indicators import Scope
from halte.reports.periods import check_masked_period
from halte.reports.permissions import (
    can_see_authorisation_reports,
    can_see_network_reports,
    report_site_filter,
)

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


@dataclass(frozen=True)
class AuthorisationScope(Scope):
    """The places of an authorisation: people are counted once across them, as for the network;
    ``finess`` names the files."""

    finess: str = ""


def report_authorisations_for_user(
    user: User | AnonymousUser, *, network: bool | None = None
) -> list[Authorisation]:
    """The authorisations whose reports this user sees, by label (``network``: whether the user
    sees the network's reports, when the caller already knows; one query then)."""
    if network is None:
        network = can_see_network_reports(user)
    if network:
        return list(Authorisation.objects.select_related("operator").order_by("label"))
    candidates = authorisations_visible_to(user).order_by("label")
    return [a for a in candidates if can_see_authorisation_reports(user, a)]


def authorisation_scope(
    user: User | AnonymousUser, finess: str, start: dt.date, end: dt.date
) -> AuthorisationScope:
    """The scope of an authorisation's report: 422 when no authorisation has this number, when it
    covers no place or is not in force on any day of the period; 403 when the user may not read
    it (``can_see_authorisation_reports``)."""
    authorisation = (
        Authorisation.objects.filter(finess=finess.strip().upper())
        .prefetch_related("sites")
        .first()
    )
    if authorisation is None:
        raise DomainError(
            _("Aucune autorisation n'a ce n° FINESS : %(finess)s.") % {"finess": finess},
            field="authorisation",
        )
    if not can_see_authorisation_reports(user, authorisation):
        raise PermissionDenied(
            _(
                "Les rapports d'une autorisation sont réservés aux rôles du réseau et à qui "
                "dirige chacun de ses lieux."
            )
        )
    if not authorisation.in_force_during(start, end):
        raise DomainError(
            _("Cette autorisation n'est en vigueur à aucun jour de la période."),
            field="authorisation",
        )
    ids = tuple(sorted(site.pk for site in authorisation.sites.all()))
    if not ids:
        raise DomainError(_("Cette autorisation ne couvre aucun lieu."), field="authorisation")
    label = _("%(label)s (FINESS %(finess)s)") % {
        "label": authorisation.label,
        "finess": authorisation.finess,
    }
    return AuthorisationScope(ids, start, end, label=label, finess=authorisation.finess)


def report_scope(
    user: User | AnonymousUser,
    *,
    site_id: uuid.UUID | str | None,
    network: bool,
    start: dt.date,
    end: dt.date,
    masked: bool,
    authorisation: str | None = None,
) -> Scope:
    """The scope a user asks for: one site (404 if not theirs), one authorisation by its FINESS
    number (``authorisation_scope``) or the network (403 unless a network role), over a checked
    period (a fixed one when the figures are ``masked``)."""
    check_period(start, end, masked=masked)
    if authorisation:
        if network or site_id is not None:
            raise DomainError(
                _("Choisissez un site, une autorisation ou le réseau entier, pas plusieurs."),
                field="authorisation",
            )
        return authorisation_scope(user, authorisation, start, end)
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
