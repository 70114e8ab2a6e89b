"""The engine run tile by tile on workers, with the single-process answer.

    propose_tiled(actors, table, runner=..., tiles=8, ...) -> list[Proposal]
    stream_tiled(actors, table, runner=..., tiles=8, scratch=DIR, ...) -> Iterator[Proposal]

The same proposals as `propose_tables`, in the same order. Each tile (see `tiles`) runs
the engine's own steps on its slice of the tables, for the needs it owns. What crosses
between here and the workers is files in `scratch` (a folder every worker can read:
on a real cluster, a shared file system), the tasks carrying only their paths: here,
each tile's tables are written once; a worker reads its tile's, and writes its
shortlist and then its proposals beside them. So the scheduler never holds a tile, a
worker holds one tile at a time, and the proposals come back here one part file at a
time, merged as they are written out.

1. on the workers, the shortlist of each owned need's candidates (a need's candidates
   depend on what lies within the radius, which the halo holds), the distinct labels of
   that shortlist, and the pooling neighbours of each owned member;
2. here, the labels of all tiles united, so that the label weights are learnt from the
   whole territory's shortlist as `similarity` learns them in one process;
3. on the workers, the re-ranking and the proposals of each owned need; meanwhile here,
   the pooling groups, clustered over the whole from the gathered neighbours (a leader
   sees what leaders anywhere before it took, so the greedy clustering is resolved once,
   across tile borders);
4. here, the tiles' part files (each sorted on its worker by the output's order, then by
   need) and the pooling groups merged in a stream (`heapq.merge`), which is
   `engine.combine`'s order: the same bytes, without holding every proposal at once.

Nothing here knows Dask: a `Runner` submits a function with its arguments (the results
of earlier submissions among them) and gathers results. `InProcess` runs each call at
once; the command line passes a Dask client.
"""

from __future__ import annotations

import heapq
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from symbiose.core.impact.factors import FactorSet
from symbiose.core.knowledge.base import KnowledgeBase
from symbiose.core.matching.engine import (
    MatchingError,
    Proposal,
    check_parameters,
    kept_pools,
    pair_proposals,
    pool_proposals,
    rank,
    select,
    shortlist,
)
from symbiose.core.matching.namesakes import matching_knowledge
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
class TileSummary:
    corpus: NDArray[np.object_]
    neighbours: tuple[KeyNeighbours, ...]


# Proposals per pickle in a part file: a reader holds one chunk of each part at a time.
PART_CHUNK = 10_000

# A proposal's place in the output: `engine.rank`, then the whole's row of its need
# (the pooling groups' after every need's, as `combine` appends them).
Ranked = tuple[tuple[float, tuple[str, ...], int], Proposal]
POOLS_LAST = np.iinfo(np.intp).max


def propose_tiled(actors: ActorTable, table: ResourceTable, *, runner: Runner,
                  tiles: int, radius_km: float = 50.0, top_k: int = 3,
                  min_score: float = 0.2, knowledge: KnowledgeBase | None = None,
                  factors: FactorSet | None = None, language: str = "en") -> list[Proposal]:
    """As `engine.propose_tables`, the territory cut into at most `tiles` tiles, the
    tiles' files in a temporary folder of this machine."""
    with tempfile.TemporaryDirectory(prefix="symbiose-tiles-") as scratch:
        return list(stream_tiled(actors, table, runner=runner, tiles=tiles,
                                 scratch=Path(scratch), radius_km=radius_km, top_k=top_k,
                                 min_score=min_score, knowledge=knowledge,
                                 factors=factors, language=language))


def stream_tiled(actors: ActorTable, table: ResourceTable, *, runner: Runner, tiles: int,
                 scratch: Path, radius_km: float = 50.0, top_k: int = 3,
                 min_score: float = 0.2, knowledge: KnowledgeBase | None = None,
                 factors: FactorSet | None = None, language: str = "en"
                 ) -> Iterator[Proposal]:
    """`propose_tiled`'s proposals one by one, read from the part files the workers
    wrote in `scratch` (which must outlive the iteration)."""
    check_parameters(radius_km=radius_km, top_k=top_k, min_score=min_score,
                     language=language)
    if tiles < 1:
        raise MatchingError(f"tiles must be >= 1 (got {tiles})")
    paths = []
    work = []
    # Each tile's tables written as it is planned and let go, so that only one tile's
    # are here at a time beside the whole's; the task carries the path.
    for number, plan in enumerate(plan_tiles(actors, table, radius_km=radius_km,
                                             count=tiles)):
        path = str(scratch / f"tile-{number}.pickle")
        _dump(path, _tile_input(actors, table, plan.actors, plan.resources, plan.owned,
                                radius_km, top_k, knowledge))
        paths.append(path)
        work.append(runner.submit(tile_shortlist, path))
    summaries: list[TileSummary] = runner.gather(work)
    corpus = np.unique(np.concatenate([s.corpus for s in summaries])) if summaries \
        else np.empty(0, dtype=object)
    corpus_path = str(scratch / "corpus.pickle")
    _dump(corpus_path, corpus)
    del corpus
    pending = [runner.submit(tile_pairs, path, corpus_path, min_score, language, factors)
               for path in paths]
    groups = pool_groups(actors, table, radius_km=radius_km,
                         neighbours=gathered_neighbours(summaries))
    del summaries
    pools = kept_pools(pool_proposals(actors, table, groups, language),
                       min_score=min_score)
    parts: list[str] = runner.gather(pending)
    ranked_pools = (((*rank(p), POOLS_LAST), p) for p in pools)
    for _, proposal in heapq.merge(*map(_read_part, parts), ranked_pools,
                                   key=lambda entry: entry[0]):
        yield proposal


def _dump(path: str, value: object) -> None:
    """`value` pickled to `path` whole or not at all: a task run again after its worker
    died never leaves half a file for another to read."""
    partial = f"{path}.{os.getpid()}.partial"
    with open(partial, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)


def _load(path: str) -> Any:
    with open(path, "rb") as handle:
        return pickle.load(handle)  # files this run wrote itself


def _read_part(path: str) -> Iterator[Ranked]:
    """A part file's ranked proposals, a chunk at a time."""
    with open(path, "rb") as handle:
        while True:
            try:
                chunk: list[Ranked] = pickle.load(handle)  # written by this run
            except EOFError:
                return
            yield from chunk


def _tile_input(actors: ActorTable, table: ResourceTable, actor_rows: NDArray[np.intp],
                resource_rows: NDArray[np.intp], owned: NDArray[np.intp], radius_km: float,
                top_k: int, knowledge: KnowledgeBase | None) -> TileInput:
    sub_actors, sub_table = slice_tables(actors, table, actor_rows, resource_rows)
    return TileInput(sub_actors, sub_table, actor_rows, resource_rows,
                     np.isin(actor_rows, owned), radius_km, top_k, knowledge)


def _shortlist_path(tile_path: str) -> str:
    return tile_path.replace("tile-", "shortlist-")


def tile_shortlist(tile_path: str) -> TileSummary:
    """Step 1 on a worker: the owned needs' shortlist, written beside the tile; what the
    client needs of it returned."""
    tile: TileInput = _load(tile_path)
    kb = matching_knowledge(tile.knowledge)
    needs = tile.owned[tile.table.actor] & ~tile.table.is_out
    short = shortlist(tile.actors, tile.table, kb, radius_km=tile.radius_km,
                      top_k=tile.top_k, needs=needs)
    _dump(_shortlist_path(tile_path), short)
    return tile_summary(tile, short)


def tile_summary(tile: TileInput, short: Candidates) -> TileSummary:
    """What the client needs of step 1: the shortlist's labels, the owned neighbours."""
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


def tile_pairs(tile_path: str, corpus_path: str, min_score: float, language: str,
               factors: FactorSet | None) -> str:
    """Step 3 on a worker: the owned needs' proposals, each ranked by the output's order
    and then by the whole's row of its need, sorted so, written to a part file whose
    path is returned."""
    tile: TileInput = _load(tile_path)
    short: Candidates = _load(_shortlist_path(tile_path))
    kb = matching_knowledge(tile.knowledge)
    chosen = select(tile.table, short, top_k=tile.top_k, min_score=min_score,
                    corpus=_load(corpus_path))
    needs = tile.resource_rows[chosen.need].tolist()
    found = pair_proposals(tile.actors, tile.table, kb, chosen, language=language,
                           factors=factors)
    ranked = sorted((((*rank(p), need), p) for need, p in zip(needs, found, strict=True)),
                    key=lambda entry: entry[0])
    path = tile_path.replace("tile-", "part-")
    partial = f"{path}.{os.getpid()}.partial"
    with open(partial, "wb") as handle:
        for start in range(0, len(ranked), PART_CHUNK):
            pickle.dump(ranked[start:start + PART_CHUNK], handle,
                        protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)
    return path


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
