"""Mixed-integer programs for SciPy's HiGHS, for days where not every request fits.

`counted_best` chooses requests by counting alone: the largest sum of priorities such that
nobody has more meetings than free slots and there are no more meetings than tables. Any
agenda places such a choice, so its value bounds every agenda's; when CP-SAT then places
every chosen request (`solve.place_all`), that agenda is proven optimal. On
over-subscribed days this takes well under a second, where searching the whole model
took CP-SAT more than 15 s without proof (benchmarks/meetings_schedule.py).

`highs_place_most` is the whole placing model, the fallback when the counted choice does
not fit the grid: x[request, slot] binary, at most one slot per request, one meeting per
participant and slot, the free tables per slot, the largest sum of priorities. There, the
LP bound is tight enough for HiGHS to prove the optimum in seconds, where CP-SAT searched
longer (benchmarks/meetings_schedule.py --compare).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]

from symbiose.core.meetings.grid import Grid
from symbiose.core.meetings.placement import Placement


class _Rows:
    """Rows of a 0/1 constraint matrix, each with its upper bound, built entry by entry."""

    def __init__(self) -> None:
        self.index: dict[tuple[object, ...], int] = {}
        self.upper: list[float] = []
        self.rows: list[int] = []
        self.columns: list[int] = []

    def enter(self, key: tuple[object, ...], column: int, bound: float) -> None:
        if key not in self.index:
            self.index[key] = len(self.index)
            self.upper.append(bound)
        self.rows.append(self.index[key])
        self.columns.append(column)

    def solve(self, priority: list[int], seconds: float) -> tuple[list[bool], bool] | None:
        """Maximise the priorities chosen: (chosen per column, optimum proven), or None
        when HiGHS found no solution within `seconds`."""
        matrix = coo_matrix((np.ones(len(self.rows)), (self.rows, self.columns)),
                            shape=(len(self.index), len(priority))).tocsr()
        result = milp(-np.array(priority, dtype=float),
                      constraints=LinearConstraint(matrix, -np.inf, np.array(self.upper)),
                      integrality=np.ones(len(priority)), bounds=Bounds(0, 1),
                      options={"time_limit": max(seconds, 0.05), "disp": False})
        if result.x is None:
            return None
        # status 0: optimal; 1: the time limit came first with a feasible solution.
        return [value > 0.5 for value in result.x], result.status == 0


def counted_best(grid: Grid, *, seconds: float) -> list[int] | None:
    """The open requests of the best choice by counting, or None if not proven in time."""
    placeable = [r for r in range(len(grid.requests)) if grid.candidates[r]]
    if not placeable:
        return []
    rows = _Rows()
    for column, r in enumerate(placeable):
        for person in grid.people[r]:
            rows.enter(("person", person), column, len(grid.free[person]))
        rows.enter(("tables",), column, sum(grid.capacity))
    solved = rows.solve([grid.requests[r].priority for r in placeable], seconds)
    if solved is None or not solved[1]:
        return None
    return [r for r, chosen in zip(placeable, solved[0], strict=True) if chosen]


def highs_place_most(grid: Grid, *, seconds: float) -> Placement | None:
    """The whole placing phase by HiGHS; None when it found nothing within `seconds`."""
    columns = [(r, s) for r in range(len(grid.requests)) for s in grid.candidates[r]]
    if not columns:
        return Placement((None,) * len(grid.requests), optimal=True)
    rows = _Rows()
    for column, (r, s) in enumerate(columns):
        a, b = grid.people[r]
        rows.enter(("request", r), column, 1)
        rows.enter(("seat", a, s), column, 1)
        rows.enter(("seat", b, s), column, 1)
        rows.enter(("slot", s), column, grid.capacity[s])
    solved = rows.solve([grid.requests[r].priority for r, _ in columns], seconds)
    if solved is None:
        return None
    slots: list[int | None] = [None] * len(grid.requests)
    for (r, s), chosen in zip(columns, solved[0], strict=True):
        if chosen:
            slots[r] = s
    return Placement(tuple(slots), optimal=solved[1])


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
