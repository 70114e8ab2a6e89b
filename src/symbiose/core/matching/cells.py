"""The proposals as the command writes them: columns of CSV cells, best first.

`engine.propose_tables` gives a `Proposal` object per proposal, which the pages need; a
region's file needs only its cells. Here the pairs' cells come straight from their
`PairValues`, each figure formatted once per distinct value, and the pooling groups'
from their records: the same rows, in `engine.combine`'s order, as `write_synergies_csv`
of `propose_tables`'s records would write (the tests compare the bytes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from symbiose.core.bundle.columns import SYNERGIES
from symbiose.core.bundle.writer import csv_cell, records_columns, text_cells
from symbiose.core.impact.factors import FactorSet
from symbiose.core.knowledge.base import KnowledgeBase, knowledge_base
from symbiose.core.matching.engine import (
    Proposal,
    check_parameters,
    kept_pools,
    matched,
    pool_proposals,
    rank,
)
from symbiose.core.matching.pairvalues import PairValues, decimal, pair_values
from symbiose.core.matching.tables import ActorTable, ResourceTable


@dataclass(frozen=True, slots=True)
class SynergyCells:
    """One list of cells per field of `SYNERGIES.fields`, rows best first."""

    columns: list[list[str]]

    def __len__(self) -> int:
        return len(self.columns[0])


def propose_cells(actors: ActorTable, table: ResourceTable, *, radius_km: float = 50.0,
                  top_k: int = 3, min_score: float = 0.2,
                  knowledge: KnowledgeBase | None = None, factors: FactorSet | None = None,
                  language: str = "en") -> SynergyCells:
    """As `engine.propose_tables`, the proposals as their CSV cells."""
    check_parameters(radius_km=radius_km, top_k=top_k, min_score=min_score,
                     language=language)
    kb = knowledge_base() if knowledge is None else knowledge
    pairs, groups = matched(actors, table, kb, radius_km=radius_km, top_k=top_k,
                            min_score=min_score, pairs_of=lambda chosen: pair_values(
                                actors, table, kb, chosen, language=language,
                                factors=factors))
    pools = kept_pools(pool_proposals(actors, table, groups, language), min_score=min_score)
    return synergy_cells(actors, table, pairs, pools)


def figure_cell(value: float, places: int) -> str:
    """`csv_cell(decimal(value, places))` without a Decimal: the rounded float's shortest
    text (which `decimal` reads) without its trailing zeros, as `format_decimal` writes it;
    the Decimal way for an exponent."""
    if value != value:  # NaN: unknown
        return ""
    if places == 0:
        return str(round(value))
    text = repr(round(value, places))
    if "e" in text or "n" in text:  # 1e+16, inf
        return csv_cell(decimal(value, places))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def figure_cells(values: Iterable[float], places: int) -> list[str]:
    return [figure_cell(value, places) for value in values]


def synergy_cells(actors: ActorTable, table: ResourceTable, pairs: PairValues,
                  pools: list[Proposal]) -> SynergyCells:
    """The pairs' rows and the kept pooling groups' (best first, as `kept_pools` gives
    them), merged in `engine.combine`'s order."""
    ids = actors.ids
    supplier = [ids[a] for a in pairs.supplier]
    receiver = [ids[a] for a in pairs.receiver]
    # engine.rank: -float(record.score or 0), then the actors; a stable sort of the pairs
    # followed by the pools.
    keys: list[tuple[float, tuple[str, ...]]] = [
        (-round(score, 3) if score == score else 0.0, (s, r))
        for score, s, r in zip(pairs.score, supplier, receiver, strict=True)]
    keys.extend(rank(p) for p in pools)
    order = sorted(range(len(keys)), key=keys.__getitem__)
    pair_columns = {
        "type": ["sharing" if s else "substitution" for s in pairs.sharing],
        "supplier_id": text_cells(supplier),
        "receiver_id": text_cells(receiver),
        "actor_ids": text_cells([f"{s};{r}" for s, r in zip(supplier, receiver,
                                                              strict=True)]),
        "resource": text_cells([table.labels[o] for o in pairs.offer]),
        "score": figure_cells(pairs.score, 3),
        "distance_km": figure_cells(pairs.distance_km, 1),
        "quantity": figure_cells(pairs.quantity, 3),
        "unit": text_cells(pairs.unit),
        "co2e_avoided_t": figure_cells(pairs.co2e_avoided_t, 1),
        "eur_saved": figure_cells(pairs.eur_saved, 0),
        "explanation": text_cells(pairs.explanation),
    }
    pool_columns = records_columns(SYNERGIES, [p.record for p in pools])
    take = itemgetter(*order) if len(order) > 1 else lambda cells: tuple(cells[i] for i in order)
    return SynergyCells([list(take(pair_columns[name] + pool_columns[name]))
                         for name in SYNERGIES.fields])

