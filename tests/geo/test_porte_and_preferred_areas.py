"""Issue 23.3: "Porte de la Chapelle" is the avenue of that name in the 18e, never "Avenue de la
Chapelle, 75017"; with preferred arrondissements, an ambiguous street name is theirs first, and a
text that names an arrondissement keeps it."""

from __future__ import annotations

from halte.geo.lib import addresses

NORTH_EAST = frozenset({"75118", "75119"})


def test_a_porte_is_the_avenue_named_after_it() -> None:
    for typed in ("Porte de la Chapelle", "pte de la chapelle", "porte de la Chapelle Paris"):
        best = addresses.search(typed)[0]
        assert best.label == "Avenue de la Porte de la Chapelle, 75018 Paris", typed
    assert addresses.search("Porte de la Villette")[0].street == "Avenue de la Porte de la Villette"
    assert addresses.search("rue de la Chapelle")[0].street == "Rue de la Chapelle"


def test_preferred_areas_first_only_when_the_text_names_none() -> None:
    plain = addresses.search("la Chapelle", limit=8, prefer=NORTH_EAST)
    assert plain[0].code_insee in NORTH_EAST
    labels = [m.label for m in plain]
    avenue_17 = labels.index("Avenue de la Chapelle, 75017 Paris")
    assert all(m.code_insee in NORTH_EAST for m in plain[:avenue_17])
    assert all(m.score == 1.0 for m in plain[: avenue_17 + 1])
    named = addresses.search("avenue de la Chapelle 75017", prefer=NORTH_EAST)
    assert named[0].label == "Avenue de la Chapelle, 75017 Paris"
