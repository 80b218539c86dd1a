"""Neighbourhood committees and their decisions followed to done, and the coordinator's setting of
a site's surroundings (read by the site board and the public page)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.neighbourhood import places
from halte.neighbourhood.permissions import can_see_street_work, can_set_surroundings
from halte.neighbourhood.selectors import (
    committees_visible_to,
    get_committee_for_user,
    get_decision_for_user,
    is_overdue,
    surroundings_of,
)
from halte.neighbourhood.services import (
    committee_record,
    decision_add,
    decision_done,
    surroundings_set,
)
from halte.network.selectors import get_site_for_user, sites_visible_to
from halte.www.neighbourhood.forms import CommitteeForm, DecisionForm, SurroundingsForm
from halte.www.shortcuts import refuse, reported, staff

ATTENDANCE = ("residents", "school", "police", "city", "traders", "other")
IRIS_CHOICE_RADIUS_M = 1000


def _require_reader(request: HttpRequest) -> None:
    if not can_see_street_work(request.user):
        raise PermissionDenied(_("Réservé à l'équipe."))


@require_http_methods(["GET", "HEAD", "POST"])
def committees(request: HttpRequest) -> HttpResponse:
    """The committees, the latest first, each with its decisions; record a new one."""
    _require_reader(request)
    form = CommitteeForm(request.POST or None, initial={"held_on": local_today()})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            site = get_site_for_user(request.user, data["site"])
            try:
                committee = committee_record(
                    actor=staff(request),
                    site=site,
                    held_on=data["held_on"],
                    attendance={k: data[k] for k in ATTENDANCE},
                    topics=data["topics"],
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, _("Comité enregistré."))
                return redirect("neighbourhood:committee", committee_id=committee.public_id)
    latest = list(
        committees_visible_to(request.user).prefetch_related("decisions").order_by("-held_on")[:30]
    )
    today = local_today()
    rows = [(c, [(d, is_overdue(d, today)) for d in c.decisions.all()]) for c in latest]
    return render(
        request,
        "neighbourhood/committees.html",
        {
            "rows": rows,
            "form": form,
            "sites": list(sites_visible_to(request.user).prefetch_related(None).order_by("name")),
        },
        status=status,
    )


def _committee_page(
    request: HttpRequest,
    committee_id: uuid.UUID,
    form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    committee = get_committee_for_user(request.user, committee_id)
    today = local_today()
    decisions = [(d, is_overdue(d, today)) for d in committee.decisions.all()]
    return render(
        request,
        "neighbourhood/committee.html",
        {"committee": committee, "decisions": decisions, "form": form or DecisionForm()},
        status=status,
    )


@require_safe
def committee_page(request: HttpRequest, committee_id: uuid.UUID) -> HttpResponse:
    return _committee_page(request, committee_id)


@require_POST
def decision_new(request: HttpRequest, committee_id: uuid.UUID) -> HttpResponse:
    committee = get_committee_for_user(request.user, committee_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decision_add(actor=staff(request), committee=committee, **form.cleaned_data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Décision ajoutée."))
            return redirect("neighbourhood:committee", committee_id=committee.public_id)
    return _committee_page(request, committee_id, form, status=422)


@require_POST
def decision_mark_done(request: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    decision = get_decision_for_user(request.user, decision_id)
    with reported(request, _("Décision faite.")):
        decision_done(actor=staff(request), decision=decision)
    return redirect("neighbourhood:committee", committee_id=decision.committee.public_id)


@require_http_methods(["GET", "HEAD", "POST"])
def surroundings(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """The coordinator sets a site's surroundings: a radius or IRIS nearby, the mediation team's
    public contact (shown on the public page once the site's manager publishes the site)."""
    if not can_set_surroundings(request.user):
        raise PermissionDenied(_("Réservé à la coordination."))
    site = get_site_for_user(request.user, site_id)
    choices = (
        places.iris_near(site.lon, site.lat, IRIS_CHOICE_RADIUS_M)
        if site.lon is not None and site.lat is not None
        else []
    )
    current = surroundings_of(site)
    initial = (
        {
            "radius_m": current.radius_m,
            "use_iris": current.use_iris,
            "iris_codes": current.iris_codes,
            "contact_phone": current.contact_phone,
            "contact_email": current.contact_email,
        }
        if current
        else {}
    )
    form = SurroundingsForm(request.POST or None, initial=initial, iris_choices=choices)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                surroundings_set(actor=staff(request), site=site, **form.cleaned_data)
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, _("Environs du site enregistrés."))
                return redirect("neighbourhood:surroundings", site_id=site.public_id)
    return render(
        request,
        "neighbourhood/surroundings.html",
        {"site": site, "form": form, "current": current},
        status=status,
    )
