"""Text normalisation for French street addresses (Paris).

Shared by the index builder and the query parser so that both sides of a
comparison go through exactly the same rules: lower case, no accents, no
punctuation, abbreviations expanded, articles dropped.
"""

from __future__ import annotations

import re
import unicodedata

# Street types present in the Paris BAN (first word of ``nom_voie``), plus the
# abbreviations staff actually type.  Only applied to the first word of the
# street part, which is what lets "r" mean "rue" and "q" mean "quai" without
# breaking names containing those letters elsewhere.
TYPE_ALIASES: dict[str, str] = {
    "r": "rue",
    "rue": "rue",
    "ru": "rue",
    "av": "avenue",
    "ave": "avenue",
    "avn": "avenue",
    "avenue": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "blvd": "boulevard",
    "bvd": "boulevard",
    "boul": "boulevard",
    "boulevard": "boulevard",
    "pl": "place",
    "place": "place",
    "q": "quai",
    "qu": "quai",
    "qai": "quai",
    "quai": "quai",
    "imp": "impasse",
    "impasse": "impasse",
    "pass": "passage",
    "pas": "passage",
    "psg": "passage",
    "passage": "passage",
    "all": "allee",
    "al": "allee",
    "allee": "allee",
    "sq": "square",
    "square": "square",
    "vla": "villa",
    "villa": "villa",
    "cite": "cite",
    "cour": "cour",
    "crs": "cours",
    "cours": "cours",
    "ch": "chemin",
    "chem": "chemin",
    "chemin": "chemin",
    "rte": "route",
    "route": "route",
    "prom": "promenade",
    "promenade": "promenade",
    "esp": "esplanade",
    "esplanade": "esplanade",
    "carr": "carrefour",
    "carrefour": "carrefour",
    "gal": "galerie",
    "galerie": "galerie",
    "ham": "hameau",
    "hameau": "hameau",
    "sent": "sentier",
    "sentier": "sentier",
    "sente": "sente",
    "voie": "voie",
    "port": "port",
    "pont": "pont",
    "parvis": "parvis",
    "ruelle": "ruelle",
    "terrasse": "terrasse",
    "peristyle": "peristyle",
    "chaussee": "chaussee",
    "pte": "porte",
    "porte": "porte",
    "passerelle": "passerelle",
}
STREET_TYPES = frozenset(TYPE_ALIASES.values())

# Abbreviations valid anywhere in the name (after the type word).
WORD_ALIASES: dict[str, str] = {
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
    "stes": "saintes",
    "fg": "faubourg",
    "fbg": "faubourg",
    "faub": "faubourg",
    "fbourg": "faubourg",
    "gal": "general",
    "gen": "general",
    "gl": "general",
    "gle": "generale",
    "mal": "marechal",
    "pdt": "president",
    "pres": "president",
    "dr": "docteur",
    "doct": "docteur",
    "prof": "professeur",
    "pr": "professeur",
    "cdt": "commandant",
    "cmdt": "commandant",
    "cne": "capitaine",
    "cap": "capitaine",
    "lt": "lieutenant",
    "col": "colonel",
    "mgr": "monseigneur",
    "nd": "notre dame",
    "pte": "porte",
}

# Articles are dropped on both sides: staff write "bd Chapelle" as often as
# "boulevard de la Chapelle", and the BAN has "Rue d'Alésia".
STOPWORDS = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "a", "au", "aux", "et"})

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Ligatures are not decomposed by NFKD.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "oe", "Æ": "ae", "ß": "ss"})


def tokenize(text: str) -> list[str]:
    """Lower-case ASCII tokens: accents removed, punctuation/hyphens as spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NON_ALNUM.sub(" ", plain).split()


def street_key(tokens: list[str]) -> tuple[str | None, str]:
    """Split street tokens into (type, core) with aliases expanded.

    ``["bd", "de", "la", "chapelle"]`` -> ``("boulevard", "chapelle")``.
    The type is None when the first word is not a known street type.
    """
    if not tokens:
        return None, ""
    street_type = TYPE_ALIASES.get(tokens[0])
    rest = tokens[1:] if street_type else tokens
    if street_type is None and tokens[:2] == ["rond", "point"]:
        street_type, rest = "rond point", tokens[2:]
    words: list[str] = []
    for token in rest:
        words.extend(WORD_ALIASES.get(token, token).split())
    core = [w for w in words if w not in STOPWORDS]
    # A name made only of articles (unlikely) keeps them rather than vanish.
    return street_type, " ".join(core or words)
