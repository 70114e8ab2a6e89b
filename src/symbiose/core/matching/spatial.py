"""Great-circle distances through a k-d tree on unit vectors (scipy cKDTree).

Points on the sphere become 3-D unit vectors; the straight-line (chord) distance between
two of them grows monotonically with the great-circle distance, so a radius in km becomes
a chord radius and the tree answers "within R km" and "k nearest" exactly, in O(log n).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_KM = 6371.0088


def unit_xyz(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
    """(n, 3) unit vectors; rows of missing coordinates are NaN."""
    phi = np.radians(lat)
    lam = np.radians(lon)
    cos_phi = np.cos(phi)
    return np.column_stack((cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)))


def chord_of_km(km: float) -> float:
    return float(2.0 * np.sin(min(km, np.pi * EARTH_RADIUS_KM) / (2.0 * EARTH_RADIUS_KM)))


def km_of_chord(chord: NDArray[np.float64]) -> NDArray[np.float64]:
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))


def haversine_km(lat1: NDArray[np.float64], lon1: NDArray[np.float64],
                 lat2: NDArray[np.float64], lon2: NDArray[np.float64]) -> NDArray[np.float64]:
    """Great-circle distance, for checks and for the naive baseline."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2) - np.radians(lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


# Neighbours fetched past the k asked for, so that a tie at the k-th distance (several
# resources of one actor share its place) is usually settled without asking again.
TIE_MARGIN = 4


def nearest(tree: Any, size: int, queries: NDArray[np.float64], k: int, chord: float,
            margin: int = TIE_MARGIN) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """The k nearest of the tree's `size` points within `chord` of each query, as
    `cKDTree.query` gives them, but ordered by (distance, point position) and with ties
    at the k-th distance settled by position: (n, k) distances (inf where none) and
    positions (`size` where none).

    The tree alone breaks ties by its own layout, which depends on every point in it; a
    territory matched tile by tile builds other trees than the whole, and must still
    choose the same neighbours. Positions keep the order of the whole (a tile keeps its
    points in the same order), so this order is the same in both. `margin` (at least 1)
    is how many neighbours past the k-th are fetched to see whether a tie hides there:
    more settles more ties in one query, fewer makes each query cheaper where ties are
    rare."""
    n = queries.shape[0]
    if n == 0 or size == 0 or k == 0:
        return np.full((n, k), np.inf), np.full((n, k), size, dtype=np.intp)
    fetch = min(k + max(margin, 1), size)
    # The first answer for every query is kept as it came (its first k columns): copying
    # it into arrays of its own cost as much as a third of the query.
    d, i = _query(tree, queries, fetch, chord)
    dist, idx = d[:, :k], i[:, :k]
    pending = np.flatnonzero(_unsure(d, k, fetch, size))
    while pending.size:
        fetch = min(2 * fetch, size)
        d, i = _query(tree, queries[pending], fetch, chord)
        unsure = _unsure(d, k, fetch, size)
        done = ~unsure
        dist[pending[done]] = d[done, :k]
        idx[pending[done]] = i[done, :k]
        pending = pending[unsure]
    return dist, idx


def _query(tree: Any, queries: NDArray[np.float64], fetch: int, chord: float
           ) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    d, i = tree.query(queries, k=fetch, distance_upper_bound=chord, workers=-1)
    d, i = d.reshape(-1, fetch), np.asarray(i, dtype=np.intp).reshape(-1, fetch)
    return _ties_by_position(d, i)


def _unsure(d: NDArray[np.float64], k: int, fetch: int, size: int) -> NDArray[np.bool_]:
    """A full row whose last fetched distance equals the k-th may hide more points at
    that distance, with smaller positions: to be fetched again with more."""
    return (fetch < size) & np.isfinite(d[:, -1]) & (d[:, -1] == d[:, k - 1])


def _ties_by_position(d: NDArray[np.float64], i: NDArray[np.intp]
                      ) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Rows of the tree's answer (distances ascending) with equal finite distances put in
    position order. Only the rows holding such a tie are sorted: most have none, and
    sorting every row cost more than the tree's query."""
    tied = np.flatnonzero(((d[:, 1:] == d[:, :-1]) & np.isfinite(d[:, 1:])).any(axis=1))
    if tied.size:
        td, ti = d[tied], i[tied]
        order = np.lexsort((ti, td), axis=1)
        d[tied] = np.take_along_axis(td, order, axis=1)
        i[tied] = np.take_along_axis(ti, order, axis=1)
    return d, i
