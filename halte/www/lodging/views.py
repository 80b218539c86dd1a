"""Accommodation screens: the beds of a site, stays, the waiting list, and the night view."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from halte.clients.models import Client
from halte.clients.selectors import find_client_by_code
from halte.lodging.selectors import (
    get_bed_for_user,
    get_lodging_site_for_user,
    get_stay_for_user,
    get_waiting_for_user,
    lodging_sites_for_user,
    night_view,
    nightly_occupancy,
    stays_visible_to,
    waiting_list,
    waiting_rows,
)
from halte.lodging.services import stay_create, stay_end, stay_renew, waiting_add, waiting_withdraw
from halte.network.models import Site
from halte.www.lodging.forms import EndForm, RenewForm, StayForm, WaitingForm
from halte.www.shortcuts import reported, staff


def _back(site: Site) -> HttpResponse:
    return redirect("lodging:site", site_id=site.public_id)


def _client_by_code(request: HttpRequest, code: str) -> Client | None:
    client = find_client_by_code(request.user, code)
    if client is None:
        messages.error(
            request, _("Aucune personne avec ce code : inscrivez-la d'abord à l'accueil.")
        )
    return client


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The sites with beds where the user works; straight to the only one."""
    sites = list(lodging_sites_for_user(request.user))
    if len(sites) == 1:
        return redirect("lodging:site", site_id=sites[0].public_id)
    return render(request, "lodging/home.html", {"sites": sites})


@require_safe
def site_beds(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """Beds tonight, open stays, the waiting list and the last two weeks of occupancy."""
    site = get_lodging_site_for_user(request.user, site_id)
    view = night_view(site)
    night = view.night
    free_beds = [s.bed for s in view.board if s.stay is None]
    return render(
        request,
        "lodging/site.html",
        {
            "site": site,
            "view": view,
            "free_beds": free_beds,
            "open_stays": stays_visible_to(request.user)
            .filter(bed__site=site, exit_date__isnull=True)
            .order_by("bed__number"),
            # The whole list, each person to be given a bed or withdrawn (the night board shows
            # its head).
            "waiting": waiting_rows(request.user, list(waiting_list(site)), free_beds),
            "occupancy": nightly_occupancy(site, night - dt.timedelta(days=13), night),
            "stay_form": StayForm(initial={"entry_date": night}),
            "end_form": EndForm(),
            "renew_form": RenewForm(),
            "waiting_form": WaitingForm(),
        },
    )


@require_safe
def night(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """The night team's screen: refreshes itself every minute."""
    site = get_lodging_site_for_user(request.user, site_id)
    template = "lodging/_night.html" if request.GET.get("partial") else "lodging/night.html"
    view = night_view(site)
    free_beds = [s.bed for s in view.board if s.stay is None]
    waiting = waiting_rows(request.user, view.waiting_head, free_beds)
    return render(request, template, {"site": site, "view": view, "waiting": waiting})


@require_POST
def stay_new(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    site = get_lodging_site_for_user(request.user, site_id)
    form = StayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Séjour non enregistré : vérifiez le code, le lit et les dates."))
        return _back(site)
    data = form.cleaned_data
    client = _client_by_code(request, data["code"])
    if client is None:
        return _back(site)
    bed = get_bed_for_user(request.user, data["bed"])
    entry = (
        get_waiting_for_user(request.user, data["waiting_entry"]) if data["waiting_entry"] else None
    )
    with reported(request):
        stay = stay_create(
            actor=staff(request),
            bed=bed,
            client=client,
            entry_date=data["entry_date"],
            planned_exit_date=data["planned_exit_date"],
            waiting_entry=entry,
        )
        messages.success(request, _("Lit %(bed)s attribué.") % {"bed": stay.bed.label})
    return _back(site)


@require_POST
def stay_close(request: HttpRequest, stay_id: uuid.UUID) -> HttpResponse:
    stay = get_stay_for_user(request.user, stay_id)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez le motif de sortie."))
        return _back(stay.bed.site)
    done = _("Sortie enregistrée ; le lit %(bed)s est libéré.") % {"bed": stay.bed.label}
    with reported(request, done):
        stay_end(actor=staff(request), stay=stay, **form.cleaned_data)
    return _back(stay.bed.site)


@require_POST
def stay_extend(request: HttpRequest, stay_id: uuid.UUID) -> HttpResponse:
    stay = get_stay_for_user(request.user, stay_id)
    form = RenewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez la nouvelle date de sortie prévue."))
        return _back(stay.bed.site)
    with reported(request, _("Séjour renouvelé.")):
        stay_renew(actor=staff(request), stay=stay, **form.cleaned_data)
    return _back(stay.bed.site)


@require_POST
def waiting_new(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    site = get_lodging_site_for_user(request.user, site_id)
    form = WaitingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Demande non enregistrée : vérifiez le code."))
        return _back(site)
    client = _client_by_code(request, form.cleaned_data["code"])
    if client is None:
        return _back(site)
    with reported(request, _("Ajouté·e à la liste d'attente.")):
        waiting_add(
            actor=staff(request),
            site=site,
            client=client,
            priorities=form.cleaned_data["priorities"],
        )
    return _back(site)


@require_POST
def waiting_remove(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    entry = get_waiting_for_user(request.user, entry_id)
    with reported(request):
        waiting_withdraw(actor=staff(request), entry=entry)
    return _back(entry.site)
