"""Front desk and consumption room screens: fast, one tap per action, every action a plain POST."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from halte.accounts.permissions import can_ban, client_site_ids
from halte.clients.codes import swapped_day_month
from halte.clients.models import Ban, Client
from halte.clients.selectors import (
    bans_visible_to,
    find_client_by_code,
    find_client_known_at_site,
    get_client_for_user,
)
from halte.clients.services import (
    ban_create,
    ban_lift,
    client_code,
    client_read_record,
    client_register,
    client_swapped_code,
)
from halte.consumption.models import Booth, Incident, Session
from halte.consumption.room import session_routes
from halte.consumption.selectors import booth_board
from halte.consumption.services import incident_record, session_end, session_start
from halte.core.errors import DomainError
from halte.core.timeutils import local_today, now
from halte.network.models import Site
from halte.network.selectors import site_open_state
from halte.pathway.socialfile import can_keep_social_file
from halte.visits.admission import AdultsOnly, Arrival
from halte.visits.selectors import get_visit_for_user, open_visits, visits_visible_to
from halte.visits.services import visit_close, visit_open
from halte.www.frontdesk.forms import (
    BanForm,
    CheckInForm,
    CodeSearchForm,
    IncidentForm,
    RegisterForm,
    SessionForm,
)
from halte.www.shortcuts import desk_site, refuse, reported, staff


def _present(site: Site) -> list[dict[str, Any]]:
    moment = now()
    rows = []
    # The board shows each session's booth: fetched with the sessions, not once per person.
    for visit in open_visits(site).prefetch_related("sessions__booth"):
        sessions = list(visit.sessions.all())
        rows.append(
            {
                "visit": visit,
                "minutes": int((moment - visit.arrived_at).total_seconds() // 60),
                "session": sessions[0] if sessions else None,
            }
        )
    return rows


def _reception_context(
    request: HttpRequest, site: Site, *, register: RegisterForm | None = None
) -> dict[str, Any]:
    search = CodeSearchForm(request.GET or None)
    found: Client | None = None
    searched = False
    if search.is_bound and search.is_valid():
        searched = True
        found = find_client_by_code(request.user, search.cleaned_data["code"])
        if found is not None:
            client_read_record(actor=staff(request), client=found, what="lookup", site=site)
    present = _present(site)
    return {
        "site": site,
        "state": site_open_state(site),
        "present": present,
        "occupancy": len(present),
        "search": search,
        "found": found,
        "searched": searched,
        "register": register or RegisterForm(),
        "checkin": CheckInForm(),
        "check": None,
    }


@require_safe
def reception(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """The reception board: find or register someone, check in, who is in and for how long."""
    site = desk_site(request, site_id)
    context = _reception_context(request, site)
    template = (
        "frontdesk/_present.html"
        if request.GET.get("partial") == "present"
        else "frontdesk/reception.html"
    )
    return render(request, template, context)


def _as_typed(form: RegisterForm | SessionForm) -> None:
    """Show a refused form back as typed, less any NUL character (refused, never echoed)."""
    data = cast("QueryDict", form.data).copy()
    for key in data:
        data.setlist(key, [value.replace("\x00", "") for value in data.getlist(key)])
    form.data = data


def _register_again(
    request: HttpRequest,
    site: Site,
    form: RegisterForm,
    *,
    check: dict[str, Any] | None = None,
    status: int = 422,
) -> HttpResponse:
    """The reception page again, with the registration form as typed (its errors, or the check to
    confirm). The identity letters live only in this page's form: never in a URL, a log or a
    message, and the page is not kept by the browser's cache."""
    if check is None:
        messages.error(
            request, _("Inscription impossible : vérifiez les champs (rien n'a été enregistré).")
        )
    _as_typed(form)
    context = {**_reception_context(request, site, register=form), "check": check}
    response = render(request, "frontdesk/reception.html", context, status=status)
    patch_cache_control(response, no_store=True)
    return response


def _born_on(day: dt.date) -> str:
    """'né·e le 4 décembre 1990' ('1er' for the first day of a month, as French writes it)."""
    words = date_format(day, "j F Y")
    if day.day == 1 and get_language().startswith("fr"):
        words = "1er" + words[1:]
    return _("né·e le %(date)s") % {"date": words}


def _registration_check(request: HttpRequest, site: Site, data: dict[str, Any]) -> dict[str, Any]:
    """What the worker should confirm before a new person is created: a person known at this site
    whose code is this one with the day and month of birth swapped, and a minor at a site for
    adults only (the door's own rule and words, ``visits.admission.AdultsOnly``)."""
    identity = {k: data[k] for k in ("family_name", "given_name", "birth_date", "sex")}
    swapped_code = client_swapped_code(**identity)
    near = find_client_known_at_site(request.user, site, swapped_code) if swapped_code else None
    swapped = swapped_day_month(data["birth_date"])
    unborn = Client(birth_year=data["birth_date"].year)
    minor = AdultsOnly.refusal(site, unborn, Arrival(at=now(), today=local_today()))
    return {
        "born_on": _born_on(data["birth_date"]),
        "near": near,
        "near_born_on": _born_on(swapped) if near is not None and swapped else "",
        "minor": minor,
    }


@require_POST
def register(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """Register from the few identity letters; the inputs are dropped once the code is made. A new
    code that looks like a slip (a near code known here, a minor at an adults-only site) is
    shown back for confirmation first."""
    site = desk_site(request, site_id)
    form = RegisterForm(request.POST)
    if not form.is_valid():
        return _register_again(request, site, form)
    data = dict(form.cleaned_data)
    confirmed = data.pop("confirm_new")
    try:
        code = client_code(
            **{k: data[k] for k in ("family_name", "given_name", "birth_date", "sex")}
        )
        if not confirmed and find_client_by_code(request.user, code) is None:
            check = _registration_check(request, site, data)
            if check["near"] is not None or check["minor"]:
                return _register_again(request, site, form, check=check, status=200)
        client, created = client_register(actor=staff(request), site=site, **data)
    except DomainError as exc:
        refuse(form, exc)
        return _register_again(request, site, form)
    note = (
        _("Nouvelle personne inscrite : %(code)s")
        if created
        else _("Déjà inscrite dans le réseau : %(code)s")
    )
    messages.success(request, note % {"code": client.display_code})
    return redirect(f"{_reception_url(site)}?code={client.code}")


def _reception_url(site: Site) -> str:
    return reverse("www:reception", kwargs={"site_id": site.public_id})


@require_POST
def check_in(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """Check in the person found by code, or count an anonymous contact."""
    site = desk_site(request, site_id)
    form = CheckInForm(request.POST)
    purposes = form.cleaned_data["purposes"] if form.is_valid() else []
    client = None
    if request.POST.get("client"):
        client = get_client_for_user(request.user, request.POST["client"])
    try:
        visit_open(actor=staff(request), site=site, client=client, purposes=purposes)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        who = client.nickname or client.display_code if client else _("Contact anonyme")
        messages.success(request, _("Arrivée enregistrée : %(who)s.") % {"who": who})
    return redirect("www:reception", site_id=site.public_id)


@require_POST
def check_out(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = get_visit_for_user(request.user, visit_id)
    try:
        visit_close(actor=staff(request), visit=visit)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        who = visit.client.nickname or visit.client.display_code if visit.client else None
        messages.success(
            request,
            _("Départ enregistré : %(who)s.") % {"who": who}
            if who
            else _("Départ enregistré : contact anonyme."),
        )
    target = request.POST.get("next") == "room"
    return redirect("www:room" if target else "www:reception", site_id=visit.site.public_id)


def _room_context(site: Site, *, session_form: SessionForm | None = None) -> dict[str, Any]:
    present = _present(site)
    booth_routes = site.allowed_routes()
    return {
        "site": site,
        "state": site_open_state(site),
        "board": booth_board(site),
        "waiting": [row for row in present if row["session"] is None and row["visit"].client_id],
        "running": Session.objects.filter(booth__site=site, ended_at__isnull=True).select_related(
            "booth", "visit__client"
        ),
        "session_form": session_form or SessionForm(),
        "incident_form": IncidentForm(),
        "routes": session_routes(site),
        # One booth route: chosen for the worker (the oral route beside it stays a choice).
        "default_route": booth_routes[0] if len(booth_routes) == 1 else "",
    }


@require_safe
def room(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """The consumption room: booths free or busy, start and end, incidents."""
    site = desk_site(request, site_id)
    template = (
        "frontdesk/_booths.html"
        if request.GET.get("partial") == "booths"
        else "frontdesk/room.html"
    )
    return render(request, template, _room_context(site))


def _start_refused(
    request: HttpRequest, site: Site, form: SessionForm, message: str
) -> HttpResponse:
    """The room again with the start form as chosen (person, route, product, booth), and why."""
    messages.error(request, message)
    _as_typed(form)
    return render(
        request, "frontdesk/room.html", _room_context(site, session_form=form), status=422
    )


@require_POST
def start_session(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    site = desk_site(request, site_id)
    form = SessionForm(request.POST)
    if not form.is_valid():
        return _start_refused(
            request, site, form, _("Choisissez la personne, la voie et le produit.")
        )
    data = form.cleaned_data
    visit = get_visit_for_user(request.user, data["visit"])
    booth = None
    if data["booth"]:
        booth = Booth.objects.filter(
            site=site, label=data["booth"].strip().upper(), is_active=True
        ).first()
        if booth is None:
            return _start_refused(request, site, form, _("Ce poste n'existe pas sur ce site."))
    try:
        session = session_start(
            actor=staff(request),
            visit=visit,
            route=data["route"],
            product=data["product"],
            other_products=data["other_products"],
            booth=booth,
            adult_confirmed=data["adult_confirmed"],
        )
    except DomainError as exc:
        return _start_refused(request, site, form, exc.message)
    messages.success(
        request, _("Consommation commencée au poste %(b)s.") % {"b": session.booth.label}
    )
    return redirect("www:room", site_id=site.public_id)


@require_POST
def end_session(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = (
        Session.objects.filter(public_id=session_id, visit__in=visits_visible_to(request.user))
        .select_related("booth__site")
        .first()
    )
    if session is None:
        raise Http404
    watch = request.POST.get("watch") == "1"
    try:
        session_end(actor=staff(request), session=session, watch=watch)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Consommation terminée au poste %(b)s ; la personne va en espace de repos.")
            % {"b": session.booth.label}
            if watch
            else _("Consommation terminée au poste %(b)s.") % {"b": session.booth.label},
        )
    return redirect("www:room", site_id=session.booth.site.public_id)


@require_POST
def record_incident(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    site = desk_site(request, site_id)
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
    with reported(request, _("Incident enregistré.")):
        incident_record(actor=staff(request), site=site, session=session, **data)
    return redirect("www:room", site_id=site.public_id)


def _qr_data_uri(text: str) -> str:
    # A whole SVG document, with its namespace: an <img> shows nothing of an SVG without one
    # (segno's svg_inline is meant for pasting into HTML, where the page gives the namespace).
    return str(segno.make(text, error="m").svg_data_uri(scale=6, border=4))


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
            "keeps_social_file": home is not None and can_keep_social_file(request.user, home),
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
            actor=staff(request),
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


@require_POST
def lift_ban(request: HttpRequest, client_id: uuid.UUID, ban_id: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_id)
    ban = bans_visible_to(request.user, client).filter(pk=ban_id).first()
    if not isinstance(ban, Ban):
        raise Http404
    try:
        ban_lift(actor=staff(request), ban=ban)
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("www:client", client_id=client.public_id)


@require_safe
def client_card(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """A card to print: the code in letters and as a QR code. Nothing else about the person."""
    client = get_client_for_user(request.user, client_id)
    client_read_record(actor=staff(request), client=client, what="card")
    return render(
        request,
        "frontdesk/card.html",
        {"client": client, "qr": _qr_data_uri(client.code)},
    )
