"""Each placing solver on its own: both reach the exhaustive optimum; the choice by counting
bounds every agenda; and the counting that routes a day to HiGHS never claims a request
cannot fit when every one can."""

from __future__ import annotations

from hypothesis import given, settings

from symbiose.core.meetings.grid import build_grid
from symbiose.core.meetings.milp import counted_best, highs_place_most, some_request_cannot_fit
from symbiose.core.meetings.model import MeetingRequest
from symbiose.core.meetings.placement import Placement
from symbiose.core.meetings.solve import place_all, place_most
from tests.core.meetings.test_schedule import best_by_search, planted_days, small_days


def placed_priorities(day: dict, placement: Placement) -> int:
    grid = build_grid(**day)
    return sum(grid.requests[r].priority for r, s in enumerate(placement.slots)
               if s is not None)


@settings(max_examples=60, deadline=None)
@given(small_days())
def test_both_solvers_reach_the_exhaustive_optimum(day: dict) -> None:
    grid = build_grid(**day)
    best = best_by_search(**day)
    by_cp_sat = place_most(grid, seconds=10)
    by_highs = highs_place_most(grid, seconds=10)
    assert by_highs is not None
    assert by_cp_sat.optimal and by_highs.optimal
    assert placed_priorities(day, by_cp_sat) == best
    assert placed_priorities(day, by_highs) == best


@settings(max_examples=60, deadline=None)
@given(small_days())
def test_the_choice_by_counting_bounds_every_agenda_and_is_best_when_it_fits(day: dict) -> None:
    grid = build_grid(**day)
    chosen = counted_best(grid, seconds=10)
    assert chosen is not None
    counted = sum(grid.requests[r].priority for r in chosen)
    best = best_by_search(**day)
    assert counted >= best
    placed = place_all(grid, chosen, seconds=10)
    if placed is not None:
        assert sorted(r for r, s in enumerate(placed.slots) if s is not None) == sorted(chosen)
        assert counted == best


@settings(max_examples=60, deadline=None)
@given(planted_days())
def test_counting_never_says_a_planted_day_cannot_fit(day: dict) -> None:
    assert not some_request_cannot_fit(build_grid(**day))


def test_counting_sees_a_participant_asked_more_than_its_free_slots() -> None:
    requests = [MeetingRequest("star", f"fan{i}") for i in range(3)]
    grid = build_grid(requests, slots=3, tables=5, unavailable=[("star", 1)], locked=[])
    assert some_request_cannot_fit(grid)
    assert not some_request_cannot_fit(build_grid(requests, slots=3, tables=5,
                                                  unavailable=[], locked=[]))
