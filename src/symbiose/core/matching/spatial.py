"""Great-circle distances through a k-d tree on unit vectors (scipy cKDTree).

Points on the sphere become 3-D unit vectors; the straight-line (chord) distance between
two of them grows monotonically with the great-circle distance, so a radius in km becomes
a chord radius and the tree answers "within R km" and "k nearest" exactly, in O(log n).
"""

from __future__ import annotations

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
