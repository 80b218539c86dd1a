"""The street screens of the neighbourhood: the home of the "Quartier" tab, a pick-up or mediation
round on a phone (several finds, then what was seen), the list of finds, the pick-up map with its
density layer and the monthly series per area."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.neighbourhood.permissions import (
    can_log_report,
    can_see_street_work,
    can_set_surroundings,
    can_triage_reports,
)
from halte.neighbourhood.selectors import (
    density_grid,
    get_round_for_user,
    get_street_team_for_user,
    monthly_series,
    open_decisions,
    open_rounds,
    pickups_visible_to,
    reports_open_count,
    rounds_visible_to,
    street_teams_for_user,
)
from halte.neighbourhood.services import pickup_record, round_end, round_start
from halte.network.selectors import sites_visible_to
from halte.www.neighbourhood.forms import PickupForm, RoundEndForm, RoundStartForm
from halte.www.shortcuts import refuse, reported, staff

MAP_POINTS = 400
SERIES_MONTHS = 12


def _require_street_reader(request: HttpRequest) -> None:
    if not can_see_street_work(request.user):
        raise PermissionDenied(_("Réservé à l'équipe."))


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The "Quartier" tab: rounds in progress, start one, the reports to handle, decisions due."""
    _require_street_reader(request)
    return render(
        request,
        "neighbourhood/home.html",
        {
            "teams": list(street_teams_for_user(request.user)),
            "open_rounds": open_rounds(request.user),
            "start_form": RoundStartForm(),
            "reports_open": reports_open_count(request.user),
            "decisions": open_decisions(request.user)[:10],
            "today": local_today(),
            "can_log": can_log_report(request.user),
            "can_triage": can_triage_reports(request.user),
            "can_set_surroundings": can_set_surroundings(request.user),
            "sites": list(sites_visible_to(request.user).prefetch_related(None).order_by("name"))
            if can_set_surroundings(request.user)
            else [],
        },
    )


@require_POST
def round_new(request: HttpRequest) -> HttpResponse:
    form = RoundStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tournée non démarrée : choisissez une équipe et un type."))
        return redirect("neighbourhood:home")
    data = form.cleaned_data
    team = get_street_team_for_user(request.user, data["team"])
    try:
        round_ = round_start(
            actor=staff(request), site=team, kind=data["kind"], area_label=data["area_label"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("neighbourhood:home")
    return redirect("neighbourhood:round", round_id=round_.public_id)


def _round_page(
    request: HttpRequest, round_id: uuid.UUID, form: PickupForm | None = None, status: int = 200
) -> HttpResponse:
    round_ = get_round_for_user(request.user, round_id)
    finds = list(round_.pickups.order_by("-found_at"))
    return render(
        request,
        "neighbourhood/round.html",
        {
            "round": round_,
            "finds": finds,
            "total": sum(p.count for p in finds),
            "form": form or PickupForm(),
            "end_form": RoundEndForm(),
        },
        status=status,
    )


@require_safe
def round_page(request: HttpRequest, round_id: uuid.UUID) -> HttpResponse:
    """A round on a phone: add finds quickly, see them, end the round with what was seen."""
    return _round_page(request, round_id)


@require_POST
def pickup_new(request: HttpRequest, round_id: uuid.UUID) -> HttpResponse:
    round_ = get_round_for_user(request.user, round_id)
    form = PickupForm(request.POST)
    if form.is_valid():
        try:
            pickup = pickup_record(
                actor=staff(request), team=round_.site, round_=round_, **form.cleaned_data
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(
                request,
                _("Noté : %(count)s × %(item)s.")
                % {"count": pickup.count, "item": pickup.get_item_display()},
            )
            return redirect("neighbourhood:round", round_id=round_.public_id)
    return _round_page(request, round_id, form, status=422)


@require_POST
def round_close(request: HttpRequest, round_id: uuid.UUID) -> HttpResponse:
    round_ = get_round_for_user(request.user, round_id)
    form = RoundEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tournée non terminée : des nombres de 0 à 500."))
        return redirect("neighbourhood:round", round_id=round_.public_id)
    with reported(request, _("Tournée terminée.")):
        round_end(actor=staff(request), round_=round_, seen=form.cleaned_data)
    return redirect("neighbourhood:round", round_id=round_.public_id)


@require_safe
def rounds(request: HttpRequest) -> HttpResponse:
    """The latest rounds, with their finds and what was seen."""
    _require_street_reader(request)
    latest = list(
        rounds_visible_to(request.user)
        .annotate(finds=Count("pickups"), items=Sum("pickups__count"))
        .order_by("-started_at")[:50]
    )
    return render(request, "neighbourhood/rounds.html", {"rounds": latest})


@require_safe
def pickups(request: HttpRequest) -> HttpResponse:
    """The latest finds, one line each."""
    _require_street_reader(request)
    finds = list(pickups_visible_to(request.user).order_by("-found_at")[:200])
    return render(request, "neighbourhood/pickups.html", {"finds": finds})


def _series_table(
    months: list[dt.date], series: list[Any]
) -> tuple[list[dt.date], list[dict[str, Any]]]:
    shown = months[-SERIES_MONTHS:]
    rows = [
        {
            "name": s.area_name,
            "code": s.area_code,
            "cells": [s.months.get(m, 0) for m in shown],
            "total": sum(s.months.get(m, 0) for m in shown),
        }
        for s in series
    ]
    rows.sort(key=lambda r: -r["total"])
    return shown, rows


@require_safe
def pickup_map(request: HttpRequest) -> HttpResponse:
    """The finds on a map (points and the density per square of 200 m, counted on the server)
    and the items found per month and per arrondissement or commune."""
    _require_street_reader(request)
    since = local_today() - dt.timedelta(days=365)
    finds = pickups_visible_to(request.user).filter(found_at__date__gte=since)
    cells = density_grid(finds)
    points = [
        {"lon": lon, "lat": lat, "count": count, "item": item}
        for lon, lat, count, item in finds.order_by("-found_at").values_list(
            "lon", "lat", "count", "item"
        )[:MAP_POINTS]
    ]
    months, series = monthly_series(finds)
    shown, rows = _series_table(months, series)
    return render(
        request,
        "neighbourhood/map.html",
        {
            "cells": [
                {
                    "lon": c.lon,
                    "lat": c.lat,
                    "dlon": c.half_lon,
                    "dlat": c.half_lat,
                    "total": c.total,
                }
                for c in cells
            ],
            "points": points,
            "months": shown,
            "rows": rows,
            "since": since,
        },
    )
