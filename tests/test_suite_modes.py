"""The suite refuses the parallel modes in which a test would pass without running."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _collect(*options: str) -> subprocess.CompletedProcess[str]:
    """Collect one small module in a fresh pytest process with ``options`` and one worker."""
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q"]
    return subprocess.run(
        [*command, "-n", "1", *options, "tests/test_conventions.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("mode", ["loadfile", "loadscope", "loadgroup"])
def test_a_grouping_mode_is_refused_with_the_reason(mode: str) -> None:
    done = _collect("--dist", mode)
    assert done.returncode == pytest.ExitCode.USAGE_ERROR
    assert f"--dist {mode} would let the API fuzz pass without running" in done.stderr


def test_the_mode_make_test_uses_is_accepted() -> None:
    done = _collect("--dist", "load")
    assert done.returncode == pytest.ExitCode.OK, done.stderr
    assert "test_views_and_api_handlers_never_write_models_themselves" in done.stdout
