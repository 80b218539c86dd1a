"""Offline geocoder over the bundled BAN extract."""

import csv
import gzip
from pathlib import Path

import pytest

from halte.geo.lib import addresses
from halte.geo.lib.addresses import AddressMatch, search
from halte.geo.lib.areas import locate
from halte.geo.lib.distance import haversine_m


def top(query: str) -> AddressMatch:
    results = search(query)
    assert results, f"no result for {query!r}"
    return results[0]


# (query, expected street, number, arrondissement) — what staff type on a tablet.
TYPED_ADDRESSES = [
    ("4 rue Ambroise-Paré", "Rue Ambroise Paré", 4, "75110"),
    ("4 rue ambroise pare 75010", "Rue Ambroise Paré", 4, "75110"),
    ("4 RUE AMBROISE PARÉ", "Rue Ambroise Paré", 4, "75110"),
    ("172 rue pelleport", "Rue Pelleport", 172, "75120"),
    ("172, rue Pelleport, Paris", "Rue Pelleport", 172, "75120"),
    ("9 rue Beaurepaire", "Rue Beaurepaire", 9, "75110"),
    ("100 rue Doudeauville", "Rue Doudeauville", 100, "75118"),
    ("56 bd de la Chapelle", "Boulevard de la Chapelle", 56, "75118"),
    ("56 boulevard chapelle", "Boulevard de la Chapelle", 56, "75118"),
    ("13 r saint luc", "Rue Saint-Luc", 13, "75118"),
    ("13 rue st-luc", "Rue Saint-Luc", 13, "75118"),
    ("12 fg st denis", "Rue du Faubourg Saint-Denis", 12, "75110"),
    ("12 rue du fbg saint-denis", "Rue du Faubourg Saint-Denis", 12, "75110"),
    ("10 pl de la republique", "Place de la République", 10, "75111"),
    ("3 rue d'alesia paris 14", "Rue d'Alésia", 3, "75114"),
    ("n° 172 rue Pelleport 75020 Paris", "Rue Pelleport", 172, "75120"),
]


@pytest.mark.parametrize(("query", "street", "number", "insee"), TYPED_ADDRESSES)
def test_typed_addresses_resolve_exactly(query, street, number, insee):
    match = top(query)
    assert (match.street, match.number, match.code_insee, match.exact) == (
        street,
        number,
        insee,
        True,
    )
    assert match.score == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("query", "lon", "lat", "insee"),
    [
        ("4 rue Ambroise-Paré", 2.35339, 48.881946, "75110"),
        ("172 rue Pelleport", 2.398023, 48.873772, "75120"),
        ("9 rue Beaurepaire", 2.363424, 48.869713, "75110"),
        ("100 rue Doudeauville", 2.348683, 48.888444, "75118"),
    ],
)
def test_point_is_right_and_inside_its_arrondissement(query, lon, lat, insee):
    match = top(query)
    assert haversine_m(match.lon, match.lat, lon, lat) < 5
    # Cross-check the BAN arrondissement with the polygon layer.
    area = locate(match.lon, match.lat)
    assert area is not None and area.code_insee == insee == match.code_insee


def test_label_and_fields():
    match = top("4 rue ambroise-paré")
    assert match.label == "4 Rue Ambroise Paré, 75010 Paris"
    assert (match.postcode, match.suffix) == ("75010", "")


@pytest.mark.parametrize(
    "query", ["62 bis avenue Parmentier", "62bis av parmentier", "62 b avenue parmentier"]
)
def test_bis_suffix(query):
    match = top(query)
    assert (match.street, match.number, match.suffix, match.exact) == (
        "Avenue Parmentier",
        62,
        "bis",
        True,
    )
    assert match.label == "62 bis Avenue Parmentier, 75011 Paris"
    plain = top("62 avenue parmentier")
    assert plain.suffix == "" and (plain.lon, plain.lat) != (match.lon, match.lat)


def test_missing_suffix_falls_back_to_plain_number():
    match = top("62 ter avenue parmentier")
    assert (match.number, match.suffix, match.exact) == (62, "", False)
    assert match.score < 1.0


def test_street_without_number_gives_a_point_on_the_street():
    results = search("rue Riquet")
    assert results[0].street == "Rue Riquet"
    assert results[0].number is None and results[0].exact is False
    assert results[0].label.startswith("Rue Riquet, ")
    # Rue Riquet crosses the 18e and the 19e: one point per arrondissement.
    riquet = [r for r in results if r.street == "Rue Riquet"]
    assert {r.code_insee for r in riquet} == {"75118", "75119"}
    for r in riquet:
        assert locate(r.lon, r.lat).code_insee == r.code_insee


@pytest.mark.parametrize(
    ("hint", "insee"),
    [
        ("75019", "75119"),
        ("19e", "75119"),
        ("19ème", "75119"),
        ("Paris 18", "75118"),
        ("75018 Paris", "75118"),
    ],
)
def test_arrondissement_hint_disambiguates(hint, insee):
    match = top(f"rue Riquet {hint}")
    assert (match.street, match.code_insee) == ("Rue Riquet", insee)
    assert locate(match.lon, match.lat).code_insee == insee


def test_hint_picks_the_part_of_a_long_street():
    in_10 = top("avenue parmentier 75010")
    in_11 = top("avenue parmentier 75011")
    assert (in_10.code_insee, in_11.code_insee) == ("75110", "75111")


def _numbers_on(street: str) -> set[int]:
    # Independent oracle: read the bundled BAN extract directly.
    path = Path(addresses.__file__).resolve().parent.parent / "data" / "ban_adresses_paris.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return {int(r["numero"]) for r in csv.DictReader(fh) if r["nom_voie"] == street}


def test_nonexistent_number_gives_nearest_existing_number():
    numbers = _numbers_on("Rue Pelleport")
    match = top("999 rue Pelleport")
    assert (match.street, match.exact, match.number) == ("Rue Pelleport", False, max(numbers))
    assert match.score < 1.0
    missing = next(n for n in range(min(numbers), max(numbers)) if n not in numbers)
    nearest = min(numbers, key=lambda n: (abs(n - missing), n))
    match = top(f"{missing} rue Pelleport")
    assert (match.number, match.exact) == (nearest, False)


def test_nonexistent_small_number_is_close():
    # 1 rue Saint-Luc does not exist in the BAN; nearest existing number is used.
    match = top("1 r st luc 75018 paris")
    assert match.street == "Rue Saint-Luc" and not match.exact
    assert abs(match.number - 1) <= 2


@pytest.mark.parametrize(
    "query",
    ["12 rue qui n'existe pas", "rue Imaginaire des Tests", "xyzzy", "", "   ", "75010", "Paris"],
)
def test_unknown_street_gives_empty_list(query):
    assert search(query) == []


@pytest.mark.parametrize(
    ("query", "street"),
    [
        ("4 rue ambroise parre", "Rue Ambroise Paré"),
        ("172 rue peleport", "Rue Pelleport"),
        ("100 rue doudauville", "Rue Doudeauville"),
        ("56 boulevrad de la chapelle", "Boulevard de la Chapelle"),
    ],
)
def test_small_typos_are_tolerated(query, street):
    match = top(query)
    assert match.street == street
    assert 0.5 < match.score < 1.0


def test_wrong_street_type_still_finds_the_street_with_lower_score():
    match = top("62 rue parmentier")
    assert match.street == "Avenue Parmentier"
    assert match.score < 1.0


def test_exact_type_ranks_first_among_homonyms():
    assert top("56 rue de la chapelle").street == "Rue de la Chapelle"
    assert top("56 bd de la chapelle").street == "Boulevard de la Chapelle"


def test_names_ending_with_locality_words_are_not_mangled():
    assert top("avenue de France").street == "Avenue de France"
    assert top("1 quai anatole france").street == "Quai Anatole France"


def test_limit_and_ordering():
    results = search("rue saint denis", limit=3)
    assert len(results) <= 3
    assert results[0].street == "Rue Saint-Denis"
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert search("rue saint denis", limit=0) == []


def test_results_are_frozen():
    match = top("4 rue ambroise pare")
    with pytest.raises(AttributeError):
        match.number = 5  # type: ignore[misc]
