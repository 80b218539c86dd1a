"""What the reports-at-scale benchmark shares: the database, the period, the seed, Django."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DB = "halte_scale"
SERVER = "postgresql://postgres@127.0.0.1:5432"
URL = f"{SERVER}/{DB}"
RESULTS = Path("/tmp/halte-bench/reports-scale.json")
BUILD_RESULTS = Path("/tmp/halte-bench/reports-build.json")
ROLLUP_RESULTS = Path("/tmp/halte-bench/reports-rollups.json")
FIRST, LAST = dt.date(2021, 1, 1), dt.date(2025, 12, 31)
YEAR = 2025
N_SITES = 30
SEED = 2026

os.environ.setdefault("HALTE_ENV", "development")
os.environ["DATABASE_URL"] = URL.replace("postgresql://", "postgres://")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def setup_django() -> None:
    import django

    django.setup()


def admin(sql: str) -> None:
    """Run ``sql`` on the server's maintenance database (create or drop the benchmark's)."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def manage(*args: str) -> None:
    """``manage.py`` on the benchmark database, in a process of its own."""
    py = str(ROOT / ".venv/bin/python")
    subprocess.run([py, "manage.py", *args], cwd=ROOT, env=dict(os.environ), check=True)


def scalar(cur: Any, sql: str, params: Sequence[object] | None = None) -> Any:
    """The one value of a query that answers one row of one column (psycopg's or Django's cursor)."""
    cur.execute(sql, params)
    row = cur.fetchone()
    assert row is not None, sql
    return row[0]


def next_id(cur: Any, table: str) -> int:
    """The id after the largest in ``table`` (1 when it is empty), for rows copied in with ids."""
    return int(scalar(cur, f"SELECT coalesce(max(id), 0) FROM {table}")) + 1
