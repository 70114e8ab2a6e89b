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

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

from symbiose.core.classes.vocabulary import resource_classes
from symbiose.core.matching.spatial import chord_of_km, km_of_chord
from symbiose.core.matching.tables import ActorTable, ResourceTable, class_ids

MAX_GROUP = 12
NEIGHBOURS = 4 * MAX_GROUP
MIN_GROUP = 3
POOL_MIN_CONFIDENCE = 0.3


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


def pool_groups(actors: ActorTable, table: ResourceTable, *, radius_km: float) -> list[PoolGroup]:
    classes = resource_classes()
    ids = class_ids()
    pooling = np.array([classes[c].pools for c in ids], dtype=bool)
    keys = np.array([classes[c].pool for c in ids], dtype=object)
    ok = pooling[table.m_class] & (table.m_confidence >= POOL_MIN_CONFIDENCE)
    m_res, m_cls, m_conf = table.m_resource[ok], table.m_class[ok], table.m_confidence[ok]
    groups: list[PoolGroup] = []
    for key in np.unique(keys[m_cls]) if m_cls.size else ():
        sel = keys[m_cls] == key
        groups.extend(_groups_of_key(actors, table, str(key), m_res[sel], m_cls[sel],
                                     m_conf[sel], radius_km, ids))
    return groups


def _groups_of_key(actors: ActorTable, table: ResourceTable, key: str,
                   res: NDArray[np.intp], cls: NDArray[np.intp], conf: NDArray[np.float64],
                   radius_km: float, ids: tuple[str, ...]) -> list[PoolGroup]:
    classes = resource_classes()
    pairs = np.array([classes[cid].pairs for cid in ids], dtype=bool)
    member_actors = np.unique(table.actor[res])
    if member_actors.size < 2:
        return []
    located = member_actors[actors.located[member_actors]]
    unlocated = member_actors[~actors.located[member_actors]]
    clusters: list[list[int]] = []
    if located.size:
        clusters.extend(_leader_clusters(actors, located, radius_km))
    lonely = [int(a) for a in unlocated]
    if lonely and clusters:
        # Placed by class alone: into the largest group while it has room, the rest
        # grouped among themselves, so that no group grows past what a facilitator convenes.
        biggest = max(range(len(clusters)), key=lambda i: len(clusters[i]))
        room = max(0, MAX_GROUP - len(clusters[biggest]))
        clusters[biggest].extend(lonely[:room])
        lonely = lonely[room:]
    clusters.extend(lonely[i:i + MAX_GROUP] for i in range(0, len(lonely), MAX_GROUP))
    cluster_of = {a: c for c, members in enumerate(clusters) for a in members}
    labels = np.array([cluster_of[int(a)] for a in table.actor[res]], dtype=np.intp)
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(len(clusters) + 1))
    out = []
    for c, members in enumerate(clusters):
        rows = order[bounds[c]:bounds[c + 1]]
        g_res, g_cls, g_conf = res[rows], cls[rows], conf[rows]
        has_offer = bool(table.is_out[g_res].any())
        # Two actors make a pool only for a service offered to one who needs it; for
        # classes also matched pair-wise, the pair proposal already says it.
        pair_only = bool(pairs[g_cls].all())
        both_sides = has_offer and not table.is_out[g_res].all()
        if len(members) < (2 if both_sides and not pair_only else MIN_GROUP):
            continue
        values, counts = np.unique(g_cls, return_counts=True)
        out.append(PoolGroup(
            key=key,
            class_id=ids[int(values[np.argmax(counts)])],
            actors=tuple(sorted(members)),
            resources=tuple(int(r) for r in g_res),
            spread_km=_spread(actors, members),
            confidence=float(g_conf.mean()),
            unlocated=int(np.sum(~actors.located[members])),
            has_offer=has_offer,
        ))
    return out


def _leader_clusters(actors: ActorTable, located: NDArray[np.intp],
                     radius_km: float) -> list[list[int]]:
    """Greedy leader clustering: densest first, each takes its nearest free neighbours."""
    points = actors.xyz[located]
    k = min(NEIGHBOURS, located.size)
    dist, idx = cKDTree(points).query(points, k=k, distance_upper_bound=chord_of_km(radius_km))
    dist, idx = dist.reshape(-1, k), idx.reshape(-1, k)
    within = np.isfinite(dist)
    spread = np.where(within, dist, 0.0).sum(axis=1)
    order = np.lexsort((spread, -within.sum(axis=1)))
    assigned = np.zeros(located.size, dtype=bool)
    clusters = []
    for leader in order:
        if assigned[leader]:
            continue
        near = idx[leader][within[leader]]
        chosen = near[~assigned[near]][:MAX_GROUP]
        assigned[chosen] = True
        clusters.append([int(a) for a in located[chosen]])
    return clusters


def _spread(actors: ActorTable, members: list[int]) -> float:
    points = actors.xyz[[m for m in members if actors.located[m]]]
    if len(points) < 2:
        return float("nan")
    diffs = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=2)
    return float(km_of_chord(np.array([diffs.max()]))[0])
