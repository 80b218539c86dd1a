"""The seeded instance generator of ``bench/planning/generate.py``: its promises, on many seeds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.planning.solver.bench import bench_module

SOME = settings(max_examples=25, deadline=None, database=None, derandomize=True)


generate = bench_module("generate")


@SOME
@given(st.integers(20, 150), st.integers(2, 12), st.integers(0, 10_000))
def test_capacitated_capacity_is_tight_at_80_to_95_percent(n: int, p: int, seed: int) -> None:
    inst = generate.capacitated(n, p, seed)
    problem = inst.problem
    caps = problem.capacities
    assert caps is not None and np.all(caps == caps[0])
    utilisation = problem.loads.sum() / (p * caps[0])
    assert inst.utilisation == pytest.approx(utilisation)
    # The capacity is rounded up to whole units, and never below the largest demand.
    assert utilisation <= 0.95 + 1e-9
    if caps[0] > problem.loads.max():
        assert utilisation >= 0.80 * (1 - 1 / caps[0]) - 1e-9
    assert np.all(problem.loads <= caps[0])
    assert np.all(problem.weights == 1)
    assert np.all(problem.loads == np.round(problem.loads)) and np.all(problem.loads >= 1)


@SOME
@given(st.integers(20, 150), st.integers(2, 12), st.integers(0, 10_000))
def test_costs_are_euclidean_distances_between_the_points(n: int, p: int, seed: int) -> None:
    for inst, rounded in (
        (generate.capacitated(n, p, seed), False),
        (generate.pmedian(n, p, seed), True),
    ):
        diff = inst.xy[:, None, :] - inst.xy[None, :, :]
        expected = np.sqrt((diff**2).sum(axis=2))
        if rounded:
            expected = np.round(expected)
        assert np.array_equal(inst.problem.costs, expected)
        assert np.all((inst.xy >= 0) & (inst.xy <= generate.SIDE))
        assert inst.problem.n_demand == inst.problem.n_candidates == n and inst.p == p


@SOME
@given(st.integers(20, 120), st.integers(0, 10_000))
def test_same_seed_same_instance_other_seed_other_instance(n: int, seed: int) -> None:
    a, b, c = (generate.capacitated(n, 5, s) for s in (seed, seed, seed + 1))
    assert np.array_equal(a.problem.costs, b.problem.costs)
    assert np.array_equal(a.problem.loads, b.problem.loads)
    assert not np.array_equal(a.problem.costs, c.problem.costs)


@pytest.mark.parametrize("seed", range(8))
def test_demand_is_grouped(seed: int) -> None:
    # Median nearest-neighbour distance well under half the uniform expectation
    # (0.5 side / sqrt(n)): points gather around a few centres.
    for inst in (generate.capacitated(300, 25, seed), generate.pmedian(400, 5, seed)):
        d = inst.problem.costs.astype(float)
        np.fill_diagonal(d, np.inf)
        n = inst.problem.n_demand
        assert np.median(d.min(axis=1)) < 0.75 * (0.5 * generate.SIDE / np.sqrt(n))


def test_pmedian_objective_is_integral() -> None:
    inst = generate.pmedian(60, 5, 3)
    values = inst.problem.costs * inst.problem.weights[:, None]
    assert np.array_equal(values, np.round(values))


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="p < n"):
        generate.capacitated(10, 10, 0)
    with pytest.raises(ValueError, match="utilisation"):
        generate.capacitated(30, 3, 0, utilisation=(0.9, 1.2))


def test_sjc_text_reads_back(tmp_path: Path) -> None:
    from halte.planning.solver import read_instance

    inst = generate.capacitated(40, 4, 7)
    path = tmp_path / "gen.dat"
    path.write_text(generate.write_sjc(inst))
    back = read_instance(path, "sjc")
    assert back.p == 4
    assert np.allclose(back.problem.costs, inst.problem.costs)
    assert np.array_equal(back.problem.loads, inst.problem.loads)
    assert back.problem.capacities is not None
    assert np.array_equal(back.problem.capacities, inst.problem.capacities)
