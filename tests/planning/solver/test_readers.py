"""Readers: format traps (repeated edges, floor distances, CRLF/tab files) and malformed input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from halte.planning.solver import (
    InstanceFormatError,
    Problem,
    read_instance,
    read_orlib_pmed,
    read_orlib_pmedcap,
    read_sjc,
    read_sjc_mclp,
    solve_capacitated_p_median,
    solve_p_median,
)


def test_repeated_edge_keeps_last_cost(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text("3 3 1\n1 2 5\n2 3 1\n1 2 9\n")
    costs = read_orlib_pmed(path).problem.costs
    assert costs[0, 1] == costs[1, 0] == 9  # not 5 (first) and not min
    assert costs[0, 2] == 10 and costs[1, 2] == 1


def _first_occurrence_copy(source: Path, target: Path) -> int:
    lines = source.read_text().splitlines()
    seen: set[frozenset[int]] = set()
    kept = []
    for line in lines[1:]:
        i, j, _ = (int(t) for t in line.split())
        if frozenset((i, j)) not in seen:
            seen.add(frozenset((i, j)))
            kept.append(line)
    n, _, p = lines[0].split()
    target.write_text("\n".join([f"{n} {len(kept)} {p}", *kept]) + "\n")
    return len(lines) - 1 - len(kept)


def test_pmed1_repeated_edge_rule_decides_the_optimum(data_dir: Path, tmp_path: Path) -> None:
    """Keeping the first listing of each repeated edge gives 5718; OR-Library's rule gives 5819."""
    first = tmp_path / "pmed1_first.txt"
    assert _first_occurrence_copy(data_dir / "pmed1.txt", first) > 0, "pmed1 has repeated edges"
    real = read_orlib_pmed(data_dir / "pmed1.txt")
    wrong = read_orlib_pmed(first)
    assert not np.array_equal(real.problem.costs, wrong.problem.costs)
    assert solve_p_median(wrong.problem, 5).objective == 5718
    assert solve_p_median(real.problem, 5).objective == 5819


def test_pmed_distances_are_symmetric_shortest_paths(data_dir: Path) -> None:
    costs = read_orlib_pmed(data_dir / "pmed1.txt").problem.costs
    assert np.array_equal(costs, costs.T) and np.all(np.diag(costs) == 0)
    # Triangle inequality holds for shortest-path distances.
    assert np.all(costs[:, None, :] <= costs[:, :, None] + costs[None, :, :] + 1e-9)


def test_pmedcap_uses_floor_of_euclidean_distance(data_dir: Path) -> None:
    instance = read_orlib_pmedcap(data_dir / "pmedcap01.txt")
    rows = [line.split() for line in (data_dir / "pmedcap01.txt").read_text().splitlines()[2:]]
    xy = np.array([[float(r[1]), float(r[2])] for r in rows])
    real = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert np.array_equal(instance.problem.costs, np.floor(real))
    assert (instance.p, instance.best_known, instance.ids[:3]) == (5, 713, (1, 2, 3))
    assert instance.problem.capacities is not None and np.all(instance.problem.capacities == 120)
    # With real distances the optimum differs (728.26): the floor rule matters.
    exact = Problem(
        costs=real, loads=instance.problem.loads, capacities=instance.problem.capacities
    )
    value = solve_capacitated_p_median(exact, 5).objective
    assert value is not None and value > 713 + 10


def test_sjc_mclp_reads_tab_and_crlf(data_dir: Path) -> None:
    instance = read_sjc_mclp(data_dir / "SJC324.txt")
    assert instance.problem.n_demand == instance.problem.n_candidates == 324
    assert instance.problem.weights.sum() == 12152 and instance.p is None


def test_sjc_reads_capacities_and_loads(data_dir: Path) -> None:
    instance = read_sjc(data_dir / "SJC1.dat")
    problem = instance.problem
    assert (problem.n_demand, instance.p) == (100, 10)
    assert (
        problem.capacities is not None and problem.capacities[0] == 720 and problem.loads[0] == 50
    )
    assert problem.costs[0, 1] == pytest.approx(np.hypot(3, 155))
    assert np.all(problem.weights == 1)


@pytest.mark.parametrize(
    "fmt,text,needle",
    [
        ("orlib-pmed", "3 2 1\n1 2 5\n", "file ends"),
        ("orlib-pmed", "3 2 1\n1 2 5\n2 x 1\n", "expected numbers"),
        ("orlib-pmed", "3 2 1\n1 2 5\n2 7 1\n", "outside vertices"),
        ("orlib-pmed", "3 1 1\n1 2 5\n", "not connected"),
        ("orlib-pmed", "2 1 1\n1 2 5\n1 2 3\n", "unexpected content"),
        ("orlib-pmed", "", "file ends"),
        ("orlib-pmedcap", "1 10\n2 1 5\n1 0 0 1\n", "file ends"),
        ("orlib-pmedcap", "1 10\n2 1 5\n1 0 0\n2 1 1 1\n", "expected 4 numbers"),
        ("sjc", "2 1\n0 0 5 1\n3 4 5\n", "expected 4 numbers"),
        ("sjc", "0 1\n", "n must be positive"),
        ("sjc-mclp", "abc 9999 p S\n", "number of points"),
        ("sjc-mclp", "2 9999 p S\n0 0 1\n", "file ends"),
    ],
)
def test_malformed_files_raise_format_error(
    tmp_path: Path, fmt: str, text: str, needle: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(InstanceFormatError, match=needle) as info:
        read_instance(path, fmt)
    assert str(path) in str(info.value)


def test_unknown_format_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        read_instance(tmp_path / "x", "tsplib")
