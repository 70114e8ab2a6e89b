"""Synthetic meeting days for benchmarks: planted (a full agenda exists) or over-subscribed.

A planted day is built from a hidden agenda: the grid is filled conflict-free, some idle
slots are then declared unavailable and a few meetings locked, and the agenda is thrown
away, so a scheduler is known to be able to place every request. An over-subscribed day
asks for more meetings than the participants have slots, with mixed priorities.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from symbiose.core.meetings.model import LockedMeeting, MeetingRequest, PlacedMeeting


@dataclass(frozen=True)
class MeetingDay:
    requests: tuple[MeetingRequest, ...]
    slots: int
    tables: int
    unavailable: tuple[tuple[str, int], ...]
    locked: tuple[LockedMeeting, ...]
    planted: tuple[PlacedMeeting, ...]  # empty for an over-subscribed day


def planted_day(*, participants: int, requests: int, slots: int, tables: int, seed: int,
                unavailable_share: float = 0.3, locked_share: float = 0.02) -> MeetingDay:
    """`requests` meetings placed conflict-free on the grid, then shuffled into requests.

    `unavailable_share` of each participant's idle slots become unavailable, and
    `locked_share` of the meetings are kept as locked ones.
    """
    rng = random.Random(seed)
    names = [f"p{i:04d}" for i in range(participants)]
    per_slot = [requests // slots + (1 if s < requests % slots else 0) for s in range(slots)]
    if max(per_slot) > min(tables, participants // 2):
        raise ValueError("more meetings per slot than the tables or participants allow")
    used: set[tuple[str, str]] = set()
    planted: list[PlacedMeeting] = []
    for slot, wanted in enumerate(per_slot, start=1):
        order = names[:]
        rng.shuffle(order)
        table = 0
        while table < wanted and len(order) >= 2:
            a = order.pop()
            partner = next((b for b in reversed(order) if (min(a, b), max(a, b)) not in used),
                           None)
            if partner is None:
                continue
            order.remove(partner)
            used.add((min(a, partner), max(a, partner)))
            table += 1
            planted.append(PlacedMeeting(slot, table, a, partner))
    busy = {(m.a, m.slot) for m in planted} | {(m.b, m.slot) for m in planted}
    unavailable = tuple(
        (name, slot) for name in names for slot in range(1, slots + 1)
        if (name, slot) not in busy and rng.random() < unavailable_share
    )
    locked = tuple(LockedMeeting(m.a, m.b, m.slot, m.table) for m in planted
                   if rng.random() < locked_share)
    shuffled = planted[:]
    rng.shuffle(shuffled)
    asked = tuple(MeetingRequest(m.a, m.b) if rng.random() < 0.5 else MeetingRequest(m.b, m.a)
                  for m in shuffled)
    return MeetingDay(asked, slots, tables, unavailable, locked, tuple(planted))


def oversubscribed_day(*, participants: int, requests: int, slots: int, tables: int,
                       seed: int, unavailable_share: float = 0.1) -> MeetingDay:
    """Random pairs, popular participants asked more often, priorities 1 to 3."""
    rng = random.Random(seed)
    names = [f"p{i:04d}" for i in range(participants)]
    weights = [1.0 / (1 + i / 20) for i in range(participants)]  # a few popular ones
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < requests:
        a, b = rng.choices(names, weights)[0], rng.choice(names)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    asked = tuple(MeetingRequest(a, b, rng.choice((1, 1, 2, 3))) for a, b in sorted(pairs))
    unavailable = tuple((name, slot) for name in names for slot in range(1, slots + 1)
                        if rng.random() < unavailable_share)
    return MeetingDay(asked, slots, tables, unavailable, (), ())
