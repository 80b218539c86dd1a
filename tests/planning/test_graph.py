"""Walking over a street graph read from GraphML: a detour makes the walk longer than the line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from halte.geo.lib.distance import haversine_m
from halte.planning.graph import GraphError, read_graphml

# A river between A and B with one bridge far north: A → bridge → B is a long detour.
NODES = {
    "a": (2.3600, 48.8800),
    "b": (2.3700, 48.8800),
    "n1": (2.3600, 48.8900),
    "n2": (2.3700, 48.8900),
    "island": (2.4000, 48.8500),
}
EDGES = [("a", "n1"), ("n1", "n2"), ("n2", "b")]


def write_graph(
    path: Path, *, with_lengths: bool = True, coords: tuple[str, str] = ("x", "y")
) -> Path:
    keys = (
        f'<key id="d0" for="node" attr.name="{coords[0]}" attr.type="double"/>'
        f'<key id="d1" for="node" attr.name="{coords[1]}" attr.type="double"/>'
        '<key id="d2" for="edge" attr.name="length" attr.type="double"/>'
    )
    nodes = "".join(
        f'<node id="{n}"><data key="d0">{lon}</data><data key="d1">{lat}</data></node>'
        for n, (lon, lat) in NODES.items()
    )
    edges = "".join(
        f'<edge source="{s}" target="{t}">'
        + (f'<data key="d2">{haversine_m(*NODES[s], *NODES[t]):.1f}</data>' if with_lengths else "")
        + "</edge>"
        for s, t in EDGES
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        f'{keys}<graph edgedefault="directed">{nodes}{edges}</graph></graphml>',
        encoding="utf-8",
    )
    return path


def test_walk_follows_the_streets_around_the_river(tmp_path: Path) -> None:
    graph = read_graphml(write_graph(tmp_path / "detour.graphml"))
    assert graph.n_nodes == 5
    a, b = NODES["a"], NODES["b"]
    matrix = graph.walking_matrix_m(([a[0]], [a[1]]), ([b[0]], [b[1]]))
    straight = haversine_m(*a, *b)
    # Down the west bank, over the bridge, up the east bank: 1.11 km + 0.73 km + 1.11 km.
    assert matrix[0, 0] == pytest.approx(2 * 1112 + straight, rel=0.01)
    assert matrix[0, 0] > 3.5 * straight


def test_points_snap_to_the_nearest_node_and_one_way_edges_are_walked_both_ways(
    tmp_path: Path,
) -> None:
    graph = read_graphml(write_graph(tmp_path / "g.graphml", coords=("lon", "lat")))
    # 50 m south of B, walking to A: edges were written B-side last and "directed" A → B.
    near_b = (NODES["b"][0], NODES["b"][1] - 0.00045)
    matrix = graph.walking_matrix_m(([near_b[0]], [near_b[1]]), ([NODES["a"][0]], [NODES["a"][1]]))
    through = read_graphml(write_graph(tmp_path / "h.graphml")).walking_matrix_m(
        ([NODES["b"][0]], [NODES["b"][1]]), ([NODES["a"][0]], [NODES["a"][1]])
    )
    assert matrix[0, 0] == pytest.approx(through[0, 0] + 50, abs=1)


def test_missing_lengths_are_measured_and_unconnected_nodes_are_unreachable(
    tmp_path: Path,
) -> None:
    graph = read_graphml(write_graph(tmp_path / "g.graphml", with_lengths=False))
    island = NODES["island"]
    matrix = graph.walking_matrix_m(
        ([NODES["a"][0], island[0]], [NODES["a"][1], island[1]]), ([NODES["b"][0]], [NODES["b"][1]])
    )
    assert np.isfinite(matrix[0, 0]) and matrix[0, 0] > 2000
    assert not np.isfinite(matrix[1, 0])


@pytest.mark.parametrize(
    "text",
    [
        "not xml at all",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph></graph></graphml>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="1"/></graph></graphml>',
    ],
)
def test_unusable_files_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.graphml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GraphError):
        read_graphml(path)
