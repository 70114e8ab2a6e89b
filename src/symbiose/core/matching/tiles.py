"""A territory cut into tiles that can be matched apart and give the whole's answer.

Each tile answers for the actors it owns: their needs' suppliers, and the neighbours of
their pooling memberships. To do so it holds, besides what it owns:

- the halo: every located actor within the search radius of the tile's box (all its
  resources), as a need's suppliers and a pooling member's neighbours lie within the
  radius;
- the surest partners of each class and of each namesake word (`UNLOCATED_PARTNERS`
  offers, and as many located needs), which `pairs` pairs with the resources that have
  no place, wherever they are;
- the actors without coordinates, in the tile that owns them and in every tile owning
  one of those surest needs (an unplaced offer meets them).

Ownership: the located actors are cut into tiles of equal counts (strips of latitude,
then of longitude within each strip), ties cut by row, so an actor exactly on a border
belongs to one tile; the unlocated are dealt round the tiles. Rows keep the whole's
order inside a tile, which is what makes its tie-breaks the whole's (see
`spatial.nearest`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from symbiose.core.matching.namesakes import namesake_groups
from symbiose.core.matching.pairs import UNLOCATED_PARTNERS
from symbiose.core.matching.spatial import EARTH_RADIUS_KM
from symbiose.core.matching.tables import ActorTable, ResourceTable

# The halo is widened by this share of the radius, against rounding between the box
# computed here in degrees and the k-d tree's chords: a larger halo changes nothing but
# the work.
HALO_SLACK = 1e-3


@dataclass(frozen=True, slots=True)
class Tile:
    """Rows of the whole territory's tables, each sorted."""

    owned: NDArray[np.intp]  # actors whose needs and pooling neighbours the tile answers for
    actors: NDArray[np.intp]  # actors it holds (owned, halo, unplaced, surest partners')
    resources: NDArray[np.intp]  # resources it holds


def plan_tiles(actors: ActorTable, table: ResourceTable, *, radius_km: float,
               count: int) -> list[Tile]:
    """At most `count` tiles (fewer when there are fewer actors), none empty of owners."""
    n = len(actors.ids)
    located = np.flatnonzero(actors.located)
    lat, lon = _degrees(actors.xyz)
    owner = np.full(n, -1, dtype=np.intp)
    boxes = _cut(located, lat, lon, max(1, count), owner)
    tiles = len(boxes)
    unlocated = np.flatnonzero(~actors.located)
    if tiles == 0 and unlocated.size:
        tiles = 1
    owner[unlocated] = np.arange(unlocated.size) % max(tiles, 1)
    surest = _surest(actors, table)
    with_unplaced = np.zeros(tiles, dtype=bool)
    with_unplaced[owner[table.actor[surest]]] = True
    plans = []
    for t in range(tiles):
        held = owner == t
        if t < len(boxes):
            held[located[_near_box(lat[located], lon[located], boxes[t], radius_km)]] = True
        if with_unplaced[t]:
            held[unlocated] = True
        resource_held = held[table.actor]
        resource_held[surest] = True
        resources = np.flatnonzero(resource_held)
        holders = np.zeros(n, dtype=bool)
        holders[table.actor[resources]] = True
        plans.append(Tile(owned=np.flatnonzero(owner == t),
                          actors=np.flatnonzero(held | holders), resources=resources))
    return plans


def _degrees(xyz: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    with np.errstate(invalid="ignore"):
        lat = np.degrees(np.arcsin(np.clip(xyz[:, 2], -1.0, 1.0)))
    return lat, np.degrees(np.arctan2(xyz[:, 1], xyz[:, 0]))


Box = tuple[float, float, float, float]  # lat min, lat max, lon min, lon max


def _cut(located: NDArray[np.intp], lat: NDArray[np.float64], lon: NDArray[np.float64],
         count: int, owner: NDArray[np.intp]) -> list[Box]:
    """Owners of the located actors, strips of latitude then of longitude, equal counts;
    the box of each tile's owners."""
    if located.size == 0:
        return []
    count = min(count, located.size)
    strips = max(1, round(math.sqrt(count)))
    per_strip = math.ceil(count / strips)
    by_lat = located[np.lexsort((located, lat[located]))]
    boxes: list[Box] = []
    for strip in np.array_split(by_lat, strips):
        by_lon = strip[np.lexsort((strip, lon[strip]))]
        for part in np.array_split(by_lon, min(per_strip, strip.size)):
            if part.size == 0:
                continue
            owner[part] = len(boxes)
            boxes.append((float(lat[part].min()), float(lat[part].max()),
                          float(lon[part].min()), float(lon[part].max())))
    return boxes


def _near_box(lat: NDArray[np.float64], lon: NDArray[np.float64], box: Box,
              radius_km: float) -> NDArray[np.bool_]:
    """Points that may lie within `radius_km` of the box: a superset, never fewer.

    Latitudes within the radius's angle; longitudes by the haversine bound
    hav(dlon) <= hav(d) / cos^2(the highest latitude reached), on a circle (so a box
    beside the antimeridian reaches the other side)."""
    angle = radius_km * (1.0 + HALO_SLACK) / EARTH_RADIUS_KM
    reach = math.degrees(angle)
    low, high = box[0] - reach, box[1] + reach
    near_lat = (lat >= low) & (lat <= high)
    highest = max(abs(low), abs(high))
    if highest >= 90.0:
        return near_lat
    ratio = math.sin(angle / 2.0) / math.cos(math.radians(highest))
    if ratio >= 1.0:
        return near_lat
    spread = math.degrees(2.0 * math.asin(ratio))
    width = box[3] - box[2] + 2.0 * spread
    if width >= 360.0:
        return near_lat
    return near_lat & (np.mod(lon - (box[2] - spread), 360.0) <= width)


def _surest(actors: ActorTable, table: ResourceTable) -> NDArray[np.intp]:
    """Resource rows among the `UNLOCATED_PARTNERS` surest offers of each class and the
    as many surest located needs (`pairs._block`'s order: confidence, then membership
    order), and as many of each namesake word's."""
    out = table.is_out[table.m_resource]
    eligible = np.flatnonzero(out | actors.located[table.actor[table.m_resource]])
    order = eligible[np.lexsort((eligible, -table.m_confidence[eligible], out[eligible],
                                 table.m_class[eligible]))]
    group = table.m_class[order].astype(np.int64) * 2 + out[order]
    starts = np.r_[0, np.flatnonzero(group[1:] != group[:-1]) + 1]
    rank = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
    surest = [table.m_resource[order[rank < UNLOCATED_PARTNERS]]]
    # A word both sides name is blocked as a class is, every row equally sure: its first
    # offers and its first located needs, in table order.
    for offers, needs in namesake_groups(table):
        surest.append(offers[:UNLOCATED_PARTNERS])
        surest.append(needs[actors.located[table.actor[needs]]][:UNLOCATED_PARTNERS])
    return np.unique(np.concatenate(surest))
