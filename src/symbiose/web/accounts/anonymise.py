"""Pure rules that turn identifiable figures into ones safe to show to other actors.

Kept free of the ORM so that Hypothesis can test them on any value: a quantity becomes a
band on a 1-2-5 scale, a distance becomes "within N km" wide enough to fit K_MIN actors,
and a table of aggregates loses every group of fewer than K_MIN actors (k-anonymity).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

K_MIN = 3
DISTANCE_STEPS_KM = (1, 2, 5, 10, 20, 50, 100, 200, 500)
_MANTISSAS = (1, 2, 5)


@dataclass(frozen=True)
class Band:
    """low <= quantity < high; `high` at most 2.5 times `low`, so the order of
    magnitude stays useful while the exact figure is gone."""

    low: Decimal
    high: Decimal


def quantity_band(quantity: Decimal) -> Band:
    """The 1-2-5 band holding the quantity: 1 230 t → [1 000, 2 000)."""
    if quantity < 0:
        raise ValueError("a quantity is never negative")
    if quantity < 1:
        return Band(Decimal(0), Decimal(1))
    exponent = math.floor(math.log10(quantity))
    # log10 on a Decimal can land one step off at exact powers of ten; correct it.
    while Decimal(10) ** exponent > quantity:
        exponent -= 1
    while Decimal(10) ** (exponent + 1) <= quantity:
        exponent += 1
    scale = Decimal(10) ** exponent
    low = scale
    for mantissa in _MANTISSAS:
        if quantity >= mantissa * scale:
            low = mantissa * scale
    index = _MANTISSAS.index(int(low / scale))
    high = _MANTISSAS[index + 1] * scale if index + 1 < len(_MANTISSAS) else 10 * scale
    return Band(low, high)


def distance_band(km: float) -> int | None:
    """The smallest step N with km <= N ("within N km"); None beyond the last step, where
    the distance says nothing useful anyway."""
    if km < 0 or math.isnan(km):
        raise ValueError("a distance is never negative")
    return next((step for step in DISTANCE_STEPS_KM if km <= step), None)


def crowd_distance_band(km: float | None, alike_km: Sequence[float],
                        k: int = K_MIN) -> int | None:
    """The "within N km" that at least k alike actors fit, for an actor at `km`.

    `alike_km` are the distances of the actors the description could fit (same sector,
    the described one included). The plain band of its own distance can hold that one
    actor alone, which the reader then names from the directory; the band widens until
    k fit, and no distance is said when no step holds k.
    """
    if km is None or math.isnan(km):
        return None
    ordered = sorted(alike_km)
    for step in DISTANCE_STEPS_KM:
        if step >= km and bisect.bisect_right(ordered, step) >= k:
            return step
    return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of radius 6 371 km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Group:
    """One row of an aggregate: a label, how many distinct actors it covers, a value."""

    label: str
    actors: int
    value: int


def k_anonymous(groups: Sequence[Group], *, other_label: str, k: int = K_MIN) -> list[Group]:
    """The groups safe to show: every shown row covers at least k actors.

    Small groups are folded into one "other" row; when that row itself covers fewer than
    k actors, the smallest shown groups join it until it reaches k, so no small group can
    be recovered by subtracting the shown rows from a shown total. When the whole table
    covers fewer than k actors, nothing is shown.
    """
    if sum(g.actors for g in groups) < k:
        return []
    kept = sorted((g for g in groups if g.actors >= k), key=lambda g: (-g.actors, g.label))
    small = [g for g in groups if g.actors < k]
    if not small:
        return kept
    other_actors = sum(g.actors for g in small)
    other_value = sum(g.value for g in small)
    while other_actors < k and kept:
        joined = kept.pop()
        other_actors += joined.actors
        other_value += joined.value
    return [*kept, Group(other_label, other_actors, other_value)]


def k_anonymous_count(*, value: int, actors: int, k: int = K_MIN) -> int | None:
    """A single aggregate: shown only when it covers at least k actors."""
    return value if actors >= k else None
