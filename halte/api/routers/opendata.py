"""Open data: the places the network's sites chose to publish, their hours, today's changes and their
services, for anyone, without signing in. In the national schema of the social-inclusion offer
(data·inclusion, "structures" and "services", bundled in docs/schemas/data-inclusion/) and as
GeoJSON. Nothing internal: no status, capacity, note, occupancy figure; projects never
(halte.network.publication). docs/data-sources.md says how a directory reads them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Schema

from halte.consumption.selectors import site_room_levels
from halte.core.throttle import PublicThrottle
from halte.core.timeutils import PARIS, local_today, now, paris_date
from halte.network.enums import Admission, Service, SiteKind
from halte.network.hours import weekly_table
from halte.network.models import Site
from halte.network.publication import facets, published_sites, todays_exception
from halte.network.selectors import site_open_state, site_spans

router = Router(tags=["données ouvertes"])

SOURCE = "halte"
OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
OSM_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EXCEPTION_HORIZON_DAYS = 60
# data·inclusion's "typologie" of structures; the kinds with no national equivalent are "Autre".
TYPOLOGIE: dict[str, str] = {
    SiteKind.CAARUD: "CAARUD",
    SiteKind.CAARUD_ANTENNA: "CAARUD",
    SiteKind.CSAPA: "CSAPA",
    SiteKind.NIGHT_SHELTER: "CHU",
}
THEMATIQUES: dict[str, list[str]] = {
    Service.SUPERVISED_CONSUMPTION: ["sante--faire-face-a-une-situation-daddiction"],
    Service.RECEPTION: [
        "sante--faire-face-a-une-situation-daddiction",
        "remobilisation--lien-social",
    ],
    Service.REST: ["sante--faire-face-a-une-situation-daddiction", "remobilisation--bien-etre"],
    Service.NIGHT_SHELTER: ["logement-hebergement--mal-loges-sans-logis"],
    Service.ACCOMMODATION: ["logement-hebergement--mal-loges-sans-logis"],
    Service.NURSING: ["sante--acces-aux-soins"],
    Service.MEDICAL: ["sante--acces-aux-soins"],
    Service.PSYCHIATRY: ["sante--bien-etre-psychologique"],
    Service.SCREENING: ["sante--prevention-et-acces-aux-soins"],
    Service.SUBSTITUTION: ["sante--faire-face-a-une-situation-daddiction"],
    Service.SOCIAL_SUPPORT: [
        "acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives"
    ],
    Service.MATERIAL: ["sante--faire-face-a-une-situation-daddiction"],
    Service.NALOXONE: ["sante--faire-face-a-une-situation-daddiction"],
    Service.HYGIENE: ["equipement-et-alimentation"],
    Service.FOOD: ["equipement-et-alimentation--alimentation"],
    Service.WOMEN_SPACE: ["sante--faire-face-a-une-situation-daddiction"],
}
TYPES: dict[str, list[str]] = {
    Service.RECEPTION: ["accueil"],
    Service.REST: ["accueil"],
    Service.NIGHT_SHELTER: ["accueil"],
    Service.ACCOMMODATION: ["accueil"],
    Service.SOCIAL_SUPPORT: ["accompagnement"],
    Service.MATERIAL: ["aide-materielle"],
    Service.NALOXONE: ["aide-materielle"],
    Service.HYGIENE: ["aide-materielle"],
    Service.FOOD: ["aide-materielle"],
}
# Services offered at the place (an outreach round is not).
PLACE_SERVICES = [s for s in Service if s != Service.OUTREACH]


# --- Opening hours in the OpenStreetMap syntax ----------------------------------------------------


def _hhmm(value: dt.time) -> str:
    return value.strftime("%H:%M")


def _span(opens: dt.time, closes: dt.time, women_only: bool) -> str:
    text = "00:00-24:00" if opens == closes == dt.time(0) else f"{_hhmm(opens)}-{_hhmm(closes)}"
    return f'{text} "femmes uniquement"' if women_only else text


def osm_opening_hours(site: Site, today: dt.date) -> str | None:
    """The week in force today, then the dated exceptions to come (later rules win in the OSM
    syntax): ``Mo-Fr 09:00-17:00; 2026 Dec 24 off``. None when no hours are known."""
    table = weekly_table(site_spans(site), today)
    rules: list[str] = []
    day = 0
    while day < 7:
        spans = table[day]
        end = day
        while end + 1 < 7 and table[end + 1] == spans:
            end += 1
        if spans:
            days = OSM_DAYS[day] if end == day else f"{OSM_DAYS[day]}-{OSM_DAYS[end]}"
            rules.append(f"{days} {','.join(_span(*s) for s in spans)}")
        day = end + 1
    horizon = today + dt.timedelta(days=EXCEPTION_HORIZON_DAYS)
    for exception in site.hours_exceptions.all():
        if not today <= exception.date <= horizon:
            continue
        when = (
            f"{exception.date.year} {OSM_MONTHS[exception.date.month - 1]} {exception.date.day:02d}"
        )
        if exception.closed or exception.opens is None or exception.closes is None:
            rules.append(f"{when} off")
        else:
            rules.append(f"{when} {_hhmm(exception.opens)}-{_hhmm(exception.closes)}")
    return "; ".join(rules) or None


# --- data·inclusion ---------------------------------------------------------------------------


def _place_fields(site: Site) -> dict[str, Any]:
    return {
        "source": SOURCE,
        "adresse": site.address or None,
        "code_postal": site.postcode if len(site.postcode) == 5 else None,
        "code_insee": site.code_insee if len(site.code_insee) == 5 else None,
        "commune": site.city or None,
        "latitude": site.lat,
        "longitude": site.lon,
        "date_maj": paris_date(site.updated_at).isoformat(),
    }


def _structure_description(site: Site) -> str:
    kind = str(SiteKind(site.kind).label)
    women = " Réservé aux femmes." if site.admission == Admission.WOMEN_ONLY else ""
    text = (
        f"{kind} géré par {site.operator.name}. Accueil anonyme et gratuit, sans rendez-vous, "
        f"aux horaires publiés.{women}"
    )
    return text[:2000]


def structure_record(site: Site, today: dt.date) -> dict[str, Any]:
    """One site as a data·inclusion "structure"."""
    return {
        **_place_fields(site),
        "id": str(site.public_id),
        "nom": site.name[:150],
        "description": _structure_description(site),
        "typologie": TYPOLOGIE.get(site.kind, "Autre"),
        "site_web": site.operator.website or None,
        "horaires_accueil": osm_opening_hours(site, today),
        "accessibilite_lieu": None,
        "courriel": None,
        "telephone": None,
        "siret": None,
        "labels_nationaux": None,
        "labels_autres": None,
        "complement_adresse": None,
    }


def service_records(site: Site, today: dt.date) -> list[dict[str, Any]]:
    """The site's services (offered at the place) as data·inclusion "services"."""
    hours = osm_opening_hours(site, today)
    women = site.admission == Admission.WOMEN_ONLY
    records = []
    for row in sorted(site.services.all(), key=lambda r: r.service):
        if row.service not in PLACE_SERVICES:
            continue
        label = str(Service(row.service).label)
        records.append(
            {
                **_place_fields(site),
                "id": f"{site.public_id}--{row.service}",
                "structure_id": str(site.public_id),
                "nom": label[:150],
                "description": (
                    f"{label} à {site.name}. Anonyme et gratuit, sans rendez-vous, aux horaires "
                    "publiés ; se présenter sur place."
                )[:2000],
                "frais": "gratuit",
                "thematiques": THEMATIQUES.get(row.service),
                "types": TYPES.get(row.service),
                "publics": ["femmes"] if women else None,
                "modes_accueil": ["en-presentiel"],
                "modes_mobilisation": ["se-presenter"],
                "mobilisable_par": ["usagers", "professionnels"],
                "horaires_accueil": hours,
                "zone_eligibilite": None,
            }
        )
    return records


# --- GeoJSON --------------------------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(PARIS).isoformat() if value is not None else None


def geojson_feature(site: Site, at: dt.datetime) -> dict[str, Any]:
    state = site_open_state(site, at)
    today = paris_date(at)
    changed, closed = todays_exception(site, today)
    upcoming = [
        {
            "date": e.date.isoformat(),
            "closed": e.closed,
            "opens": _hhmm(e.opens) if e.opens else None,
            "closes": _hhmm(e.closes) if e.closes else None,
        }
        for e in site.hours_exceptions.all()
        if today <= e.date <= today + dt.timedelta(days=EXCEPTION_HORIZON_DAYS)
    ]
    return {
        "type": "Feature",
        "id": str(site.public_id),
        "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
        "properties": {
            "id": str(site.public_id),
            "name": site.name,
            "kind": site.kind,
            "operator": site.operator.name,
            "address": site.address,
            "postcode": site.postcode,
            "city": site.city,
            "location_approximate": site.location_approximate,
            "offers": facets(site),
            "services": sorted(s.service for s in site.services.all()),
            "women_only": site.admission == Admission.WOMEN_ONLY,
            "dogs_accepted": site.dogs_accepted,
            "opening_hours": osm_opening_hours(site, today),
            "open_now": state.is_open,
            "open_until": _iso(state.until),
            "next_opening": _iso(state.next_opening),
            "hours_changed_today": changed,
            "closed_today": closed,
            "exceptions": upcoming,
            "room": site_room_levels(site) if state.is_open else {},
        },
    }


# --- The operations -------------------------------------------------------------------------------


class StructureOut(Schema):
    source: str
    id: str
    nom: str
    description: str
    date_maj: str
    typologie: str | None
    adresse: str | None
    code_postal: str | None
    code_insee: str | None
    commune: str | None
    latitude: float | None
    longitude: float | None
    site_web: str | None
    horaires_accueil: str | None
    accessibilite_lieu: str | None
    courriel: str | None
    telephone: str | None
    siret: str | None
    labels_nationaux: list[str] | None
    labels_autres: list[str] | None
    complement_adresse: str | None


class ServiceOut(Schema):
    source: str
    id: str
    structure_id: str
    nom: str
    description: str
    date_maj: str
    adresse: str | None
    code_postal: str | None
    code_insee: str | None
    commune: str | None
    latitude: float | None
    longitude: float | None
    frais: str | None
    thematiques: list[str] | None
    types: list[str] | None
    publics: list[str] | None
    modes_accueil: list[str] | None
    modes_mobilisation: list[str] | None
    mobilisable_par: list[str] | None
    horaires_accueil: str | None
    zone_eligibilite: list[str] | None


def _cors(response: HttpResponse) -> HttpResponse:
    # Open data: any directory may read it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=60"
    return response


@router.get(
    "/open/structures",
    auth=None,
    throttle=[PublicThrottle("read")],
    response=list[StructureOut],
)
def open_structures(request: HttpRequest) -> HttpResponse:
    """The published places as data·inclusion "structures" (schema v1). No authentication."""
    today = local_today()
    data = [structure_record(site, today) for site in published_sites()]
    return _cors(JsonResponse(data, safe=False))


@router.get(
    "/open/services",
    auth=None,
    throttle=[PublicThrottle("read")],
    response=list[ServiceOut],
)
def open_services(request: HttpRequest) -> HttpResponse:
    """The services of the published places as data·inclusion "services" (schema v1)."""
    today = local_today()
    data = [record for site in published_sites() for record in service_records(site, today)]
    return _cors(JsonResponse(data, safe=False))


class FeatureCollectionOut(Schema):
    type: str
    features: list[dict[str, Any]]


@router.get(
    "/open/places.geojson",
    auth=None,
    throttle=[PublicThrottle("read")],
    response=FeatureCollectionOut,
)
def open_places_geojson(request: HttpRequest) -> HttpResponse:
    """The published places with coordinates, their offers, hours, today's changes and, where the
    site publishes it, a coarse room level (GeoJSON, WGS84)."""
    moment = now()
    features = [
        geojson_feature(site, moment)
        for site in published_sites().filter(lon__isnull=False, lat__isnull=False)
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Content-Type"] = "application/geo+json"
    return _cors(response)
