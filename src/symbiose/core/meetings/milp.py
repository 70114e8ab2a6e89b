"""The placing phase as a mixed-integer program for SciPy's HiGHS.

Same model as CP-SAT's (`solve.place_most`): x[request, slot] binary, at most one slot per
request, one meeting per participant and slot, the free tables per slot, the largest sum
of priorities. HiGHS is used where counting already shows that not every request fits:
there the LP relaxation is tight enough for branch-and-bound to prove the optimum in
seconds, where CP-SAT searches much longer for the same proof
(benchmarks/meetings_schedule.py --compare).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]

from symbiose.core.meetings.grid import Grid
from symbiose.core.meetings.placement import Placement


def highs_place_most(grid: Grid, *, seconds: float) -> Placement | None:
    """Phase 1 by HiGHS; None when it found no solution within `seconds`."""
    columns = [(r, s) for r in range(len(grid.requests)) for s in grid.candidates[r]]
    if not columns:
        return Placement((None,) * len(grid.requests), optimal=True)
    rows: dict[tuple[str, int, int], int] = {}
    upper: list[float] = []
    entry_rows: list[int] = []
    entry_columns: list[int] = []

    def enter(key: tuple[str, int, int], column: int, bound: float) -> None:
        if key not in rows:
            rows[key] = len(rows)
            upper.append(bound)
        entry_rows.append(rows[key])
        entry_columns.append(column)

    for column, (r, s) in enumerate(columns):
        a, b = grid.people[r]
        enter(("request", r, 0), column, 1)
        enter(("seat", a, s), column, 1)
        enter(("seat", b, s), column, 1)
        enter(("slot", s, 0), column, grid.capacity[s])
    matrix = coo_matrix((np.ones(len(entry_rows)), (entry_rows, entry_columns)),
                        shape=(len(rows), len(columns))).tocsr()
    priority = np.array([grid.requests[r].priority for r, _ in columns], dtype=float)
    result = milp(-priority, constraints=LinearConstraint(matrix, -np.inf, np.array(upper)),
                  integrality=np.ones(len(columns)), bounds=Bounds(0, 1),
                  options={"time_limit": max(seconds, 0.05), "disp": False})
    if result.x is None:
        return None
    slots: list[int | None] = [None] * len(grid.requests)
    for (r, s), value in zip(columns, result.x, strict=True):
        if value > 0.5:
            slots[r] = s
    # status 0: optimal; 1: the time limit came first with a feasible solution.
    return Placement(tuple(slots), optimal=result.status == 0)


def some_request_cannot_fit(grid: Grid) -> bool:
    """True when counting alone shows that not every request can be placed: a participant
    asked for more meetings than it has free slots, or more meetings than tables in all."""
    asked = [0] * len(grid.names)
    placeable = 0
    for r, (a, b) in enumerate(grid.people):
        if grid.candidates[r]:
            asked[a] += 1
            asked[b] += 1
            placeable += 1
    return (placeable > sum(grid.capacity)
            or any(count > len(grid.free[p]) for p, count in enumerate(asked)))
