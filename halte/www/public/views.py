"""The public orientation pages: no login, light, phone first. The places open now and later today,
nearest first from a place typed or the phone's position (used to compute, never stored or
logged), and the network's published places. Only what sites chose to publish
(halte.network.publication)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from halte.core.timeutils import local_today, now
from halte.network.enums import Weekday
from halte.network.hours import weekly_table
from halte.network.publication import (
    Facet,
    RoomLevel,
    closed_today,
    facets,
    published_sites,
    todays_exception,
)
from halte.network.selectors import site_open_state, site_spans
from halte.outreach.lookup import where_candidates
from halte.www.public import languages
from halte.www.public.forms import WhereForm
from halte.www.public.places import public_places
from halte.www.throttle import public_rate_limit


def _context(request: HttpRequest, code: str, **extra: Any) -> dict[str, Any]:
    return {
        "lang": code,
        "rtl": code in languages.RTL,
        "languages": languages.PUBLIC_LANGUAGES,
        "facet_labels": {f.value: f.label for f in Facet},
        "room_labels": {r.value: r.label for r in RoomLevel},
        **extra,
    }


def _understood(form: WhereForm) -> tuple[float, float, str] | None:
    """The point asked: the phone's position, or the best reading of the typed place."""
    data = form.cleaned_data
    if data.get("lat") is not None and data.get("lon") is not None:
        return data["lon"], data["lat"], _("votre position")
    found = where_candidates(AnonymousUser(), data.get("lieu") or "", limit=1)
    if not found:
        form.add_error(
            "lieu", _("Ce lieu est introuvable. Essayez une station de métro ou une adresse.")
        )
        return None
    return found[0].lon, found[0].lat, found[0].label


@login_not_required
@public_rate_limit("read", methods=("GET", "POST"))
@require_http_methods(["GET", "HEAD", "POST"])
def orientation(request: HttpRequest) -> HttpResponse:
    """Where can I go now? Sent as a POST so that a position never appears in an address (nor in
    the server's access logs)."""
    code = languages.activate(request)
    form = WhereForm(request.POST if request.method == "POST" else None)
    point = None
    if form.is_bound and form.is_valid():
        point = _understood(form)
    lon, lat, understood = point if point else (None, None, None)
    open_now, later = public_places(lon=lon, lat=lat)
    return render(
        request,
        "public/orientation.html",
        _context(
            request,
            code,
            form=form,
            understood=understood,
            open_now=open_now,
            later=later,
            closed=closed_today(),
        ),
    )


@login_not_required
@public_rate_limit("read", methods=("GET",))
@require_safe
def network(request: HttpRequest) -> HttpResponse:
    """Every published place: what it offers, its week, today's change. Nothing internal."""
    code = languages.activate(request)
    moment, today = now(), local_today()
    rows = []
    for site in published_sites():
        table = weekly_table(site_spans(site), today)
        changed, closed = todays_exception(site, today)
        rows.append(
            {
                "site": site,
                "state": site_open_state(site, moment),
                "facets": facets(site),
                "week": [(Weekday(d).label, table[d]) for d in range(7)],
                "changed_today": changed,
                "closed_today": closed,
            }
        )
    return render(request, "public/network.html", _context(request, code, rows=rows))


SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "public" / "sw.js"


@login_not_required
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The public pages' service worker, served under /orientation/ so that its scope covers them
    (offline, the last list seen is shown)."""
    response = HttpResponse(
        SERVICE_WORKER.read_text(encoding="utf-8"), content_type="text/javascript"
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/orientation/"
    return response
