"""Facility-location solver of Halte: pure Python on numpy and HiGHS (no Django).

Public entry points are re-exported here; see ``docs/planning-solver.md``.
"""

from halte.planning.solver.api import solve
from halte.planning.solver.covering import solve_lscp, solve_mclp, solve_p_center
from halte.planning.solver.models import solve_capacitated_p_median, solve_p_median
from halte.planning.solver.problem import (
    MODEL_NAMES,
    ModelName,
    Problem,
    Progress,
    ProgressPhase,
    Solution,
    SolveOptions,
    Status,
)
from halte.planning.solver.readers import (
    FORMATS,
    Instance,
    InstanceFormatError,
    read_instance,
    read_orlib_pmed,
    read_orlib_pmedcap,
    read_sjc,
    read_sjc_mclp,
)

__all__ = [
    "FORMATS",
    "MODEL_NAMES",
    "Instance",
    "InstanceFormatError",
    "ModelName",
    "Problem",
    "Progress",
    "ProgressPhase",
    "Solution",
    "SolveOptions",
    "Status",
    "read_instance",
    "read_orlib_pmed",
    "read_orlib_pmedcap",
    "read_sjc",
    "read_sjc_mclp",
    "solve",
    "solve_capacitated_p_median",
    "solve_lscp",
    "solve_mclp",
    "solve_p_center",
    "solve_p_median",
]
