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
# Points per leaf of the members' k-d tree: with 48 neighbours asked of each, larger
# leaves than scipy's 16 are faster (benchmarks/match_end_to_end.py).
LEAF_SIZE = 32


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
    ok = pooling[table.m_class] & (table.m_confidence >= POOL_MIN_CONFIDENCE)
    m_res, m_cls, m_conf = table.m_resource[ok], table.m_class[ok], table.m_confidence[ok]
    # Keys as integers in sorted order, memberships grouped by key in a stable sort: each
    # key's memberships in table order, without comparing strings per membership.
    names = sorted({classes[c].pool for c, pools in zip(ids, pooling.tolist(), strict=True)
                    if pools})
    number = {name: i for i, name in enumerate(names)}
    key_of_class = np.array([number.get(classes[c].pool, -1) for c in ids], dtype=np.intp)
    m_key = key_of_class[m_cls]
    order = np.argsort(m_key, kind="stable")
    bounds = np.searchsorted(m_key[order], np.arange(len(names) + 1))
    found = []
    for i, name in enumerate(names):
        rows = order[bounds[i]:bounds[i + 1]]
        if rows.size:
            found.append(KeyMembers(name, m_res[rows], m_cls[rows], m_conf[rows],
                                    np.unique(table.actor[m_res[rows]])))
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
    asked = np.arange(located.size) if asking is None else asking
    if asked.size == 0:
        return Neighbours(np.full((0, k), located.size, dtype=np.intp),
                          np.zeros(0, dtype=np.intp), np.zeros(0))
    tree = cKDTree(points, leafsize=LEAF_SIZE, balanced_tree=False)
    # Asked in the tree's own order of its points, so that consecutive queries walk the
    # same leaves (a third less time than in actor order); answers put back in order.
    rank = np.empty(located.size, dtype=np.intp)
    rank[tree.indices] = np.arange(located.size)
    walk = np.argsort(rank[asked])
    # Members rarely share a place, so a single neighbour past the k-th tells a tie.
    dist, walked = nearest(tree, located.size, points[asked[walk]], k,
                           chord_of_km(radius_km), margin=1)
    within = np.isfinite(dist)
    # Summed over a fixed width, so that the same distances give the same bits whatever
    # the number of members (NumPy groups a sum's terms by its length).
    padded = np.zeros((asked.size, NEIGHBOURS))
    padded[:, :k] = np.where(within, dist, 0.0)
    idx = np.empty((asked.size, k), dtype=np.intp)
    count, spread = np.empty(asked.size, dtype=np.intp), np.empty(asked.size)
    idx[walk], count[walk], spread[walk] = walked, within.sum(axis=1), padded.sum(axis=1)
    return Neighbours(idx, count, spread)


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
    # The clusters as one array of actor rows, cluster after cluster, and their sizes.
    members, counts = (_leader_clusters(located, neighbours(key, located)) if located.size
                       else (np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)))
    lonely = unlocated
    if lonely.size and counts.size:
        # Placed by class alone: into the largest group while it has room, the rest
        # grouped among themselves, so that no group grows past what a facilitator convenes.
        biggest = int(np.argmax(counts))
        room = min(max(0, MAX_GROUP - int(counts[biggest])), lonely.size)
        members = np.insert(members, int(counts[:biggest + 1].sum()), lonely[:room])
        counts[biggest] += room
        lonely = lonely[room:]
    if lonely.size:
        members = np.concatenate((members, lonely))
        counts = np.concatenate((counts, np.full(-(-lonely.size // MAX_GROUP), MAX_GROUP,
                                                 dtype=np.intp)))
        counts[-1] -= -lonely.size % MAX_GROUP
    member_cluster = np.repeat(np.arange(counts.size), counts)
    cluster_of = np.full(actors.xyz.shape[0], -1, dtype=np.intp)
    cluster_of[members] = member_cluster
    labels = cluster_of[table.actor[res]]
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(counts.size + 1))
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
    smallest = np.where(both_sides & ~pair_only, 2, MIN_GROUP)
    used = np.array([classes[c].kind in SHARED_BY_USE for c in ids], dtype=bool)[cls]
    if used.any():
        # Clusters whose every member needs something shared by use.
        needing = np.zeros(actors.xyz.shape[0], dtype=bool)
        needing[table.actor[res[used & ~table.is_out[res]]]] = True
        lacking = np.bincount(member_cluster[~needing[members]], minlength=counts.size)
        smallest[lacking == 0] = 2
    kept = np.flatnonzero(counts >= smallest)
    # Every kept group's fields at once, then one record per group from plain lists.
    member_start = np.concatenate(([0], np.cumsum(counts)))
    by_actor = members[np.lexsort((members, member_cluster))].tolist()
    unplaced = np.bincount(member_cluster[~actors.located[members]], minlength=counts.size)
    spreads = _spreads(actors, members, member_cluster, kept)
    class_of = _most_frequent(labels[order], cls[order], counts.size, len(ids))
    confidence = _means(conf[order], starts[kept], sizes[kept])
    res_sorted = res[order].tolist()
    member_bounds = member_start.tolist()
    row_bounds = bounds.tolist()
    unplaced_list, class_list, offer_list = (unplaced.tolist(), class_of.tolist(),
                                             has_offer.tolist())
    return [PoolGroup(
        key=key,
        class_id=ids[class_list[c]],
        actors=tuple(by_actor[member_bounds[c]:member_bounds[c + 1]]),
        resources=tuple(res_sorted[row_bounds[c]:row_bounds[c + 1]]),
        spread_km=spread,
        confidence=mean,
        unlocated=unplaced_list[c],
        has_offer=offer_list[c],
    ) for c, spread, mean in zip(kept.tolist(), spreads, confidence, strict=True)]


def _most_frequent(cluster: NDArray[np.intp], cls: NDArray[np.intp], clusters: int,
                   classes: int) -> NDArray[np.intp]:
    """Of each cluster, the most frequent class among its memberships (`cluster` sorted);
    the first in class order on a tie (as np.unique); 0 for a cluster without any."""
    pair, count = np.unique(cluster.astype(np.int64) * classes + cls, return_counts=True)
    of_cluster, of_class = pair // classes, pair % classes
    best = np.lexsort((of_class, -count, of_cluster))
    first = best[np.r_[True, of_cluster[best][1:] != of_cluster[best][:-1]]]
    found = np.zeros(clusters, dtype=np.intp)
    mine = of_cluster[first] >= 0  # memberships of no cluster (-1) left out
    found[of_cluster[first][mine]] = of_class[first][mine]
    return found


def _means(values: NDArray[np.float64], starts: NDArray[np.intp],
           sizes: NDArray[np.intp]) -> list[float]:
    """The mean of each run `values[start:start + size]`, as `.mean()` of that run
    gives it: the runs of one length as the rows of one matrix, whose row means NumPy
    sums as it sums one run (pairwise, by the row's length)."""
    means = np.empty(starts.size)
    for size in np.unique(sizes).tolist():
        runs = np.flatnonzero(sizes == size)
        means[runs] = values[starts[runs, None] + np.arange(size)].mean(axis=1)
    return means.tolist()


def _leader_clusters(located: NDArray[np.intp], near: Neighbours
                     ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Greedy leader clustering: densest first, each takes its nearest free neighbours.
    The clusters' actor rows one cluster after another, and each cluster's size."""
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
        clusters.append(chosen)
    if not clusters:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    return (located[np.concatenate(clusters)],
            np.array([c.size for c in clusters], dtype=np.intp))


def _spreads(actors: ActorTable, members: NDArray[np.intp], cluster: NDArray[np.intp],
             kept: NDArray[np.intp]) -> list[float]:
    """Of each kept cluster (`members` and their `cluster`, clusters in order), the
    largest distance between two located members (NaN under two), for all at once: the
    groups padded to MAX_GROUP points, NaN where none, in chunks that keep the
    (chunk, pairs, 3) differences small. Per pair the same arithmetic as on one group,
    so the same floats."""
    row_of = np.full(int(cluster.max(initial=-1)) + 1, -1, dtype=np.intp)
    row_of[kept] = np.arange(kept.size)
    placed = actors.located[members] & (row_of[cluster] >= 0)
    rows = row_of[cluster[placed]]
    # Each placed member's column: its rank among the placed members of its cluster.
    first = np.searchsorted(rows, rows)
    column = np.arange(rows.size) - first
    width = max(2, int(column.max(initial=0)) + 1)  # a pair, if only of padding
    index = np.full((kept.size, width), -1, dtype=np.intp)
    index[rows, column] = members[placed]
    # Each pair once (p - q and q - p have the same norm, bit for bit).
    first_of, second_of = np.triu_indices(width, 1)
    spreads: list[float] = []
    for start in range(0, kept.size, SPREAD_CHUNK):
        chunk = index[start:start + SPREAD_CHUNK]
        points = np.where((chunk >= 0)[:, :, None], actors.xyz[np.maximum(chunk, 0)], np.nan)
        diffs = np.linalg.norm(points[:, first_of, :] - points[:, second_of, :], axis=2)
        enough = (chunk >= 0).sum(axis=1) >= 2
        widest = np.where(enough, np.nanmax(np.where(np.isnan(diffs), -np.inf, diffs),
                                            axis=1), np.nan)
        spreads.extend(np.where(enough, km_of_chord(np.nan_to_num(widest)), np.nan).tolist())
    return spreads
