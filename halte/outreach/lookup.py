"""What place does the worker mean? A typed text ("Porte de la Chapelle", "Stalingrad", "4 rue
Ambroise-Paré") becomes ranked candidates, each saying what was understood: the network's own
gathering places first, then the stations of the metro and tram, then Base Adresse Nationale
addresses, those of the arrondissements where the network works first when the text names none.
The screen and the API both ask :func:`where_candidates`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from halte.accounts.models import User
from halte.geo.lib import addresses, reference
from halte.geo.lib.normalise import STOPWORDS, TYPE_ALIASES, WORD_ALIASES, tokenize
from halte.outreach.selectors import gathering_places

PLACE, STATION, ADDRESS = "place", "station", "address"
KIND_LABELS = {
    PLACE: _("lieu de regroupement suivi"),
    STATION: _("station"),
    ADDRESS: _("adresse"),
}
# A name match ranks as: the network's place named exactly 1.0, a place whose name holds every
# typed word 0.9 (under a whole street name of the BAN, 1.0), a station named exactly 0.88, a
# station whose name holds every typed word 0.6.
PLACE_EXACT, PLACE_PART, STATION_EXACT, STATION_PART = 1.0, 0.9, 0.88, 0.6
# Stations of Paris and the three departments around it (the Greater Paris).
STATION_DEPARTMENTS = ("75", "92", "93", "94")
_LOCALITY = re.compile(r"^(paris|france|arr|arrondissement|\d{1,2}(e|er|eme|ieme)?|75\d{3})$")
_IN_BRACKETS = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class Candidate:
    """One reading of the typed text (WGS84)."""

    label: str
    kind: str  # PLACE, STATION or ADDRESS
    lon: float
    lat: float
    code_insee: str
    score: float  # heuristic ranking value in [0, 1], not a probability
    exact: bool  # False for an address placed at a nearby number or mid-street

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


def _words(text: str) -> set[str]:
    """The words that name a place: no article, no street type, no "Paris" or "18e"."""
    words = set()
    for token in tokenize(_IN_BRACKETS.sub(" ", text)):
        for word in WORD_ALIASES.get(token, token).split():
            if word not in STOPWORDS and not _LOCALITY.match(word):
                words.add(word)
    return words


def _name_score(typed: set[str], name: set[str], exact: float, part: float) -> float:
    if not typed - set(TYPE_ALIASES.values()):
        return 0.0  # "rue" alone names nothing
    if typed == name:
        return exact
    return part if typed < name else 0.0


def preferred_areas(user: User | AnonymousUser) -> frozenset[str]:
    """Where the network works: the arrondissements of its gathering places and of the user's
    own sites (in the demo, the 18e and 19e)."""
    codes = set(gathering_places(user).values_list("code_insee", flat=True))
    if isinstance(user, User):
        codes.update(user.memberships.values_list("site__code_insee", flat=True))
    return frozenset(c for c in codes if c)


def _places(user: User | AnonymousUser, typed: set[str]) -> list[Candidate]:
    found = []
    for place in gathering_places(user):
        score = _name_score(typed, _words(place.name), PLACE_EXACT, PLACE_PART)
        if score:
            found.append(
                Candidate(place.name, PLACE, place.lon, place.lat, place.code_insee, score, True)
            )
    return found


def _stations(typed: set[str]) -> list[Candidate]:
    found = []
    for station in reference.stations():
        if not station.code_insee.startswith(STATION_DEPARTMENTS):
            continue
        score = _name_score(typed, _words(station.name), STATION_EXACT, STATION_PART)
        if score:
            lines = ", ".join(line.lower().replace("metro", "métro") for line in station.lines)
            label = f"{station.name} ({lines})"
            found.append(
                Candidate(label, STATION, station.lon, station.lat, station.code_insee, score, True)
            )
    return found


def where_candidates(user: User | AnonymousUser, text: str, *, limit: int = 6) -> list[Candidate]:
    """The places the text may mean, best first; empty when nothing matches. A text with a house
    number is an address: named places are not offered for it."""
    text = text.strip()
    if not text:
        return []
    prefer = preferred_areas(user)
    typed = _words(text)
    has_number = bool(re.match(r"^\s*\d", text))
    named = [] if has_number or not typed else _places(user, typed) + _stations(typed)
    found = named + [
        Candidate(m.label, ADDRESS, m.lon, m.lat, m.code_insee, m.score, m.exact)
        for m in addresses.search(text, limit=limit, prefer=prefer)
    ]
    order = {PLACE: 0, STATION: 1, ADDRESS: 2}

    def key(c: Candidate) -> tuple[float, int, str]:
        preferred = not prefer or c.kind == PLACE or c.code_insee in prefer
        return (-c.score * (1.0 if preferred else 0.97), order[c.kind], c.label)

    seen: set[str] = set()
    ranked = []
    for candidate in sorted(found, key=key):
        if candidate.label not in seen:
            seen.add(candidate.label)
            ranked.append(candidate)
    return ranked[:limit]
