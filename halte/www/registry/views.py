"""Registry screens: the network map, a site's page, and the forms that change a site."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from halte.accounts.permissions import can_change_site_status, can_edit_site, can_record_at
from halte.audit.selectors import can_read_audit
from halte.core.errors import DomainError
from halte.core.timeutils import local_today, now
from halte.geo.lib import addresses, areas
from halte.network.enums import STATUS_TRANSITIONS, SiteStatus, Weekday
from halte.network.hours import weekly_open_hours, weekly_table
from halte.network.publication import site_set_publication
from halte.network.selectors import (
    SiteFilters,
    filter_sites,
    get_site_for_user,
    site_open_state,
    site_spans,
    sites_visible_to,
)
from halte.network.services import (
    site_add_hours_exception,
    site_change_status,
    site_remove_hours_exception,
    site_set_services,
    site_set_weekly_hours,
    site_update_capacities,
    site_update_location,
)
from halte.www.registry.forms import (
    AddressSearchForm,
    CapacitiesForm,
    HoursExceptionForm,
    LocationChoiceForm,
    MapFilterForm,
    StatusForm,
    WeeklyHoursForm,
)
from halte.www.shortcuts import refuse, staff


@require_safe
def network_map(request: HttpRequest) -> HttpResponse:
    """Every site the user may see, on the map and in a list, with the filters."""
    form = MapFilterForm(request.GET or None)
    filters = SiteFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = SiteFilters(
            kind=data["kind"],
            service=data["service"],
            status=data["status"],
            commune=data["commune"],
            women_only=data["women_only"],
            open_now=data["open_now"],
        )
    results = filter_sites(sites_visible_to(request.user), filters)
    markers = []
    for site, state in results:
        if site.lat is None or site.lon is None or areas.locate(site.lon, site.lat) is None:
            continue  # the bundled map covers the Greater Paris; others are listed, not drawn
        markers.append(
            {
                "name": site.name,
                "kind": str(site.get_kind_display()),
                "status": site.status,
                "status_label": str(site.get_status_display()),
                "lon": site.lon,
                "lat": site.lat,
                "approximate": site.location_approximate,
                "open": state.is_open,
                "url": site.get_absolute_url(),
            }
        )
    return render(
        request,
        "www/map.html",
        {
            "form": form,
            "results": results,
            "markers": markers,
            "now": now(),
        },
    )


@require_safe
def site_detail(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    site = get_site_for_user(request.user, site_id)
    today = local_today()
    spans = site_spans(site)
    table = weekly_table(spans, today)
    upcoming = sorted({s.valid_from for s in spans if s.valid_from > today})
    return render(
        request,
        "www/site_detail.html",
        {
            "site": site,
            "state": site_open_state(site),
            "week": [(str(Weekday(d).label), table[d]) for d in range(7)],
            "hours_per_week": weekly_open_hours(spans, today),
            "upcoming_changes": [
                (day, [(str(Weekday(d).label), s) for d, s in weekly_table(spans, day).items()])
                for day in upcoming
            ],
            "hours_history": site.weekly_hours.all(),
            "exceptions": [e for e in site.hours_exceptions.all() if e.date >= today],
            "past_exceptions": [e for e in site.hours_exceptions.all() if e.date < today][-10:],
            "status_history": site.status_changes.select_related("actor").all(),
            "services": sorted(s.get_service_display() for s in site.services.all()),
            "can_edit": can_edit_site(request.user, site),
            "can_change_status": can_change_site_status(request.user, site),
            "can_record": can_record_at(request.user, site),
            "can_read_audit": can_read_audit(request.user),
        },
    )


def _editable_site(request: HttpRequest, site_id: uuid.UUID) -> Any:
    site = get_site_for_user(request.user, site_id)
    if not can_edit_site(request.user, site):
        raise PermissionDenied(_("Seul·e la ou le responsable du site peut modifier ce site."))
    return site


@require_http_methods(["GET", "HEAD", "POST"])
def site_edit(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """Capacities, admission, authorisation and services (the site's manager)."""
    site = _editable_site(request, site_id)
    initial = {
        field: getattr(site, field)
        for field in CapacitiesForm.base_fields
        if field not in {"services", "effective_on"}
    }
    initial["services"] = [s.service for s in site.services.all()]
    initial["effective_on"] = local_today()
    form = CapacitiesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services = data.pop("services")
        public, room_level = data.pop("publish_public"), data.pop("publish_room_level")
        try:
            site_update_capacities(actor=staff(request), site=site, **data)
            site_set_services(actor=staff(request), site=site, services=services)
            site_set_publication(
                actor=staff(request), site=site, public=public, room_level=room_level
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Capacités et services enregistrés."))
            return redirect(site.get_absolute_url())
    return render(request, "www/site_edit.html", {"site": site, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def site_hours(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """The week's hours from a date on, and dated exceptions."""
    site = _editable_site(request, site_id)
    table = weekly_table(site_spans(site), local_today())
    hours_form = WeeklyHoursForm(initial=WeeklyHoursForm.initial_from(table))
    exception_form = HoursExceptionForm()
    if request.method == "POST" and request.POST.get("form") == "exception":
        exception_form = HoursExceptionForm(request.POST)
        if exception_form.is_valid():
            try:
                site_add_hours_exception(
                    actor=staff(request), site=site, **exception_form.cleaned_data
                )
            except DomainError as exc:
                exception_form.add_error(None, exc.message)
            else:
                messages.success(request, _("Exception enregistrée."))
                return redirect("www:site_hours", site_id=site.public_id)
    elif request.method == "POST":
        hours_form = WeeklyHoursForm(request.POST)
        if hours_form.is_valid():
            spans = hours_form.spans()
            if hours_form.is_valid():
                try:
                    site_set_weekly_hours(
                        actor=staff(request),
                        site=site,
                        spans=spans,
                        valid_from=hours_form.cleaned_data["valid_from"],
                    )
                except DomainError as exc:
                    hours_form.add_error(None, exc.message)
                else:
                    messages.success(request, _("Horaires enregistrés."))
                    return redirect(site.get_absolute_url())
    return render(
        request,
        "www/site_hours.html",
        {
            "site": site,
            "hours_form": hours_form,
            "exception_form": exception_form,
            "exceptions": [e for e in site.hours_exceptions.all() if e.date >= local_today()],
        },
    )


@require_POST
def site_exception_remove(
    request: HttpRequest, site_id: uuid.UUID, exception_id: int
) -> HttpResponse:
    site = _editable_site(request, site_id)
    site_remove_hours_exception(actor=staff(request), site=site, exception_id=exception_id)
    messages.success(request, _("Exception supprimée."))
    return redirect("www:site_hours", site_id=site.public_id)


@require_http_methods(["GET", "HEAD", "POST"])
def site_status(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """Move a site to its next status (the coordinator); illegal moves are not offered, and refused
    if forced."""
    site = get_site_for_user(request.user, site_id)
    if not can_change_site_status(request.user, site):
        raise PermissionDenied(_("Seule la coordination du réseau change le statut d'un site."))
    allowed = [
        (s, str(SiteStatus(s).label))
        for s in SiteStatus.values
        if s in STATUS_TRANSITIONS[site.status]
    ]
    form = StatusForm(
        request.POST or None,
        allowed=[(s.value, str(s.label)) for s in SiteStatus]
        if request.method == "POST"
        else allowed,
        initial={"effective_on": local_today()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            site_change_status(actor=staff(request), site=site, **form.cleaned_data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Statut mis à jour."))
            return redirect(site.get_absolute_url())
    return render(
        request,
        "www/site_status.html",
        {"site": site, "form": form, "allowed": allowed},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def site_location(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """Place a site from a typed address; the arrondissement or commune follows from the point."""
    site = get_site_for_user(request.user, site_id)
    if not (can_edit_site(request.user, site) or can_change_site_status(request.user, site)):
        raise PermissionDenied(_("Vous ne pouvez pas déplacer ce site."))
    if request.method == "POST":
        choice = LocationChoiceForm(request.POST)
        if choice.is_valid():
            data = choice.cleaned_data
            area = areas.locate(data["lon"], data["lat"])
            if area is None:
                messages.error(
                    request,
                    _(
                        "Ce point est hors du Grand Paris : placez-le à la main dans l'administration."
                    ),
                )
            else:
                site_update_location(
                    actor=staff(request),
                    site=site,
                    address=data["label"].split(",")[0],
                    postcode=data["postcode"],
                    city="Paris" if area.kind == "arrondissement" else area.name,
                    code_insee=area.code_insee,
                    area_name=area.name,
                    lon=data["lon"],
                    lat=data["lat"],
                    location_approximate=data["approximate"],
                )
                messages.success(
                    request, _("Emplacement enregistré : %(area)s.") % {"area": area.name}
                )
                return redirect(site.get_absolute_url())
        else:
            messages.error(request, _("Choix d'adresse invalide ; relancez la recherche."))
    search = AddressSearchForm(request.GET or None)
    return render(
        request,
        "www/site_location.html",
        {"site": site, "search": search, "matches": _matches(search)},
    )


def _matches(search: AddressSearchForm) -> list[dict[str, Any]] | None:
    if not search.is_bound or not search.is_valid():
        return None
    found = []
    for match in addresses.search(search.cleaned_data["q"], limit=8):
        found.append({"match": match, "area": areas.locate(match.lon, match.lat)})
    return found


@require_safe
def address_lookup(request: HttpRequest) -> HttpResponse:
    """Type an address in Paris, see where it is and in which arrondissement."""
    search = AddressSearchForm(request.GET or None)
    return render(
        request, "www/address_lookup.html", {"search": search, "matches": _matches(search)}
    )


@require_safe
def audit_trail(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    """The trail of one record (coordinator, admin): who did what and when."""
    from halte.audit.selectors import trail_for

    if not re.fullmatch(r"[a-z_]{1,40}", object_type) or not re.fullmatch(
        r"[0-9a-f-]{1,64}", object_id
    ):
        raise Http404
    events = trail_for(request.user, object_type=object_type, object_id=object_id)[:500]
    return render(
        request,
        "www/audit_trail.html",
        {"events": events, "object_type": object_type, "object_id": object_id},
    )
