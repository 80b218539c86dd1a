"""Generate the benchmark database: the demo network, its sites cloned up to N_SITES, and five
calendar years of synthetic activity loaded with ``COPY`` (see scale.py for the whole story)."""

from __future__ import annotations

import datetime as dt
import heapq
import json
import re
import time

from bench.reports import extras, rollups
from bench.reports.common import (
    BUILD_RESULTS,
    DB,
    FIRST,
    LAST,
    N_SITES,
    RESULTS,
    SEED,
    URL,
    admin,
    manage,
    next_id,
    scalar,
    setup_django,
)

# The tables loaded with COPY, and those whose plain indexes are rebuilt after the load.
TABLES = (
    "clients_client",
    "visits_visit",
    "consumption_session",
    "consumption_incident",
    "care_careact",
    "care_socialact",
    "care_distribution",
    "care_distributionline",
    "lodging_stay",
    "lodging_bednight",
    "outreach_round",
    "outreach_roundcontact",
)
INDEXED = (
    "visits_visit",
    "consumption_session",
    "care_careact",
    "care_socialact",
    "care_distribution",
    "care_distributionline",
    "lodging_bednight",
    "outreach_roundcontact",
)


def build(target_visits: int) -> dict[str, object]:
    """Create ``halte_scale`` afresh: migrate, load the demo network, clone its sites, load five
    years of activity with ``COPY``, then build the roll-ups; timed, written to BUILD_RESULTS."""
    t_start = time.perf_counter()
    admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    admin(f"CREATE DATABASE {DB}")
    manage("migrate", "-v0")
    manage("load_demo")
    setup_django()
    t_schema = time.perf_counter()
    sites = clone_sites()
    authorise()
    t_sites = time.perf_counter()
    counts = load_activity(sites, target_visits)
    t_activity = time.perf_counter()
    rolled = rollups.build_rollups()
    t_end = time.perf_counter()
    info = {
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "schema_and_demo_s": t_schema - t_start,
        "sites_s": t_sites - t_schema,
        "activity_s": t_activity - t_sites,
        "total_s": t_end - t_start,
        **counts,
        **rolled,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    BUILD_RESULTS.write_text(json.dumps(info, indent=1))
    print(json.dumps(info, indent=1))
    return info


def clone_sites() -> list[int]:
    """Operational demo sites with opening hours cloned through the registry service, up to
    N_SITES such sites in all; returns them (an operational site without hours has no activity:
    it is neither cloned nor counted, and gets no visits)."""
    from django.db import transaction

    from halte.accounts.models import User
    from halte.network.models import Site, WeeklyHours
    from halte.network.services import CAPACITY_FIELDS, LOCATION_FIELDS, site_create

    actor = User.objects.get(username="coordinator")
    with_hours = Site.objects.filter(status="operational", weekly_hours__isnull=False).distinct()
    originals = list(with_hours.order_by("pk"))
    total = len(originals)
    k = 0
    with transaction.atomic():
        while total < N_SITES:
            src = originals[k % len(originals)]
            n = k // len(originals) + 2
            fields = {f: getattr(src, f) for f in (*CAPACITY_FIELDS, *LOCATION_FIELDS)}
            site = site_create(
                actor=actor,
                operator=src.operator,
                slug=f"{src.slug}-{n}",
                name=f"{src.name} {n}",
                kind=src.kind,
                status="operational",
                status_since=FIRST - dt.timedelta(days=365),
                **fields,
            )
            WeeklyHours.objects.bulk_create(
                [
                    WeeklyHours(
                        site=site,
                        weekday=w.weekday,
                        opens=w.opens,
                        closes=w.closes,
                        women_only=w.women_only,
                        valid_from=w.valid_from,
                        valid_until=w.valid_until,
                    )
                    for w in WeeklyHours.objects.filter(site=src)
                ]
            )
            total += 1
            k += 1
    return list(with_hours.order_by("pk").values_list("pk", flat=True))


# The authorisations the bench gives when the demo has none: per operator, one for each kind of
# establishment, covering its places of these kinds (FINESS numbers of a department that does not
# exist: 99).
AUTHORISED_KINDS = {
    "caarud": ("caarud", "caarud_antenna", "mobile_unit"),
    "csapa": ("csapa",),
    "hsa": ("hsa",),
}


def authorise() -> dict[str, int]:
    """Authorisations (FINESS numbers) over the cloned sites, through the registry's services: a
    clone joins every authorisation of the site it copies (an establishment with several places);
    if the demo has none, one per operator and kind of establishment over its places."""
    from halte.accounts.models import User
    from halte.network import services
    from halte.network.models import Authorisation, Site

    actor = User.objects.get(username="coordinator")
    clones = {s.slug: s for s in Site.objects.filter(slug__regex=r"-[0-9]+$")}
    existing = list(Authorisation.objects.prefetch_related("sites"))
    if existing:
        for auth in existing:
            covered = list(auth.sites.all())
            slugs = {s.slug for s in covered}
            added = [c for slug, c in clones.items() if re.sub(r"-\d+$", "", slug) in slugs]
            if added:
                services.authorisation_update(
                    actor=actor, authorisation=auth, sites=[*covered, *added]
                )
        return {"authorisations": len(existing)}
    n = 0
    operational = Site.objects.filter(status="operational").select_related("operator")
    for kind, site_kinds in AUTHORISED_KINDS.items():
        by_operator: dict[int, list[object]] = {}
        for site in operational.filter(kind__in=site_kinds).order_by("pk"):
            by_operator.setdefault(site.operator_id, []).append(site)
        for places in by_operator.values():
            n += 1
            operator = places[0].operator  # type: ignore[attr-defined]
            services.authorisation_create(
                actor=actor,
                operator=operator,
                finess=f"99{n:07d}",
                kind=kind,
                label=f"{operator.name} – {kind.upper()} (bench)",
                sites=places,  # type: ignore[arg-type]
                note="Benchmark: invented FINESS number.",
            )
    return {"authorisations": n}


def _intervals(site_id: int) -> tuple[list[float], list[float]]:
    """Opening intervals (UTC epoch seconds, length in seconds) of the site over the 5 years."""
    from halte.network.hours import intervals_on
    from halte.network.models import Site
    from halte.network.selectors import site_exceptions, site_spans

    site = Site.objects.get(pk=site_id)
    spans, exceptions = site_spans(site), {e.date: e for e in site_exceptions(site)}
    starts, lengths = [], []
    day = FIRST
    while day <= LAST:
        for iv in intervals_on(day, spans, exceptions):
            length = (iv.end - iv.start).total_seconds()
            if length > 1800:
                starts.append(iv.start.timestamp())
                lengths.append(length)
        day += dt.timedelta(days=1)
    return starts, lengths


def _ts(epoch) -> list[str]:  # type: ignore[no-untyped-def]
    import numpy as np

    s = np.datetime_as_string(np.asarray(epoch, dtype="int64").astype("datetime64[s]"), unit="s")
    return [x + "+00" for x in s.tolist()]


def _copy(cur, table: str, columns: tuple[str, ...], rows_cols: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(map("\t".join, zip(*rows_cols, strict=True)))
    if not text:
        return
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(text + "\n")


def _load_defaults(cur, tables: tuple[str, ...]) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Give each NOT NULL column without a database default its model's default for the load:
    ``gen_random_uuid()`` for ``public_id``, ``now()`` for the timestamps, else the field's
    default (a char field's is ""); returns the (table, column) pairs to reset afterwards."""
    from django.apps import apps
    from django.db import connection
    from psycopg import sql

    models = {m._meta.db_table: m for m in apps.get_models()}
    done = []
    for table in tables:
        cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND is_nullable = 'NO' AND column_default IS NULL",
            [table],
        )
        bare = {r[0] for r in cur.fetchall()}
        for f in models[table]._meta.concrete_fields:
            if f.primary_key or f.column not in bare:
                continue
            column = str(f.column)
            expr: sql.Composable
            if column == "public_id":
                expr = sql.SQL("gen_random_uuid()")
            elif column in ("created_at", "updated_at"):
                expr = sql.SQL("now()")
            else:
                value = f.get_default()
                if value is None:
                    continue
                expr = sql.Literal(f.get_db_prep_save(value, connection))
            cur.execute(
                sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}").format(
                    sql.Identifier(table), sql.Identifier(column), expr
                )
            )
            done.append((table, column))
    return done


def load_activity(site_ids: list[int], target_visits: int) -> dict[str, object]:
    import numpy as np
    import psycopg

    from halte.accounts.models import User
    from halte.consumption.models import Booth
    from halte.network.models import Site

    rng = np.random.default_rng(SEED)
    actor = User.objects.get(username="reception-paris").pk
    sites = {s.pk: s for s in Site.objects.filter(pk__in=site_ids)}
    booths: dict[int, dict[str, list[int]]] = {}
    for b in Booth.objects.filter(site_id__in=site_ids, is_active=True).order_by("pk"):
        booths.setdefault(b.site_id, {}).setdefault(b.route, []).append(b.pk)
    # Sites with booths get twice the visits of the others; the total aims at target_visits.
    weight = {pk: (2.0 if pk in booths else 1.0) for pk in site_ids}
    days = (LAST - FIRST).days + 1
    per_day = {pk: target_visits / days * w / sum(weight.values()) for pk, w in weight.items()}

    conn = psycopg.connect(URL, autocommit=False)
    cur = conn.cursor()
    cur.execute("SET session_replication_role = replica")
    cur.execute("SET maintenance_work_mem = '512MB'")
    cur.execute("SET TIME ZONE 'UTC'")
    # The columns COPY leaves out get their model's default for the load (a uuid, now, the
    # field's default), so that a field added to a model does not break the generator.
    defaults = _load_defaults(cur, TABLES)
    # Plain indexes (not backing a constraint) of the big tables: dropped, rebuilt after the load.
    cur.execute(
        """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
           FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
           WHERE t.relname = ANY(%s)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
        [list(INDEXED)],
    )
    indexes = cur.fetchall()
    for name, _def in indexes:
        cur.execute(f"DROP INDEX {name}")

    # People: one network pool; each site draws its public from it (some people go to several).
    # Each person first comes on an entry date (a third before the five years, the rest spread
    # over them), so every year has its newcomers.
    from halte.demo.activity import visits as demo_visits
    from halte.visits.enums import PURPOSE_BITS

    n_people = 60_000
    birth = np.clip(rng.normal(1987, 8, n_people), 1950, 2006).astype(int)
    u = rng.random(n_people)
    sex = np.where(u < 0.16, "woman", np.where(u < 0.17, "other", "man"))
    c0 = next_id(cur, "clients_client")
    client_ids = np.arange(c0, c0 + n_people)
    first_epoch = dt.datetime.combine(FIRST, dt.time(0), dt.UTC).timestamp()
    span = (LAST - FIRST).days * 86400.0
    entry = np.where(
        rng.random(n_people) < 1 / 3, first_epoch - 1, first_epoch + rng.random(n_people) * span
    )
    home = rng.choice(site_ids, size=n_people)
    _copy(
        cur,
        "clients_client",
        (
            "id",
            "code",
            "birth_year",
            "sex_gender",
            "nickname",
            "registered_at_site_id",
            "registered_by_id",
            "is_active",
        ),
        [
            list(map(str, client_ids.tolist())),
            [f"Z{i:011d}" for i in client_ids.tolist()],
            list(map(str, birth.tolist())),
            sex.tolist(),
            [""] * n_people,
            list(map(str, home.tolist())),
            [str(actor)] * n_people,
            ["t"] * n_people,
        ],
    )

    totals = {"people": n_people, "visits": 0, "sessions": 0, "incidents": 0}
    t0 = time.perf_counter()
    parts: list[dict[str, np.ndarray]] = []
    team_intervals: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    s_parts: list[dict[str, np.ndarray]] = []
    offset = 0
    for n, pk in enumerate(sorted(site_ids), start=1):
        starts, lengths = (np.array(x) for x in _intervals(pk))
        if not len(starts):
            continue
        counts = rng.poisson(per_day[pk] * days * lengths / lengths.sum())
        total = int(counts.sum())
        iv = np.repeat(np.arange(len(starts)), counts)
        arrived = starts[iv] + rng.random(total) * (lengths[iv] - 1200)
        arrived = np.sort(arrived).astype("int64")
        left = arrived + rng.integers(15 * 60, 75 * 60, total)
        # This site's public: a slice of the pool, in order of entry. A visit picks among the
        # people already arrived, the longest-known most often (regulars), newcomers now and then.
        size = int(min(n_people, 3000 + 8 * per_day[pk]))
        public = rng.choice(n_people, size=size, replace=False)
        public = public[np.argsort(entry[public])]
        eligible = np.searchsorted(entry[public], arrived, side="right")
        pick = np.minimum((eligible * rng.random(total) ** 1.6).astype(int), size - 1)
        client = client_ids[public[pick]]
        anonymous = (rng.random(total) < 0.08) | (eligible == 0)
        # Purposes: material on 30 % of visits, care 15 %, social support 6 %, else a rest.
        u = rng.random((3, total))
        purposes = (
            np.where(u[0] < 0.30, PURPOSE_BITS["material"], 0)
            | np.where(u[1] < 0.15, PURPOSE_BITS["care"], 0)
            | np.where(u[2] < 0.06, PURPOSE_BITS["social"], 0)
        ).astype(np.int64)
        if sites[pk].kind == "outreach_team":
            team_intervals[pk] = (starts, lengths)
        # Sessions: identified visitors, 85 % of them, booth by booth in time order.
        s_rows: list[tuple[int, int, str, int, int]] = []
        if pk in booths:
            wants = np.flatnonzero(~anonymous & (rng.random(total) < 0.85))
            routes = list(booths[pk])
            route_of = rng.integers(0, len(routes), len(wants))
            wait = rng.integers(120, 600, len(wants))
            dur = rng.integers(600, 1800, len(wants))
            heaps = {r: [(0, b) for b in booths[pk][r]] for r in routes}
            for h in heaps.values():
                heapq.heapify(h)
            for j, vi in enumerate(wants.tolist()):
                route = routes[route_of[j]]
                at = int(arrived[vi]) + int(wait[j])
                free, booth = heapq.heappop(heaps[route])
                start = max(at, free)
                if start >= left[vi]:
                    heapq.heappush(heaps[route], (free, booth))
                    continue  # waited too long for a booth and left
                end = min(start + int(dur[j]), int(left[vi]))
                heapq.heappush(heaps[route], (end, booth))
                s_rows.append((vi, booth, route, start, end))
        if s_rows:
            vis = np.array([r[0] for r in s_rows], dtype=np.int64)
            purposes[vis] |= PURPOSE_BITS["consumption"]
            route_arr = np.array([r[2] for r in s_rows])
            prod = np.empty(len(s_rows), dtype=object)
            # The products declared in the room of the demo site this one is (or clones).
            profile = demo_visits.PROFILES.get(re.sub(r"-\d+$", "", sites[pk].slug))
            mix = profile.products if profile else demo_visits.PARIS_PRODUCTS
            for route, (choices, probs) in mix.items():
                mask = route_arr == route
                prod[mask] = rng.choice([str(c) for c in choices], size=int(mask.sum()), p=probs)
            s_parts.append(
                {
                    "visit": vis + offset,
                    "booth": np.array([r[1] for r in s_rows], dtype=np.int64),
                    "route": route_arr,
                    "product": prod,
                    "start": np.array([r[3] for r in s_rows], dtype=np.int64),
                    "end": np.array([r[4] for r in s_rows], dtype=np.int64),
                    "site": np.full(len(s_rows), pk, dtype=np.int64),
                }
            )
        purposes[purposes == 0] = PURPOSE_BITS["rest"]
        parts.append(
            {
                "site": np.full(total, pk, dtype=np.int64),
                "client": np.where(anonymous, -1, client),
                "arrived": arrived,
                "left": left,
                "purposes": purposes,
            }
        )
        offset += total
        print(
            f"site {n}/{len(site_ids)} ({sites[pk].slug}): {total} visits, {len(s_rows)} sessions; "
            f"{offset} visits in {time.perf_counter() - t0:.0f} s",
            flush=True,
        )

    # Rows go in in time order across sites, as a live network writes them (the table's physical
    # order matters to the reports' range scans), in chunks of a million.
    v = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    del parts
    order = np.argsort(v["arrived"], kind="stable")
    v0 = next_id(cur, "visits_visit")
    ids = np.empty(offset, dtype=np.int64)
    ids[order] = np.arange(v0, v0 + offset)
    for lo in range(0, offset, 1_000_000):
        sel = order[lo : lo + 1_000_000]
        m = len(sel)
        client_txt = [("\\N" if c < 0 else str(c)) for c in v["client"][sel].tolist()]
        _copy(
            cur,
            "visits_visit",
            (
                "id",
                "site_id",
                "client_id",
                "arrived_at",
                "left_at",
                "purposes",
                "opened_by_id",
                "closed_by_id",
            ),
            [
                list(map(str, ids[sel].tolist())),
                list(map(str, v["site"][sel].tolist())),
                client_txt,
                _ts(v["arrived"][sel]),
                _ts(v["left"][sel]),
                list(map(str, v["purposes"][sel].tolist())),
                [str(actor)] * m,
                [str(actor)] * m,
            ],
        )
        print(f"visits COPY {lo + m}/{offset} in {time.perf_counter() - t0:.0f} s", flush=True)
    totals["visits"] = offset

    s = {k: np.concatenate([p[k] for p in s_parts]) for k in s_parts[0]}
    del s_parts
    n_s = len(s["start"])
    s_order = np.argsort(s["start"], kind="stable")
    s = {k: a[s_order] for k, a in s.items()}
    s_ids = np.arange(1, n_s + 1)
    for lo in range(0, n_s, 1_000_000):
        sl = slice(lo, lo + 1_000_000)
        m = len(s_ids[sl])
        _copy(
            cur,
            "consumption_session",
            (
                "id",
                "visit_id",
                "booth_id",
                "route",
                "product",
                "started_at",
                "ended_at",
                "started_by_id",
            ),
            [
                list(map(str, s_ids[sl].tolist())),
                list(map(str, ids[s["visit"][sl]].tolist())),
                list(map(str, s["booth"][sl].tolist())),
                s["route"][sl].tolist(),
                s["product"][sl].tolist(),
                _ts(s["start"][sl]),
                _ts(s["end"][sl]),
                [str(actor)] * m,
            ],
        )
    totals["sessions"] = n_s
    # Incidents on a sample of sessions: ~17 emergencies per 60,000 sessions, 9 times as many
    # minor ones (the demo generator's assumption).
    pick = np.flatnonzero(rng.random(n_s) < 17 / 60000 / 0.1)
    k = len(pick)
    emergency = rng.random(k) < 0.1
    minor = rng.choice(["malaise", "stimulant_toxicity", "injury", "violence"], size=k)
    kind = np.where(emergency, "opioid_overdose", minor)
    transfer = emergency & (rng.random(k) < 0.4)
    nal = np.where(emergency, rng.integers(1, 3, k), 0)

    def tf(a: np.ndarray) -> list[str]:
        flags: list[str] = np.where(a, "t", "f").tolist()
        return flags

    _copy(
        cur,
        "consumption_incident",
        (
            "id",
            "site_id",
            "visit_id",
            "session_id",
            "client_id",
            "kind",
            "occurred_at",
            "oxygen",
            "naloxone_doses",
            "resuscitation",
            "emergency_call",
            "hospital_transfer",
            "outcome",
            "recorded_by_id",
        ),
        [
            list(map(str, range(1, k + 1))),
            list(map(str, s["site"][pick].tolist())),
            list(map(str, ids[s["visit"][pick]].tolist())),
            list(map(str, s_ids[pick].tolist())),
            list(map(str, v["client"][s["visit"][pick]].tolist())),
            kind.tolist(),
            _ts(s["start"][pick] + 300),
            tf(emergency),
            list(map(str, nal.tolist())),
            tf(emergency & (rng.random(k) < 0.3)),
            tf(emergency),
            tf(transfer),
            np.where(transfer, "transferred", "recovered_on_site").tolist(),
            [str(actor)] * k,
        ],
    )
    totals["incidents"] = k
    del s
    # What the frameworks read besides visits and sessions (bench/reports/extras.py).
    bits = {p: PURPOSE_BITS[p] for p in ("care", "social", "material")}
    t_extra = time.perf_counter()
    totals.update(extras.care_and_social(cur, rng, actor, v, ids, bits, _copy, _ts))
    outreach_sites = {pk for pk, site in sites.items() if site.kind == "outreach_team"}
    totals.update(extras.material(cur, rng, actor, v, ids, bits, outreach_sites, _copy, _ts))
    totals.update(extras.lodging(cur, rng, actor, client_ids, _copy))
    totals.update(extras.outreach(cur, rng, actor, v, ids, team_intervals, _copy, _ts))
    print(f"care, material, lodging, outreach in {time.perf_counter() - t_extra:.0f} s", flush=True)
    t_copy = time.perf_counter()
    for _name, definition in indexes:
        cur.execute(definition)
    t_index = time.perf_counter()
    for t, column in defaults:
        cur.execute(f"ALTER TABLE {t} ALTER COLUMN {column} DROP DEFAULT")
    for t in TABLES:
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {t}), false)"
        )
    cur.execute("SET session_replication_role = origin")
    conn.commit()
    conn.autocommit = True
    cur.execute("VACUUM ANALYZE")
    t_analyze = time.perf_counter()
    size = scalar(cur, "SELECT pg_database_size(current_database())")
    conn.close()
    return {
        **totals,
        "sites": len(site_ids),
        "copy_s": t_copy - t0,
        "index_s": t_index - t_copy,
        "analyze_s": t_analyze - t_index,
        "db_size_mb": size / 2**20,
        "rebuilt_indexes": [n for n, _d in indexes],
    }
