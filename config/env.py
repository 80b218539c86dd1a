"""Typed readers for settings that come from the environment.

Each reader fails loudly on a value it cannot understand: a typo in a deployment must stop the
server at start-up, not change its behaviour silently. Secrets may also be given as a file path in
``NAME_FILE`` (Docker and systemd credentials), which wins over ``NAME``.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def load_local_env(path: Path) -> None:
    """Read ``NAME=value`` lines of a local settings file (``.env``, written by ``make run`` for a
    development checkout) into the environment, where the environment does not already say.

    Without the file nothing changes: a server set up without it stays a production one."""
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip().isidentifier():
            raise ImproperlyConfigured(f"{path}:{number}: expected NAME=value, got {line!r}.")
        os.environ.setdefault(name.strip(), value.strip())


def env_str(name: str, default: str | None = None) -> str:
    """Return ``NAME`` (or the content of the file named by ``NAME_FILE``), else ``default``."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_path!r} cannot be read: {exc}") from exc
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str, *, base_dir: Path) -> dict[str, object]:
    """Translate ``sqlite:///path`` or ``postgres://user:pass@host:port/name`` into Django's dict."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path is relative to the project; sqlite:////absolute/path is not.
        raw = unquote(parsed.path)
        path = Path(raw[1:]) if raw.startswith("//") else base_dir / raw.lstrip("/")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing
            # half-way with "database is locked"; the pragmas give WAL and a busy timeout.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        options: dict[str, object] = {
            key: values[-1] for key, values in parse_qs(parsed.query).items()
        }
        # psycopg prepares a statement on the server after it ran this many times on a connection
        # (its own default): the ORM's frequent statements, the check-in's among them (ADR 0006).
        # Behind a pooler in transaction mode that cannot keep them, add ?prepare_threshold=off.
        threshold = str(options.pop("prepare_threshold", 5))
        if threshold != "off" and not threshold.isdigit():
            raise ImproperlyConfigured("prepare_threshold in DATABASE_URL: a number or off.")
        options["prepare_threshold"] = None if threshold == "off" else int(threshold)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parsed.scheme!r} is not supported (use sqlite:/// or postgres://)."
    )
