"""The board of a site's surroundings (staff), and what the public page shows of them.

The area is the one the coordinator set (``SiteSurroundings``: a radius around the site, or the
IRIS listed); a site without a setting is read with the default radius. Figures come from the
reports' indicators (``halte.reports.indicators.neighbourhood``) with the area in the scope, so the
board, the reports and the public page count the same way. Who sees a board: whoever sees the
site's reports (``halte.reports.selectors.get_report_site``), masked for evaluators."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from halte.core.timeutils import local_today
from halte.geo.lib.distance import haversine_m
from halte.neighbourhood.models import SiteSurroundings
from halte.neighbourhood.permissions import is_coordinator
from halte.network.models import Site
from halte.network.publication import is_published
from halte.planning.services import schools
from halte.reports import dashboards, public
from halte.reports.charts import Chart, bar_chart
from halte.reports.indicators import Area, Scope
from halte.reports.indicators.neighbourhood import pickups
from halte.reports.periods import month_end
from halte.reports.permissions import must_suppress
from halte.reports.presentation import Shown
from halte.reports.selectors import get_report_site

DEFAULT_RADIUS_M = 300
# In IRIS mode, the schools listed are those within this distance of the site.
IRIS_SCHOOL_RADIUS_M = 500
BOARD_MONTHS = 12
MONTHLY = ("pickups_items", "neighbourhood_reports", "public_consumption_seen", "mediation_rounds")
YEAR = (
    "pickups_items",
    "pickups_by_item",
    "neighbourhood_reports",
    "neighbourhood_reports_by_kind",
    "report_answer_hours",
    "public_consumption_seen",
    "gatherings_seen",
    "mediation_rounds",
    "pickup_rounds",
    "committees_held",
    "decisions_done",
    "decisions_overdue",
)
MAX_MAP_POINTS = 1500
DAYS_CHOICES = ((30, "30"), (90, "90"), (180, "180"), (365, "365"))


def surroundings_of(site: Site) -> SiteSurroundings | None:
    try:
        return site.surroundings
    except SiteSurroundings.DoesNotExist:
        return None


def area_of(site: Site, setting: SiteSurroundings | None) -> Area | None:
    """The area the figures are counted in; None when the site has no point and no IRIS."""
    lon, lat = site.lon, site.lat
    if setting is not None and setting.use_iris and setting.iris_codes:
        return Area(float(lon or 0), float(lat or 0), iris_codes=tuple(setting.iris_codes))
    if lon is None or lat is None:
        return None
    radius = setting.radius_m if setting is not None else DEFAULT_RADIUS_M
    return Area(float(lon), float(lat), radius_m=radius)


def area_label(area: Area) -> str:
    if area.by_iris:
        return _("IRIS : %(list)s") % {"list": ", ".join(area.iris_codes)}
    return _("Dans un rayon de %(m)s m autour du site") % {"m": area.radius_m}


@dataclass(frozen=True)
class SchoolNearby:
    name: str
    distance_m: int


def schools_nearby(site: Site, area: Area) -> list[SchoolNearby]:
    """The schools and collèges of the bundled data (every collège of Paris, the écoles of the
    18e) within the radius, or within 500 m of the site when the area is a list of IRIS."""
    if site.lon is None or site.lat is None:
        return []
    limit = IRIS_SCHOOL_RADIUS_M if area.by_iris else area.radius_m
    found = [
        SchoolNearby(s.name, round(haversine_m(site.lon, site.lat, s.lon, s.lat)))
        for s in schools()
    ]
    return sorted((s for s in found if s.distance_m <= limit), key=lambda s: s.distance_m)


def map_data(site: Site, area: Area, year: Scope, nearby: list[SchoolNearby]) -> dict[str, Any]:
    """What the board's map draws: the site, the radius, the year's finds by point (the most
    items first, at most MAX_MAP_POINTS) and the schools nearby."""
    finds = (
        pickups(year)
        .values("lon", "lat")
        .annotate(n=Sum("count"))
        .order_by("-n", "lon", "lat")[:MAX_MAP_POINTS]
    )
    by_name = {s.name: s for s in schools()}
    return {
        "site": {"name": site.name, "lon": site.lon, "lat": site.lat},
        "radius_m": None if area.by_iris else area.radius_m,
        "finds": [{"lon": f["lon"], "lat": f["lat"], "n": int(f["n"] or 0)} for f in finds],
        "schools": [
            {
                "name": s.name,
                "distance_m": s.distance_m,
                "lon": by_name[s.name].lon,
                "lat": by_name[s.name].lat,
            }
            for s in nearby
            if s.name in by_name
        ],
    }


class ChangeForm(forms.Form):
    change = forms.DateField(label=gettext_lazy("Date du changement"), required=False)
    days = forms.TypedChoiceField(
        label=gettext_lazy("Jours de part et d'autre"),
        choices=DAYS_CHOICES,
        coerce=int,
        initial=90,
        required=False,
    )

    def clean_change(self) -> dt.date | None:
        change: dt.date | None = self.cleaned_data.get("change")
        if change is not None and change > local_today():
            raise forms.ValidationError(_("Choisissez une date passée."))
        return change


def _monthly_chart(table: public.PublicTable) -> Chart:
    months = list(reversed(table.months))
    series = [f.number for f in (m.figures[0] for m in months)]
    return bar_chart(
        _("Matériel ramassé aux abords, par mois"),
        [m.month.strftime("%m/%y") for m in months],
        [(_("Objets"), [None if n is None else float(n) for n in series])],
        description=_("Objets ramassés dans le périmètre du site, chaque mois."),
    )


@require_safe
def board(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """A site's surroundings: the last twelve months, month by month, before and after its
    opening or a change of hours, and the schools nearby."""
    site = get_report_site(request.user, site_id)
    setting = surroundings_of(site)
    area = area_of(site, setting)
    suppressed = must_suppress(request.user)
    context: dict[str, object] = {
        "site": site,
        "setting": setting,
        "area": area,
        "public_page": is_published(site),
    }
    if area is None:
        return render(request, "neighbourhood/board.html", context)
    table = public.monthly_table(
        (site.pk,), MONTHLY, months=BOARD_MONTHS, area=area, public=False, suppressed=suppressed
    )
    first = table.months[-1].month
    year = Scope((site.pk,), first, month_end(table.months[0].month), area=area)
    changes = dashboards.surroundings_changes(site)
    form = ChangeForm(request.GET or None)
    change_board = None
    status = 200
    if form.is_valid():
        change = form.cleaned_data["change"] or (changes[0][0] if changes else None)
        if change is not None:
            change_board = dashboards.surroundings_change(
                site, area, change, form.cleaned_data["days"] or 90, suppressed=suppressed
            )
    elif request.GET:
        status = 422
    elif changes:
        change_board = dashboards.surroundings_change(
            site, area, changes[0][0], 90, suppressed=suppressed
        )
    year_figures: list[Shown] = dashboards.figures(YEAR, year, suppressed=suppressed)
    nearby = schools_nearby(site, area)
    context |= {
        "area_label": area_label(area),
        "table": table,
        "chart": _monthly_chart(table),
        "year": year_figures,
        "year_start": first,
        "changes": changes,
        "form": form,
        "change_board": change_board,
        "schools": nearby,
        "map_data": map_data(site, area, year, nearby) if site.lon is not None else None,
        "suppressed": suppressed,
        "settings_url": _url("neighbourhood:surroundings", site_id=site.public_id)
        if is_coordinator(request.user)
        else None,
    }
    return render(request, "neighbourhood/board.html", context, status=status)


def _url(name: str, **kwargs: object) -> str | None:
    """A page of the neighbourhood's recording screens, when they are installed."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _report_url() -> str | None:
    return _url("neighbourhood:report_public")


def public_surroundings(site: Site) -> dict[str, object]:
    """The surroundings' part of the public page (a published site): the mediation team's
    contact and the surroundings month by month, masked for the public. None for a site the
    network does not publish (``halte.network.publication``) or whose surroundings are not set."""
    setting = surroundings_of(site)
    if setting is None or not is_published(site):
        return {"surroundings": None}
    area = area_of(site, setting)
    context: dict[str, object] = {"surroundings": setting, "report_url": _report_url()}
    if area is not None:
        context["surroundings_table"] = public.surroundings_activity(site, area)
        context["surroundings_area"] = area_label(area)
    return context
