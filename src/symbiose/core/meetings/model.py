"""What the meeting scheduler reads and returns: plain values, no Django.

Participants are named by any string id (an actor's id in the web, a CSV's id on the
command line); slots and tables are numbered from 1, as a facilitator counts them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MeetingRequest:
    """An accepted request for one meeting between `a` and `b` (order does not matter).

    A higher `priority` is placed first when not every request fits.
    """

    a: str
    b: str
    priority: int = 1


@dataclass(frozen=True)
class LockedMeeting:
    """A meeting the facilitator has fixed by hand: kept exactly where it is."""

    a: str
    b: str
    slot: int
    table: int


@dataclass(frozen=True)
class PlacedMeeting:
    slot: int
    table: int
    a: str
    b: str


@dataclass(frozen=True)
class UnplacedMeeting:
    """A request left out, with the reason in one sentence for the facilitator."""

    a: str
    b: str
    reason: str


@dataclass(frozen=True)
class Agenda:
    """The scheduler's answer. `optimal` says the solver proved no agenda places more
    (by priority) than this one; False when it stopped at its time limit first."""

    placed: tuple[PlacedMeeting, ...]
    unplaced: tuple[UnplacedMeeting, ...]
    optimal: bool
