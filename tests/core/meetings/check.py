"""What every agenda must satisfy, checked from the raw input (not the scheduler's grid)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from symbiose.core.meetings.model import Agenda, LockedMeeting, MeetingRequest


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def assert_conflict_free(agenda: Agenda, requests: Sequence[MeetingRequest], *, slots: int,
                         tables: int, unavailable: Sequence[tuple[str, int]] = (),
                         locked: Sequence[LockedMeeting] = ()) -> None:
    placed = agenda.placed
    assert list(placed) == sorted(placed, key=lambda m: (m.slot, m.table))
    seats = Counter((who, m.slot) for m in placed for who in (m.a, m.b))
    assert [seat for seat, n in seats.items() if n > 1] == [], "someone in two meetings at once"
    places = Counter((m.slot, m.table) for m in placed)
    assert [place for place, n in places.items() if n > 1] == [], "a table used twice"
    assert all(1 <= m.slot <= slots and 1 <= m.table <= tables for m in placed)
    assert set(seats) & set(unavailable) == set(), "someone placed while unavailable"
    for meeting in locked:
        assert any((m.slot, m.table, pair(m.a, m.b)) == (meeting.slot, meeting.table,
                                                          pair(meeting.a, meeting.b))
                   for m in placed), f"locked meeting moved or lost: {meeting}"
    asked = Counter(pair(r.a, r.b) for r in requests) + Counter(pair(m.a, m.b) for m in locked)
    met = Counter(pair(m.a, m.b) for m in placed)
    assert all(n == 1 for n in met.values()), "a pair placed twice"
    assert set(met) <= set(asked), "a meeting nobody asked for"
    left_out = Counter(pair(u.a, u.b) for u in agenda.unplaced)
    assert met + left_out == Counter(set(asked)), "a request neither placed nor unplaced"
    assert all(u.reason for u in agenda.unplaced)
