"""The scheduler against agendas known to exist, exhaustive search, and its promises."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbiose.core.meetings import reasons
from symbiose.core.meetings.model import LockedMeeting, MeetingRequest, PlacedMeeting
from symbiose.core.meetings.schedule import schedule_meetings
from tests.core.meetings.check import assert_conflict_free, pair

PEOPLE = [f"p{i}" for i in range(8)]


@st.composite
def planted_days(draw: st.DrawFn) -> dict:
    """A grid filled conflict-free, some idle cells made unavailable, some meetings locked,
    the rest shuffled into requests; the filled grid itself is thrown away."""
    slots = draw(st.integers(1, 5))
    tables = draw(st.integers(1, 4))
    people = PEOPLE[: draw(st.integers(2, len(PEOPLE)))]
    planted: list[PlacedMeeting] = []
    used: set[frozenset[str]] = set()
    for slot in range(1, slots + 1):
        idle = list(people)
        for table in range(1, tables + 1):
            options = [(a, b) for a, b in itertools.combinations(idle, 2)
                       if pair(a, b) not in used]
            if not options or not draw(st.booleans()):
                continue
            a, b = draw(st.sampled_from(options))
            idle.remove(a)
            idle.remove(b)
            used.add(pair(a, b))
            planted.append(PlacedMeeting(slot, table, a, b))
    busy = {(who, m.slot) for m in planted for who in (m.a, m.b)}
    idle_cells = [(who, s) for who in people for s in range(1, slots + 1)
                  if (who, s) not in busy]
    unavailable = draw(st.lists(st.sampled_from(idle_cells), unique=True)) if idle_cells else []
    locked_flags = draw(st.lists(st.booleans(), min_size=len(planted), max_size=len(planted)))
    locked = [LockedMeeting(m.a, m.b, m.slot, m.table)
              for m, flag in zip(planted, locked_flags, strict=True) if flag]
    requests = [MeetingRequest(m.a, m.b) if draw(st.booleans()) else MeetingRequest(m.b, m.a)
                for m in draw(st.permutations(planted))]
    return {"requests": requests, "slots": slots, "tables": tables,
            "unavailable": unavailable, "locked": locked}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted_days())
def test_every_request_of_a_planted_day_is_placed(day: dict) -> None:
    agenda = schedule_meetings(**day, time_limit_s=10)
    assert agenda.unplaced == ()
    assert agenda.optimal
    assert_conflict_free(agenda, **day)


def best_by_search(requests: Sequence[MeetingRequest], *, slots: int, tables: int,
                   unavailable: Sequence[tuple[str, int]],
                   locked: Sequence[LockedMeeting]) -> int:
    """The largest sum of priorities placeable, by trying every slot (or none) for each."""
    locked_pairs = {pair(m.a, m.b) for m in locked}
    open_requests = [r for r in requests if pair(r.a, r.b) not in locked_pairs]
    blocked = set(unavailable) | {(who, m.slot) for m in locked for who in (m.a, m.b)}
    best = 0
    for choice in itertools.product([None, *range(1, slots + 1)], repeat=len(open_requests)):
        seats = set(blocked)
        in_slot = [sum(1 for m in locked if m.slot == s) for s in range(slots + 1)]
        total = 0
        for request, slot in zip(open_requests, choice, strict=True):
            if slot is None:
                continue
            if (request.a, slot) in seats or (request.b, slot) in seats:
                break
            seats |= {(request.a, slot), (request.b, slot)}
            in_slot[slot] += 1
            if in_slot[slot] > tables:
                break
            total += request.priority
        else:
            best = max(best, total)
    return best


@st.composite
def small_days(draw: st.DrawFn) -> dict:
    """Any few requests among few people on a small grid, often more than fits."""
    slots = draw(st.integers(1, 3))
    tables = draw(st.integers(1, 2))
    people = PEOPLE[:5]
    pairs = draw(st.lists(st.sampled_from(list(itertools.combinations(people, 2))),
                          unique=True, max_size=6))
    requests = [MeetingRequest(a, b, draw(st.integers(1, 4))) for a, b in pairs]
    unavailable = draw(st.lists(st.tuples(st.sampled_from(people), st.integers(1, slots)),
                                unique=True, max_size=4))
    locked: list[LockedMeeting] = []
    if pairs and draw(st.booleans()):
        a, b = pairs[0]
        slot = draw(st.integers(1, slots))
        if (a, slot) not in unavailable and (b, slot) not in unavailable:
            locked.append(LockedMeeting(a, b, slot, draw(st.integers(1, tables))))
    return {"requests": requests, "slots": slots, "tables": tables,
            "unavailable": unavailable, "locked": locked}


@settings(max_examples=80, deadline=None)
@given(small_days())
def test_small_days_reach_the_optimum_found_by_exhaustive_search(day: dict) -> None:
    agenda = schedule_meetings(**day, time_limit_s=10)
    assert_conflict_free(agenda, **day)
    priority = {pair(r.a, r.b): r.priority for r in day["requests"]}
    locked_pairs = {pair(m.a, m.b) for m in day["locked"]}
    placed = sum(priority[pair(m.a, m.b)] for m in agenda.placed
                 if pair(m.a, m.b) not in locked_pairs)
    assert agenda.optimal
    assert placed == best_by_search(**day)


def test_locked_meeting_stays_and_its_request_is_not_placed_twice() -> None:
    requests = [MeetingRequest("a", "b"), MeetingRequest("c", "b"), MeetingRequest("a", "c")]
    locked = [LockedMeeting("b", "a", 2, 3)]
    agenda = schedule_meetings(requests, slots=3, tables=3, locked=locked)
    assert PlacedMeeting(2, 3, "b", "a") in agenda.placed
    assert len(agenda.placed) == 3
    assert_conflict_free(agenda, requests, slots=3, tables=3, locked=locked)


def test_unavailable_slots_are_respected_and_explained() -> None:
    requests = [MeetingRequest("a", "b"), MeetingRequest("c", "d")]
    unavailable = [("a", 1), ("b", 2), ("c", 1), ("c", 2)]
    agenda = schedule_meetings(requests, slots=2, tables=1, unavailable=unavailable)
    assert agenda.placed == ()
    assert {u.reason for u in agenda.unplaced} == {reasons.NO_COMMON_SLOT}


def test_higher_priorities_win_when_not_all_fit() -> None:
    # One slot, so "hub" meets one of three; the highest priority must be the one.
    requests = [MeetingRequest("hub", "x", 1), MeetingRequest("hub", "y", 3),
                MeetingRequest("hub", "z", 2)]
    agenda = schedule_meetings(requests, slots=1, tables=5)
    assert [(m.a, m.b) for m in agenda.placed] == [("hub", "y")]
    assert agenda.optimal
    assert {u.reason for u in agenda.unplaced} == {reasons.FULLY_BOOKED}


def test_two_low_priorities_can_outweigh_one_high() -> None:
    # One slot: x with y (3) excludes both x with z and y with w (2 + 2 = 4).
    requests = [MeetingRequest("x", "y", 3), MeetingRequest("x", "z", 2),
                MeetingRequest("y", "w", 2)]
    agenda = schedule_meetings(requests, slots=1, tables=2)
    assert {pair(m.a, m.b) for m in agenda.placed} == {pair("x", "z"), pair("y", "w")}
    assert [u.reason for u in agenda.unplaced] == [reasons.FULLY_BOOKED]


def test_full_tables_are_the_reason_given() -> None:
    requests = [MeetingRequest("a", "b", 2), MeetingRequest("c", "d", 1)]
    agenda = schedule_meetings(requests, slots=1, tables=1)
    assert [(m.a, m.b) for m in agenda.placed] == [("a", "b")]
    assert [u.reason for u in agenda.unplaced] == [reasons.NO_TABLE]


def test_waiting_gaps_are_closed_when_the_meetings_allow() -> None:
    # a meets three others in six slots, nobody unavailable: no reason to make a wait.
    requests = [MeetingRequest("a", who) for who in "bcd"]
    agenda = schedule_meetings(requests, slots=6, tables=1)
    used = sorted(m.slot for m in agenda.placed)
    assert used[-1] - used[0] == 2


def test_no_request_is_an_empty_agenda() -> None:
    agenda = schedule_meetings([], slots=3, tables=2)
    assert (agenda.placed, agenda.unplaced, agenda.optimal) == ((), (), True)


def test_a_light_day_starts_at_the_first_slot() -> None:
    requests = [MeetingRequest("a", "b"), MeetingRequest("c", "d"), MeetingRequest("a", "c")]
    agenda = schedule_meetings(requests, slots=6, tables=2, time_limit_s=10)
    assert sorted(m.slot for m in agenda.placed) == [1, 1, 2]
