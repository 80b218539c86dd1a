"""The door and the queue of a consumption room (issue 16): people turned away, people waiting
for a booth, people watched in the rest area after their session, and the day hour by hour."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from halte.consumption.enums import WaitOutcome
from halte.consumption.room import refusal_record, session_routes, wait_end, wait_start, watch_end
from halte.consumption.selectors import (
    door_day,
    get_session_for_user,
    get_wait_for_user,
    in_watch,
    open_waits,
)
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.network.selectors import site_open_state
from halte.visits.selectors import get_visit_for_user, open_visits
from halte.www.room.forms import RefusalForm, WaitForm
from halte.www.shortcuts import desk_site, refuse, reported, staff


def _door_context(
    site: Site, *, refusal_form: RefusalForm | None = None, wait_form: WaitForm | None = None
) -> dict[str, Any]:
    waits = open_waits(site)
    waiting_ids = {t.item.visit_id for t in waits}
    candidates = [
        v
        for v in open_visits(site)
        if v.client_id and v.pk not in waiting_ids and not v.sessions.all()
    ]
    return {
        "site": site,
        "state": site_open_state(site),
        "refusal_form": refusal_form or RefusalForm(),
        "wait_form": wait_form or WaitForm(),
        "candidates": candidates,
        "waits": waits,
        "watch": in_watch(site),
        "day": door_day(site, local_today()),
        "routes": session_routes(site),
    }


@require_safe
def door(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """Refusals, the queue for a booth, the rest area, and today hour by hour."""
    site = desk_site(request, site_id)
    return render(request, "room/door.html", _door_context(site))


@require_POST
def record_refusal(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    site = desk_site(request, site_id)
    form = RefusalForm(request.POST)
    if form.is_valid():
        try:
            refusal_record(actor=staff(request), site=site, **form.cleaned_data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Refus enregistré."))
            return redirect("www:door", site_id=site.public_id)
    return render(request, "room/door.html", _door_context(site, refusal_form=form), status=422)


@require_POST
def start_wait(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    site = desk_site(request, site_id)
    form = WaitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez la personne et la voie."))
        return render(request, "room/door.html", _door_context(site, wait_form=form), status=422)
    visit = get_visit_for_user(request.user, form.cleaned_data["visit"])
    with reported(request, _("Attente enregistrée.")):
        wait_start(actor=staff(request), visit=visit, route=form.cleaned_data["route"])
    return redirect("www:door", site_id=site.public_id)


@require_POST
def end_wait(request: HttpRequest, wait_id: uuid.UUID) -> HttpResponse:
    """The person left without a booth."""
    wait = get_wait_for_user(request.user, wait_id)
    with reported(request, _("Départ sans consommation enregistré.")):
        wait_end(actor=staff(request), wait=wait, outcome=WaitOutcome.LEFT)
    return redirect("www:door", site_id=wait.site.public_id)


@require_POST
def end_watch(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = get_session_for_user(request.user, session_id)
    with reported(request, _("Sortie de l'espace de repos enregistrée.")):
        watch_end(actor=staff(request), session=session)
    return redirect("www:door", site_id=session.booth.site.public_id)
