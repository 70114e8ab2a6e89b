"""The scheduler's one entry point: accepted requests in, an agenda of slots and tables out.

Placing is exact: whenever every request fits, every request is placed; otherwise the
largest sum of priorities is placed, proven optimal unless the time limit came first
(`Agenda.optimal`). Then, the placed meetings fixed, the idle slots between each
participant's first and last meeting are shortened (see `solve`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from symbiose.core.meetings.grid import Grid, build_grid
from symbiose.core.meetings.model import (
    Agenda,
    LockedMeeting,
    MeetingRequest,
    PlacedMeeting,
    UnplacedMeeting,
)
from symbiose.core.meetings.problems import ScheduleInputError
from symbiose.core.meetings.reasons import unplaced_reason
from symbiose.core.meetings.solve import place
from symbiose.core.meetings.validate import input_problems


def schedule_meetings(
    requests: Sequence[MeetingRequest], *, slots: int, tables: int,
    unavailable: Iterable[tuple[str, int]] = (), locked: Sequence[LockedMeeting] = (),
    participants: Collection[str] | None = None, time_limit_s: float = 25.0,
) -> Agenda:
    """Place `requests` on `slots` x `tables`, keeping `locked` meetings where they are and
    nobody in a slot they are `unavailable` (participant, slot from 1).

    A request for a locked pair is that locked meeting, not a second one. When
    `participants` is given, every id must be one of them. Raises ScheduleInputError with
    every problem of the input, located, before any solving.
    """
    unavailable_cells = list(unavailable)
    problems = input_problems(requests, slots=slots, tables=tables, unavailable=unavailable_cells,
                              locked=locked, participants=participants)
    if problems:
        raise ScheduleInputError(problems)
    grid = build_grid(requests, slots=slots, tables=tables, unavailable=unavailable_cells,
                      locked=locked)
    placement = place(grid, time_limit_s=time_limit_s)
    placed = _seat(grid, placement.slots, locked)
    unplaced = tuple(
        UnplacedMeeting(request.a, request.b,
                        unplaced_reason(grid, r, placement.slots, optimal=placement.optimal))
        for r, request in enumerate(grid.requests) if placement.slots[r] is None
    )
    return Agenda(placed, unplaced, placement.optimal)


def _seat(grid: Grid, slots: tuple[int | None, ...],
          locked: Sequence[LockedMeeting]) -> tuple[PlacedMeeting, ...]:
    """Tables for the placed requests: in each slot, the lowest tables the locked meetings
    left free, in request order (any free table would do: they are interchangeable)."""
    taken: defaultdict[int, set[int]] = defaultdict(set)
    for meeting in locked:
        taken[meeting.slot].add(meeting.table)
    seated = [PlacedMeeting(m.slot, m.table, m.a, m.b) for m in locked]
    next_table: defaultdict[int, int] = defaultdict(lambda: 1)
    for r, s in enumerate(slots):
        if s is None:
            continue
        slot = s + 1
        table = next_table[slot]
        while table in taken[slot]:
            table += 1
        next_table[slot] = table + 1
        request = grid.requests[r]
        seated.append(PlacedMeeting(slot, table, request.a, request.b))
    return tuple(sorted(seated, key=lambda m: (m.slot, m.table)))
