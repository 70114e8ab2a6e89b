"""The single entry point: match(actors, resources) -> proposals, best first.

A pure function of in-memory tables: the web app, the command line, a notebook or a
partition of a cluster call it the same way. Steps: classify every resource (tables), block
and score candidate pairs (pairs), re-rank the shortlist by label overlap (similarity),
keep the best per need, group the pooling themes (pooling), explain every proposal
(explain) and estimate what can be quantified (impact).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from symbiose.core.bundle.records import ActorRecord, ResourceRecord, SynergyRecord
from symbiose.core.classes.vocabulary import class_label, resource_classes
from symbiose.core.errors import SymbioseError
from symbiose.core.impact.estimate import euros_saved, exchange_impact
from symbiose.core.impact.factors import FactorSet
from symbiose.core.knowledge.base import KnowledgeBase, SubstitutionRule, knowledge_base
from symbiose.core.matching import explain
from symbiose.core.matching.pairs import Candidates, generate
from symbiose.core.matching.pooling import PoolGroup, pool_groups
from symbiose.core.matching.similarity import label_similarity
from symbiose.core.matching.tables import ActorTable, ResourceTable, actor_table, resource_table


class MatchingError(SymbioseError, ValueError):
    """Parameters of a matching run that make no sense."""


SHARING_KINDS = frozenset({"equipment", "space", "skill"})
SHORTLIST_FACTOR = 3
LABEL_WEIGHT = 0.2
# A supplier scoring under this share of the need's best is noise beside it: a facilitator
# reads the best proposals for a need, not every class that the words allow.
RELATIVE_FLOOR = 0.5
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
    kb = knowledge_base() if knowledge is None else knowledge
    # Pooling reads the tables only; in a thread, its k-d tree queries (which release the
    # GIL) overlap the pairs' Python work. The same groups, in the same order.
    with ThreadPoolExecutor(max_workers=1) as background:
        grouping = background.submit(pool_groups, actor_rows, table, radius_km=radius_km)
        short = shortlist(actor_rows, table, kb, radius_km=radius_km, top_k=top_k)
        chosen = select(table, short, top_k=top_k, min_score=min_score)
        pairs = pair_proposals(actor_rows, table, kb, chosen, language=language,
                               factors=factors)
        groups = grouping.result()
    return combine(pairs, pool_proposals(actor_rows, table, groups, language),
                   min_score=min_score)


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
    return _best_per(found, found.need, top_k * SHORTLIST_FACTOR)


def pair_proposals(actor_rows: ActorTable, table: ResourceTable, kb: KnowledgeBase,
                   chosen: Candidates, *, language: str,
                   factors: FactorSet | None) -> list[Proposal]:
    """The substitution and sharing proposals of the pairs `select` chose, in its order."""
    rows = _rows(actor_rows, table, chosen)
    return [_pair_proposal(actor_rows, table, kb, rows, i, language, factors)
            for i in range(chosen.offer.size)]


def pool_proposals(actor_rows: ActorTable, table: ResourceTable, groups: list[PoolGroup],
                   language: str) -> list[Proposal]:
    return [_pool_proposal(actor_rows, table, group, language) for group in groups]


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
    kept: list[Proposal] = []
    kept_by_actor: dict[str, list[frozenset[str]]] = {}
    for proposal in sorted(pools, key=rank):
        members = frozenset(proposal.record.actor_ids)
        # A group inside a better one (same actors, a weaker reading of their resources)
        # would make the facilitator read the same proposal twice. Any group containing
        # this one contains its first actor, so only those groups are compared.
        first = proposal.record.actor_ids[0]
        if float(proposal.record.score or 0) < min_score or any(
            members <= other for other in kept_by_actor.get(first, ())
        ):
            continue
        for actor_id in members:
            kept_by_actor.setdefault(actor_id, []).append(members)
        kept.append(proposal)
    return kept


def select(table: ResourceTable, candidates: Candidates, *, top_k: int,
           min_score: float, corpus: NDArray[np.object_] | None = None) -> Candidates:
    """Best `top_k` distinct suppliers per need, after re-ranking by label overlap."""
    if candidates.offer.size == 0:
        return candidates
    short = _best_per(candidates, candidates.need, top_k * SHORTLIST_FACTOR)
    sim = label_similarity(table.labels, short.offer, short.need, corpus)
    score = short.score * (1.0 - LABEL_WEIGHT + LABEL_WEIGHT * np.minimum(1.0, 2.0 * sim))
    short = Candidates(short.offer, short.need, short.rule, short.distance_km,
                       short.confidence, score)
    # One proposal per (supplier actor, need): the best of the supplier's offers.
    pair_key = table.actor[short.offer].astype(np.int64) * (len(table.ids) + 1) + short.need
    short = _best_per(short, pair_key, 1)
    short = _best_per(short, short.need, top_k)
    best = np.zeros(len(table.ids))
    np.maximum.at(best, short.need, short.score)
    floor = np.maximum(min_score, RELATIVE_FLOOR * best[short.need])
    return short.take(np.flatnonzero(short.score >= floor))


def _best_per(c: Candidates, key: np.ndarray, k: int) -> Candidates:
    order = np.lexsort((-c.score, key))
    sorted_key = key[order]
    starts = np.r_[0, np.flatnonzero(sorted_key[1:] != sorted_key[:-1]) + 1]
    rank = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
    return c.take(order[rank < k])


def _decimal(value: float, places: int = 3) -> Decimal | None:
    if value != value:  # NaN
        return None
    if places == 0:
        return Decimal(round(float(value)))
    return Decimal(str(round(float(value), places)))


@dataclass(frozen=True, slots=True)
class _Rows:
    """The arrays a proposal reads, as Python lists: indexing NumPy one element at a time
    costs more than the rest of building a record."""

    actor: list[int]
    located: list[bool]
    quantity: list[float]
    cost: list[float]
    offer: list[int]
    need: list[int]
    rule: list[int]
    distance: list[float]
    confidence: list[float]
    score: list[float]


def _rows(actors: ActorTable, table: ResourceTable, c: Candidates) -> _Rows:
    return _Rows(table.actor.tolist(), actors.located.tolist(), table.quantity.tolist(),
                 table.cost.tolist(), c.offer.tolist(), c.need.tolist(), c.rule.tolist(),
                 c.distance_km.tolist(), c.confidence.tolist(), c.score.tolist())


def _pair_proposal(actors: ActorTable, table: ResourceTable, kb: KnowledgeBase,
                   rows: _Rows, i: int, language: str, factors: FactorSet | None) -> Proposal:
    offer, need, rule = rows.offer[i], rows.need[i], kb.rules[rows.rule[i]]
    supplier, receiver = rows.actor[offer], rows.actor[need]
    sharing = resource_classes()[rule.in_class].kind in SHARING_KINDS
    located = rows.located[supplier] and rows.located[receiver]
    distance = rows.distance[i]
    template = explain.SHARING if sharing else explain.SUBSTITUTION
    quantity, unit = _exchanged(table, rows, offer, need)
    exchanged = None if quantity is None else float(quantity)
    params = {
        "supplier": actors.names[supplier],
        "receiver": actors.names[receiver],
        "offer": explain.short(table.labels[offer], language),
        "need": explain.short(table.labels[need], language),
        "process": rule.process_fr if language == "fr" else rule.process_en,
        "where": explain.where(distance, explain.WHERE_KM, language),
        "amount": "" if sharing else explain.amount(exchanged, unit, language),
        "caveats": explain.caveats(rows.confidence[i], located, language,
                                   _read_by_activity(table, rule, offer, need)),
    }
    impact = exchange_impact(rule.out_class, rule.in_class, exchanged, unit,
                             None if distance != distance else distance, factors)
    same_unit = table.unit[offer] == table.unit[need] == unit
    eur = euros_saved(
        exchanged if same_unit else None, rows.quantity[offer], rows.quantity[need],
        _finite(rows.cost[offer]), _finite(rows.cost[need]),
        rule.value_eur if unit == rule.per else None,
    )
    record = SynergyRecord(
        type="sharing" if sharing else "substitution",
        actor_ids=(actors.ids[supplier], actors.ids[receiver]),
        resource=table.labels[offer],
        supplier_id=actors.ids[supplier],
        receiver_id=actors.ids[receiver],
        score=_decimal(rows.score[i]),
        distance_km=_decimal(distance, 1),
        quantity=quantity,
        unit=unit if quantity is not None else "",
        co2e_avoided_t=None if impact.co2e_avoided_t is None
        else _decimal(impact.co2e_avoided_t, 1),
        eur_saved=None if eur is None else _decimal(eur, 0),
        explanation=explain.render(template, params, language),
    )
    return Proposal(record, template, tuple(params.items()))


def _read_by_activity(table: ResourceTable, rule: SubstitutionRule, offer: int,
                      need: int) -> str:
    """Which side, if any, the actor's activity decided the reading of ("need", "offer")."""
    for side, row, class_id in (("need", need, rule.in_class), ("offer", offer, rule.out_class)):
        found = table.classification[row]
        if found.by_activity and found.class_id == class_id:
            return side
    return ""


def _finite(value: float) -> float | None:
    return None if value != value else float(value)


def _exchanged(table: ResourceTable, rows: _Rows, offer: int,
               need: int) -> tuple[Decimal | None, str]:
    qo, qn = rows.quantity[offer], rows.quantity[need]
    if table.unit[offer] == table.unit[need] and qo == qo and qn == qn:
        return _decimal(min(qo, qn)), table.unit[offer]
    for q, unit in ((qo, table.unit[offer]), (qn, table.unit[need])):
        if q == q:
            return _decimal(q), unit
    return None, ""


def _pool_proposal(actors: ActorTable, table: ResourceTable, group: PoolGroup,
                   language: str) -> Proposal:
    directions = {bool(table.is_out[r]) for r in group.resources}
    what = (explain.WHAT_BOTH if len(directions) == 2
            else explain.WHAT_OUTPUT if True in directions else explain.WHAT_NEED)
    names = [actors.names[a] for a in group.actors]
    members = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
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
    record = SynergyRecord(
        type="pooling",
        actor_ids=tuple(actors.ids[a] for a in group.actors),
        resource=class_label(group.class_id, language),
        score=_decimal(score),
        distance_km=_decimal(group.spread_km, 1),
        explanation=explain.render(explain.POOLING, params, language),
    )
    return Proposal(record, explain.POOLING, tuple(params.items()))
