"""Every bad input is refused before solving, with every problem located."""

from __future__ import annotations

import pytest

from symbiose.core.errors import SymbioseError
from symbiose.core.meetings import problems as say
from symbiose.core.meetings.model import LockedMeeting, MeetingRequest
from symbiose.core.meetings.problems import InputProblem, ScheduleInputError
from symbiose.core.meetings.schedule import schedule_meetings

OK = [MeetingRequest("a", "b")]


def refused(requests: list[MeetingRequest] = OK, **kwargs: object) -> list[tuple[str, str]]:
    kwargs.setdefault("slots", 4)
    kwargs.setdefault("tables", 2)
    with pytest.raises(ScheduleInputError) as caught:
        schedule_meetings(requests, **kwargs)  # type: ignore[arg-type]
    return [(p.where, p.message) for p in caught.value.problems]


def test_the_error_is_the_core_s_and_a_value_error() -> None:
    assert issubclass(ScheduleInputError, SymbioseError)
    assert issubclass(ScheduleInputError, ValueError)


def test_an_empty_grid() -> None:
    assert refused(slots=0, tables=-1) == [("slots", say.SLOTS_TOO_FEW),
                                           ("tables", say.TABLES_TOO_FEW)]


def test_unknown_participants_everywhere_are_each_named() -> None:
    with pytest.raises(ScheduleInputError) as caught:
        schedule_meetings([MeetingRequest("a", "zed")], slots=2, tables=1,
                          unavailable=[("ghost", 1)], locked=[LockedMeeting("a", "x", 1, 1)],
                          participants={"a", "b"})
    assert caught.value.problems == [
        InputProblem("request 1", say.UNKNOWN_PARTICIPANT, kind="requests", number=1,
                     attribute="b", value="zed", params={"participant": "zed"}),
        InputProblem("unavailable 1", say.UNKNOWN_PARTICIPANT, kind="unavailable", number=1,
                     attribute="participant", value="ghost", params={"participant": "ghost"}),
        InputProblem("locked meeting 1", say.UNKNOWN_PARTICIPANT, kind="locked", number=1,
                     attribute="b", value="x", params={"participant": "x"}),
    ]


def test_self_meetings_duplicates_and_priorities() -> None:
    requests = [MeetingRequest("a", "b"), MeetingRequest("c", "c"), MeetingRequest("b", "a"),
                MeetingRequest("a", "d", priority=0)]
    assert refused(requests) == [("request 2", say.SELF_MEETING),
                                 ("request 3", say.DUPLICATE_REQUEST),
                                 ("request 4", say.PRIORITY_TOO_LOW)]


def test_slots_and_tables_outside_the_grid() -> None:
    assert refused(unavailable=[("a", 5), ("a", 0)],
                   locked=[LockedMeeting("a", "b", 9, 3)]) == [
        ("unavailable 1", say.SLOT_OUTSIDE), ("unavailable 2", say.SLOT_OUTSIDE),
        ("locked meeting 1", say.SLOT_OUTSIDE), ("locked meeting 1", say.TABLE_OUTSIDE)]


def test_locked_meetings_in_conflict_with_each_other() -> None:
    locked = [LockedMeeting("a", "b", 1, 1), LockedMeeting("b", "a", 2, 2),
              LockedMeeting("a", "c", 1, 2), LockedMeeting("d", "e", 1, 1),
              LockedMeeting("f", "g", 1, 2)]
    assert refused(locked=locked) == [
        ("locked meeting 2", say.DUPLICATE_LOCKED),
        ("locked meeting 3", say.LOCKED_PARTICIPANT_TWICE),
        ("locked meeting 4", say.LOCKED_TABLE_TWICE),
        ("locked meeting 4", say.LOCKED_OVER_CAPACITY),  # the third in slot 1, of 2 tables
        ("locked meeting 5", say.LOCKED_TABLE_TWICE)]


def test_a_locked_meeting_when_one_of_its_pair_is_unavailable() -> None:
    problems = refused(unavailable=[("b", 3)], locked=[LockedMeeting("a", "b", 3, 1)])
    assert problems == [("locked meeting 1", say.LOCKED_UNAVAILABLE)]


def test_the_message_names_what_to_fix() -> None:
    with pytest.raises(ScheduleInputError) as caught:
        schedule_meetings([MeetingRequest("a", "a")], slots=2, tables=1)
    assert "request 1" in str(caught.value) and "“a” cannot meet themselves" in str(caught.value)
