"""Street work without a network: the outreach app installed on a phone and kept working offline.

- ``/rue/sw.js``: the service worker (scope ``/rue/``). It keeps the app shell (``/rue/terrain/``)
  and its static files in a cache named after :func:`offline_version`; any byte of them that
  changes changes the version, hence ``sw.js``, which browsers check at each visit (it is served
  with ``Cache-Control: no-cache``): the new worker installs, takes over, and drops the old cache.
- ``/rue/manifest.webmanifest``: what makes the app installable on the home screen.
- ``/rue/terrain/``: the app shell; ``/rue/terrain/donnees.json``: the reference data the phone
  keeps (teams, current rounds, gathering places, the places' openings for the week, the team's
  recent codes), never cached by the service worker (the page keeps it in IndexedDB, and drops
  the codes after ``OFFLINE_CODES_TTL``).
- the logout answer carries ``Clear-Site-Data``: the phone forgets everything at logout.

Nothing about a person is in the shell or the data beyond the codes (no name, no birth date).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from halte.care.catalogue import active_items
from halte.core.timeutils import now, paris_date, paris_instant
from halte.neighbourhood.enums import PickupItem, PlaceKind
from halte.network.enums import SiteKind, SiteStatus
from halte.network.hours import intervals_on
from halte.network.models import Site
from halte.network.selectors import site_exceptions, site_spans, sites_visible_to
from halte.outreach.enums import Need, Zone
from halte.outreach.orientation import (
    TONIGHT_FROM,
    TONIGHT_UNTIL,
    WALKING_KMH,
    needs_offered,
)
from halte.outreach.selectors import current_round, gathering_places, recent_codes, teams_for_user
from halte.www.outreach.forms import ContactForm, WhereForm

# Bump when the service worker's behaviour changes in a way the files' hash does not show.
OFFLINE_SCHEMA = 1
# A phone forgets the team's codes this long after it fetched them (a working night; the same as
# a session), and at logout.
OFFLINE_CODES_TTL = dt.timedelta(hours=12)
# The places' openings kept on the phone: from yesterday to a week ahead.
OPENINGS_DAYS = 7
# What the service worker keeps for the app to start offline (static paths).
SHELL_ASSETS = (
    "www/halte.css",
    "www/favicon.svg",
    "outreach/outreach.css",
    "outreach/field.css",
    "outreach/outbox.js",
    "outreach/register.js",
    "outreach/field.js",
    "outreach/icon.svg",
    "outreach/icon-192.png",
    "outreach/icon-512.png",
    "geo/arrondissements_paris.geojson",
    "geo/communes_mgp.geojson",
)
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "outreach"
CLEAR_SITE_DATA = '"cache", "storage"'


@lru_cache(maxsize=1)
def offline_version() -> str:
    """A short hash of the schema number, the shell's template, the worker's template and the
    cached static files: any change reaches the phones as a new service worker."""
    parts = [str(OFFLINE_SCHEMA).encode()]
    parts += [
        (TEMPLATES / template).read_bytes() for template in ("sw.js", "field.html", "_choices.html")
    ]
    for asset in SHELL_ASSETS:
        found = finders.find(asset)
        if isinstance(found, str):
            parts.append(Path(found).read_bytes())
    return f"{OFFLINE_SCHEMA}-{hashlib.sha256(b''.join(parts)).hexdigest()[:12]}"


def _shell_urls() -> list[str]:
    return [reverse("outreach:field")] + [static(asset) for asset in SHELL_ASSETS]


@login_not_required
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker's script: no secret in it, so it is served to anyone (the browser
    checks it for updates even when the session has ended)."""
    config = {
        "version": offline_version(),
        "shell": reverse("outreach:field"),
        "precache": _shell_urls(),
        "scope": reverse("outreach:home"),
        "static": static(""),
    }
    response = render(
        request,
        "outreach/sw.js",
        {"config": json.dumps(config)},
        content_type="application/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest (fetched by browsers without the session cookie)."""
    body = {
        "name": _("Halte · Maraude"),
        "short_name": _("Maraude"),
        "description": _("Le travail de rue, même sans réseau."),
        "lang": "fr",
        "start_url": reverse("outreach:field"),
        "scope": reverse("outreach:home"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#14324f",
        "icons": [
            {"src": static("outreach/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("outreach/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("outreach/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def field(request: HttpRequest) -> HttpResponse:
    """The app shell: every screen of the street work, filled and run by ``field.js`` from the
    data the phone keeps. The same for every visit of the user: the service worker caches it."""
    return render(
        request,
        "outreach/field.html",
        {
            "zones": Zone.choices,
            # The screens' own forms, for their choices: the same fields online and offline.
            "contact": ContactForm(auto_id="field-contact-%s"),
            "where": WhereForm(auto_id="field-where-%s", initial={"need": Need.values[0]}),
            "items": [(i.code, i.label) for i in active_items() if not i.collected],
            "pickup_items": PickupItem.choices,
            "place_kinds": PlaceKind.choices,
            "texts": _texts(),
            "version": offline_version(),
        },
    )


def _texts() -> dict[str, str]:
    """What ``field.js`` writes on the screen, translated here ({n}, {m}, {t}, {d}: numbers and
    times filled by the script)."""
    return {
        "online": _("En ligne"),
        "offline": _("Hors ligne"),
        "pending": _("{n} en attente d'envoi"),
        "never": _("jamais (connectez-vous une fois au réseau)"),
        "all_sent": _("Tout est envoyé."),
        "refused_some": _("{n} refusé(s) par le serveur : à corriger ou abandonner ci-dessus."),
        "sending": _("Envoi en cours…"),
        "session": _("Session expirée : reconnectez-vous pour envoyer (rien n'est perdu)."),
        "server_down": _("Le serveur ne répond pas : nouvel essai au retour du réseau."),
        "kept": _("Enregistré sur le téléphone : sera envoyé au retour du réseau."),
        "code_known": _("Personne connue de l'équipe."),
        "code_unknown": _("Code inconnu sur ce téléphone : il sera vérifié à l'envoi."),
        "code_invalid": _("Code incomplet : 12 caractères."),
        "round_start": _("Début de maraude"),
        "round_end": _("Fin de maraude"),
        "contact": _("Rencontre (code {code})"),
        "contact_anonymous": _("Rencontre anonyme"),
        "head_count": _("Comptage : {n}"),
        "pickup": _("Ramassage : {n}"),
        "alert_ack": _("Alerte lue"),
        "alert_read": _("Lu"),
        "alert_until": _("En vigueur jusqu'au {t}"),
        "reason": _("Raison du refus :"),
        "correct": _("Corriger et renvoyer"),
        "resend": _("Renvoyer"),
        "drop": _("Abandonner"),
        "drop_confirm": _("Abandonner cet envoi ? Il ne sera jamais enregistré."),
        "make_anonymous": _("Contact anonyme"),
        "code_label": _("Code"),
        "count_label": _("Personnes comptées"),
        "end_confirm": _("Terminer la maraude ?"),
        "logout_confirm": _(
            "{n} envoi(s) en attente seront effacés si vous vous déconnectez. "
            "Se déconnecter quand même ?"
        ),
        "no_data": _("Pas encore de données sur ce téléphone : connectez-vous une fois au réseau."),
        "no_position": _("Choisissez un lieu ou utilisez votre position."),
        "route_needed": _("Choisissez la voie de consommation."),
        "your_position": _("Ma position"),
        "walk": _("{m} min à pied · {d}"),
        "open_until": _("Ouvert jusqu'à {t}"),
        "opens_at": _("Ouvre à {t}"),
        "open": _("Ouvert"),
        "beyond": _("Plus loin que les {m} min choisies"),
        "found": _("{n} lieu(x) possible(s) à moins de {m} min à pied"),
        "nothing": _("Aucun lieu ouvert qui accueille cette personne à moins de {m} min à pied."),
        "nearest": _("Le plus proche, plus loin"),
        "go": _("Y aller"),
        "room_unknown": _("Places libres et exclusions : non vérifiées hors ligne."),
    }


def _openings(site: Site, start: dt.date) -> list[list[Any]]:
    spans, exceptions = site_spans(site), {e.date: e for e in site_exceptions(site)}
    rows = []
    for offset in range(-1, OPENINGS_DAYS + 1):
        for interval in intervals_on(start + dt.timedelta(days=offset), spans, exceptions):
            rows.append([interval.start.isoformat(), interval.end.isoformat(), interval.women_only])
    return rows


def _site_row(site: Site, today: dt.date) -> dict[str, Any]:
    return {
        "id": str(site.public_id),
        "name": site.name,
        "address": site.address,
        "area": site.area_name,
        "lon": float(site.lon or 0),
        "lat": float(site.lat or 0),
        "women_only": site.admits_women_only,
        "adults_only": site.adults_only,
        "offers": needs_offered(site),
        "openings": _openings(site, today),
    }


@require_safe
def field_data(request: HttpRequest) -> JsonResponse:
    """What the phone keeps to work offline. Never stored by the service worker; the page keeps
    it in IndexedDB. The codes are the only thing about people in it (codes only)."""
    moment = now()
    today = paris_date(moment)
    teams = [
        {
            "id": str(team.public_id),
            "name": team.name,
            "round": _round_row(current_round(team)),
        }
        for team in teams_for_user(request.user)
    ]
    sites = (
        sites_visible_to(request.user)
        .filter(status=SiteStatus.OPERATIONAL, lat__isnull=False, lon__isnull=False)
        .exclude(kind=SiteKind.OUTREACH_TEAM)
        .order_by("name")
    )
    body = {
        "version": offline_version(),
        "generated_at": moment.isoformat(),
        "csrf": get_token(request),
        "codes_ttl_seconds": int(OFFLINE_CODES_TTL.total_seconds()),
        "walking_kmh": WALKING_KMH,
        "teams": teams,
        "places": [
            {"id": str(p.public_id), "name": p.name, "lon": p.lon, "lat": p.lat}
            for p in gathering_places(request.user)
        ],
        "sites": [_site_row(site, today) for site in sites],
        "nights": [
            [
                paris_instant(today + dt.timedelta(days=d), TONIGHT_FROM).isoformat(),
                paris_instant(today + dt.timedelta(days=d + 1), TONIGHT_UNTIL).isoformat(),
            ]
            for d in range(-1, OPENINGS_DAYS)
        ],
        "codes": recent_codes(request.user, at=moment) if teams else [],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store, private"
    return response


def _round_row(round_: Any) -> dict[str, Any] | None:
    if round_ is None:
        return None
    label = round_.place.name if round_.place else round_.get_zone_display()
    return {
        "id": str(round_.public_id),
        "label": label,
        "started_at": round_.started_at.isoformat(),
    }


class LogoutView(auth_views.LogoutView):
    """Django's logout, and the browser told to forget this site's caches and storage: the
    outreach app's cached shell, its outbox and the codes kept offline, and the service worker.
    (Browsers honour it over HTTPS and on localhost.)"""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
