"""Normalisation rules shared by the address index and the query parser."""

import pytest

from halte.geo.lib.normalise import street_key, tokenize


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Rue Ambroise-Paré", ["rue", "ambroise", "pare"]),
        ("rue d'Alésia", ["rue", "d", "alesia"]),
        ("RUE D’ALÉSIA", ["rue", "d", "alesia"]),  # typographic apostrophe
        ("172, rue Pelleport, Paris", ["172", "rue", "pelleport", "paris"]),
        ("Rue du Cœur-Volant", ["rue", "du", "coeur", "volant"]),
        ("  Place   de la  Nation ", ["place", "de", "la", "nation"]),
    ],
)
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Boulevard de la Chapelle", ("boulevard", "chapelle")),
        ("bd de la chapelle", ("boulevard", "chapelle")),
        ("bd chapelle", ("boulevard", "chapelle")),
        ("r st luc", ("rue", "saint luc")),
        ("Rue Saint-Luc", ("rue", "saint luc")),
        ("av Parmentier", ("avenue", "parmentier")),
        ("rue du fg st denis", ("rue", "faubourg saint denis")),
        ("Rue du Faubourg Saint-Denis", ("rue", "faubourg saint denis")),
        ("pl de la Republique", ("place", "republique")),
        ("qu de jemmapes", ("quai", "jemmapes")),
        ("imp Questre", ("impasse", "questre")),
        ("pass Brady", ("passage", "brady")),
        ("ste marthe", (None, "sainte marthe")),
        ("av du gal leclerc", ("avenue", "general leclerc")),
        ("Rond-Point des Champs-Élysées", ("rond point", "champs elysees")),
        ("pelleport", (None, "pelleport")),
        ("", (None, "")),
    ],
)
def test_street_key(text, key):
    assert street_key(tokenize(text)) == key


def test_abbreviated_and_full_forms_share_a_key():
    assert street_key(tokenize("56 bd de la Chapelle")[1:]) == street_key(
        tokenize("Boulevard de la Chapelle")
    )
