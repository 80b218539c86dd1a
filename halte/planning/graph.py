"""Walking distances over a street graph read from a GraphML file (no networkx).

The file holds nodes with coordinates (attributes named ``x``/``y`` or ``lon``/``lat``, WGS84
degrees) and edges with a ``length`` in metres (OSMnx writes both). Streets are walked both ways,
whatever the file's ``edgedefault`` says: a one-way street for cars is two-way on foot. A point is
snapped to its nearest node and the straight line to that node is added to the walk.
"""

from __future__ import annotations

import heapq
import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from halte.geo.lib.distance import haversine_m, haversine_matrix_m

GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
X_NAMES = ("x", "lon", "longitude")
Y_NAMES = ("y", "lat", "latitude")


class GraphError(ValueError):
    """The GraphML file cannot be used as a street graph."""


@dataclass(frozen=True)
class StreetGraph:
    """Nodes (lon/lat arrays) and an undirected adjacency list with lengths in metres."""

    node_ids: tuple[str, ...]
    lons: npt.NDArray[np.float64]
    lats: npt.NDArray[np.float64]
    adjacency: tuple[tuple[tuple[int, float], ...], ...]

    @property
    def n_nodes(self) -> int:
        return len(self.node_ids)

    def nearest_nodes(
        self, lons: Sequence[float], lats: Sequence[float]
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
        """For each point, its nearest node and the straight-line distance to it (metres)."""
        nodes = np.empty(len(lons), dtype=np.intp)
        gaps = np.empty(len(lons), dtype=np.float64)
        for start in range(0, len(lons), 256):  # rows in chunks: memory stays small
            block = haversine_matrix_m(
                lons[start : start + 256], lats[start : start + 256], self.lons, self.lats
            )
            nodes[start : start + len(block)] = block.argmin(axis=1)
            gaps[start : start + len(block)] = block.min(axis=1)
        return nodes, gaps

    def shortest_from(self, source: int) -> npt.NDArray[np.float64]:
        """Dijkstra from one node: metres to every node (``inf`` where unreachable)."""
        dist = np.full(self.n_nodes, math.inf)
        dist[source] = 0.0
        heap: list[tuple[float, int]] = [(0.0, source)]
        while heap:
            d, node = heapq.heappop(heap)
            if d > dist[node]:
                continue
            for neighbour, length in self.adjacency[node]:
                candidate = d + length
                if candidate < dist[neighbour]:
                    dist[neighbour] = candidate
                    heapq.heappush(heap, (candidate, neighbour))
        return dist

    def walking_matrix_m(
        self,
        demand: tuple[Sequence[float], Sequence[float]],
        candidates: tuple[Sequence[float], Sequence[float]],
    ) -> npt.NDArray[np.float64]:
        """Metres on foot from each demand point (rows) to each candidate (columns); ``inf``
        where the graph does not connect them. One Dijkstra per distinct candidate node."""
        d_nodes, d_gaps = self.nearest_nodes(*demand)
        c_nodes, c_gaps = self.nearest_nodes(*candidates)
        matrix = np.empty((len(d_nodes), len(c_nodes)), dtype=np.float64)
        cache: dict[int, npt.NDArray[np.float64]] = {}
        for j, node in enumerate(c_nodes):
            key = int(node)
            if key not in cache:
                cache[key] = self.shortest_from(key)
            matrix[:, j] = cache[key][d_nodes] + d_gaps + c_gaps[j]
        return matrix


def _keys(root: ET.Element) -> dict[str, str]:
    """GraphML key id → attribute name (``d0`` → ``x``)."""
    return {
        key.get("id", ""): key.get("attr.name", key.get("id", ""))
        for key in root.iter(f"{GRAPHML_NS}key")
    }


def _data(element: ET.Element, keys: dict[str, str]) -> dict[str, str]:
    return {
        keys.get(d.get("key", ""), d.get("key", "")): (d.text or "").strip()
        for d in element.findall(f"{GRAPHML_NS}data")
    }


def _coordinate(values: dict[str, str], names: tuple[str, ...], node: str) -> float:
    for name in names:
        if name in values:
            try:
                return float(values[name])
            except ValueError as exc:
                raise GraphError(f"node {node}: coordinate {name}={values[name]!r}") from exc
    raise GraphError(f"node {node} has no {'/'.join(names)} attribute")


def read_graphml(path: Path | str) -> StreetGraph:
    """Read a street graph. Raises ``GraphError`` on a file that is not usable."""
    try:
        # The file is one an administrator put in var/graphs, not user input; expat (>= 2.4.1,
        # bundled with Python 3.11) also refuses entity-expansion bombs.
        root = ET.parse(path).getroot()  # noqa: S314
    except (OSError, ET.ParseError) as exc:
        raise GraphError(f"cannot read {path}: {exc}") from exc
    keys = _keys(root)
    ids: list[str] = []
    lons: list[float] = []
    lats: list[float] = []
    for node in root.iter(f"{GRAPHML_NS}node"):
        node_id = node.get("id", "")
        values = _data(node, keys)
        ids.append(node_id)
        lons.append(_coordinate(values, X_NAMES, node_id))
        lats.append(_coordinate(values, Y_NAMES, node_id))
    if not ids:
        raise GraphError(f"{path} has no node")
    position = {node_id: k for k, node_id in enumerate(ids)}
    adjacency: list[list[tuple[int, float]]] = [[] for _ in ids]
    for edge in root.iter(f"{GRAPHML_NS}edge"):
        a, b = position.get(edge.get("source", "")), position.get(edge.get("target", ""))
        if a is None or b is None:
            raise GraphError(f"edge {edge.get('source')}→{edge.get('target')}: unknown node")
        raw = _data(edge, keys).get("length")
        try:
            length = haversine_m(lons[a], lats[a], lons[b], lats[b]) if raw is None else float(raw)
        except ValueError:
            length = math.nan
        if not math.isfinite(length) or length < 0:
            raise GraphError(f"edge {edge.get('source')}→{edge.get('target')}: length {raw}")
        adjacency[a].append((b, length))
        adjacency[b].append((a, length))
    return StreetGraph(
        node_ids=tuple(ids),
        lons=np.asarray(lons, dtype=np.float64),
        lats=np.asarray(lats, dtype=np.float64),
        adjacency=tuple(tuple(edges) for edges in adjacency),
    )
