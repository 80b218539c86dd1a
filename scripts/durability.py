"""Durability under crashes: every acknowledged write survives, nothing is written twice.

Run: ``.venv/bin/python scripts/durability.py [--rounds 6] [--clients 4]`` (PostgreSQL at
127.0.0.1:5432). It serves Halte with gunicorn in production settings on 127.0.0.1:8766 over a fresh
database ``halte_durability``, sends check-ins (POST /api/v1/visits) from several clients, each with
its own Idempotency-Key, kills the whole server with SIGKILL every couple of seconds and starts it
again. A client whose request failed sends it again with the same key until it is acknowledged.
At the end it checks, in the database, that every acknowledged visit is there, that there is
exactly one visit per key, and no visit without a key. Exit code 0 when all holds. Only 127.0.0.1
is contacted; the run stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv/bin/python")
HOST, PORT, DB = "127.0.0.1", 8766, "halte_durability"
ENV = {
    **os.environ,
    "HALTE_ENV": "production",
    "HALTE_SECRET_KEY": secrets.token_urlsafe(50),
    "HALTE_CLIENT_CODE_KEY": secrets.token_hex(32),
    "HALTE_ALLOWED_HOSTS": HOST,
    "HALTE_SSL_REDIRECT": "0",
    "HALTE_LOG_LEVEL": "WARNING",
    "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{DB}",
}


def manage(*args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True
    ).stdout


def prepare() -> tuple[str, str]:
    import psycopg

    with psycopg.connect(f"postgresql://postgres@{HOST}:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB}")
        conn.execute(f"CREATE DATABASE {DB}")
    manage("migrate", "--noinput")
    manage("load_demo")
    token = manage("issue_token", "reception-paris").strip().splitlines()[-1]
    with psycopg.connect(f"postgresql://postgres@{HOST}:5432/{DB}") as conn:
        row = conn.execute("SELECT public_id FROM network_site WHERE slug = 'paris-hsa'").fetchone()
    assert row is not None, "the demo has no paris-hsa site"
    site = row[0]
    return token, str(site)


class Server:
    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "config.wsgi",
                "-b",
                f"{HOST}:{PORT}",
                "-w",
                "2",
                "--access-logfile",
                "/dev/null",
            ],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def kill(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)  # master and workers at once, no goodbye
            self.process.wait()


def client(
    n: int,
    token: str,
    site: str,
    stop: threading.Event,
    acked: dict[str, str],
    lock: threading.Lock,
) -> None:
    body = json.dumps({"site": site, "anonymous": True, "purposes": ["material"]})
    sequence = 0
    while not stop.is_set():
        sequence += 1
        key = f"durability-{n}-{sequence}"
        while not stop.is_set():
            try:
                conn = http.client.HTTPConnection(HOST, PORT, timeout=5)
                conn.request(
                    "POST",
                    "/api/v1/visits",
                    body=body,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                        "Idempotency-Key": key,
                    },
                )
                response = conn.getresponse()
                data = response.read()
                if response.status == 201:
                    with lock:
                        previous = acked.get(key)
                        visit = json.loads(data)["id"]
                        if previous is not None and previous != visit:
                            raise SystemExit(f"key {key} acknowledged twice with different visits")
                        acked[key] = visit
                    break
                time.sleep(0.05)
            except (OSError, http.client.HTTPException, ValueError):
                time.sleep(0.1)  # the server is down: same key again in a moment


def verify(acked: dict[str, str]) -> list[str]:
    import psycopg

    problems = []
    with psycopg.connect(f"postgresql://postgres@{HOST}:5432/{DB}") as conn:
        visits = {str(r[0]) for r in conn.execute("SELECT public_id FROM visits_visit")}
        keys = conn.execute(
            "SELECT key, count(*) FROM core_idempotencyrecord WHERE key LIKE 'durability-%' GROUP BY key"
        ).fetchall()
    missing = [k for k, v in acked.items() if v not in visits]
    if missing:
        problems.append(f"{len(missing)} acknowledged visits are missing, e.g. {missing[:3]}")
    if len(visits) != len(keys):
        problems.append(
            f"{len(visits)} visits for {len(keys)} idempotency keys: duplicates or orphans"
        )
    if any(count != 1 for _key, count in keys):
        problems.append("a key has several records")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--rounds", type=int, default=6, help="How many times the server is killed."
    )
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--interval", type=float, default=4.0, help="Seconds between kills.")
    args = parser.parse_args()
    token, site = prepare()
    server = Server()
    server.start()
    stop, lock = threading.Event(), threading.Lock()
    acked: dict[str, str] = {}
    threads = [
        threading.Thread(target=client, args=(n, token, site, stop, acked, lock))
        for n in range(args.clients)
    ]
    for t in threads:
        t.start()
    try:
        for round_no in range(1, args.rounds + 1):
            time.sleep(args.interval)
            server.kill()
            print(
                f"round {round_no}: killed the server with SIGKILL; {len(acked)} writes acknowledged so far"
            )
            time.sleep(0.3)
            server.start()
        time.sleep(args.interval)  # let the last retries through
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
        server.kill()
    problems = verify(acked)
    print(
        f"{len(acked)} acknowledged writes checked after {args.rounds} crashes: "
        + ("all present, none duplicated" if not problems else "; ".join(problems))
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
