"""Offline geography: address lookup in Paris, and the areas of the Greater Paris."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from halte.geo.lib import addresses, areas

router = Router(tags=["géographie"])


class AddressQuery(Schema):
    q: str = Field(..., min_length=2, max_length=200)
    limit: int = Field(5, ge=1, le=20)


class AreaOut(Schema):
    code_insee: str
    name: str
    kind: str


class AddressOut(Schema):
    label: str
    lon: float
    lat: float
    postcode: str
    exact: bool
    score: float
    area: AreaOut | None


@router.get("/addresses", response=list[AddressOut])
def search_addresses(request: HttpRequest, params: Query[AddressQuery]) -> list[dict[str, object]]:
    """Place an address typed in Paris (Base Adresse Nationale, offline); each answer carries the
    arrondissement or commune derived from its point. An unknown street gives an empty list."""
    results = []
    for match in addresses.search(params.q, limit=params.limit):
        area = areas.locate(match.lon, match.lat)
        results.append(
            {
                "label": match.label,
                "lon": match.lon,
                "lat": match.lat,
                "postcode": match.postcode,
                "exact": match.exact,
                "score": match.score,
                "area": None
                if area is None
                else {"code_insee": area.code_insee, "name": area.name, "kind": area.kind},
            }
        )
    return results


@router.get("/areas", response=list[AreaOut])
def list_areas(request: HttpRequest) -> list[dict[str, object]]:
    """The 20 arrondissements and the communes of the Métropole du Grand Paris."""
    return [{"code_insee": a.code_insee, "name": a.name, "kind": a.kind} for a in areas.all_areas()]
