"""Pooling: several actors with the same need or the same output, close to one another.

Classes that pool (joint collection, purchasing, service, training, carpooling…) carry a
pooling key; every actor holding a resource of that key is a member. Members are grouped
by leader clustering on the k-d tree: the member with the most neighbours within the
radius (among its NEIGHBOURS nearest) leads, its unassigned neighbours (nearest first, at
most MAX_GROUP, itself included) join, and so on. This is O(n log n) and gives groups a
facilitator can convene; actors without coordinates join the largest group of their key,
within its MAX_GROUP limit (the rest form groups of their own), and the explanation
says they were placed by class.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

from symbiose.core.classes.vocabulary import resource_classes
from symbiose.core.matching.spatial import chord_of_km, km_of_chord, nearest
from symbiose.core.matching.tables import ActorTable, ResourceTable, class_ids

MAX_GROUP = 12
NEIGHBOURS = 4 * MAX_GROUP
MIN_GROUP = 3
# What is shared by use rather than consumed: two actors who both need it can share one
# (a delivery round, a collection, a training session, a machine), so two make a pool.
# Materials, energy and water pooled are bought or sold together: that takes three.
SHARED_BY_USE = frozenset({"service", "logistics", "skill", "equipment"})
POOL_MIN_CONFIDENCE = 0.3
SPREAD_CHUNK = 2048


@dataclass(frozen=True, slots=True)
class PoolGroup:
    key: str  # pooling key (a class id, or a theme shared by several classes)
    class_id: str  # the most frequent class among the group's resources
    actors: tuple[int, ...]  # actor rows
    resources: tuple[int, ...]  # resource rows
    spread_km: float  # largest distance between two members (NaN when unknown)
    confidence: float  # mean classification confidence
    unlocated: int  # members placed by class alone
    has_offer: bool


@dataclass(frozen=True, slots=True)
class KeyMembers:
    """A pooling key's memberships (resource row, class, confidence) and its actors."""

    key: str
    res: NDArray[np.intp]
    cls: NDArray[np.intp]
    conf: NDArray[np.float64]
    actors: NDArray[np.intp]  # sorted actor rows holding one of the memberships


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Of each located member of a key, in actor-row order: its neighbours among them
    (positions in that order), nearest first, the first `count` within the radius, and
    the sum of those distances. All the leader clustering reads, so a tiled run can
    compute it tile by tile and cluster the whole at once."""

    idx: NDArray[np.intp]  # (members, k)
    count: NDArray[np.intp]
    spread: NDArray[np.float64]


# What gives a key's located members their neighbours: the key, and those members' rows.
NeighbourSource = Callable[[str, NDArray[np.intp]], Neighbours]


def pool_members(actors: ActorTable, table: ResourceTable) -> list[KeyMembers]:
    """Each pooling key's members, keys in sorted order."""
    classes = resource_classes()
    ids = class_ids()
    pooling = np.array([classes[c].pools for c in ids], dtype=bool)
    keys = np.array([classes[c].pool for c in ids], dtype=object)
    ok = pooling[table.m_class] & (table.m_confidence >= POOL_MIN_CONFIDENCE)
    m_res, m_cls, m_conf = table.m_resource[ok], table.m_class[ok], table.m_confidence[ok]
    found = []
    for key in np.unique(keys[m_cls]) if m_cls.size else ():
        sel = keys[m_cls] == key
        found.append(KeyMembers(str(key), m_res[sel], m_cls[sel], m_conf[sel],
                                np.unique(table.actor[m_res[sel]])))
    return found


def pool_groups(actors: ActorTable, table: ResourceTable, *, radius_km: float,
                neighbours: NeighbourSource | None = None) -> list[PoolGroup]:
    """The pooling groups; `neighbours` (default: computed here) for a tiled run."""
    ids = class_ids()
    source = neighbours or (lambda _key, located: member_neighbours(actors, located,
                                                                   radius_km))
    groups: list[PoolGroup] = []
    for of_key in pool_members(actors, table):
        groups.extend(_groups_of_key(actors, table, of_key, ids, source))
    return groups


def member_neighbours(actors: ActorTable, located: NDArray[np.intp], radius_km: float,
                      asking: NDArray[np.intp] | None = None) -> Neighbours:
    """`Neighbours` of the located actor rows `located` among themselves (of those at
    the positions `asking` only, when given: a tile asks for the members it owns)."""
    k = min(NEIGHBOURS, located.size)
    points = actors.xyz[located]
    queries = points if asking is None else points[asking]
    dist, idx = nearest(cKDTree(points), located.size, queries, k, chord_of_km(radius_km))
    within = np.isfinite(dist)
    # Summed over a fixed width, so that the same distances give the same bits whatever
    # the number of members (NumPy groups a sum's terms by its length).
    padded = np.zeros((queries.shape[0], NEIGHBOURS))
    padded[:, :k] = np.where(within, dist, 0.0)
    return Neighbours(idx, within.sum(axis=1), padded.sum(axis=1))


def _groups_of_key(actors: ActorTable, table: ResourceTable, of_key: KeyMembers,
                   ids: tuple[str, ...], neighbours: NeighbourSource) -> list[PoolGroup]:
    classes = resource_classes()
    pairs = np.array([classes[cid].pairs for cid in ids], dtype=bool)
    key, res, cls, conf = of_key.key, of_key.res, of_key.cls, of_key.conf
    member_actors = of_key.actors
    if member_actors.size < 2:
        return []
    located = member_actors[actors.located[member_actors]]
    unlocated = member_actors[~actors.located[member_actors]]
    clusters: list[list[int]] = []
    if located.size:
        clusters.extend(_leader_clusters(located, neighbours(key, located)))
    lonely = [int(a) for a in unlocated]
    if lonely and clusters:
        # Placed by class alone: into the largest group while it has room, the rest
        # grouped among themselves, so that no group grows past what a facilitator convenes.
        biggest = max(range(len(clusters)), key=lambda i: len(clusters[i]))
        room = max(0, MAX_GROUP - len(clusters[biggest]))
        clusters[biggest].extend(lonely[:room])
        lonely = lonely[room:]
    clusters.extend(lonely[i:i + MAX_GROUP] for i in range(0, len(lonely), MAX_GROUP))
    cluster_of = np.full(actors.xyz.shape[0], -1, dtype=np.intp)
    for c, members in enumerate(clusters):
        cluster_of[members] = c
    labels = cluster_of[table.actor[res]]
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(len(clusters) + 1))
    # What decides whether a cluster makes a group, for every cluster at once (each has
    # at least one resource: its members are the key's actors).
    starts = bounds[:-1]
    sizes = np.diff(bounds)
    outs = np.add.reduceat(table.is_out[res[order]].astype(np.intp), starts)
    paired = np.add.reduceat(pairs[cls[order]].astype(np.intp), starts)
    has_offer = outs > 0
    # Two actors make a pool for a service offered to one who needs it (for classes also
    # matched pair-wise, the pair proposal already says it), and when both need what is
    # shared by use (SHARED_BY_USE): one delivery round, collection or machine for two.
    both_sides = has_offer & (outs < sizes)
    pair_only = paired == sizes
    counts = np.array([len(members) for members in clusters], dtype=np.intp)
    smallest = np.where(both_sides & ~pair_only, 2, MIN_GROUP)
    used = np.array([classes[c].kind in SHARED_BY_USE for c in ids], dtype=bool)[cls]
    if used.any():
        needing = set(table.actor[res[used & ~table.is_out[res]]].tolist())
        smallest[[all(m in needing for m in members) for members in clusters]] = 2
    kept = np.flatnonzero(counts >= smallest)
    spreads = _spreads(actors, [clusters[c] for c in kept.tolist()])
    located_list = actors.located.tolist()
    out = []
    for c, spread in zip(kept.tolist(), spreads, strict=True):
        members = clusters[c]
        rows = order[bounds[c]:bounds[c + 1]]
        g_res, g_cls = res[rows], cls[rows].tolist()
        tally = Counter(g_cls)
        most = max(tally.values())
        out.append(PoolGroup(
            key=key,
            # The most frequent class; the first in class order on a tie (as np.unique).
            class_id=ids[min(k for k, n in tally.items() if n == most)],
            actors=tuple(sorted(members)),
            resources=tuple(g_res.tolist()),
            spread_km=spread,
            confidence=float(conf[rows].mean()),
            unlocated=sum(not located_list[m] for m in members),
            has_offer=bool(has_offer[c]),
        ))
    return out


def _leader_clusters(located: NDArray[np.intp], near: Neighbours) -> list[list[int]]:
    """Greedy leader clustering: densest first, each takes its nearest free neighbours."""
    order = np.lexsort((near.spread, -near.count))
    idx = near.idx
    # The loop is sequential (each leader sees what earlier ones took): the test of a
    # leader, done for every member, reads a plain list, as indexing NumPy one element at
    # a time costs more than the clustering itself on a region of 100,000 members; the
    # choice among a leader's neighbours (nearest first, so those within the radius are
    # a prefix of the row) stays in NumPy.
    taken = [False] * located.size
    assigned = np.zeros(located.size, dtype=bool)
    count_of = near.count.tolist()
    clusters = []
    for leader in order.tolist():
        if taken[leader]:
            continue
        close = idx[leader, :count_of[leader]]
        chosen = close[~assigned[close]][:MAX_GROUP]
        assigned[chosen] = True
        for member in chosen.tolist():
            taken[member] = True
        clusters.append(located[chosen].tolist())
    return clusters


def _spreads(actors: ActorTable, groups: list[list[int]]) -> list[float]:
    """Each group's largest distance between two located members (NaN under two), for
    all groups at once: the groups padded to MAX_GROUP points, NaN where none, in chunks
    that keep the (chunk, MAX_GROUP, MAX_GROUP, 3) differences small. Per pair the same
    arithmetic as on one group, so the same floats."""
    located = actors.located
    width = max((len(g) for g in groups), default=0)
    spreads: list[float] = []
    for first in range(0, len(groups), SPREAD_CHUNK):
        chunk = groups[first:first + SPREAD_CHUNK]
        index = np.full((len(chunk), width), -1, dtype=np.intp)
        for row, members in enumerate(chunk):
            kept = [m for m in members if located[m]]
            index[row, :len(kept)] = kept
        points = np.where((index >= 0)[:, :, None], actors.xyz[np.maximum(index, 0)], np.nan)
        diffs = np.linalg.norm(points[:, :, None, :] - points[:, None, :, :], axis=3)
        enough = (index >= 0).sum(axis=1) >= 2
        widest = np.where(enough, np.nanmax(np.where(np.isnan(diffs), -np.inf, diffs),
                                            axis=(1, 2)), np.nan)
        spreads.extend(np.where(enough, km_of_chord(np.nan_to_num(widest)), np.nan).tolist())
    return spreads
