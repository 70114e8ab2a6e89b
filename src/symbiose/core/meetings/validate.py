"""Checking the scheduler's input: every problem found, each with where it is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

from symbiose.core.meetings import problems as say
from symbiose.core.meetings.model import LockedMeeting, MeetingRequest
from symbiose.core.meetings.problems import InputProblem


def pair_key(a: str, b: str) -> tuple[str, str]:
    """A pair regardless of order: a meeting of a with b is the one of b with a."""
    return (a, b) if a <= b else (b, a)


def input_problems(
    requests: Sequence[MeetingRequest], *, slots: int, tables: int,
    unavailable: Sequence[tuple[str, int]], locked: Sequence[LockedMeeting],
    participants: Collection[str] | None,
) -> list[InputProblem]:
    found: list[InputProblem] = []
    if slots < 1:
        found.append(InputProblem("slots", say.SLOTS_TOO_FEW, params={"value": str(slots)}))
    if tables < 1:
        found.append(InputProblem("tables", say.TABLES_TOO_FEW, params={"value": str(tables)}))
    known = None if participants is None else set(participants)
    found += _request_problems(requests, known)
    found += _unavailable_problems(unavailable, slots, known)
    found += _locked_problems(locked, slots, tables, set(unavailable), known)
    return found


def _problem(kind: str, label: str, number: int, attribute: str | None, refused: object,
             message: str, /, **params: object) -> InputProblem:
    return InputProblem(
        f"{label} {number}", message, kind=kind, number=number, attribute=attribute,
        value=None if refused is None else str(refused),
        params={key: str(param) for key, param in params.items()},
    )


def _people_problems(kind: str, label: str, number: int, a: str, b: str,
                     known: set[str] | None) -> list[InputProblem]:
    found = []
    if known is not None:
        for attribute, who in (("a", a), ("b", b)):
            if who not in known:
                found.append(_problem(kind, label, number, attribute, who,
                                      say.UNKNOWN_PARTICIPANT, participant=who))
    if a == b:
        found.append(_problem(kind, label, number, "b", b, say.SELF_MEETING, participant=a))
    return found


def _request_problems(requests: Sequence[MeetingRequest],
                      known: set[str] | None) -> list[InputProblem]:
    found: list[InputProblem] = []
    first: dict[tuple[str, str], int] = {}
    for number, request in enumerate(requests, start=1):
        found += _people_problems("requests", "request", number, request.a, request.b, known)
        key = pair_key(request.a, request.b)
        if key in first and request.a != request.b:
            found.append(_problem("requests", "request", number, "b", request.b,
                                  say.DUPLICATE_REQUEST, other=first[key]))
        first.setdefault(key, number)
        if isinstance(request.priority, bool) or not isinstance(request.priority, int) \
                or request.priority < 1:
            found.append(_problem("requests", "request", number, "priority",
                                  request.priority, say.PRIORITY_TOO_LOW,
                                  value=request.priority))
    return found


def _unavailable_problems(unavailable: Sequence[tuple[str, int]], slots: int,
                          known: set[str] | None) -> list[InputProblem]:
    found = []
    for number, (who, slot) in enumerate(unavailable, start=1):
        if known is not None and who not in known:
            found.append(_problem("unavailable", "unavailable", number, "participant", who,
                                  say.UNKNOWN_PARTICIPANT, participant=who))
        if not 1 <= slot <= slots:
            found.append(_problem("unavailable", "unavailable", number, "slot", slot,
                                  say.SLOT_OUTSIDE, value=slot, slots=slots))
    return found


def _locked_problems(locked: Sequence[LockedMeeting], slots: int, tables: int,
                     unavailable: set[tuple[str, int]],
                     known: set[str] | None) -> list[InputProblem]:
    found: list[InputProblem] = []
    pairs: dict[tuple[str, str], int] = {}
    seats: dict[tuple[str, int], int] = {}  # (participant, slot) -> locked meeting number
    places: dict[tuple[int, int], int] = {}  # (slot, table) -> locked meeting number
    per_slot: Counter[int] = Counter()
    label = "locked meeting"
    for number, meeting in enumerate(locked, start=1):
        a, b, slot, table = meeting.a, meeting.b, meeting.slot, meeting.table
        found += _people_problems("locked", label, number, a, b, known)
        key = pair_key(a, b)
        if key in pairs and a != b:
            found.append(_problem("locked", label, number, "b", b, say.DUPLICATE_LOCKED,
                                  other=pairs[key]))
        pairs.setdefault(key, number)
        if not 1 <= slot <= slots:
            found.append(_problem("locked", label, number, "slot", slot, say.SLOT_OUTSIDE,
                                  value=slot, slots=slots))
        if not 1 <= table <= tables:
            found.append(_problem("locked", label, number, "table", table, say.TABLE_OUTSIDE,
                                  value=table, tables=tables))
        for attribute, who in (("a", a), ("b", b)) if a != b else (("a", a),):
            if (who, slot) in seats:
                found.append(_problem("locked", label, number, attribute, who,
                                      say.LOCKED_PARTICIPANT_TWICE, participant=who,
                                      other=seats[(who, slot)], slot=slot))
            seats.setdefault((who, slot), number)
            if (who, slot) in unavailable:
                found.append(_problem("locked", label, number, "slot", slot,
                                      say.LOCKED_UNAVAILABLE, participant=who, slot=slot))
        if (slot, table) in places:
            found.append(_problem("locked", label, number, "table", table,
                                  say.LOCKED_TABLE_TWICE, table=table,
                                  other=places[(slot, table)], slot=slot))
        places.setdefault((slot, table), number)
        per_slot[slot] += 1
        if per_slot[slot] == tables + 1 and tables >= 1:
            found.append(_problem("locked", label, number, "slot", slot,
                                  say.LOCKED_OVER_CAPACITY, slot=slot,
                                  count=sum(1 for m in locked if m.slot == slot),
                                  tables=tables))
    return found
