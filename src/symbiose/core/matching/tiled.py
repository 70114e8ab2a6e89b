"""The engine run tile by tile on workers, with the single-process answer.

    propose_tiled(actors, table, runner=..., tiles=8, ...) -> list[Proposal]

The same proposals as `propose_tables`, in the same order. Each tile (see `tiles`) runs
the engine's own steps on its slice of the tables, for the needs it owns:

1. on the workers, the shortlist of each owned need's candidates (a need's candidates
   depend on what lies within the radius, which the halo holds), the distinct labels of
   that shortlist, and the pooling neighbours of each owned member;
2. here, the labels of all tiles united, so that the label weights are learnt from the
   whole territory's shortlist as `similarity` learns them in one process;
3. on the workers, the re-ranking and the proposals of each owned need; meanwhile here,
   the pooling groups, clustered over the whole from the gathered neighbours (a leader
   sees what leaders anywhere before it took, so the greedy clustering is resolved once,
   across tile borders);
4. here, the tiles' pair proposals put back in need order, then `engine.combine`.

Nothing here knows Dask: a `Runner` submits a function with its arguments (the results
of earlier submissions among them) and gathers results. `InProcess` runs each call at
once; the command line passes a Dask client.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from symbiose.core.impact.factors import FactorSet
from symbiose.core.knowledge.base import KnowledgeBase, knowledge_base
from symbiose.core.matching.engine import (
    MatchingError,
    Proposal,
    check_parameters,
    combine,
    pair_proposals,
    pool_proposals,
    select,
    shortlist,
)
from symbiose.core.matching.pairs import Candidates
from symbiose.core.matching.pooling import (
    NEIGHBOURS,
    Neighbours,
    NeighbourSource,
    member_neighbours,
    pool_groups,
    pool_members,
)
from symbiose.core.matching.similarity import label_corpus
from symbiose.core.matching.slices import slice_tables
from symbiose.core.matching.tables import ActorTable, ResourceTable
from symbiose.core.matching.tiles import plan_tiles


class Runner(Protocol):
    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any: ...

    def gather(self, handles: list[Any]) -> list[Any]: ...


class InProcess:
    """Each call run when submitted, here: the tiling without a cluster."""

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        return fn(*args)

    def gather(self, handles: list[Any]) -> list[Any]:
        return list(handles)


@dataclass(frozen=True, slots=True)
class TileInput:
    actors: ActorTable
    table: ResourceTable
    actor_rows: NDArray[np.intp]  # the whole's rows of the tile's actors
    resource_rows: NDArray[np.intp]  # and of its resources
    owned: NDArray[np.bool_]  # per tile actor
    radius_km: float
    top_k: int
    knowledge: KnowledgeBase | None


@dataclass(frozen=True, slots=True)
class KeyNeighbours:
    """`pooling.Neighbours` of a key's owned located members, in the whole's actor rows
    (-1 where none)."""

    key: str
    members: NDArray[np.intp]
    idx: NDArray[np.intp]
    count: NDArray[np.intp]
    spread: NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class TileShortlist:
    tile: TileInput
    short: Candidates


@dataclass(frozen=True, slots=True)
class TileSummary:
    corpus: NDArray[np.object_]
    neighbours: tuple[KeyNeighbours, ...]


def propose_tiled(actors: ActorTable, table: ResourceTable, *, runner: Runner,
                  tiles: int, radius_km: float = 50.0, top_k: int = 3,
                  min_score: float = 0.2, knowledge: KnowledgeBase | None = None,
                  factors: FactorSet | None = None, language: str = "en") -> list[Proposal]:
    """As `engine.propose_tables`, the territory cut into at most `tiles` tiles."""
    check_parameters(radius_km=radius_km, top_k=top_k, min_score=min_score,
                     language=language)
    if tiles < 1:
        raise MatchingError(f"tiles must be >= 1 (got {tiles})")
    # Each tile's tables built as it is submitted and let go once sent, so that only one
    # tile's are here at a time beside the whole's.
    work = [runner.submit(tile_shortlist,
                          _tile_input(actors, table, plan.actors, plan.resources, plan.owned,
                                      radius_km, top_k, knowledge))
            for plan in plan_tiles(actors, table, radius_km=radius_km, count=tiles)]
    summaries: list[TileSummary] = runner.gather([runner.submit(tile_summary, w)
                                                  for w in work])
    corpus = np.unique(np.concatenate([s.corpus for s in summaries])) if summaries \
        else np.empty(0, dtype=object)
    pending = [runner.submit(tile_pairs, w, corpus, min_score, language, factors)
               for w in work]
    groups = pool_groups(actors, table, radius_km=radius_km,
                         neighbours=gathered_neighbours(summaries))
    pools = pool_proposals(actors, table, groups, language)
    results: list[tuple[NDArray[np.intp], list[Proposal]]] = runner.gather(pending)
    need = np.concatenate([r[0] for r in results]) if results else np.empty(0, np.intp)
    found = [p for r in results for p in r[1]]
    pairs = [found[i] for i in np.argsort(need, kind="stable").tolist()]
    return combine(pairs, pools, min_score=min_score)


def _tile_input(actors: ActorTable, table: ResourceTable, actor_rows: NDArray[np.intp],
                resource_rows: NDArray[np.intp], owned: NDArray[np.intp], radius_km: float,
                top_k: int, knowledge: KnowledgeBase | None) -> TileInput:
    sub_actors, sub_table = slice_tables(actors, table, actor_rows, resource_rows)
    return TileInput(sub_actors, sub_table, actor_rows, resource_rows,
                     np.isin(actor_rows, owned), radius_km, top_k, knowledge)


def tile_shortlist(tile: TileInput) -> TileShortlist:
    """Step 1 on a worker: the owned needs' shortlist."""
    kb = knowledge_base() if tile.knowledge is None else tile.knowledge
    needs = tile.owned[tile.table.actor] & ~tile.table.is_out
    return TileShortlist(tile, shortlist(tile.actors, tile.table, kb,
                                         radius_km=tile.radius_km, top_k=tile.top_k,
                                         needs=needs))


def tile_summary(work: TileShortlist) -> TileSummary:
    """What the client needs of step 1: the shortlist's labels, the owned neighbours."""
    tile, short = work.tile, work.short
    corpus = label_corpus(tile.table.labels, short.offer, short.need) if short.offer.size \
        else np.empty(0, dtype=object)
    found = []
    for of_key in pool_members(tile.actors, tile.table):
        located = of_key.actors[tile.actors.located[of_key.actors]]
        if located.size == 0:
            continue
        mine = np.flatnonzero(tile.owned[located])
        near = member_neighbours(tile.actors, located, tile.radius_km, asking=mine)
        whole = np.append(tile.actor_rows[located], -1)  # position `size`: none
        found.append(KeyNeighbours(of_key.key, tile.actor_rows[located[mine]],
                                   whole[near.idx], near.count, near.spread))
    return TileSummary(corpus, tuple(found))


def tile_pairs(work: TileShortlist, corpus: NDArray[np.object_], min_score: float,
               language: str, factors: FactorSet | None
               ) -> tuple[NDArray[np.intp], list[Proposal]]:
    """Step 3 on a worker: the owned needs' proposals, and the whole's row of each need."""
    tile = work.tile
    kb = knowledge_base() if tile.knowledge is None else tile.knowledge
    chosen = select(tile.table, work.short, top_k=tile.top_k, min_score=min_score,
                    corpus=corpus)
    return (tile.resource_rows[chosen.need],
            pair_proposals(tile.actors, tile.table, kb, chosen, language=language,
                           factors=factors))


def gathered_neighbours(summaries: list[TileSummary]) -> NeighbourSource:
    """The tiles' neighbours of each key's members, as the whole's `Neighbours`."""
    by_key: dict[str, list[KeyNeighbours]] = {}
    for summary in summaries:
        for part in summary.neighbours:
            by_key.setdefault(part.key, []).append(part)

    def source(key: str, located: NDArray[np.intp]) -> Neighbours:
        size = located.size
        idx = np.full((size, min(NEIGHBOURS, size)), size, dtype=np.intp)
        count = np.zeros(size, dtype=np.intp)
        spread = np.zeros(size)
        seen = np.zeros(size, dtype=bool)
        for part in by_key.get(key, []):
            rows = np.searchsorted(located, part.members)
            if part.members.size and (rows.max() >= size
                                      or not np.array_equal(located[rows], part.members)):
                raise MatchingError(f"tile neighbours of pooling key {key!r} name actors "
                                    "that are not its members")
            idx[rows, :part.idx.shape[1]] = np.where(
                part.idx >= 0, np.searchsorted(located, np.maximum(part.idx, 0)), size)
            count[rows], spread[rows] = part.count, part.spread
            seen[rows] = True
        if not seen.all():
            raise MatchingError(f"no tile answered for {int((~seen).sum())} members of "
                                f"pooling key {key!r}")
        return Neighbours(idx, count, spread)

    return source
