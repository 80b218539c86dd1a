"""The benchmark scripts of ``bench/planning`` (not a package), loaded for the tests that use them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

FOLDER = Path(__file__).resolve().parents[3] / "bench" / "planning"


def bench_module(name: str) -> ModuleType:
    """``bench/planning/<name>.py`` as a module, loaded once per test session."""
    key = f"bench_planning_{name}"
    if key in sys.modules:
        return sys.modules[key]
    spec = importlib.util.spec_from_file_location(key, FOLDER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    spec.loader.exec_module(module)
    return module
