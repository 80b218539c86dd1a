"""Front desk and consumption room screens: fast, one tap per action, every action a plain POST."""

from __future__ import annotations

import base64
import io
import uuid
from typing import Any, cast

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from halte.accounts.models import User
from halte.accounts.permissions import can_ban, can_record_at, client_site_ids
from halte.clients.models import Ban, Client
from halte.clients.selectors import bans_visible_to, find_client_by_code, get_client_for_user
from halte.clients.services import ban_create, ban_lift, client_read_record, client_register
from halte.consumption.models import Booth, Incident, Session
from halte.consumption.selectors import booth_board
from halte.consumption.services import incident_record, session_end, session_start
from halte.core.errors import DomainError
from halte.core.timeutils import local_today, now
from halte.network.models import Site
from halte.network.selectors import get_site_for_user, site_open_state
from halte.visits.selectors import get_visit_for_user, open_visits, visits_visible_to
from halte.visits.services import visit_close, visit_open
from halte.www.frontdesk_forms import (
    BanForm,
    CheckInForm,
    CodeSearchForm,
    IncidentForm,
    RegisterForm,
    SessionForm,
)


def _staff(request: HttpRequest) -> User:
    return cast("User", request.user)


def _desk_site(request: HttpRequest, site_id: uuid.UUID) -> Site:
    site = get_site_for_user(request.user, site_id)
    if not can_record_at(request.user, site):
        raise Http404(_("Site introuvable."))
    return site


def _present(site: Site) -> list[dict[str, Any]]:
    moment = now()
    rows = []
    for visit in open_visits(site):
        sessions = list(visit.sessions.all())
        rows.append(
            {
                "visit": visit,
                "minutes": int((moment - visit.arrived_at).total_seconds() // 60),
                "session": sessions[0] if sessions else None,
            }
        )
    return rows


@login_required
@require_safe
def reception(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """The reception board: find or register someone, check in, who is in and for how long."""
    site = _desk_site(request, site_id)
    search = CodeSearchForm(request.GET or None)
    found: Client | None = None
    searched = False
    if search.is_bound and search.is_valid():
        searched = True
        found = find_client_by_code(request.user, search.cleaned_data["code"])
        if found is not None:
            client_read_record(actor=_staff(request), client=found, what="lookup", site=site)
    present = _present(site)
    context = {
        "site": site,
        "state": site_open_state(site),
        "present": present,
        "occupancy": len(present),
        "search": search,
        "found": found,
        "searched": searched,
        "register": RegisterForm(),
        "checkin": CheckInForm(),
    }
    template = (
        "frontdesk/_present.html"
        if request.GET.get("partial") == "present"
        else "frontdesk/reception.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def register(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """Register from the few identity letters; the inputs are dropped, never shown back."""
    site = _desk_site(request, site_id)
    form = RegisterForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Inscription impossible : vérifiez les champs (rien n'a été enregistré).")
        )
        return redirect("www:reception", site_id=site.public_id)
    try:
        client, created = client_register(actor=_staff(request), site=site, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("www:reception", site_id=site.public_id)
    note = (
        _("Nouvelle personne inscrite : %(code)s")
        if created
        else _("Déjà inscrite dans le réseau : %(code)s")
    )
    messages.success(request, note % {"code": client.display_code})
    return redirect(f"{_reception_url(site)}?code={client.code}")


def _reception_url(site: Site) -> str:
    from django.urls import reverse

    return reverse("www:reception", kwargs={"site_id": site.public_id})


@login_required
@require_POST
def check_in(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """Check in the person found by code, or count an anonymous contact."""
    site = _desk_site(request, site_id)
    form = CheckInForm(request.POST)
    purposes = form.cleaned_data["purposes"] if form.is_valid() else []
    client = None
    if request.POST.get("client"):
        client = get_client_for_user(request.user, request.POST["client"])
    try:
        visit_open(actor=_staff(request), site=site, client=client, purposes=purposes)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        who = client.nickname or client.display_code if client else _("Contact anonyme")
        messages.success(request, _("Arrivée enregistrée : %(who)s.") % {"who": who})
    return redirect("www:reception", site_id=site.public_id)


@login_required
@require_POST
def check_out(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = get_visit_for_user(request.user, visit_id)
    try:
        visit_close(actor=_staff(request), visit=visit)
    except DomainError as exc:
        messages.error(request, exc.message)
    target = request.POST.get("next") == "room"
    return redirect("www:room" if target else "www:reception", site_id=visit.site.public_id)


@login_required
@require_safe
def room(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """The consumption room: booths free or busy, start and end, incidents."""
    site = _desk_site(request, site_id)
    present = _present(site)
    context = {
        "site": site,
        "state": site_open_state(site),
        "board": booth_board(site),
        "waiting": [row for row in present if row["session"] is None and row["visit"].client_id],
        "running": Session.objects.filter(booth__site=site, ended_at__isnull=True).select_related(
            "booth", "visit__client"
        ),
        "session_form": SessionForm(),
        "incident_form": IncidentForm(),
        "routes": site.allowed_routes(),
    }
    template = (
        "frontdesk/_booths.html"
        if request.GET.get("partial") == "booths"
        else "frontdesk/room.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def start_session(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    site = _desk_site(request, site_id)
    form = SessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez la personne, la voie et le produit."))
        return redirect("www:room", site_id=site.public_id)
    data = form.cleaned_data
    visit = get_visit_for_user(request.user, data["visit"])
    booth = None
    if data["booth"]:
        booth = Booth.objects.filter(
            site=site, label=data["booth"].strip().upper(), is_active=True
        ).first()
        if booth is None:
            messages.error(request, _("Ce poste n'existe pas sur ce site."))
            return redirect("www:room", site_id=site.public_id)
    try:
        session = session_start(
            actor=_staff(request),
            visit=visit,
            route=data["route"],
            product=data["product"],
            booth=booth,
            adult_confirmed=data["adult_confirmed"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Consommation commencée au poste %(b)s.") % {"b": session.booth.label}
        )
    return redirect("www:room", site_id=site.public_id)


@login_required
@require_POST
def end_session(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = (
        Session.objects.filter(public_id=session_id, visit__in=visits_visible_to(request.user))
        .select_related("booth__site")
        .first()
    )
    if session is None:
        raise Http404
    try:
        session_end(actor=_staff(request), session=session)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("www:room", site_id=session.booth.site.public_id)


@login_required
@require_POST
def record_incident(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    site = _desk_site(request, site_id)
    form = IncidentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Incident non enregistré : choisissez le type et l'issue."))
        return redirect("www:room", site_id=site.public_id)
    data = dict(form.cleaned_data)
    session_id = data.pop("session")
    session = None
    if session_id:
        session = (
            Session.objects.filter(public_id=session_id, booth__site=site)
            .select_related("visit")
            .first()
        )
    try:
        incident_record(actor=_staff(request), site=site, session=session, **data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Incident enregistré."))
    return redirect("www:room", site_id=site.public_id)


def _qr_data_uri(text: str) -> str:
    # A whole SVG document, with its namespace: an <img> shows nothing of an SVG without one
    # (segno's svg_inline is meant for pasting into HTML, where the page gives the namespace).
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=6, border=4, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def client_page(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """A person's page: visits, sessions and incidents on the sites the user works at; bans."""
    client = get_client_for_user(request.user, client_id)
    sites = client_site_ids(request.user)
    home = Site.objects.filter(pk__in=sites).order_by("name").first()
    ban_form = BanForm(request.POST or None, initial={"starts_on": local_today()})
    if request.method == "POST":
        _ban_from_form(request, client, ban_form, home)
        return redirect("www:client", client_id=client.public_id)
    visits = (
        client.visits.filter(site_id__in=sites).select_related("site").order_by("-arrived_at")[:100]
    )
    return render(
        request,
        "frontdesk/client.html",
        {
            "client": client,
            "visits": visits,
            "sessions": Session.objects.filter(visit__client=client, visit__site_id__in=sites)
            .select_related("booth", "visit__site")
            .order_by("-started_at")[:100],
            "incidents": Incident.objects.filter(client=client, site_id__in=sites)
            .select_related("site")
            .order_by("-occurred_at")[:50],
            "bans": bans_visible_to(request.user, client),
            "ban_form": ban_form,
            "can_ban": home is not None and can_ban(request.user, home),
            "home": home,
        },
    )


def _ban_from_form(request: HttpRequest, client: Client, form: BanForm, home: Site | None) -> None:
    if home is None or not form.is_valid():
        messages.error(request, _("Exclusion non enregistrée : vérifiez les dates."))
        return
    data = form.cleaned_data
    try:
        ban_create(
            actor=_staff(request),
            client=client,
            site=None if data["scope"] == "network" else home,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            reason=data["reason"],
        )
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        messages.success(request, _("Exclusion enregistrée."))


@login_required
@require_POST
def lift_ban(request: HttpRequest, client_id: uuid.UUID, ban_id: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_id)
    ban = bans_visible_to(request.user, client).filter(pk=ban_id).first()
    if not isinstance(ban, Ban):
        raise Http404
    try:
        ban_lift(actor=_staff(request), ban=ban)
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("www:client", client_id=client.public_id)


@login_required
@require_safe
def client_card(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """A card to print: the code in letters and as a QR code. Nothing else about the person."""
    client = get_client_for_user(request.user, client_id)
    client_read_record(actor=_staff(request), client=client, what="card")
    return render(
        request,
        "frontdesk/card.html",
        {"client": client, "qr": _qr_data_uri(client.code)},
    )
