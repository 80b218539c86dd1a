"""Location of the bundled data files (never outside the package)."""

from __future__ import annotations

from pathlib import Path

# halte/geo/lib/_paths.py -> halte/geo/data/
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_path(name: str) -> Path:
    """Absolute path of a bundled data file; raises if it is missing."""
    path = DATA_DIR / name
    if not path.is_file():
        # Fail loudly at load time rather than returning empty results that
        # would look like "address not found" to a user.
        raise FileNotFoundError(f"bundled geo data file missing: {path}")
    return path
