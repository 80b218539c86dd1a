"""Check-in throughput and latency on PostgreSQL behind gunicorn, against the health endpoint.

Run: ``.venv/bin/python bench/checkin_load.py`` (PostgreSQL at 127.0.0.1:5432, trust auth). It
creates the database ``halte_bench``, loads the demo network, serves it with gunicorn in production
settings on 127.0.0.1:8765, then measures, in the same run:
  1. the peak throughput of GET /api/v1/health (the baseline) and of POST /api/v1/visits;
  2. the latency of check-in at a steady 50 requests a second;
  3. the peak memory (VmHWM) of the server processes;
and rewrites its block in docs/performance.md. Traffic goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv/bin/python")
HOST, PORT = "127.0.0.1", 8765
DB = "halte_bench"
PEAK_SECONDS = float(os.environ.get("BENCH_PEAK_SECONDS", "10"))
STEADY_SECONDS = float(os.environ.get("BENCH_STEADY_SECONDS", "20"))
CLIENT_THREADS = int(os.environ.get("BENCH_THREADS", "8"))
SERVER_URL = f"postgres://postgres@{HOST}:5432"
BENCH_DB_URL = f"{SERVER_URL}/{DB}"
PEOPLE = 40_000  # more than the person check-ins of all the peaks together
# gunicorn's own advice is (2 x cores) + 1 sync workers; the run also measures 3, the count the
# README used to show, so that the effect of the choice is on record.
RECOMMENDED = 2 * (os.cpu_count() or 1) + 1
WORKER_COUNTS = [
    int(n) for n in os.environ.get("BENCH_WORKERS", f"{RECOMMENDED},3").split(",") if n.strip()
]
ENV = {
    **os.environ,
    "HALTE_ENV": "production",
    "HALTE_SECRET_KEY": secrets.token_urlsafe(50),
    "HALTE_CLIENT_CODE_KEY": secrets.token_hex(32),
    "HALTE_ALLOWED_HOSTS": HOST,
    "HALTE_SSL_REDIRECT": "0",
    "HALTE_LOG_LEVEL": "WARNING",
    "DATABASE_URL": BENCH_DB_URL,
}


def manage(*args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def prepare_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB}")
        conn.execute(f"CREATE DATABASE {DB}")
    manage("migrate", "--noinput")
    manage("load_demo")
    with psycopg.connect(BENCH_DB_URL, autocommit=True) as conn:
        # People registered at the room, never seen yet: each person check-in takes the next one
        # (a person already in cannot check in again, which is a 409, not a check-in).
        conn.execute(
            "INSERT INTO clients_client (public_id, created_at, updated_at, code, birth_year,"
            " sex_gender, nickname, is_active, registered_at_site_id, registered_by_id)"
            " SELECT gen_random_uuid(), now(), now(), 'BENCH' || lpad(g::text, 7, '0'),"
            " 1970 + mod(g, 35), CASE WHEN mod(g, 6) = 0 THEN 'woman' ELSE 'man' END, '', true,"
            " (SELECT id FROM network_site WHERE slug = 'paris-hsa'),"
            " (SELECT id FROM accounts_user WHERE username = 'reception-paris')"
            " FROM generate_series(1, %s) g",
            [PEOPLE],
        )


def site_id(token: str) -> str:
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    conn.request("GET", "/api/v1/sites?kind=hsa", headers={"Authorization": f"Bearer {token}"})
    sites = json.loads(conn.getresponse().read())
    return next(s["id"] for s in sites if s["slug"] == "paris-hsa")


def people() -> list[str]:
    import psycopg

    with psycopg.connect(BENCH_DB_URL) as conn:
        rows = conn.execute(
            "SELECT public_id FROM clients_client c WHERE left(code, 5) = 'BENCH' AND NOT EXISTS"
            " (SELECT 1 FROM visits_visit v WHERE v.client_id = c.id) ORDER BY code"
        ).fetchall()
    return [str(row[0]) for row in rows]


def request_factory(kind: str, token: str, site: str, pool: list[str] | None = None):
    """``health``; ``checkin``, an anonymous contact; ``person``, a registered person, each
    request the next person of ``pool`` (consumed)."""
    anonymous = json.dumps({"site": site, "anonymous": True, "purposes": ["material"]})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    lock = threading.Lock()

    def body() -> str:
        if kind != "person":
            return anonymous
        assert pool is not None
        with lock:
            if not pool:
                raise RuntimeError("no person left to check in: raise PEOPLE")
            person = pool.pop()
        return json.dumps({"site": site, "client": person, "purposes": ["consumption", "care"]})

    def send(conn: http.client.HTTPConnection) -> int:
        if kind == "health":
            conn.request("GET", "/api/v1/health")
        else:
            conn.request("POST", "/api/v1/visits", body=body(), headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status

    return send


def peak(send, seconds: float) -> tuple[float, int]:
    """Requests a second with CLIENT_THREADS connections busy for ``seconds``; and failures."""
    stop = time.monotonic() + seconds
    counts = [0] * CLIENT_THREADS
    failures = [0] * CLIENT_THREADS

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
        while time.monotonic() < stop:
            status = send(conn)
            if 200 <= status < 300:
                counts[i] += 1
            else:
                failures[i] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENT_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started), sum(failures)


def steady(send, rate: float, seconds: float) -> list[float]:
    """Latencies (ms) of requests sent at a fixed rate, spread over a few connections."""
    total = int(rate * seconds)
    latencies: list[float] = []
    lock = threading.Lock()
    start = time.monotonic() + 0.2
    lanes = 4

    def lane(k: int) -> None:
        conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
        for n in range(k, total, lanes):
            due = start + n / rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            t0 = time.perf_counter()
            status = send(conn)
            elapsed = (time.perf_counter() - t0) * 1000
            if 200 <= status < 300:
                with lock:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=lane, args=(k,)) for k in range(lanes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def peak_memory_kib(master: int) -> int:
    """Highest VmHWM among the gunicorn master and its workers."""
    pids = [master] + [
        int(p)
        for p in subprocess.run(
            ["pgrep", "-P", str(master)], capture_output=True, text=True
        ).stdout.split()
    ]
    best = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            best = max(best, int(match.group(1)))
    return best


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(workers: int, token: str) -> dict[str, float]:
    """Both endpoints against one gunicorn with ``workers`` sync workers."""
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-b",
            f"{HOST}:{PORT}",
            "-w",
            str(workers),
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection(HOST, PORT, timeout=1).request("GET", "/api/v1/health")
                break
            except OSError:
                time.sleep(0.1)
        site = site_id(token)
        health, checkin, person = (
            request_factory("health", token, site),
            request_factory("checkin", token, site),
            request_factory("person", token, site, people()),
        )
        peak(health, 2)  # warm-up
        peak(checkin, 2)
        peak(person, 2)
        health_rps, health_fail = peak(health, PEAK_SECONDS)
        memory_health = peak_memory_kib(server.pid)
        checkin_rps, checkin_fail = peak(checkin, PEAK_SECONDS)
        person_rps, person_fail = peak(person, PEAK_SECONDS)
        latencies = steady(person, 50, STEADY_SECONDS)
        health_lat = steady(health, 50, STEADY_SECONDS / 2)
        memory_checkin = peak_memory_kib(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    return {
        "workers": workers,
        "health_rps": health_rps,
        "checkin_rps": checkin_rps,
        "person_rps": person_rps,
        "failures": health_fail + checkin_fail + person_fail,
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "health_p50": statistics.median(health_lat),
        "health_p95": percentile(health_lat, 0.95),
        "n_steady": len(latencies),
        "mem_health": memory_health,
        "mem_checkin": memory_checkin,
    }


def main() -> None:
    prepare_database()
    token = manage("issue_token", "reception-paris").splitlines()[-1]
    runs = [measure(workers, token) for workers in WORKER_COUNTS]
    print(json.dumps(runs, indent=2))
    write_report(runs)


def _table(r: dict[str, float]) -> str:
    anonymous, person = r["checkin_rps"] / r["health_rps"], r["person_rps"] / r["health_rps"]
    return f"""| measure | GET /api/v1/health (baseline) | POST /api/v1/visits (check-in) | ratio |
|---|---|---|---|
| peak throughput, a registered person, requests/s | {r["health_rps"]:.0f} | {r["person_rps"]:.0f} | {person:.2f} |
| peak throughput, an anonymous contact, requests/s | {r["health_rps"]:.0f} | {r["checkin_rps"]:.0f} | {anonymous:.2f} |
| latency at a steady 50 req/s (a person), p50 ms | {r["health_p50"]:.1f} | {r["p50"]:.1f} | {r["p50"] / r["health_p50"]:.2f} |
| latency at a steady 50 req/s (a person), p95 ms | {r["health_p95"]:.1f} | {r["p95"]:.1f} | {r["p95"] / r["health_p95"]:.2f} |
| peak memory of a server process (VmHWM), MiB | {r["mem_health"] / 1024:.0f} | {r["mem_checkin"] / 1024:.0f} | {r["mem_checkin"] / max(r["mem_health"], 1):.2f} |

Check-in p99 at 50 req/s: {r["p99"]:.1f} ms over {r["n_steady"]:.0f} requests; failed requests during
the peaks: {r["failures"]:.0f}. Throughput ratios {person:.2f} (a person) and {anonymous:.2f} (an
anonymous contact) ({"met" if min(person, anonymous) >= 0.5 else "NOT met"}, target ≥ 0.5); p95
{r["p95"]:.1f} ms at 50 req/s ({"met" if r["p95"] < 25 else "NOT met"}, target < 25 ms)."""


def verdict(runs: list[dict[str, float]]) -> str:
    """The target read with each endpoint at its best: a worker count that slows the health
    request down (more processes than cores) must not make the ratio look better than it is.
    Both kinds of check-in must reach it."""
    health = max(runs, key=lambda r: r["health_rps"])
    person = max(runs, key=lambda r: r["person_rps"])
    anonymous = max(runs, key=lambda r: r["checkin_rps"])
    ratios = (
        person["person_rps"] / health["health_rps"],
        anonymous["checkin_rps"] / health["health_rps"],
    )
    worst_p95 = max(r["p95"] for r in runs)
    return (
        f"**Verdict of this run**, each endpoint at its best: health {health['health_rps']:.0f} "
        f"req/s ({health['workers']:.0f} workers); check-in of a registered person "
        f"{person['person_rps']:.0f} req/s ({person['workers']:.0f} workers), ratio "
        f"{ratios[0]:.2f}; of an anonymous contact {anonymous['checkin_rps']:.0f} req/s "
        f"({anonymous['workers']:.0f} workers), ratio {ratios[1]:.2f} "
        f"({'met' if min(ratios) >= 0.5 else 'NOT met'}, target ≥ 0.5); check-in p95 at 50 req/s "
        f"at most {worst_p95:.1f} ms ({'met' if worst_p95 < 25 else 'NOT met'}, target < 25 ms). "
        "The per-configuration ratios below compare the endpoints on the same server; with more "
        "workers than cores the health request loses more than the check-in gains."
    )


def write_report(runs: list[dict[str, float]]) -> None:
    machine = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, PostgreSQL at {HOST}:5432"
    tables = "\n\n".join(
        f"**gunicorn, {r['workers']:.0f} sync workers**"
        + (
            " (gunicorn's advice, 2 × cores + 1; what the README runs)"
            if r["workers"] == RECOMMENDED
            else ""
        )
        + ":\n\n"
        + _table(r)
        for r in runs
    )
    block = f"""<!-- checkin:start -->
## Check-in under load (POST /api/v1/visits)

Reproduce: `.venv/bin/python bench/checkin_load.py` (about four minutes; PostgreSQL must answer at
127.0.0.1:5432; `BENCH_WORKERS=5,3` chooses the worker counts). Machine: {machine}; the load
generator ({CLIENT_THREADS} threads, keep-alive) runs on the same 2 cores, so absolute numbers are
pessimistic; the ratios are what the run compares. Both endpoints run against the same server in
the same run; each check-in is an authenticated request that writes a visit and its audit event
in one transaction, acknowledged once the write-ahead log is on disk: a registered person (each
request the next of {PEOPLE:,} people registered at the room and not yet seen, so that each is a
new arrival and passes the exclusion check) and an anonymous contact (counted, not linked). Targets: check-in at least
half the health endpoint's peak throughput, p95 under 25 ms at 50 requests a second.

{verdict(runs)}

{tables}

Where the time goes (measured in process, no network, CPU of the Python process and of its
PostgreSQL backend): a health request costs about 1.0–1.5 ms and a check-in about 4–5 ms on this
machine today. A check-in that passes is two statements, each prepared once per connection on
PostgreSQL (`halte/core/fastsql.py`, ADR 0004): the token with its user and front-line sites, a
read that also serves as the check of the kept connection (the health request pays Django's
check, one more round trip; a read that fails on a dead connection runs again on a new one);
then one statement that finds the site and the person only if every rule of a check-in passes (the
user's site, in activity, the person active and not excluded there today) and inserts the visit
and its audit event from that row, committing by itself. When a rule refuses, nothing is written
and the usual checks run to say which. It was nine ORM statements with four round trips of
transaction control (0.16–0.20 of the health endpoint), then three hand-written ones (0.36–0.43).
Each check-in also waits for its commit to reach the disk; more workers than cores let another
worker use the CPU meanwhile, but the extra processes cost the health request more than they give
the check-in, so the verdict takes each endpoint at its best. What remains is mostly Python in
the request (authentication, validation, the two model instances, the answer) and, in
PostgreSQL, the two inserts, their indexes, the foreign-key checks and the commit; closing more
would mean caching permissions between requests (a revoked membership would keep working for a
while) or taking the audit event out of the check-in's transaction, neither acceptable here. The
figures move by ±20 % from one run to the next on this shared machine (other virtual machines
take a share of its cores); the ratio is what to read, and it now sits close enough to the
target that one run can land on either side of it: read several.
<!-- checkin:end -->"""
    path = ROOT / "docs/performance.md"
    text = (
        path.read_text()
        if path.exists()
        else "# Performance\n\nEvery figure here is measured against a baseline in the same run.\n"
    )
    if "<!-- checkin:start -->" in text:
        text = re.sub(
            r"<!-- checkin:start -->.*?<!-- checkin:end -->", lambda _m: block, text, flags=re.S
        )
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    main()
