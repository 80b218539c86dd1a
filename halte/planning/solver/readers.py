"""Readers for the public benchmark formats (OR-Library pmed / pmedcap, São José dos Campos).

Each reader returns an ``Instance``: the ``Problem`` plus what the file says about
p, the ids of the candidates as written in the file, and a published value
where the file carries one. Malformed content raises ``InstanceFormatError``
naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from halte.planning.solver.problem import FloatArray, ModelName, Problem

FORMATS: tuple[str, ...] = ("orlib-pmed", "orlib-pmedcap", "sjc", "sjc-mclp")
DEFAULT_MODEL: dict[str, ModelName] = {
    "orlib-pmed": "p-median",
    "orlib-pmedcap": "capacitated-p-median",
    "sjc": "capacitated-p-median",
    "sjc-mclp": "mclp",
}


class InstanceFormatError(ValueError):
    """The file does not follow the announced format."""


@dataclass(frozen=True, eq=False)
class Instance:
    """A benchmark instance: the problem, the file's p (if any), candidate ids, published value."""

    name: str
    format: str
    problem: Problem
    p: int | None
    ids: tuple[int, ...]
    best_known: float | None = None


class _Lines:
    """Non-blank lines of a file as token lists, remembering line numbers for messages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        text = path.read_text(encoding="ascii", errors="replace")
        self._lines = [
            (no, line.split()) for no, line in enumerate(text.splitlines(), 1) if line.strip()
        ]
        self._pos = 0

    def error(self, message: str, line_no: int | None = None) -> InstanceFormatError:
        where = f"{self.path}" if line_no is None else f"{self.path}, line {line_no}"
        return InstanceFormatError(f"{where}: {message}")

    def tokens(self, what: str) -> tuple[int, list[str]]:
        """Next line as raw tokens."""
        if self._pos >= len(self._lines):
            raise self.error(f"file ends where {what} was expected")
        self._pos += 1
        return self._lines[self._pos - 1]

    def numbers(self, count: int, what: str, at_least: bool = False) -> tuple[int, list[float]]:
        """Next line as ``count`` numbers (more allowed when ``at_least``)."""
        line_no, tokens = self.tokens(what)
        if len(tokens) < count or (len(tokens) > count and not at_least):
            raise self.error(f"expected {count} numbers ({what}), found {len(tokens)}", line_no)
        try:
            values = [float(t) for t in tokens[:count]]
        except ValueError:
            raise self.error(
                f"expected numbers ({what}), found {' '.join(tokens)!r}", line_no
            ) from None
        if not all(np.isfinite(values)):
            raise self.error(f"non-finite number in {what}", line_no)
        return line_no, values

    def integers(self, count: int, what: str, at_least: bool = False) -> tuple[int, list[int]]:
        """Next line as ``count`` integers."""
        line_no, values = self.numbers(count, what, at_least)
        if any(v != int(v) for v in values):
            raise self.error(f"expected integers ({what})", line_no)
        return line_no, [int(v) for v in values]

    def expect_end(self) -> None:
        """Fail on any content after the announced records."""
        if self._pos < len(self._lines):
            line_no, _ = self._lines[self._pos]
            raise self.error("unexpected content after the announced records", line_no)


def _positive(lines: _Lines, value: int, what: str, line_no: int) -> int:
    if value < 1:
        raise lines.error(f"{what} must be positive, got {value}", line_no)
    return value


def shortest_paths(n: int, edges: list[tuple[int, int, float]]) -> FloatArray:
    """All-pairs shortest paths (Floyd–Warshall over numpy rows); a repeated edge keeps its LAST cost."""
    dist = np.full((n, n), np.inf)
    for i, j, cost in edges:
        # Plain assignment, not min(): OR-Library says the last listing of an edge counts.
        dist[i, j] = dist[j, i] = cost
    np.fill_diagonal(dist, 0.0)
    for k in range(n):
        np.minimum(dist, dist[:, k, None] + dist[None, k, :], out=dist)
    return dist


def read_orlib_pmed(path: str | Path) -> Instance:
    """OR-Library pmed: ``n m p`` then m lines ``i j cost``; distances are graph shortest paths."""
    lines = _Lines(Path(path))
    line_no, (n, m, p) = lines.integers(3, "n m p")
    _positive(lines, n, "n", line_no)
    _positive(lines, p, "p", line_no)
    edges: list[tuple[int, int, float]] = []
    for _ in range(m):
        edge_line, (i, j, cost) = lines.integers(3, "edge i j cost")
        if not (1 <= i <= n and 1 <= j <= n) or cost < 0:
            raise lines.error(f"edge {i} {j} {cost} outside vertices 1..{n} or negative", edge_line)
        edges.append((i - 1, j - 1, float(cost)))
    lines.expect_end()
    dist = shortest_paths(n, edges)
    if not np.all(np.isfinite(dist)):
        raise lines.error("the graph is not connected")
    ids = tuple(range(1, n + 1))
    return Instance(Path(path).stem, "orlib-pmed", Problem(costs=dist), p, ids)


def _euclidean(xy: FloatArray) -> FloatArray:
    delta = xy[:, None, :] - xy[None, :, :]
    return np.asarray(np.sqrt((delta**2).sum(axis=2)), dtype=np.float64)


def read_orlib_pmedcap(path: str | Path) -> Instance:
    """OR-Library pmedcap: ``problem best``, ``n p Q``, n lines ``id x y demand``; cost = floor(Euclid)."""
    lines = _Lines(Path(path))
    _, (_, best) = lines.numbers(2, "problem number and best known value")
    line_no, (n, p, capacity) = lines.integers(3, "n p capacity")
    _positive(lines, n, "n", line_no)
    _positive(lines, p, "p", line_no)
    rows = [lines.numbers(4, "id x y demand")[1] for _ in range(n)]
    lines.expect_end()
    data = np.array(rows)
    if not np.all(data[:, 0] == np.round(data[:, 0])):
        raise lines.error("customer ids must be integers")
    # The published optima (713 for pmedcap01 ...) use distances rounded DOWN.
    costs = np.floor(_euclidean(data[:, 1:3]))
    problem = Problem(costs=costs, loads=data[:, 3], capacities=np.full(n, float(capacity)))
    ids = tuple(int(v) for v in data[:, 0])
    return Instance(Path(path).stem, "orlib-pmedcap", problem, p, ids, best_known=best)


def read_sjc(path: str | Path) -> Instance:
    """SJC capacitated p-median: ``n p`` then n lines ``x y capacity demand``; real Euclidean costs."""
    lines = _Lines(Path(path))
    line_no, (n, p) = lines.integers(2, "n p")
    _positive(lines, n, "n", line_no)
    _positive(lines, p, "p", line_no)
    data = np.array([lines.numbers(4, "x y capacity demand")[1] for _ in range(n)])
    lines.expect_end()
    problem = Problem(costs=_euclidean(data[:, 0:2]), loads=data[:, 3], capacities=data[:, 2])
    return Instance(Path(path).stem, "sjc", problem, p, tuple(range(1, n + 1)))


def read_sjc_mclp(path: str | Path) -> Instance:
    """SJC maximal covering: header ``n 9999 p S`` (p and S are placeholders), n lines ``x y demand``."""
    lines = _Lines(Path(path))
    line_no, header = lines.tokens("the header n 9999 p S")
    try:
        n = int(header[0])
    except ValueError:
        raise lines.error(
            f"header must start with the number of points, found {header[0]!r}", line_no
        ) from None
    _positive(lines, n, "n", line_no)
    data = np.array([lines.numbers(3, "x y demand")[1] for _ in range(n)])
    lines.expect_end()
    problem = Problem(costs=_euclidean(data[:, 0:2]), weights=data[:, 2])
    return Instance(Path(path).stem, "sjc-mclp", problem, None, tuple(range(1, n + 1)))


def read_instance(path: str | Path, fmt: str) -> Instance:
    """Read ``path`` in one of ``FORMATS``."""
    readers = {
        "orlib-pmed": read_orlib_pmed,
        "orlib-pmedcap": read_orlib_pmedcap,
        "sjc": read_sjc,
        "sjc-mclp": read_sjc_mclp,
    }
    if fmt not in readers:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return readers[fmt](path)
