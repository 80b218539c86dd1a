"""Offline geocoder for Paris addresses over a Base Adresse Nationale extract.

``search("4 rue Ambroise-Paré")`` returns ranked :class:`AddressMatch` objects.
Nothing leaves the machine: the BAN extract bundled in ``halte/geo/data`` is
loaded once (lazily, thread-safe) into compact numpy columns indexed by
normalised street name.

Matching rules, in order of preference (each lowers ``score`` a little):

* street: exact normalised name (type + name), then same name with another
  street type ("rue Parmentier" -> Avenue Parmentier), then names containing
  all the typed words, then difflib fuzzy matching for typos;
* number: exact number and suffix (``exact=True``); otherwise the same number
  without the suffix, or the nearest existing number on the street
  (``exact=False``);
* no number: the median-numbered address of the street (``exact=False``),
  one result per arrondissement the street crosses;
* an arrondissement hint (``75019``, ``19e``, ``Paris 19``) restricts the
  street to that arrondissement when possible.

``score`` is a heuristic ranking value in [0, 1], not a probability.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import re
import threading
from array import array
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from halte.geo.lib._paths import data_path
from halte.geo.lib.normalise import (
    STOPWORDS,
    STREET_TYPES,
    TYPE_ALIASES,
    WORD_ALIASES,
    street_key,
    tokenize,
)

ADDRESSES_FILE = "ban_adresses_paris.csv.gz"

# BAN suffix code -> what is written on the plate.  Index 0 must stay "".
_SUFFIX_CODES = ("", "b", "t", "q", "a", "c", "d", "e", "f", "g", "h")
_SUFFIX_LABELS = {"": "", "b": "bis", "t": "ter", "q": "quater"}
# What staff type after a number -> BAN code.
_SUFFIX_WORDS = {"bis": "b", "ter": "t", "quater": "q", "b": "b", "t": "t", "q": "q"}
_SUFFIX_WORDS.update({c: c for c in "acdefgh"})

_NUMBER = re.compile(r"^(\d{1,4})([a-z]*)$")
_POSTCODE = re.compile(r"^75(0(0[1-9]|1\d|20)|116)$")
_ORDINAL = re.compile(r"^(\d{1,2})(e|er|ere|em|eme|ieme|me)$")
_LOCALITY_WORDS = frozenset({"paris", "france", "cedex", "arrondissement", "arr", "ardt", "arrdt"})
_ORDINAL_TAILS = frozenset({"e", "er", "ere", "em", "eme", "ieme"})

# Score multipliers (why each exists is in the module docstring).
_TYPE_MISMATCH = 0.8
_HINT_MISSED = 0.85
_NOT_EXACT_NUMBER = 0.9
_FUZZY_CUTOFF = 0.75
_MAX_STREETS = 12  # candidate streets resolved per query, keeps queries fast
# Outside the preferred arrondissements, an answer ranks as if its score were this much lower
# (only when the text names no arrondissement): "la Chapelle" is the 18e's before the 17e's.
_NOT_PREFERRED = 0.97


@dataclass(frozen=True, slots=True)
class AddressMatch:
    """One geocoding result (WGS84 lon/lat)."""

    label: str  # "4 Rue Ambroise Paré, 75010 Paris"
    number: int | None  # None when the query had no house number
    suffix: str  # "", "bis", "ter", "quater" or a letter ("A")
    street: str  # BAN street name, e.g. "Rue Ambroise Paré"
    postcode: str
    code_insee: str  # arrondissement, 751xx
    lon: float
    lat: float
    score: float  # heuristic ranking value in [0, 1]
    exact: bool  # True only if this exact number (and suffix) exists


@dataclass(frozen=True, slots=True)
class _Street:
    name: str
    street_type: str | None
    core: str
    start: int  # row slice [start, end) in the column arrays
    end: int


@dataclass(frozen=True, slots=True)
class _Query:
    number: int | None
    suffix: str  # BAN code
    street_variants: tuple[tuple[str, ...], ...]
    insee_hint: str | None


@dataclass(frozen=True)
class _Index:
    numbers: NDArray[np.int32]
    suffixes: NDArray[np.uint8]  # index into _SUFFIX_CODES
    postcodes: NDArray[np.uint8]  # index into postcode_table
    insee: NDArray[np.uint8]  # index into insee_table
    lons: NDArray[np.float64]
    lats: NDArray[np.float64]
    postcode_table: tuple[str, ...]
    insee_table: tuple[str, ...]
    streets: tuple[_Street, ...]
    by_core: dict[str, list[int]]  # core -> street ids
    by_token: dict[str, set[str]]  # word -> cores containing it
    by_full: dict[str, list[int]]  # "type core" -> street ids
    cores: tuple[str, ...]
    fulls: tuple[str, ...]


_lock = threading.Lock()
_index: _Index | None = None


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


@dataclass
class _Columns:
    """Column accumulators filled while streaming the CSV (no per-row objects)."""

    numbers: array[int] = field(default_factory=lambda: array("i"))
    suffixes: bytearray = field(default_factory=bytearray)
    postcodes: bytearray = field(default_factory=bytearray)
    insee: bytearray = field(default_factory=bytearray)
    lons: array[float] = field(default_factory=lambda: array("d"))
    lats: array[float] = field(default_factory=lambda: array("d"))
    postcode_codes: dict[str, int] = field(default_factory=dict)
    insee_codes: dict[str, int] = field(default_factory=dict)
    # (street name, first row): the file is sorted by street, so each street
    # is one contiguous slice of rows.
    street_starts: list[tuple[str, int]] = field(default_factory=list)


def _read_columns() -> _Columns:
    cols = _Columns()
    suffix_lookup = {c: i for i, c in enumerate(_SUFFIX_CODES)}
    with gzip.open(data_path(ADDRESSES_FILE), "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if header != ["numero", "rep", "nom_voie", "code_postal", "code_insee", "lon", "lat"]:
            raise ValueError(f"unexpected columns in {ADDRESSES_FILE}: {header}")
        for row, (numero, rep, name, postcode, insee, lon, lat) in enumerate(reader):
            if not cols.street_starts or cols.street_starts[-1][0] != name:
                cols.street_starts.append((name, row))
            cols.numbers.append(int(numero))
            cols.suffixes.append(suffix_lookup[rep])
            # Few distinct values (21 postcodes, 20 arrondissements): one byte
            # per row instead of a Python string.
            cols.postcodes.append(
                cols.postcode_codes.setdefault(postcode, len(cols.postcode_codes))
            )
            cols.insee.append(cols.insee_codes.setdefault(insee, len(cols.insee_codes)))
            cols.lons.append(float(lon))
            cols.lats.append(float(lat))
    return cols


def _build_streets(starts: list[tuple[str, int]], n_rows: int) -> tuple[_Street, ...]:
    streets = []
    for i, (name, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else n_rows
        street_type, core = street_key(tokenize(name))
        streets.append(_Street(name, street_type, core, start, end))
    return tuple(streets)


def _build_index() -> _Index:
    cols = _read_columns()
    streets = _build_streets(cols.street_starts, len(cols.numbers))
    by_core: dict[str, list[int]] = defaultdict(list)
    by_full: dict[str, list[int]] = defaultdict(list)
    by_token: dict[str, set[str]] = defaultdict(set)
    for sid, street in enumerate(streets):
        by_core[street.core].append(sid)
        by_full[_full_key(street.street_type, street.core)].append(sid)
        for word in street.core.split():
            by_token[word].add(street.core)
    return _Index(
        numbers=np.frombuffer(cols.numbers, dtype=np.intc).astype(np.int32),
        suffixes=np.frombuffer(bytes(cols.suffixes), dtype=np.uint8),
        postcodes=np.frombuffer(bytes(cols.postcodes), dtype=np.uint8),
        insee=np.frombuffer(bytes(cols.insee), dtype=np.uint8),
        lons=np.frombuffer(cols.lons, dtype=np.float64),
        lats=np.frombuffer(cols.lats, dtype=np.float64),
        postcode_table=tuple(cols.postcode_codes),
        insee_table=tuple(cols.insee_codes),
        streets=streets,
        by_core=dict(by_core),
        by_token=dict(by_token),
        by_full=dict(by_full),
        cores=tuple(by_core),
        fulls=tuple(by_full),
    )


def _get_index() -> _Index:
    global _index
    # Double-checked locking: one build even if several threads ask at once.
    if _index is None:
        with _lock:
            if _index is None:
                _index = _build_index()
    return _index


def preload() -> None:
    """Build the address index now (e.g. at process start) instead of on first search."""
    _get_index()


def _full_key(street_type: str | None, core: str) -> str:
    return f"{street_type} {core}" if street_type else core


# --------------------------------------------------------------------------
# Query parsing
# --------------------------------------------------------------------------


def _postcode_to_insee(postcode: str) -> str:
    # 75001..75020 -> 75101..75120; 75116 (north of the 16e) is already 75116.
    return "751" + postcode[-2:]


def _arrondissement_insee(number: str) -> str | None:
    value = int(number)
    return f"751{value:02d}" if 1 <= value <= 20 else None


def _strip_locality(tokens: list[str]) -> tuple[list[str], str | None]:
    """Remove trailing "Paris", "19e", "Paris 19"...; return (tokens, insee hint)."""
    hint: str | None = None
    out = list(tokens)
    while out:
        last = out[-1]
        ordinal = _ORDINAL.match(last)
        if last in _LOCALITY_WORDS:
            out.pop()
        elif ordinal:
            hint = hint or _arrondissement_insee(ordinal.group(1))
            out.pop()
        elif last in _ORDINAL_TAILS and len(out) > 1 and out[-2].isdigit():
            hint = hint or _arrondissement_insee(out[-2])  # "19 e"
            del out[-2:]
        elif last.isdigit() and len(out) > 1 and out[-2] == "paris":
            hint = hint or _arrondissement_insee(last)  # "Paris 19"
            del out[-2:]
        else:
            break
    return out, hint


def _split_number(tokens: list[str]) -> tuple[int | None, str, list[str]]:
    """Take the leading house number and suffix: "62 bis", "62bis", "4-6", "n° 4"."""
    if len(tokens) > 1 and tokens[0] in ("n", "no", "num", "numero") and tokens[1][:1].isdigit():
        tokens = tokens[1:]
    match = _NUMBER.match(tokens[0]) if tokens else None
    if match is None:
        return None, "", tokens
    number, suffix, rest = int(match.group(1)), _SUFFIX_WORDS.get(match.group(2), ""), tokens[1:]
    if rest and rest[0].isdigit():
        rest = rest[1:]  # "4-6 rue X": a range, keep the first number
    # "62 bis avenue": always a suffix; a lone letter only if a street type
    # follows ("4 b rue X"), so "12 q saint michel" stays "quai Saint-Michel".
    if (
        rest
        and not suffix
        and rest[0] in _SUFFIX_WORDS
        and (len(rest[0]) > 1 or (len(rest) > 1 and rest[1] in TYPE_ALIASES))
    ):
        suffix, rest = _SUFFIX_WORDS[rest[0]], rest[1:]
    return number, suffix, rest


def _parse(query: str) -> _Query:
    tokens = tokenize(query)
    hint: str | None = None
    without_postcode = []
    for token in tokens:
        if _POSTCODE.match(token):
            hint = _postcode_to_insee(token)
        else:
            without_postcode.append(token)
    number, suffix, street = _split_number(without_postcode)
    stripped, ordinal_hint = _strip_locality(street)
    # Keep the unstripped form too: "Avenue de France" or "Cour de Rome 8ème"
    # are real street names that end with a locality-looking word.  A query
    # made only of locality words ("Paris", "75010") has no street at all.
    variants = tuple(dict.fromkeys((tuple(stripped), tuple(street)))) if stripped else ()
    return _Query(number, suffix, variants, hint or ordinal_hint)


# --------------------------------------------------------------------------
# Street matching
# --------------------------------------------------------------------------


def _type_factor(idx: _Index, sid: int, wanted: str | None) -> float:
    actual = idx.streets[sid].street_type
    return 1.0 if wanted is None or actual == wanted else _TYPE_MISMATCH


def _add(scores: dict[int, float], sid: int, score: float) -> None:
    if score > scores.get(sid, 0.0):
        scores[sid] = score


def _score_exact(idx: _Index, street_type: str | None, core: str, scores: dict[int, float]) -> None:
    for sid in idx.by_core.get(core, ()):
        _add(scores, sid, _type_factor(idx, sid, street_type))
    # Names whose first word is not a street type ("Grande Avenue du Parc...").
    for sid in idx.by_full.get(_full_key(street_type, core), ()):
        _add(scores, sid, 1.0)


def _score_subset(
    idx: _Index, street_type: str | None, core: str, scores: dict[int, float]
) -> None:
    # Every typed word present in the name: "rue leclerc" -> "Rue du Général Leclerc".
    words = core.split()
    if not words or any(w not in idx.by_token for w in words):
        return
    candidates = set.intersection(*(idx.by_token[w] for w in words))
    for cand in candidates - {core}:
        base = 0.5 + 0.3 * len(core) / len(cand)
        for sid in idx.by_core[cand]:
            _add(scores, sid, base * _type_factor(idx, sid, street_type))


def _score_fuzzy(idx: _Index, street_type: str | None, core: str, scores: dict[int, float]) -> None:
    # Typos: compare the name part, and the full "type name" so that a
    # misspelt type word ("boulevrad chapelle") still lines up.
    for query, pool, table in (
        (core, idx.cores, idx.by_core),
        (_full_key(street_type, core), idx.fulls, idx.by_full),
    ):
        for cand in difflib.get_close_matches(query, pool, n=6, cutoff=_FUZZY_CUTOFF):
            ratio = difflib.SequenceMatcher(None, query, cand).ratio()
            for sid in table[cand]:
                _add(scores, sid, 0.95 * ratio * _type_factor(idx, sid, street_type))


def _core_with_type_word(tokens: tuple[str, ...]) -> str:
    """The whole text as a name: "porte de la chapelle" is also the name part of "Avenue de la
    Porte de la Chapelle", not only a "porte" called "Chapelle"."""
    words = [w for t in tokens for w in WORD_ALIASES.get(t, t).split()]
    return " ".join(w for w in words if w not in STOPWORDS)


def _match_streets(idx: _Index, variants: tuple[tuple[str, ...], ...]) -> dict[int, float]:
    scores: dict[int, float] = {}
    keys = [street_key(list(v)) for v in variants]
    for street_type, core in keys:
        _score_exact(idx, street_type, core, scores)
        _score_subset(idx, street_type, core, scores)
    for variant in variants:
        if variant and variant[0] in TYPE_ALIASES:
            for sid in idx.by_core.get(_core_with_type_word(variant), ()):
                _add(scores, sid, 1.0)
    # Fuzzy matching is the slow part; skip it when a clean match exists.
    if max(scores.values(), default=0.0) < _TYPE_MISMATCH:
        for street_type, core in keys:
            if core:
                _score_fuzzy(idx, street_type, core, scores)
    return scores


# --------------------------------------------------------------------------
# Number resolution and result building
# --------------------------------------------------------------------------


def _rows_in_area(idx: _Index, rows: NDArray[np.intp], insee_hint: str | None) -> NDArray[np.intp]:
    if insee_hint is None or insee_hint not in idx.insee_table:
        return rows[:0]
    selected: NDArray[np.intp] = rows[idx.insee[rows] == idx.insee_table.index(insee_hint)]
    return selected


def _pick_number(
    idx: _Index, rows: NDArray[np.intp], area_rows: NDArray[np.intp], q: _Query
) -> tuple[int, bool]:
    """Row of the requested number, else of the nearest one; and whether it is exact."""
    same = rows[idx.numbers[rows] == q.number]
    if len(same):
        wanted = _SUFFIX_CODES.index(q.suffix)
        hit = same[idx.suffixes[same] == wanted]
        if len(hit):
            return int(hit[0]), True
        # Plain number before other suffixes: "62 ter" missing -> "62".
        return int(same[np.argmin(idx.suffixes[same])]), False
    # Numbers are unique per street, so the hint only matters for the
    # nearest-number fallback: stay in the requested arrondissement.
    pool = area_rows if len(area_rows) else rows
    gap = np.abs(idx.numbers[pool].astype(np.int64) - int(q.number or 0))
    order = np.lexsort((idx.suffixes[pool], idx.numbers[pool], gap))
    return int(pool[order[0]]), False


def _median_rows(idx: _Index, rows: NDArray[np.intp]) -> list[tuple[int, float]]:
    """Median-numbered row per arrondissement, biggest part first, with a score factor."""
    groups = sorted(
        (rows[idx.insee[rows] == code] for code in np.unique(idx.insee[rows])),
        key=len,
        reverse=True,
    )
    picked = []
    for rank, group in enumerate(groups):
        ordered = group[np.argsort(idx.numbers[group], kind="stable")]
        picked.append((int(ordered[len(ordered) // 2]), 1.0 if rank == 0 else 0.98))
    return picked


def _make_match(
    idx: _Index, row: int, street: _Street, with_number: bool, score: float, exact: bool
) -> AddressMatch:
    code = _SUFFIX_CODES[idx.suffixes[row]]
    suffix = _SUFFIX_LABELS.get(code, code.upper())
    number = int(idx.numbers[row]) if with_number else None
    postcode = idx.postcode_table[idx.postcodes[row]]
    prefix = f"{number}{' ' + suffix if suffix else ''} " if number is not None else ""
    return AddressMatch(
        label=f"{prefix}{street.name}, {postcode} Paris",
        number=number,
        suffix=suffix if with_number else "",
        street=street.name,
        postcode=postcode,
        code_insee=idx.insee_table[idx.insee[row]],
        lon=float(idx.lons[row]),
        lat=float(idx.lats[row]),
        score=round(min(1.0, score), 4),
        exact=exact,
    )


def _resolve_street(idx: _Index, sid: int, name_score: float, q: _Query) -> list[AddressMatch]:
    street = idx.streets[sid]
    rows = np.arange(street.start, street.end)
    area_rows = _rows_in_area(idx, rows, q.insee_hint)
    score = name_score * (_HINT_MISSED if q.insee_hint and not len(area_rows) else 1.0)
    if q.number is None:
        pool = area_rows if len(area_rows) else rows
        return [
            _make_match(idx, r, street, False, score * f, False) for r, f in _median_rows(idx, pool)
        ]
    row, exact = _pick_number(idx, rows, area_rows, q)
    return [
        _make_match(idx, row, street, True, score * (1.0 if exact else _NOT_EXACT_NUMBER), exact)
    ]


def search(query: str, limit: int = 5, *, prefer: Collection[str] = ()) -> list[AddressMatch]:
    """Geocode a free-text Paris address typed by staff; best match first.

    Accepts "4 rue Ambroise-Paré", "172, rue Pelleport, Paris",
    "56 bd de la Chapelle", "62 bis av Parmentier", "rue Riquet 75019"...
    Returns an empty list when no street matches (the caller should tell the
    user), never raises on odd input.  See the module docstring for ranking.
    ``prefer`` (INSEE codes, e.g. the 18e and 19e where a team works) ranks
    answers in those arrondissements first when the text names none.
    """
    if limit <= 0 or not query or not query.strip():
        return []
    idx = _get_index()
    parsed = _parse(query)
    if not parsed.street_variants:
        return []
    scores = _match_streets(idx, parsed.street_variants)
    best = sorted(scores.items(), key=lambda item: (-item[1], idx.streets[item[0]].name))[
        :_MAX_STREETS
    ]
    matches: dict[str, AddressMatch] = {}
    for sid, name_score in best:
        for match in _resolve_street(idx, sid, name_score, parsed):
            if match.label not in matches or matches[match.label].score < match.score:
                matches[match.label] = match
    preferred = frozenset(prefer) if parsed.insee_hint is None else frozenset()

    def rank(m: AddressMatch) -> float:
        return m.score * (1.0 if not preferred or m.code_insee in preferred else _NOT_PREFERRED)

    ranked = sorted(matches.values(), key=lambda m: (-rank(m), not m.exact, m.label))
    return ranked[:limit]


def street_types() -> frozenset[str]:
    """Canonical (normalised) street type words understood by :func:`search`."""
    return STREET_TYPES
