"""The single entry point: match(actors, resources) -> proposals, best first.

A pure function of in-memory tables: the web app, the command line, a notebook or a
partition of a cluster call it the same way. Steps: classify every resource (tables), block
and score candidate pairs (pairs), re-rank the shortlist by label overlap (similarity),
keep the best per need, group the pooling themes (pooling), explain every proposal
(explain) and estimate what can be quantified (impact).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from symbiose.core.bundle.records import ActorRecord, ResourceRecord, SynergyRecord
from symbiose.core.classes.vocabulary import class_label, resource_classes
from symbiose.core.errors import SymbioseError
from symbiose.core.impact.factors import FactorSet
from symbiose.core.knowledge.base import KnowledgeBase
from symbiose.core.matching import explain
from symbiose.core.matching.aside import Aside
from symbiose.core.matching.namesakes import matching_knowledge
from symbiose.core.matching.pairs import Candidates, generate
from symbiose.core.matching.pairvalues import PairValues, decimal, pair_values
from symbiose.core.matching.pooling import PoolGroup, pool_groups
from symbiose.core.matching.similarity import label_similarity
from symbiose.core.matching.tables import (
    ActorTable,
    ResourceTable,
    actor_table,
    class_ids,
    resource_table,
)

T = TypeVar("T")
P = TypeVar("P")


class MatchingError(SymbioseError, ValueError):
    """Parameters of a matching run that make no sense."""


SHORTLIST_FACTOR = 3
# A need that gathers many supplies (a digester's feedstock: `ResourceClass.gathers`) is
# proposed this many times `top_k` suppliers: one farm or one canteen is a fraction of it.
GATHER_FACTOR = 2
# The reading of a need, first or alternative, that makes it gather.
GATHER_CONFIDENCE = 0.5
LABEL_WEIGHT = 0.2
# A supplier scoring under this share of the need's best is noise beside it: a facilitator
# reads the best proposals for a need, not every class that the words allow.
RELATIVE_FLOOR = 0.55
# A class also exchanged pair-wise (steam, electricity, cardboard: mode "both"): its holders
# close together are first a supply network, which the pair proposals already name; the
# group as a joint purchase or collection is the less certain reading, so its score keeps
# this share and stays under 0.8, the band a facilitator reads as "right most of the time".
# On the development cases and ../shared/cases, such groups scoring 0.8 or more were known
# synergies 4 times in 11, pooling-only themes (services, skills, logistics) 10 in 10.
PAIR_CLASS_POOL_SHARE = 0.75


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposal with its explanation still as template + parameters (translatable)."""

    record: SynergyRecord
    template: str
    params: tuple[tuple[str, str], ...]


def match(actors: Iterable[ActorRecord], resources: Iterable[ResourceRecord], *,
          radius_km: float = 50.0, top_k: int = 3, min_score: float = 0.2,
          knowledge: KnowledgeBase | None = None, factors: FactorSet | None = None,
          language: str = "en") -> list[SynergyRecord]:
    """Substitution, sharing and pooling proposals, sorted by score, best first.

    `radius_km` bounds the search around each need and the size of pooling groups;
    `top_k` is the number of suppliers kept per need; proposals scoring under `min_score`
    are dropped. Explanations are rendered in `language` ("en" or "fr"). CO2e uses
    `factors` (default: the packaged DESNZ 2025 set).
    """
    return [p.record for p in propose(actors, resources, radius_km=radius_km, top_k=top_k,
                                      min_score=min_score, knowledge=knowledge,
                                      factors=factors, language=language)]


def propose(actors: Iterable[ActorRecord], resources: Iterable[ResourceRecord], *,
            radius_km: float = 50.0, top_k: int = 3, min_score: float = 0.2,
            knowledge: KnowledgeBase | None = None, factors: FactorSet | None = None,
            language: str = "en") -> list[Proposal]:
    """As `match`, keeping each explanation's template and parameters."""
    actor_rows = actor_table(actors)
    return propose_tables(actor_rows, resource_table(resources, actor_rows),
                          radius_km=radius_km, top_k=top_k, min_score=min_score,
                          knowledge=knowledge, factors=factors, language=language)


def propose_tables(actor_rows: ActorTable, table: ResourceTable, *, radius_km: float = 50.0,
                   top_k: int = 3, min_score: float = 0.2,
                   knowledge: KnowledgeBase | None = None, factors: FactorSet | None = None,
                   language: str = "en") -> list[Proposal]:
    """As `propose`, on tables already built (from records, or from a bundle's columns
    by `columnar`, which a region needs)."""
    check_parameters(radius_km=radius_km, top_k=top_k, min_score=min_score,
                     language=language)
    kb = matching_knowledge(knowledge)
    pairs, pools = matched(actor_rows, table, kb, radius_km=radius_km, top_k=top_k,
                           min_score=min_score, pairs_of=lambda chosen: pair_proposals(
                               actor_rows, table, kb, chosen, language=language,
                               factors=factors),
                           pools_of=lambda groups: pool_proposals(actor_rows, table,
                                                                  groups, language))
    return combine(pairs, pools, min_score=min_score)


def matched(actor_rows: ActorTable, table: ResourceTable, kb: KnowledgeBase, *,
            radius_km: float, top_k: int, min_score: float,
            pairs_of: Callable[[Candidates], T], pools_of: Callable[[list[PoolGroup]], P],
            fork: bool = False) -> tuple[T, P]:
    """`pairs_of` the pairs `select` chooses, and `pools_of` the pooling groups.

    Pooling reads the tables only, and runs beside the pairs: in a thread, where its k-d
    tree queries (which release the GIL) overlap the pairs' Python work; with `fork`, in
    a forked child (`aside.Aside`), where all of it does, on a second core. `fork` is
    for a command on a whole region, not for a web process and its threads. Either way
    the same groups, in the same order."""
    def pooling() -> P:
        return pools_of(pool_groups(actor_rows, table, radius_km=radius_km))

    def pairing() -> T:
        short = shortlist(actor_rows, table, kb, radius_km=radius_km, top_k=top_k)
        return pairs_of(select(table, short, top_k=top_k, min_score=min_score))

    if not fork:
        with ThreadPoolExecutor(max_workers=1) as background:
            grouping = background.submit(pooling)
            return pairing(), grouping.result()
    aside = Aside(pooling)
    try:
        pairs = pairing()
    except BaseException:
        aside.cancel()  # no child left behind, blocked on a pipe nobody reads
        raise
    return pairs, aside.result()


def check_parameters(*, radius_km: float, top_k: int, min_score: float,
                     language: str) -> None:
    if not radius_km > 0 or top_k < 1 or not 0 <= min_score <= 1 or language not in ("en", "fr"):
        raise MatchingError(
            f"radius_km must be > 0, top_k >= 1, min_score in [0, 1] and language 'en' or "
            f"'fr' (got {radius_km}, {top_k}, {min_score}, {language!r})"
        )


def shortlist(actor_rows: ActorTable, table: ResourceTable, kb: KnowledgeBase, *,
              radius_km: float, top_k: int,
              needs: NDArray[np.bool_] | None = None) -> Candidates:
    """The candidates worth re-ranking, for every need or for the rows `needs` marks
    (a tile answers for the needs it holds; a need's candidates depend on it alone)."""
    found = generate(actor_rows, table, kb, radius_km=radius_km,
                     per_need=max(top_k * SHORTLIST_FACTOR, 10), asking=needs)
    if found.offer.size == 0:
        return found
    return _best_per(found, found.need,
                     _per_need(_gathering_needs(table), found, top_k * SHORTLIST_FACTOR))


def pair_proposals(actor_rows: ActorTable, table: ResourceTable, kb: KnowledgeBase,
                   chosen: Candidates, *, language: str,
                   factors: FactorSet | None) -> list[Proposal]:
    """The substitution and sharing proposals of the pairs `select` chose, in its order."""
    values = pair_values(actor_rows, table, kb, chosen, language=language, factors=factors)
    return [_pair_proposal(actor_rows, table, values, i, language)
            for i in range(chosen.offer.size)]


def pool_proposals(actor_rows: ActorTable, table: ResourceTable, groups: list[PoolGroup],
                   language: str) -> list[Proposal]:
    is_out = table.is_out.tolist()  # one element at a time, a list reads faster
    return [_pool_proposal(actor_rows, is_out, group, language) for group in groups]


def combine(pairs: list[Proposal], pools: list[Proposal], *,
            min_score: float) -> list[Proposal]:
    """Pair proposals (in need order) and the pooling groups' (in key, then group
    order), best first; a pooling group inside a better one dropped."""
    proposals = list(pairs) + kept_pools(pools, min_score=min_score)
    proposals.sort(key=rank)
    return proposals


def rank(proposal: Proposal) -> tuple[float, tuple[str, ...]]:
    """The output's order: best score first, then by actors (ties keep their order)."""
    return -float(proposal.record.score or 0), proposal.record.actor_ids


def kept_pools(pools: list[Proposal], *, min_score: float) -> list[Proposal]:
    """The pooling groups scoring `min_score` or more and inside no better one, best
    first (`rank`)."""
    return [pools[i] for i in kept_ranks([rank(p) for p in pools], min_score=min_score)]


def kept_ranks(ranks: list[tuple[float, tuple[str, ...]]], *, min_score: float) -> list[int]:
    """`kept_pools` on the groups' `rank`s: the positions kept, best first."""
    kept: list[int] = []
    # A group inside a better one (same actors, a weaker reading of their resources)
    # would make the facilitator read the same proposal twice: it is inside one when the
    # kept groups of each of its actors have one in common.
    holding: dict[str, set[int]] = {}
    for i in sorted(range(len(ranks)), key=ranks.__getitem__):
        score, actor_ids = ranks[i]
        if -score < min_score:
            continue
        held = [found for found in map(holding.get, actor_ids) if found]
        if len(held) == len(actor_ids) and set.intersection(*sorted(held, key=len)):
            continue
        for actor_id in actor_ids:
            holding.setdefault(actor_id, set()).add(i)
        kept.append(i)
    return kept


def select(table: ResourceTable, candidates: Candidates, *, top_k: int,
           min_score: float, corpus: NDArray[np.object_] | None = None) -> Candidates:
    """Best `top_k` distinct suppliers per need, after re-ranking by label overlap; an
    offer once per receiving actor."""
    if candidates.offer.size == 0:
        return candidates
    gathering = _gathering_needs(table)
    short = _best_per(candidates, candidates.need,
                      _per_need(gathering, candidates, top_k * SHORTLIST_FACTOR))
    sim = label_similarity(table.labels, short.offer, short.need, corpus)
    score = short.score * (1.0 - LABEL_WEIGHT + LABEL_WEIGHT * np.minimum(1.0, 2.0 * sim))
    short = Candidates(short.offer, short.need, short.rule, short.distance_km,
                       short.confidence, score)
    # One proposal per (supplier actor, need): the best of the supplier's offers.
    pair_key = table.actor[short.offer].astype(np.int64) * (len(table.ids) + 1) + short.need
    short = _best_per(short, pair_key, 1)
    # One proposal per (offer, receiving actor): the same output offered to one company for
    # two of its needs is one conversation, held at the need it meets best; the slots it
    # leaves go to other suppliers.
    offer_key = table.actor[short.need].astype(np.int64) * (len(table.ids) + 1) + short.offer
    short = _best_per(short, offer_key, 1)
    short = _best_per(short, short.need, _per_need(gathering, short, top_k))
    best = np.zeros(len(table.ids))
    np.maximum.at(best, short.need, short.score)
    floor = np.maximum(min_score, RELATIVE_FLOOR * best[short.need])
    return short.take(np.flatnonzero(short.score >= floor))


def _best_per(c: Candidates, key: np.ndarray, k: int | NDArray[np.intp]) -> Candidates:
    """The `k` best candidates per key; `k` may be given per candidate (its key's)."""
    order = np.lexsort((-c.score, key))
    sorted_key = key[order]
    starts = np.r_[0, np.flatnonzero(sorted_key[1:] != sorted_key[:-1]) + 1]
    rank = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
    return c.take(order[rank < (k if isinstance(k, int) else k[order])])


@cache
def _gathering_classes() -> NDArray[np.bool_]:
    """Per class of `class_ids()`, whether its needs gather many supplies."""
    classes = resource_classes()
    return np.array([classes[cid].gathers for cid in class_ids()], dtype=bool)


def _gathering_needs(table: ResourceTable) -> NDArray[np.bool_]:
    """Per resource row, whether it reads (first or alternative, at `GATHER_CONFIDENCE`
    or more) as a class whose needs gather many supplies."""
    sure = table.m_confidence >= GATHER_CONFIDENCE
    gathering = np.zeros(len(table.ids), dtype=bool)
    gathering[table.m_resource[sure & _gathering_classes()[table.m_class]]] = True
    return gathering


def _per_need(gathering: NDArray[np.bool_], c: Candidates, k: int) -> int | NDArray[np.intp]:
    """`k` per candidate: `GATHER_FACTOR` times more for the needs that gather."""
    if not gathering[c.need].any():
        return k
    return np.where(gathering[c.need], k * GATHER_FACTOR, k).astype(np.intp)





def _pair_proposal(actors: ActorTable, table: ResourceTable, values: PairValues, i: int,
                   language: str) -> Proposal:
    supplier, receiver = values.supplier[i], values.receiver[i]
    sharing = values.sharing[i]
    params = {name: column[i] for name, column in values.params.items()}
    record = SynergyRecord(
        type="sharing" if sharing else "substitution",
        actor_ids=(actors.ids[supplier], actors.ids[receiver]),
        resource=table.labels[values.offer[i]],
        supplier_id=actors.ids[supplier],
        receiver_id=actors.ids[receiver],
        score=decimal(values.score[i]),
        distance_km=decimal(values.distance_km[i], 1),
        quantity=decimal(values.quantity[i]),
        unit=values.unit[i],
        co2e_avoided_t=decimal(values.co2e_avoided_t[i], 1),
        eur_saved=decimal(values.eur_saved[i], 0),
        explanation=values.explanation[i],
    )
    return Proposal(record, explain.SHARING if sharing else explain.SUBSTITUTION,
                    tuple(params.items()))


def _pool_proposal(actors: ActorTable, is_out: list[bool], group: PoolGroup,
                   language: str) -> Proposal:
    params, score = pool_fields(actors, is_out, group, language)
    record = SynergyRecord(
        type="pooling",
        actor_ids=tuple([actors.ids[a] for a in group.actors]),
        resource=class_label(group.class_id, language),
        score=decimal(score),
        distance_km=decimal(group.spread_km, 1),
        explanation=explain.render(explain.POOLING, params, language),
    )
    return Proposal(record, explain.POOLING, tuple(params.items()))


def pool_fields(actors: ActorTable, is_out: list[bool], group: PoolGroup,
                language: str) -> tuple[dict[str, str], float]:
    """A pooling group's explanation parameters and score (`is_out`: the resources')."""
    directions = {is_out[r] for r in group.resources}
    what = (explain.WHAT_BOTH if len(directions) == 2
            else explain.WHAT_OUTPUT if True in directions else explain.WHAT_NEED)
    names = actors.names
    members = ", ".join([names[a] for a in group.actors[:6]]) + (
        ", …" if len(group.actors) > 6 else "")
    params = {
        "count": str(len(group.actors)),
        "where": explain.where(group.spread_km, explain.WHERE_GROUP, language),
        "what": explain.translate(what, language),
        "class_label": class_label(group.class_id, language).lower(),
        "members": members,
        "caveats": explain.caveats(group.confidence, group.unlocated == 0, language),
    }
    size_term = min(1.0, (len(group.actors) - 1) / 4.0)
    score = (0.4 + 0.6 * size_term) * (0.5 + 0.5 * group.confidence)
    found = resource_classes().get(group.class_id)
    if found is not None and found.mode == "both":
        score *= PAIR_CLASS_POOL_SHARE
    return params, score
