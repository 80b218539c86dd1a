"""Shared fixtures of the solver tests; registers the ``slow`` marker."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: long solver runs (deselect with -m 'not slow')")


@pytest.fixture
def data_dir() -> Path:
    """Folder of the benchmark copies (never /work/shared)."""
    return DATA
