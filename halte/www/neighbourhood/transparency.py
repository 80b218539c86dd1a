"""The public transparency pages: what each site of the network is and does, its hours now and its
figures month by month, for anyone, without signing in; and the network's list of them.

A site has a public page exactly when the network publishes it
(``halte.network.publication.published_sites``: operational, chosen by its manager on the registry,
not an outreach team), the same rule as the public orientation pages and the open data: any other
site (a project, a suspended, abandoned or closed site, one not chosen) answers 404 as if it did
not exist. Figures are masked as for the most masked audience (``halte.reports.public``). Reads
are throttled per address."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from halte.core.timeutils import local_today, now
from halte.network.enums import Weekday
from halte.network.hours import open_state, weekly_table
from halte.network.models import Site
from halte.network.publication import published_sites
from halte.network.selectors import site_exceptions, site_spans
from halte.reports import public
from halte.www.throttle import public_rate_limit


def public_sites() -> QuerySet[Site]:
    """The sites the public pages show, by name, with what their pages read."""
    return published_sites().select_related("surroundings")


def get_public_site(public_id: uuid.UUID | str) -> Site:
    """A public site; 404 for any other (a project, an abandoned site, an unknown id)."""
    try:
        return public_sites().get(public_id=public_id)
    except (Site.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404(_("Site introuvable.")) from exc


@login_not_required
@require_safe
@public_rate_limit("read", methods=("GET", "HEAD"))
def network(request: HttpRequest) -> HttpResponse:
    """The public list of the network's sites, each with whether it is open now."""
    moment = now()
    rows = [
        (site, open_state(moment, site_spans(site), site_exceptions(site)))
        for site in public_sites()
    ]
    return render(request, "neighbourhood/public_network.html", {"rows": rows})


def surroundings_context(site: Site) -> dict[str, object]:
    """What the public page shows of the site's surroundings (none until the coordinator sets
    them): see ``halte.www.neighbourhood.board``."""
    from halte.www.neighbourhood.board import public_surroundings

    return public_surroundings(site)


@login_not_required
@require_safe
@public_rate_limit("read", methods=("GET", "HEAD"))
def site_page(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """One site for the public: what it is and does, its hours now, its figures month by month."""
    site = get_public_site(site_id)
    today = local_today()
    table = weekly_table(site_spans(site), today)
    context: dict[str, object] = {
        "site": site,
        "state": open_state(now(), site_spans(site), site_exceptions(site)),
        "week": [(str(Weekday(d).label), table[d]) for d in range(7)],
        "services": sorted(str(s.get_service_display()) for s in site.services.all()),
        "activity": public.site_activity(site, today=today),
        "exceptions": [e for e in site.hours_exceptions.all() if e.date >= today][:5],
    }
    context |= surroundings_context(site)
    return render(request, "neighbourhood/public_site.html", context)
