"""Why a request was left out, in one sentence a facilitator can act on.

The sentences carry no parameters (the agenda row already names the pair), so a page or
the command line translates them as they are.
"""

from __future__ import annotations

from symbiose.core.i18n import gettext_noop
from symbiose.core.meetings.grid import Grid

NO_COMMON_SLOT = gettext_noop(
    "The two have no free slot in common (unavailable or in locked meetings)."
)
FULLY_BOOKED = gettext_noop(
    "One of the two is already fully booked: every slot they are free holds another of "
    "their meetings."
)
HIGHER_PRIORITY = gettext_noop("Left out for meetings of higher priority.")
NO_TABLE = gettext_noop("No table is free in the slots where both are free.")
NO_ROOM = gettext_noop(
    "In every slot the two share, one of them already has a meeting, and no other "
    "arrangement places more meetings."
)
OUT_OF_TIME = gettext_noop(
    "In every slot the two share, one of them already has a meeting; the scheduler "
    "reached its time limit before finding room for it."
)


def unplaced_reason(grid: Grid, request: int, slots: tuple[int | None, ...],
                     *, optimal: bool) -> str:
    """The reason request `request` is not in the agenda `slots` (per open request)."""
    common = grid.candidates[request]
    if not common:
        return NO_COMMON_SLOT
    a, b = grid.people[request]
    holder: dict[tuple[int, int], int] = {}  # (participant, slot) -> the request there
    used = [0] * grid.slots
    for r, s in enumerate(slots):
        if s is not None:
            used[s] += 1
            for p in grid.people[r]:
                holder[(p, s)] = r
    for p in (a, b):
        if all((p, s) in holder for s in grid.free[p]):
            return FULLY_BOOKED
    priority = grid.requests[request].priority
    blockers = [holder[(p, s)] for s in common for p in (a, b) if (p, s) in holder]
    if any(grid.requests[r].priority > priority for r in blockers):
        return HIGHER_PRIORITY
    idle = [s for s in common if (a, s) not in holder and (b, s) not in holder]
    if idle and all(used[s] >= grid.capacity[s] for s in idle):
        return NO_TABLE
    return NO_ROOM if optimal else OUT_OF_TIME
