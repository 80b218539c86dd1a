"""Rules on the text people send: one place, whatever the field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

NUL = "\x00"


def has_nul(value: Any) -> bool:
    """True when a string anywhere in ``value`` (nested lists and dicts, keys included) holds a
    NUL character."""
    return next(nul_locations(value), None) is not None


def nul_locations(value: Any, loc: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Where NUL characters are in a decoded JSON value: the path to each string holding one."""
    if isinstance(value, str):
        if NUL in value:
            yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in str(key):
                yield (*loc, str(key).replace(NUL, "\\u0000"))
            yield from nul_locations(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_locations(item, (*loc, str(index)))
