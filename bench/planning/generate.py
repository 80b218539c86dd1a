"""Seeded instances shaped like the hard published families, for measuring on data nobody tuned on.

Two families, both Euclidean on a 10 km square with grouped demand (most points
drawn around a few centres, the rest spread uniformly, as in a town with
neighbourhoods):

* ``pmedian(n, p, seed)``: like the large OR-Library pmed sets (800-900 nodes, 5-10
  sites): every point is a client and a candidate, integer weights (demand),
  costs rounded to whole metres so the objective is integral;
* ``capacitated(n, p, seed)``: like São José dos Campos SJC3-4 (300-402 customers,
  25-40 medians): every customer is a candidate, real-valued distances, weights 1,
  loads = demand, one capacity for every site set so that the demand fills
  80-95 % of the p sites' total capacity (``utilisation``, drawn from the seed).

Usage (from the repository root), to write instances in the SJC format for the CLI:
    .venv/bin/python bench/planning/generate.py capacitated --n 402 --p 40 --seed 1 > /tmp/g.dat
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from halte.planning.solver import Problem  # noqa: E402

SIDE = 10_000.0  # metres
GROUPED_SHARE = 0.8  # share of points drawn around group centres


@dataclass(frozen=True, eq=False)
class Generated:
    """An instance and how it was made (seed, family, utilisation of the p sites' capacity)."""

    name: str
    family: str
    seed: int
    problem: Problem
    p: int
    xy: np.ndarray
    demand: np.ndarray
    utilisation: float | None  # total demand / (p x capacity); None when uncapacitated


def _points(rng: np.random.Generator, n: int) -> np.ndarray:
    groups = max(3, n // 60)
    centres = rng.uniform(0.1 * SIDE, 0.9 * SIDE, size=(groups, 2))
    spread = rng.uniform(0.02, 0.06, size=groups) * SIDE
    grouped = rng.random(n) < GROUPED_SHARE
    which = rng.integers(0, groups, size=n)
    around = centres[which] + rng.normal(size=(n, 2)) * spread[which, None]
    uniform = rng.uniform(0.0, SIDE, size=(n, 2))
    return np.clip(np.where(grouped[:, None], around, uniform), 0.0, SIDE)


def _distances(xy: np.ndarray) -> np.ndarray:
    diff = xy[:, None, :] - xy[None, :, :]
    distances: np.ndarray = np.sqrt((diff**2).sum(axis=2))
    return distances


def _demand(rng: np.random.Generator, n: int) -> np.ndarray:
    # Skewed like household counts: most points small, a few large ones.
    return np.maximum(1, np.round(rng.lognormal(mean=2.0, sigma=0.6, size=n))).astype(float)


def pmedian(n: int, p: int, seed: int) -> Generated:
    """Uncapacitated p-median instance: integral costs (whole metres) times integral weights."""
    if not 1 <= p < n:
        raise ValueError(f"need 1 <= p < n, got n={n}, p={p}")
    rng = np.random.default_rng([seed, 1, n, p])
    xy = _points(rng, n)
    demand = _demand(rng, n)
    costs = np.round(_distances(xy))
    problem = Problem(costs=costs, weights=demand)
    return Generated(f"gen-pmed-n{n}-p{p}-s{seed}", "p-median", seed, problem, p, xy, demand, None)


def capacitated(
    n: int, p: int, seed: int, utilisation: tuple[float, float] = (0.80, 0.95)
) -> Generated:
    """Capacitated p-median instance; real-valued distances, weights 1, loads = demand."""
    if not 1 <= p < n:
        raise ValueError(f"need 1 <= p < n, got n={n}, p={p}")
    low, high = utilisation
    if not 0.0 < low <= high < 1.0:
        raise ValueError(f"utilisation must satisfy 0 < low <= high < 1, got {utilisation}")
    rng = np.random.default_rng([seed, 2, n, p])
    xy = _points(rng, n)
    demand = _demand(rng, n)
    target = float(rng.uniform(low, high))
    capacity = math.ceil(demand.sum() / (p * target))
    capacity = max(capacity, int(demand.max()))
    problem = Problem(
        costs=_distances(xy),
        weights=np.ones(n),
        loads=demand,
        capacities=np.full(n, float(capacity)),
    )
    used = float(demand.sum() / (p * capacity))
    name = f"gen-cap-n{n}-p{p}-s{seed}"
    return Generated(name, "capacitated-p-median", seed, problem, p, xy, demand, used)


def check_plan(problem: Problem, p: int, sites: tuple[int, ...], served: np.ndarray) -> float:
    """Value of a capacitated plan (its sites, each demand's site) after checking it is one:
    p distinct sites, each demand served by an open site, capacities held (AssertionError
    otherwise). For any instance with capacities, generated or published."""
    assert problem.capacities is not None
    assert len(set(sites)) == p, "wrong number of sites"
    assert set(served.tolist()) <= set(sites), "a demand is served by a closed site"
    used = np.bincount(served, weights=problem.loads, minlength=problem.n_candidates)
    assert np.all(used <= problem.capacities + 1e-9), "a capacity is exceeded"
    rows = np.arange(problem.n_demand)
    return float(problem.weights @ problem.costs[rows, served])


def write_sjc(instance: Generated) -> str:
    """The instance in the SJC text format (``n p`` then ``x y capacity demand``)."""
    assert instance.problem.capacities is not None
    lines = [f"{instance.problem.n_demand} {instance.p}"]
    for (x, y), cap, dem in zip(
        instance.xy, instance.problem.capacities, instance.demand, strict=True
    ):
        lines.append(f"{float(x)!r} {float(y)!r} {int(cap)} {int(dem)}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("family", choices=["capacitated"])
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--p", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sys.stdout.write(write_sjc(capacitated(args.n, args.p, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
