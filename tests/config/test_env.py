"""Settings from the environment: bad values stop the start-up with a message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_int, env_str

ROOT = Path(__file__).resolve().parents[2]


def test_bool_int_and_secret_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_FLAG", False)
    monkeypatch.setenv("X_INT", "12a")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_INT", 1)
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    monkeypatch.setenv("X_SECRET", "from-the-environment")
    assert env_str("X_SECRET") == "from-a-file"
    with pytest.raises(ImproperlyConfigured):
        env_str("X_MISSING")


def test_database_urls() -> None:
    pg = database_from_url(
        "postgres://halte:s%40cret@db.internal:5433/halte?sslmode=require", base_dir=ROOT
    )
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql",
        "halte",
        "halte",
        "s@cret",
        "db.internal",
        "5433",
    )
    # Frequent statements are prepared on the server (psycopg's threshold), and preparing can be
    # switched off for a pooler that cannot keep them.
    assert pg["OPTIONS"] == {"sslmode": "require", "prepare_threshold": 5}
    pooled = database_from_url("postgres://h/halte?prepare_threshold=off", base_dir=ROOT)
    assert pooled["OPTIONS"] == {"prepare_threshold": None}
    with pytest.raises(ImproperlyConfigured):
        database_from_url("postgres://h/halte?prepare_threshold=soon", base_dir=ROOT)
    relative = database_from_url("sqlite:///var/x.sqlite3", base_dir=ROOT)
    assert relative["NAME"] == str(ROOT / "var/x.sqlite3")
    absolute = database_from_url("sqlite:////tmp/x.sqlite3", base_dir=ROOT)
    assert absolute["NAME"] == "/tmp/x.sqlite3"
    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://x/y", base_dir=ROOT)


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HALTE_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_real_secret_key() -> None:
    result = _start({"HALTE_ENV": "production"})
    assert result.returncode != 0 and "HALTE_SECRET_KEY" in result.stderr
    result = _start({"HALTE_ENV": "production", "HALTE_SECRET_KEY": "short"})
    assert result.returncode != 0 and "50 characters" in result.stderr
    result = _start({"HALTE_ENV": "production", "HALTE_DEBUG": "1", "HALTE_SECRET_KEY": "k" * 60})
    assert result.returncode != 0 and "HALTE_DEBUG" in result.stderr
