"""Outreach screens: the team's rounds and contacts, head counts on a map and over time, and
"where can this person go now?"."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from halte.clients.models import Client
from halte.clients.selectors import find_client_by_code
from halte.core.errors import DomainError
from halte.core.timeutils import now
from halte.outreach.lookup import Candidate, where_candidates
from halte.outreach.orientation import DEFAULT_MAX_MINUTES, Seeker, places_now
from halte.outreach.permissions import can_ask_where_to_go, can_see_head_counts
from halte.outreach.selectors import (
    Series,
    count_span,
    current_round,
    gathering_places,
    get_place_for_user,
    get_round_for_user,
    get_team_for_user,
    head_count_series,
    recent_rounds,
    round_stats,
    teams_for_user,
)
from halte.outreach.services import contact_record, head_count_record, round_end, round_start
from halte.www.outreach.forms import ContactForm, HeadCountForm, RoundForm, WhereForm
from halte.www.shortcuts import reported, staff

CHART_W, CHART_H, CHART_PAD = 640, 260, 28
CHART_LABEL_W = 24  # room left of the axis for the counts' labels (up to "2000")
CHART_GAP = dt.timedelta(days=30)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The team's evening: the round in progress, start a round, record a head count."""
    teams = list(teams_for_user(request.user))
    boards = [
        {
            "team": team,
            "current": current_round(team),
            "recent": recent_rounds(team),
        }
        for team in teams
    ]
    return render(
        request,
        "outreach/home.html",
        {
            "boards": boards,
            "places": gathering_places(request.user),
            "round_form": RoundForm(),
            "count_form": HeadCountForm(),
        },
    )


@require_POST
def round_new(request: HttpRequest, team_id: uuid.UUID) -> HttpResponse:
    team = get_team_for_user(request.user, team_id)
    form = RoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un secteur ou un lieu."))
        return redirect("outreach:home")
    data = form.cleaned_data
    place = get_place_for_user(request.user, data["place"]) if data["place"] else None
    try:
        round_ = round_start(actor=staff(request), team=team, zone=data["zone"], place=place)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("outreach:home")
    return redirect("outreach:round", round_id=round_.public_id)


@require_safe
def round_page(request: HttpRequest, round_id: uuid.UUID) -> HttpResponse:
    """One round: record each person met in two taps, see the counts, end the round."""
    round_ = get_round_for_user(request.user, round_id)
    return render(
        request,
        "outreach/round.html",
        {
            "round": round_,
            "stats": round_stats(round_),
            "places": gathering_places(request.user),
            "form": ContactForm(
                initial={"place": round_.place.public_id if round_.place else None}
            ),
        },
    )


@require_POST
def round_close(request: HttpRequest, round_id: uuid.UUID) -> HttpResponse:
    round_ = get_round_for_user(request.user, round_id)
    with reported(request, _("Maraude terminée.")):
        round_end(actor=staff(request), round_=round_)
    return redirect("outreach:home")


def _contact_note(anonymous: bool, is_new: bool) -> str:
    """An anonymous contact is not linked to anyone, so it cannot have been met before."""
    if anonymous:
        return _("contact anonyme, première rencontre") if is_new else _("contact anonyme")
    return _("nouvelle personne") if is_new else _("déjà rencontrée")


@require_POST
def contact_new(request: HttpRequest, round_id: uuid.UUID) -> HttpResponse:
    round_ = get_round_for_user(request.user, round_id)
    form = ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Contact non enregistré : vérifiez les champs."))
        return redirect("outreach:round", round_id=round_.public_id)
    data = form.cleaned_data
    client: Client | None = None
    if data["code"]:
        client = find_client_by_code(request.user, data["code"])
        if client is None:
            messages.error(request, _("Aucune personne avec ce code."))
            return redirect("outreach:round", round_id=round_.public_id)
    place = get_place_for_user(request.user, data["place"]) if data["place"] else None
    try:
        contact = contact_record(
            actor=staff(request),
            round_=round_,
            client=client,
            purposes=data["purposes"],
            is_new=data["is_new"],
            place=place,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        note = _contact_note(contact.visit.client_id is None, contact.is_new)
        messages.success(request, _("Contact enregistré (%(note)s).") % {"note": note})
    return redirect("outreach:round", round_id=round_.public_id)


@require_POST
def head_count_new(request: HttpRequest) -> HttpResponse:
    form = HeadCountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Comptage non enregistré : un nombre entre 0 et 2 000."))
        return redirect("outreach:home")
    data = form.cleaned_data
    team = get_team_for_user(request.user, data["team"])
    place = get_place_for_user(request.user, data["place"])
    done = _("Comptage enregistré : %(n)s à %(p)s.") % {"n": data["count"], "p": place.name}
    with reported(request, done):
        head_count_record(actor=staff(request), team=team, place=place, count=data["count"])
    return redirect("outreach:home")


def _segments(points: list[tuple[dt.datetime, int]]) -> list[list[tuple[dt.datetime, int]]]:
    """Runs of counts with no gap longer than CHART_GAP: a gap is drawn as a gap, not a line."""
    runs: list[list[tuple[dt.datetime, int]]] = []
    for point in points:
        if runs and point[0] - runs[-1][-1][0] <= CHART_GAP:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def _chart(series: list[Series], start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Polylines in a fixed viewBox, one per run of counts of a place (a gap of more than
    CHART_GAP breaks the line), the labels inside the box: drawn on the server, no library."""
    top = max((s.peak for s in series), default=0) or 1
    span = max((end - start).total_seconds(), 1.0)
    left, bottom = CHART_PAD + CHART_LABEL_W, CHART_H - CHART_PAD
    width, height = CHART_W - left - CHART_PAD, bottom - CHART_PAD

    # Coordinates and labels go out as plain strings: the template would localise numbers
    # ("214,3", "1 200"), which breaks SVG attributes and the axis labels.
    def x(moment: dt.datetime) -> str:
        return f"{left + width * (moment - start).total_seconds() / span:.1f}"

    def y(count: int) -> str:
        return f"{bottom - height * count / top:.1f}"

    lines = [
        {
            "name": s.place.name,
            "index": i % 6,
            "points": " ".join(f"{x(m)},{y(c)}" for m, c in run),
            "dots": [{"x": x(m), "y": y(c)} for m, c in run] if len(run) == 1 else [],
        }
        for i, s in enumerate(series)
        for run in _segments(s.points)
    ]
    years = [
        {"x": x(moment), "label": str(year)}
        for year in range(start.year + 1, end.year + 1)
        if start < (moment := start.replace(year=year, month=1, day=1, hour=0, minute=0)) < end
        and left + 72 < float(x(moment)) < CHART_W - CHART_PAD - 72  # clear of the end dates
    ]
    return {
        "lines": lines,
        "legend": [
            {"name": s.place.name, "index": i % 6} for i, s in enumerate(series) if s.points
        ],
        "ticks": [{"y": y(v), "label": str(v)} for v in sorted({0, top // 2, top})],
        "years": years,
        **{
            key: str(value)
            for key, value in {
                "w": CHART_W,
                "h": CHART_H,
                "pad": CHART_PAD,
                "left": left,
                "label_x": left - 6,
                "right": CHART_W - CHART_PAD,
                "bottom": bottom,
                "date_y": bottom + 16,
            }.items()
        },
        "start": start,
        "end": end,
    }


@require_safe
def head_counts(request: HttpRequest) -> HttpResponse:
    """Head counts at the gathering places: on a map (latest count) and over time (a chart drawn
    on the server, and the same figures in a table)."""
    if not can_see_head_counts(request.user):
        raise Http404
    span = count_span(request.user)
    start, end = span if span else (now() - dt.timedelta(days=30), now())
    series = head_count_series(request.user, start, end)
    markers = [
        {
            "name": s.place.name,
            "lon": s.place.lon,
            "lat": s.place.lat,
            "latest": s.latest[1] if s.latest else None,
            "latest_at": s.latest[0].isoformat() if s.latest else None,
            "peak": s.peak,
        }
        for s in series
    ]
    return render(
        request,
        "outreach/counts.html",
        {"series": series, "markers": markers, "chart": _chart(series, start, end)},
    )


@dataclass(frozen=True)
class Understood:
    """The position searched from: what was understood, and the other readings to pick from."""

    label: str
    kind_label: str
    lon: float
    lat: float
    others: list[tuple[Candidate, str]]  # each reading with the link that searches from it


def _pick_link(request: HttpRequest, candidate: Candidate) -> str:
    query = request.GET.copy()
    query["address"] = candidate.label
    query["lon"], query["lat"] = f"{candidate.lon:.6f}", f"{candidate.lat:.6f}"
    return "?" + query.urlencode()


def _position(request: HttpRequest, data: dict[str, Any]) -> Understood | None:
    """A picked or located position as it is; a typed text read as its best candidate."""
    lat, lon = data.get("lat"), data.get("lon")
    if lat is not None and lon is not None:
        label = data.get("address") or _("votre position")
        return Understood(label, _("position choisie"), float(lon), float(lat), [])
    found = where_candidates(request.user, data["address"])
    if not found:
        messages.error(
            request, _("Lieu introuvable : précisez l'adresse, la rue ou le nom du lieu.")
        )
        return None
    best = found[0]
    others = [(c, _pick_link(request, c)) for c in found[1:]]
    return Understood(best.label, best.kind_label, best.lon, best.lat, others)


def _seeker(request: HttpRequest, data: dict[str, Any], where: Understood) -> Seeker | None:
    client = find_client_by_code(request.user, data["code"]) if data.get("code") else None
    if data.get("code") and client is None:
        messages.error(request, _("Aucune personne avec ce code."))
        return None
    return Seeker(
        lon=where.lon,
        lat=where.lat,
        need=data["need"],
        route=data.get("route") or None,
        sex=data.get("sex") or (client.sex_gender if client else None),
        birth_year=data.get("birth_year") or (client.birth_year if client else None),
        when=data.get("when") or "now",
        client=client,
        max_minutes=data.get("max_minutes") or DEFAULT_MAX_MINUTES,
    )


@require_safe
def where(request: HttpRequest) -> HttpResponse:
    """Where can this person go now? What place was understood (and the other readings to pick
    from), then big cards of the places within the chosen walking time, quickest first; or, when
    none is, a plain "nothing within reach" and the nearest place of the same city area."""
    if not can_ask_where_to_go(request.user):
        raise Http404
    form = WhereForm(request.GET or None)
    reach, understood = None, None
    if form.is_bound and form.is_valid():
        understood = _position(request, form.cleaned_data)
        seeker = _seeker(request, form.cleaned_data, understood) if understood else None
        if seeker is not None:
            reach = places_now(request.user, seeker)
    return render(
        request, "outreach/where.html", {"form": form, "reach": reach, "understood": understood}
    )
