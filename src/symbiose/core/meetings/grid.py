"""The scheduling problem in numbers, once the input is known valid.

Tables are interchangeable except for the locked ones, so a request is only given a slot:
any slot where both its participants are free (neither unavailable nor in a locked
meeting), under a per-slot capacity of the tables the locked meetings leave. A slot
assignment within those limits always gets its tables afterwards, and the solver never
explores the T! ways of seating the same slots.

Slots are counted from 0 here and from 1 everywhere a person reads them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from symbiose.core.meetings.model import LockedMeeting, MeetingRequest
from symbiose.core.meetings.validate import pair_key


@dataclass(frozen=True)
class Grid:
    slots: int
    tables: int
    requests: tuple[MeetingRequest, ...]  # open requests: every one not a locked pair
    people: tuple[tuple[int, int], ...]  # per open request, its two participants' indices
    candidates: tuple[tuple[int, ...], ...]  # per open request, the slots it may take
    capacity: tuple[int, ...]  # per slot, the tables the locked meetings leave
    names: tuple[str, ...]  # participant index -> id
    free: tuple[frozenset[int], ...]  # per participant, the slots neither unavailable nor locked
    locked_slots: tuple[frozenset[int], ...]  # per participant, the slots of its locked meetings

    @property
    def priorities(self) -> list[int]:
        return [request.priority for request in self.requests]


def build_grid(requests: Sequence[MeetingRequest], *, slots: int, tables: int,
               unavailable: Iterable[tuple[str, int]],
               locked: Sequence[LockedMeeting]) -> Grid:
    locked_pairs = {pair_key(m.a, m.b) for m in locked}
    open_requests = tuple(r for r in requests if pair_key(r.a, r.b) not in locked_pairs)
    names: dict[str, int] = {}
    for who in [p for r in requests for p in (r.a, r.b)] + [p for m in locked
                                                            for p in (m.a, m.b)]:
        names.setdefault(who, len(names))
    blocked: defaultdict[int, set[int]] = defaultdict(set)
    held: defaultdict[int, set[int]] = defaultdict(set)
    for who, slot in unavailable:
        if who in names:
            blocked[names[who]].add(slot - 1)
    capacity = [tables] * slots
    for meeting in locked:
        capacity[meeting.slot - 1] -= 1
        for who in (meeting.a, meeting.b):
            held[names[who]].add(meeting.slot - 1)
    every = frozenset(range(slots))
    free = tuple(every - blocked[i] - held[i] for i in range(len(names)))
    people = tuple((names[r.a], names[r.b]) for r in open_requests)
    candidates = tuple(tuple(sorted(free[a] & free[b])) for a, b in people)
    return Grid(slots, tables, open_requests, people, candidates, tuple(capacity),
                tuple(names), free, tuple(frozenset(held[i]) for i in range(len(names))))
