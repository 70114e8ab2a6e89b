"""Properties of the anonymisation rules, on any value Hypothesis can think of."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from symbiose.web.accounts.anonymise import (
    DISTANCE_STEPS_KM,
    K_MIN,
    Group,
    crowd_distance_band,
    distance_band,
    k_anonymous,
    quantity_band,
)

quantities = st.decimals(min_value=0, max_value=Decimal("1e15"), allow_nan=False,
                         allow_infinity=False, places=6)


@given(quantities)
def test_a_quantity_lies_in_its_band(quantity: Decimal) -> None:
    band = quantity_band(quantity)
    assert band.low <= quantity < band.high
    assert band.low == 0 or band.high <= Decimal("2.5") * band.low


@given(quantities, quantities)
def test_bands_keep_the_order_and_hide_the_exact_figure(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert quantity_band(low).low <= quantity_band(high).low
    band = quantity_band(a)
    # Every quantity of the band gives the same band: nothing of the figure remains.
    assert quantity_band(band.low) == band
    assert quantity_band((band.low + band.high) / 2) == band


@given(st.floats(min_value=0, max_value=20000, allow_nan=False))
def test_within_n_km_is_true_and_the_tightest_step(km: float) -> None:
    step = distance_band(km)
    if step is None:
        assert km > DISTANCE_STEPS_KM[-1]
    else:
        assert km <= step
        smaller = [s for s in DISTANCE_STEPS_KM if s < step]
        assert not smaller or km > smaller[-1]


groups = st.lists(
    st.builds(Group, label=st.text(min_size=1, max_size=5),
              actors=st.integers(min_value=0, max_value=12),
              value=st.integers(min_value=0, max_value=1000)),
    max_size=8,
)


@given(groups)
def test_no_shown_group_covers_fewer_than_k_actors(table: list[Group]) -> None:
    shown = k_anonymous(table, other_label="other")
    assert all(group.actors >= K_MIN for group in shown)


@given(groups)
def test_totals_are_kept_so_nothing_is_recovered_by_subtraction(table: list[Group]) -> None:
    shown = k_anonymous(table, other_label="other")
    total = sum(g.actors for g in table)
    if total < K_MIN:
        assert shown == []
    else:
        # Every actor and every unit of value is in exactly one shown row: the only
        # figure a subtraction from the total can reveal is a shown row itself.
        assert sum(g.actors for g in shown) == total
        assert sum(g.value for g in shown) == sum(g.value for g in table)
        assert sum(1 for g in shown if g.label == "other" and g not in table) <= 1


distances = st.floats(min_value=0, max_value=600, allow_nan=False)


@given(distances, st.lists(distances, max_size=30))
def test_a_crowd_band_holds_the_actor_and_k_alike_or_says_nothing(
        km: float, others: list[float]) -> None:
    alike = [km, *others]
    band = crowd_distance_band(km, alike)
    if band is None:
        # No step fits k of them: then not even the widest step does.
        assert sum(d <= DISTANCE_STEPS_KM[-1] for d in alike) < K_MIN or km > DISTANCE_STEPS_KM[-1]
    else:
        assert km <= band and sum(d <= band for d in alike) >= K_MIN
        # And it is the narrowest such step.
        narrower = [s for s in DISTANCE_STEPS_KM if km <= s < band]
        assert all(sum(d <= s for d in alike) < K_MIN for s in narrower)


def test_a_lone_neighbour_is_described_as_far_as_three_fit() -> None:
    # The actor is 0.4 km away; the two others of its sector at 3 and 12 km.
    assert distance_band(0.4) == 1
    assert crowd_distance_band(0.4, [0.4, 3.0, 12.0]) == 20
    assert crowd_distance_band(0.4, [0.4, 3.0]) is None
