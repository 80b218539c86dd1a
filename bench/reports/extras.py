"""What the report frameworks read besides visits and sessions, generated cheaply for the benchmark:
care acts and social acts on the visits that came for them, material given (and used syringes
brought back) on the visits that came for material, stays and bed nights in every bed of the
network, and outreach rounds with their contacts (the visits of the outreach teams).

All rows are derived from the visits already generated (site, person, time, purposes) and loaded
with ``COPY``. Rules the database enforces hold by construction: one care act's fields match its
kind, a distribution names each item once, a bed holds one stay a night and a person one bed a
night (each bed draws its people from a slice of the pool of its own), a stay ends after it
begins, a round contact is one visit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from bench.reports.common import FIRST, LAST, next_id

# Care acts on a care visit: (kind, share). Screenings carry a result; the others none.
CARE_KINDS = (
    ("nursing", 0.38),
    ("wound_care", 0.18),
    ("medical_consultation", 0.14),
    ("trod_hcv", 0.09),
    ("trod_hiv", 0.09),
    ("trod_hbv", 0.03),
    ("naloxone_training", 0.05),
    ("tso_referred", 0.04),
)
SCREENING = {"trod_hcv", "trod_hiv", "trod_hbv"}
# Results of a rapid test: refused, positive, negative (positives rare, more for hepatitis C).
SOCIAL_KINDS = (
    ("interview", 0.45),
    ("rights_puma", 0.12),
    ("rights_css", 0.08),
    ("rights_ame", 0.10),
    ("domiciliation", 0.12),
    ("id_papers", 0.06),
    ("housing_siao", 0.07),
)
SOCIAL_OUTCOMES = (("done", 0.6), ("requested", 0.25), ("obtained", 0.1), ("declined", 0.05))
# Material lines: three disjoint pools, so that a distribution never names an item twice.
# (code, share in its pool, least and most units)
PRIMARY = (
    ("syringe_1ml", 0.30, 2, 10),
    ("injection_kit", 0.20, 1, 3),
    ("crack_kit", 0.25, 1, 3),
    ("pipe", 0.10, 1, 2),
    ("nasal_kit", 0.10, 1, 2),
    ("naloxone_kit", 0.05, 1, 1),
)
SECONDARY = (
    ("condom", 0.35, 2, 10),
    ("water", 0.20, 2, 10),
    ("filter", 0.15, 2, 10),
    ("swab", 0.15, 2, 10),
    ("mouthpiece", 0.15, 1, 5),
)
COLLECTED = (("used_syringe", 0.85, 2, 30), ("sharps_container", 0.15, 1, 1))
EXIT_REASONS = (
    ("end_of_stay", 0.35),
    ("left", 0.25),
    ("other_accommodation", 0.15),
    ("housing_found", 0.10),
    ("hospital", 0.07),
    ("exclusion", 0.07),
    ("death", 0.01),
)
ZONES = ("stalingrad", "eole", "riquet", "chapelle", "villette", "rosa_parks", "metro")

Copy = Callable[[Any, str, tuple[str, ...], list[list[str]]], None]
Stamps = Callable[[Any], list[str]]


def _pick(rng: np.random.Generator, table: tuple[tuple[Any, ...], ...], n: int) -> np.ndarray:
    """``n`` indexes into ``table`` drawn with the shares of its second column."""
    p = np.array([row[1] for row in table], dtype=float)
    return rng.choice(len(table), size=n, p=p / p.sum())


def _s(a: np.ndarray) -> list[str]:
    return list(map(str, a.tolist()))


def _tf(a: np.ndarray) -> list[str]:
    return list(np.where(a, "t", "f").tolist())


def _client(a: np.ndarray) -> list[str]:
    return [("\\N" if c < 0 else str(c)) for c in a.tolist()]


def _dates(days: np.ndarray) -> list[str]:
    base = np.datetime64(FIRST.isoformat(), "D")
    return list(np.datetime_as_string(base + days.astype("timedelta64[D]"), unit="D").tolist())


def care_and_social(
    cur: Any,
    rng: np.random.Generator,
    actor: int,
    v: dict[str, np.ndarray],
    ids: np.ndarray,
    bits: dict[str, int],
    copy: Copy,
    ts: Stamps,
) -> dict[str, int]:
    """One care act per visit that came for care, one social act per visit that came for social
    support, a few minutes after arrival."""
    care = np.flatnonzero(v["purposes"] & bits["care"])
    n = len(care)
    kind_i = _pick(rng, CARE_KINDS, n)
    kinds = np.array([k for k, _p in CARE_KINDS])[kind_i]
    screening = np.isin(kinds, list(SCREENING))
    u = rng.random(n)
    positive_rate = np.where(kinds == "trod_hcv", 0.06, 0.01)
    result = np.where(
        screening,
        np.where(u < 0.08, "refused", np.where(u < 0.08 + positive_rate, "positive", "negative")),
        "",
    )
    kit = (kinds == "naloxone_training") & (rng.random(n) < 0.8)
    c0 = next_id(cur, "care_careact")
    copy(
        cur,
        "care_careact",
        (
            "id",
            "site_id",
            "visit_id",
            "client_id",
            "kind",
            "result",
            "naloxone_kit_given",
            "vaccine",
            "performed_at",
            "recorded_by_id",
        ),
        [
            _s(np.arange(c0, c0 + n)),
            _s(v["site"][care]),
            _s(ids[care]),
            _client(v["client"][care]),
            kinds.tolist(),
            result.tolist(),
            _tf(kit),
            [""] * n,
            ts(v["arrived"][care] + rng.integers(300, 900, n)),
            [str(actor)] * n,
        ],
    )
    social = np.flatnonzero(v["purposes"] & bits["social"])
    m = len(social)
    s_kinds = np.array([k for k, _p in SOCIAL_KINDS])[_pick(rng, SOCIAL_KINDS, m)]
    outcomes = np.array([k for k, _p in SOCIAL_OUTCOMES])[_pick(rng, SOCIAL_OUTCOMES, m)]
    s0 = next_id(cur, "care_socialact")
    copy(
        cur,
        "care_socialact",
        (
            "id",
            "site_id",
            "visit_id",
            "client_id",
            "kind",
            "outcome",
            "performed_at",
            "recorded_by_id",
        ),
        [
            _s(np.arange(s0, s0 + m)),
            _s(v["site"][social]),
            _s(ids[social]),
            _client(v["client"][social]),
            s_kinds.tolist(),
            outcomes.tolist(),
            ts(v["arrived"][social] + rng.integers(300, 1200, m)),
            [str(actor)] * m,
        ],
    )
    return {"care_acts": n, "social_acts": m}


def material(
    cur: Any,
    rng: np.random.Generator,
    actor: int,
    v: dict[str, np.ndarray],
    ids: np.ndarray,
    bits: dict[str, int],
    outreach_sites: set[int],
    copy: Copy,
    ts: Stamps,
) -> dict[str, int]:
    """A distribution per visit that came for material (at the desk; on the round for an outreach
    team), with one line from the main material, half the time one from the small material, and
    a third of the time used syringes or a sharps container brought back."""
    cur.execute("SELECT code, id, syringe_equivalents FROM care_catalogueitem WHERE is_active")
    catalogue = {code: (pk, eq) for code, pk, eq in cur.fetchall()}
    given = np.flatnonzero(v["purposes"] & bits["material"])
    n = len(given)
    d0 = next_id(cur, "care_distribution")
    d_ids = np.arange(d0, d0 + n)
    sites = v["site"][given]
    channel = np.where(np.isin(sites, list(outreach_sites)), "outreach", "desk")
    copy(
        cur,
        "care_distribution",
        ("id", "site_id", "visit_id", "given_at", "channel", "recorded_by_id"),
        [
            _s(d_ids),
            _s(sites),
            _s(ids[given]),
            ts(v["arrived"][given] + 120),
            channel.tolist(),
            [str(actor)] * n,
        ],
    )
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("dist", "item", "cat", "qty", "eq")}
    for pool, share in ((PRIMARY, 1.0), (SECONDARY, 0.5), (COLLECTED, 0.3)):
        rows = np.flatnonzero(rng.random(n) < share)
        k = _pick(rng, pool, len(rows))
        lo = np.array([p[2] for p in pool])[k]
        hi = np.array([p[3] for p in pool])[k]
        qty = lo + (rng.random(len(rows)) * (hi - lo + 1)).astype(np.int64)
        codes = np.array([p[0] for p in pool])[k]
        cat = np.array([catalogue[p[0]][0] for p in pool])[k]
        eq = np.array([catalogue[p[0]][1] for p in pool])[k] * qty
        for key, arr in (
            ("dist", d_ids[rows]),
            ("item", codes),
            ("cat", cat),
            ("qty", qty),
            ("eq", eq),
        ):
            cols[key].append(arr)
    lines = {k: np.concatenate(a) for k, a in cols.items()}
    order = np.argsort(lines["dist"], kind="stable")
    lines = {k: a[order] for k, a in lines.items()}
    m = len(order)
    l0 = next_id(cur, "care_distributionline")
    for lo in range(0, m, 2_000_000):
        sl = slice(lo, lo + 2_000_000)
        copy(
            cur,
            "care_distributionline",
            (
                "id",
                "distribution_id",
                "item",
                "catalogue_item_id",
                "quantity",
                "syringe_equivalents",
            ),
            [
                _s(np.arange(l0 + lo, l0 + lo + len(lines["dist"][sl]))),
                _s(lines["dist"][sl]),
                lines["item"][sl].tolist(),
                _s(lines["cat"][sl]),
                _s(lines["qty"][sl]),
                _s(lines["eq"][sl]),
            ],
        )
    return {"distributions": n, "distribution_lines": m}


def lodging(
    cur: Any, rng: np.random.Generator, actor: int, client_ids: np.ndarray, copy: Copy
) -> dict[str, int]:
    """Every active bed of the network occupied by stays one after the other over the five years
    (about a month each, a day or two empty between), the last one still open; a night per stay
    day. Each bed draws its people from a slice of the pool of its own."""
    cur.execute("SELECT id FROM lodging_bed WHERE is_active ORDER BY id")
    beds = np.array([r[0] for r in cur.fetchall()], dtype=np.int64)
    if not len(beds):
        return {"beds": 0, "stays": 0, "bed_nights": 0}
    days = (LAST - FIRST).days + 1
    groups = np.array_split(rng.permutation(client_ids), len(beds))
    bed_of, entry, length, client = [], [], [], []
    for b, group in zip(beds.tolist(), groups, strict=True):
        day = int(rng.integers(0, 10))
        while day < days:
            n = int(rng.geometric(1 / 30))
            bed_of.append(b)
            entry.append(day)
            length.append(min(n, days - day))
            client.append(int(group[rng.integers(0, len(group))]))
            day += n + int(rng.integers(0, 3))
    bed_a, entry_a, len_a, client_a = (
        np.array(x, dtype=np.int64) for x in (bed_of, entry, length, client)
    )
    k = len(bed_a)
    # The last stay of each bed is open (no exit): the one running at the end of the period.
    last = np.ones(k, dtype=bool)
    last[:-1] = bed_a[1:] != bed_a[:-1]
    ended = ~last | (entry_a + len_a < days)
    reasons = np.array([r for r, _p in EXIT_REASONS])[_pick(rng, EXIT_REASONS, k)]
    s0 = next_id(cur, "lodging_stay")
    stay_ids = np.arange(s0, s0 + k)
    exit_txt = np.where(ended, np.array(_dates(entry_a + len_a), dtype=object), "\\N")
    copy(
        cur,
        "lodging_stay",
        ("id", "bed_id", "client_id", "entry_date", "exit_date", "exit_reason", "created_by_id"),
        [
            _s(stay_ids),
            _s(bed_a),
            _s(client_a),
            _dates(entry_a),
            exit_txt.tolist(),
            np.where(ended, reasons, "").tolist(),
            [str(actor)] * k,
        ],
    )
    # Nights: a stay from day e for n nights sleeps the nights e .. e + n - 1.
    idx = np.repeat(np.arange(k), len_a)
    starts = np.cumsum(len_a) - len_a
    night = entry_a[idx] + (np.arange(len(idx)) - starts[idx])
    total = len(idx)
    n0 = next_id(cur, "lodging_bednight")
    for lo in range(0, total, 2_000_000):
        sl = slice(lo, lo + 2_000_000)
        part = idx[sl]
        copy(
            cur,
            "lodging_bednight",
            ("id", "bed_id", "night", "stay_id", "client_id"),
            [
                _s(np.arange(n0 + lo, n0 + lo + len(part))),
                _s(bed_a[part]),
                _dates(night[sl]),
                _s(stay_ids[part]),
                _s(client_a[part]),
            ],
        )
    return {"beds": len(beds), "stays": k, "bed_nights": total}


def outreach(
    cur: Any,
    rng: np.random.Generator,
    actor: int,
    v: dict[str, np.ndarray],
    ids: np.ndarray,
    team_intervals: dict[int, tuple[np.ndarray, np.ndarray]],
    copy: Copy,
    ts: Stamps,
) -> dict[str, int]:
    """A round per opening interval of each outreach team (a sector each time), and each visit of
    the team a contact of the round it falls in; new when it is the person's first with the team."""
    r_site, r_start, r_end = [], [], []
    c_round, c_visit, c_new = [], [], []
    r_next = next_id(cur, "outreach_round")
    first_round = r_next
    for site, (starts, lengths) in team_intervals.items():
        rows = np.flatnonzero(v["site"] == site)
        if not len(rows) or not len(starts):
            continue
        rows = rows[np.argsort(v["arrived"][rows], kind="stable")]
        which = np.searchsorted(starts, v["arrived"][rows], side="right") - 1
        used = np.unique(which)
        round_id = np.full(len(starts), -1, dtype=np.int64)
        round_id[used] = np.arange(r_next, r_next + len(used))
        r_next += len(used)
        r_site.append(np.full(len(used), site, dtype=np.int64))
        r_start.append(starts[used].astype(np.int64))
        r_end.append((starts[used] + lengths[used]).astype(np.int64))
        clients = v["client"][rows]
        new = np.zeros(len(rows), dtype=bool)
        known = np.flatnonzero(clients >= 0)
        _u, first = np.unique(clients[known], return_index=True)
        new[known[first]] = True
        c_round.append(round_id[which])
        c_visit.append(ids[rows])
        c_new.append(new)
    if not r_site:
        return {"rounds": 0, "round_contacts": 0}
    sites, starts_a, ends_a = (np.concatenate(x) for x in (r_site, r_start, r_end))
    n = len(sites)
    copy(
        cur,
        "outreach_round",
        ("id", "team_id", "zone", "started_at", "ended_at", "started_by_id"),
        [
            _s(np.arange(first_round, first_round + n)),
            _s(sites),
            rng.choice(list(ZONES), size=n).tolist(),
            ts(starts_a),
            ts(ends_a),
            [str(actor)] * n,
        ],
    )
    rounds, visits, new = (np.concatenate(x) for x in (c_round, c_visit, c_new))
    m = len(rounds)
    c0 = next_id(cur, "outreach_roundcontact")
    copy(
        cur,
        "outreach_roundcontact",
        ("id", "round_id", "visit_id", "is_new"),
        [_s(np.arange(c0, c0 + m)), _s(rounds), _s(visits), _tf(new)],
    )
    return {"rounds": n, "round_contacts": m}
