"""The solver phases on a `Grid`: place the most (by priority), then shorten the waits.

The models are on x[request, slot]: at most one slot per request, at most one meeting per
participant and slot, at most the free tables per slot. Placing tries, in order (see
`place`): the best choice by counting placed whole (CP-SAT, a pure feasibility search);
the whole model by HiGHS where counting shows some request must be left out (`milp`);
the whole model by CP-SAT. On a day whose requests all fit, finding the full agenda is a
list edge-colouring, where the LP bound is reached by any fractional spread and HiGHS's
branch-and-bound gains nothing from it, while CP-SAT's parallel portfolio (with local
search workers) finds it quickly. CP-SAT also takes a solution hint, which the waits
phase needs. Figures: benchmarks/meetings_schedule.py --compare.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.sat.python import cp_model

from symbiose.core.meetings.grid import Grid
from symbiose.core.meetings.milp import (
    counted_best,
    highs_place_most,
    some_request_cannot_fit,
)
from symbiose.core.meetings.placement import Placement

# CP-SAT's portfolio is what finds full agendas fast; 8 workers beat 2 even on 2 cores,
# where they share the cores (see the benchmark's notes).
WORKERS = 8
SEED = 1


def _variables(model: cp_model.CpModel, grid: Grid, chosen: list[int]
               ) -> dict[tuple[int, int], cp_model.IntVar]:
    """x[r, s] for the chosen requests, with the three kinds of conflict forbidden."""
    x = {(r, s): model.new_bool_var(f"x{r}_{s}") for r in chosen for s in grid.candidates[r]}
    seats: defaultdict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    per_slot: defaultdict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (r, s), var in x.items():
        a, b = grid.people[r]
        seats[(a, s)].append(var)
        seats[(b, s)].append(var)
        per_slot[s].append(var)
    for same_seat in seats.values():
        if len(same_seat) > 1:
            model.add_at_most_one(same_seat)
    for s, in_slot in per_slot.items():
        if len(in_slot) > grid.capacity[s]:
            model.add(sum(in_slot) <= grid.capacity[s])
    return x


def _solver(seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.05)
    solver.parameters.num_workers = WORKERS
    solver.parameters.random_seed = SEED
    return solver


def greedy(grid: Grid) -> list[int | None]:
    """Highest priority first, then the least free: each request in its first open slot.

    A hint for the solver (and the floor it starts from), not an answer.
    """
    used = [0] * grid.slots
    busy: set[tuple[int, int]] = set()
    placed: list[int | None] = [None] * len(grid.requests)
    order = sorted(range(len(grid.requests)),
                   key=lambda r: (-grid.requests[r].priority, len(grid.candidates[r])))
    for r in order:
        a, b = grid.people[r]
        for s in grid.candidates[r]:
            if used[s] < grid.capacity[s] and (a, s) not in busy and (b, s) not in busy:
                placed[r] = s
                used[s] += 1
                busy.update(((a, s), (b, s)))
                break
    return placed


def place_most(grid: Grid, *, seconds: float) -> Placement:
    """Phase 1: the largest sum of priorities placed, proven optimal if time allows."""
    chosen = [r for r in range(len(grid.requests)) if grid.candidates[r]]
    if not chosen:
        return Placement((None,) * len(grid.requests), optimal=True)
    model = cp_model.CpModel()
    x = _variables(model, grid, chosen)
    for r in chosen:
        model.add_at_most_one(x[(r, s)] for s in grid.candidates[r])
    model.maximize(sum(grid.requests[r].priority * var for (r, _), var in x.items()))
    hint = greedy(grid)
    for (r, s), var in x.items():
        model.add_hint(var, hint[r] == s)
    solver = _solver(seconds)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Placement(tuple(hint), optimal=False)
    slots = [next((s for s in grid.candidates[r] if solver.value(x[(r, s)])), None)
             if grid.candidates[r] else None for r in range(len(grid.requests))]
    return Placement(tuple(slots), optimal=status == cp_model.OPTIMAL)


def place_all(grid: Grid, chosen: list[int], *, seconds: float) -> Placement | None:
    """Every chosen request on a slot, or None when CP-SAT shows it impossible or runs out
    of time. `optimal` is left False: only the caller knows whether the choice was best."""
    model = cp_model.CpModel()
    x = _variables(model, grid, chosen)
    for r in chosen:
        model.add_exactly_one(x[(r, s)] for s in grid.candidates[r])
    solver = _solver(seconds)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    slots: list[int | None] = [None] * len(grid.requests)
    for r in chosen:
        slots[r] = next(s for s in grid.candidates[r] if solver.value(x[(r, s)]))
    return Placement(tuple(slots), optimal=False)


def place_counted(grid: Grid, *, seconds: float) -> Placement | None:
    """The best choice by counting, placed whole: then optimal, since counting bounds
    every agenda. None when counting proves nothing in time or the choice does not fit
    the grid (CP-SAT shows it, or runs out of time)."""
    started = time.monotonic()
    chosen = counted_best(grid, seconds=0.2 * seconds)
    if chosen is None:
        return None
    placed = place_all(grid, chosen, seconds=seconds - (time.monotonic() - started))
    return None if placed is None else Placement(placed.slots, optimal=True)


def shorten_waits(grid: Grid, placement: Placement, *, seconds: float) -> Placement:
    """Phase 2: the same requests placed, with the least idle time between each
    participant's first and last meeting (locked meetings count, and stay put).

    Minimises the sum over participants of (last slot - first slot): with the meetings
    fixed in number, that is the sum of idle slots plus a constant; then the meetings'
    slots, so that a light day starts at its first slot. Starts from phase 1's
    answer, so it can only keep or improve it.
    """
    chosen = [r for r, s in enumerate(placement.slots) if s is not None]
    if not chosen:
        return placement
    model = cp_model.CpModel()
    x = _variables(model, grid, chosen)
    for r in chosen:
        model.add_exactly_one(x[(r, s)] for s in grid.candidates[r])
        for s in grid.candidates[r]:
            model.add_hint(x[(r, s)], placement.slots[r] == s)
    last_slot = grid.slots - 1
    first = [model.new_int_var(0, last_slot, f"first{p}") for p in range(len(grid.names))]
    last = [model.new_int_var(0, last_slot, f"last{p}") for p in range(len(grid.names))]
    for p, held in enumerate(grid.locked_slots):
        if held:
            model.add(first[p] <= min(held))
            model.add(last[p] >= max(held))
    for (r, s), var in x.items():
        for p in grid.people[r]:
            model.add(first[p] <= s).only_enforce_if(var)
            model.add(last[p] >= s).only_enforce_if(var)
    # Ties broken towards the earliest slots: a day of few meetings starts with them rather
    # than leaving the first slots empty. The weight keeps the waits first: the whole
    # tie-break term is smaller than one slot of waiting.
    earliness = sum(s * var for (_, s), var in x.items())
    weight = len(chosen) * last_slot + 1
    model.minimize(weight * (sum(last) - sum(first)) + earliness)
    solver = _solver(seconds)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return placement
    slots = list(placement.slots)
    for r in chosen:
        slots[r] = next(s for s in grid.candidates[r] if solver.value(x[(r, s)]))
    return Placement(tuple(slots), optimal=placement.optimal)


def place(grid: Grid, *, time_limit_s: float) -> Placement:
    """Both phases within the time limit: most of it for placing, the rest for waits.

    Placing first tries the best choice by counting, placed whole (`place_counted`): on a
    day where every request fits, that choice is every request and placing it is a pure
    feasibility search, which CP-SAT finishes several times faster than the search for the
    most (benchmarks/meetings_schedule.py --compare); on an over-subscribed day the choice
    usually fits too, and the agenda is proven optimal at once. When it does not, HiGHS
    solves the whole model if counting shows some request must be left out (its LP bound
    proves the optimum fast there), CP-SAT otherwise, and CP-SAT takes over if HiGHS found
    nothing. The waits get as long as placing took (at least a second, at most a fifth of
    the limit): they are the lesser aim, and a facilitator waits for the answer.
    """
    started = time.monotonic()
    placing = 0.8 * time_limit_s
    placement = place_counted(grid, seconds=0.5 * placing)
    if placement is None and some_request_cannot_fit(grid):
        placement = highs_place_most(grid, seconds=placing - (time.monotonic() - started))
    if placement is None:
        placement = place_most(grid, seconds=placing - (time.monotonic() - started))
    spent = time.monotonic() - started
    left = min(time_limit_s - spent, 0.2 * time_limit_s, max(spent, 1.0))
    if left > 0.05:
        placement = shorten_waits(grid, placement, seconds=left)
    return placement
