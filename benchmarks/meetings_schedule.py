"""The meeting scheduler on synthetic meeting days: time, meetings placed, proof, waits.

    PYTHONPATH=src python benchmarks/meetings_schedule.py [--runs 3] [--compare]
                                                          [--only NAME ...]

Four days (symbiose.core.meetings.synth), each scheduled `--runs` times by
`schedule_meetings` (the command's and the pages' entry point), median printed:

- 300 participants, 2,000 requests, 16 slots, 150 tables, *planted* (built from a hidden
  agenda, so every request can be placed); target: all placed, under 30 s;
- the same size over-subscribed (more requests than the participants' free slots);
- 60 participants, 350 requests, 16 slots, 30 tables, planted; target: under 3 s;
- the same over-subscribed.

Printed per day: seconds (median, min, max), requests placed, whether the optimum was
proven, and the waits: idle slots between each participant's first and last meeting (mean
and max over participants with a meeting).

With --compare, the placing phase alone is also solved each way under the same time limit,
printed side by side: the best choice by counting placed whole (`solve.place_counted`;
"proven" when it fits), the whole model by CP-SAT (`solve.place_most`) and by SciPy's
HiGHS (`milp.highs_place_most`). The order of tries in `solve.place` rests on them.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from symbiose.core.meetings.grid import Grid, build_grid
from symbiose.core.meetings.milp import highs_place_most
from symbiose.core.meetings.model import Agenda
from symbiose.core.meetings.schedule import schedule_meetings
from symbiose.core.meetings.solve import place_counted, place_most
from symbiose.core.meetings.synth import MeetingDay, oversubscribed_day, planted_day

TIME_LIMIT_S = 25.0


@dataclass(frozen=True)
class Day:
    name: str
    build: Callable[[int], MeetingDay]


DAYS = (
    Day("300/2000 planted", lambda seed: planted_day(
        participants=300, requests=2000, slots=16, tables=150, seed=seed)),
    Day("300/2000 over-subscribed", lambda seed: oversubscribed_day(
        participants=300, requests=2000, slots=16, tables=150, seed=seed)),
    Day("60/350 planted", lambda seed: planted_day(
        participants=60, requests=350, slots=16, tables=30, seed=seed)),
    Day("60/350 over-subscribed", lambda seed: oversubscribed_day(
        participants=60, requests=350, slots=16, tables=30, seed=seed)),
)


def waits(agenda: Agenda) -> list[int]:
    """Idle slots between each participant's first and last meeting."""
    held: defaultdict[str, list[int]] = defaultdict(list)
    for meeting in agenda.placed:
        held[meeting.a].append(meeting.slot)
        held[meeting.b].append(meeting.slot)
    return [max(slots) - min(slots) + 1 - len(slots) for slots in held.values()]


def grid_of(day: MeetingDay) -> Grid:
    return build_grid(day.requests, slots=day.slots, tables=day.tables,
                      unavailable=day.unavailable, locked=day.locked)


def run_day(day: Day, runs: int, compare: bool) -> None:
    seconds: list[float] = []
    placed: list[int] = []
    proven: list[bool] = []
    mean_wait: list[float] = []
    max_wait: list[int] = []
    cpsat: list[tuple[float, int, bool]] = []
    highs: list[tuple[float, int, bool]] = []
    counted: list[tuple[float, int, bool]] = []
    for seed in range(1, runs + 1):
        meeting_day = day.build(seed)
        started = time.perf_counter()
        agenda = schedule_meetings(meeting_day.requests, slots=meeting_day.slots,
                                   tables=meeting_day.tables,
                                   unavailable=meeting_day.unavailable,
                                   locked=meeting_day.locked, time_limit_s=TIME_LIMIT_S)
        seconds.append(time.perf_counter() - started)
        placed.append(len(agenda.placed))
        proven.append(agenda.optimal)
        idle = waits(agenda)
        mean_wait.append(statistics.fmean(idle))
        max_wait.append(max(idle))
        if compare:
            grid = grid_of(meeting_day)
            locked = len(meeting_day.locked)
            started = time.perf_counter()
            placement = place_most(grid, seconds=0.8 * TIME_LIMIT_S)
            cpsat.append((time.perf_counter() - started,
                          locked + sum(s is not None for s in placement.slots),
                          placement.optimal))
            started = time.perf_counter()
            by_counting = place_counted(grid, seconds=0.8 * TIME_LIMIT_S)
            counted.append((time.perf_counter() - started,
                            locked + sum(s is not None for s in by_counting.slots)
                            if by_counting else 0, by_counting is not None))
            started = time.perf_counter()
            by_highs = highs_place_most(grid, seconds=0.8 * TIME_LIMIT_S)
            highs.append((time.perf_counter() - started,
                          locked + sum(s is not None for s in by_highs.slots) if by_highs else 0,
                          by_highs is not None and by_highs.optimal))
    total = len(day.build(1).requests)
    print(f"{day.name}: {statistics.median(seconds):.2f} s median "
          f"(min {min(seconds):.2f}, max {max(seconds):.2f}); placed "
          f"{statistics.median(placed):.0f}/{total} (runs: {placed}); "
          f"proven {sum(proven)}/{runs}; waits mean {statistics.median(mean_wait):.2f} "
          f"max {max(max_wait)} slots")
    for solver, figures in (("counted choice, CP-SAT", counted), ("CP-SAT", cpsat),
                            ("HiGHS", highs)):
        if figures:
            print(f"    placing only, {solver}: {statistics.median(f[0] for f in figures):.2f} s"
                  f" median; placed {[f[1] for f in figures]}; proven "
                  f"{sum(f[2] for f in figures)}/{runs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--only", nargs="*", help="days whose name starts with one of these")
    args = parser.parse_args()
    for day in DAYS:
        if args.only and not any(day.name.startswith(prefix) for prefix in args.only):
            continue
        run_day(day, args.runs, args.compare)


if __name__ == "__main__":
    main()
