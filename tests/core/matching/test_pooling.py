"""Pooling's vectorised steps give what their one-group-at-a-time reading gives."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbiose.core.matching.pooling import _means, member_neighbours, pool_members
from tests.core.matching.tiling import Territory, grid_territories, tables


def test_each_run_mean_is_the_runs_own_mean_to_the_bit() -> None:
    # Runs of 1 to 40 values: NumPy sums 8 or more in pairs of lanes, fewer in a row,
    # and a group's confidence must be the same float whichever way it is computed.
    rng = np.random.default_rng(5)
    sizes = rng.integers(1, 41, size=300)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    values = rng.uniform(0.3, 1.0, size=int(sizes.sum()))
    order = rng.permutation(sizes.size)  # runs of one length apart from one another
    found = _means(values, starts[order], sizes[order])
    assert found == [float(values[s:s + n].mean()) for s, n in zip(starts[order],
                                                                    sizes[order],
                                                                    strict=True)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(territory=grid_territories(max_actors=60), radius_km=st.sampled_from([5.0, 20.0]),
       share=st.floats(0.0, 1.0))
def test_members_asked_apart_get_their_rows_of_the_whole(
        territory: Territory, radius_km: float, share: float) -> None:
    # A tile asks for the members it owns only; the tree walks them in its own order,
    # and each must still get the row the whole territory gives it.
    actors, table = tables(territory)
    for of_key in pool_members(actors, table):
        located = of_key.actors[actors.located[of_key.actors]]
        if located.size == 0:
            continue
        whole = member_neighbours(actors, located, radius_km)
        asking = np.flatnonzero(np.arange(located.size) < share * located.size)[::-1]
        part = member_neighbours(actors, located, radius_km, asking=asking)
        np.testing.assert_array_equal(part.idx, whole.idx[asking])
        np.testing.assert_array_equal(part.count, whole.count[asking])
        np.testing.assert_array_equal(part.spread, whole.spread[asking])
