"""The person's situation and follow-up: the situation asked at the desk (under a minute,
skippable), and one page with the situations, the pathways after a test (care roles only),
accompaniments and interpreting. Tablet first, every action a plain form post."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from halte.clients.models import Client
from halte.clients.selectors import get_client_for_user
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.enums import SiteStatus
from halte.network.models import Site
from halte.network.selectors import get_site_for_user, sites_visible_to
from halte.pathway.permissions import (
    can_follow_pathway,
    can_record_sensitive_situation,
    can_see_pathways,
    can_see_sensitive_situation,
    can_see_situation,
)
from halte.pathway.selectors import (
    accompaniments_for_user,
    get_pathway_for_user,
    interpretings_for_user,
    pathways_for_user,
    screenings_to_follow,
    situations_for_user,
)
from halte.pathway.services import (
    accompaniment_record,
    interpreting_record,
    pathway_open,
    pathway_read,
    pathway_step_record,
    situation_read,
    situation_record,
)
from halte.pathway.socialfile import can_keep_social_file
from halte.www.pathway.forms import (
    AccompanimentForm,
    InterpretingForm,
    PathwayOpenForm,
    PathwayStepForm,
    SituationForm,
)
from halte.www.shortcuts import desk_site, refuse, reported, staff


def _person_at(
    request: HttpRequest, site_id: uuid.UUID, client_id: uuid.UUID
) -> tuple[Site, Client]:
    """A desk of the user's and a person known at the user's sites: 404 otherwise."""
    site = desk_site(request, site_id)
    client = get_client_for_user(request.user, client_id)
    if not can_see_situation(request.user, client):
        raise Http404(_("Personne introuvable."))
    return site, client


def _next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _followup_url(site: Site, client: Client) -> str:
    from django.urls import reverse

    return reverse(
        "care:followup", kwargs={"site_id": site.public_id, "client_id": client.public_id}
    )


@require_http_methods(["GET", "HEAD", "POST"])
def situation(request: HttpRequest, site_id: uuid.UUID, client_id: uuid.UUID) -> HttpResponse:
    """Ask the person's situation at the desk. Every question starts "not asked": the staff ask
    what the person agrees to, skip the rest, or skip it all. The care-only questions appear for
    care roles only."""
    site, client = _person_at(request, site_id, client_id)
    care_only = can_record_sensitive_situation(request.user, site)
    back = _next(request, _followup_url(site, client))
    form = SituationForm(request.POST or None, care_only=care_only)
    if request.method == "POST" and form.is_valid():
        try:
            situation_record(actor=staff(request), site=site, client=client, answers=form.answers())
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Situation enregistrée."))
            return redirect(back)
    status = 422 if form.is_bound else 200
    return render(
        request,
        "pathway/situation.html",
        {"site": site, "client": client, "form": form, "care_only": care_only, "next": back},
        status=status,
    )


def _network_sites(request: HttpRequest, site: Site) -> list[tuple[str, str]]:
    sites = (
        sites_visible_to(request.user)
        .filter(status=SiteStatus.OPERATIONAL)
        .exclude(pk=site.pk)
        .order_by("name")
    )
    return [(str(s.public_id), s.name) for s in sites]


def _followup_context(request: HttpRequest, site: Site, client: Client) -> dict[str, Any]:
    user = request.user
    sensitive = can_see_sensitive_situation(user, client)
    situation_read(actor=staff(request), client=client, sensitive=sensitive, site=site)
    context: dict[str, Any] = {
        "site": site,
        "client": client,
        "situations": situations_for_user(user, client, limit=10),
        "sees_care_only": sensitive,
        "accompaniments": accompaniments_for_user(user, client),
        "interpretings": interpretings_for_user(user, client),
        "accompaniment_form": AccompanimentForm(initial={"done_on": local_today()}),
        "interpreting_form": InterpretingForm(),
        "follows": can_follow_pathway(user, site),
        "keeps_social_file": can_keep_social_file(user, site),
        "pathways": None,
    }
    if can_see_pathways(user, client):
        pathway_read(actor=staff(request), client=client, site=site)
        screenings = [
            (str(a.public_id), f"{a.get_kind_display()} · {a.performed_at:%d/%m/%Y}")
            for a in screenings_to_follow(user, site.pk, client)
        ]
        context["pathways"] = pathways_for_user(user, client)
        context["open_form"] = PathwayOpenForm(screenings=screenings)
        context["step_form"] = PathwayStepForm(
            sites=_network_sites(request, site), initial={"done_on": local_today()}
        )
    return context


@require_safe
def followup(request: HttpRequest, site_id: uuid.UUID, client_id: uuid.UUID) -> HttpResponse:
    """The person's follow-up at a site: situations (care-only answers for care roles),
    pathways after a test (care roles only), accompaniments and interpreting. Each read of the
    situation and of the pathways is traced in the audit trail."""
    site, client = _person_at(request, site_id, client_id)
    return render(request, "pathway/followup.html", _followup_context(request, site, client))


@require_POST
def open_pathway(request: HttpRequest, site_id: uuid.UUID, client_id: uuid.UUID) -> HttpResponse:
    site, client = _person_at(request, site_id, client_id)
    if not can_follow_pathway(request.user, site):
        raise Http404(_("Introuvable."))
    screenings = {str(a.public_id): a for a in screenings_to_follow(request.user, site.pk, client)}
    form = PathwayOpenForm(request.POST, screenings=[(k, k) for k in screenings])
    if not form.is_valid():
        messages.error(request, _("Parcours non ouvert : choisissez l'infection et le dépistage."))
    else:
        data = form.cleaned_data
        with reported(request, _("Parcours ouvert.")):
            pathway_open(
                actor=staff(request),
                site=site,
                client=client,
                infection=data["infection"],
                screening=screenings.get(data["screening"]),
                tested_on=data["tested_on"],
            )
    return redirect(_followup_url(site, client))


@require_POST
def pathway_step(request: HttpRequest, pathway_id: uuid.UUID) -> HttpResponse:
    pathway = get_pathway_for_user(request.user, pathway_id)
    site = pathway.site
    if not can_follow_pathway(request.user, site):
        raise Http404(_("Introuvable."))
    form = PathwayStepForm(request.POST, sites=_network_sites(request, site))
    if not form.is_valid():
        messages.error(
            request, _("Étape non enregistrée : choisissez l'étape, sa date et le lieu.")
        )
    else:
        data = form.cleaned_data
        place_site = (
            get_site_for_user(request.user, data["place_site"]) if data["place_site"] else None
        )
        with reported(request, _("Étape enregistrée.")):
            pathway_step_record(
                actor=staff(request),
                pathway=pathway,
                stage=data["stage"],
                done_on=data["done_on"],
                method=data["method"],
                outcome=data["outcome"],
                place=data["place"],
                place_site=place_site,
            )
    return redirect(_followup_url(site, pathway.client))


@require_POST
def add_accompaniment(
    request: HttpRequest, site_id: uuid.UUID, client_id: uuid.UUID
) -> HttpResponse:
    site, client = _person_at(request, site_id, client_id)
    form = AccompanimentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Accompagnement non enregistré : lieu, rôle, durée (5 à 720 minutes) et date."),
        )
    else:
        with reported(request, _("Accompagnement enregistré.")):
            accompaniment_record(
                actor=staff(request), site=site, client=client, **form.cleaned_data
            )
    return redirect(_followup_url(site, client))


@require_POST
def add_interpreting(
    request: HttpRequest, site_id: uuid.UUID, client_id: uuid.UUID
) -> HttpResponse:
    site, client = _person_at(request, site_id, client_id)
    form = InterpretingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Interprétariat non enregistré : langue et modalité."))
    else:
        with reported(request, _("Interprétariat enregistré.")):
            interpreting_record(actor=staff(request), site=site, client=client, **form.cleaned_data)
    return redirect(_followup_url(site, client))
