"""The k nearest points in (distance, position) order, whatever the tree's own layout."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

from symbiose.core.matching.spatial import nearest


def _by_brute_force(points: np.ndarray, queries: np.ndarray, k: int,
                    chord: float) -> tuple[np.ndarray, np.ndarray]:
    dist = np.linalg.norm(queries[:, None, :] - points[None, :, :], axis=2)
    dist = np.where(dist <= chord, dist, np.inf)
    positions = np.broadcast_to(np.arange(len(points)), dist.shape)
    order = np.lexsort((positions, dist), axis=1)[:, :k]
    found = np.take_along_axis(dist, order, axis=1)
    return found, np.where(np.isfinite(found), order, len(points))


def test_ties_are_settled_by_position_as_a_brute_force_search_does() -> None:
    # Points on a coarse grid, several at each place (one actor's resources share its
    # coordinates): many equal distances, in rows and at the k-th place.
    rng = np.random.default_rng(3)
    points = rng.integers(0, 6, size=(400, 3)).astype(float)
    queries = rng.integers(0, 6, size=(150, 3)).astype(float)
    for k, chord in ((1, 0.5), (7, 2.0), (30, 3.0), (400, 10.0)):
        dist, idx = nearest(cKDTree(points), len(points), queries, k, chord)
        want_dist, want_idx = _by_brute_force(points, queries, k, chord)
        np.testing.assert_array_equal(dist, want_dist)
        np.testing.assert_array_equal(idx, want_idx)
