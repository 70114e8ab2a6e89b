"""The proposals as the command writes them: columns of CSV cells, best first.

`engine.propose_tables` gives a `Proposal` object per proposal, which the pages need; a
region's file needs only its cells. Here the pairs' cells come straight from their
`PairValues` and the pooling groups' from `engine.pool_fields`, with no record, no
Decimal and no dictionary per row: the same rows, in `engine.combine`'s order, as
`write_synergies_csv` of `propose_tables`'s records would write (tests/core/matching/
test_cells.py compares the bytes).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter

import numpy as np
from numpy.typing import NDArray

from symbiose.core.bundle.columns import SYNERGIES
from symbiose.core.bundle.writer import csv_cell, text_cells
from symbiose.core.classes.vocabulary import class_label
from symbiose.core.impact.factors import FactorSet
from symbiose.core.knowledge.base import KnowledgeBase
from symbiose.core.matching import explain
from symbiose.core.matching.engine import check_parameters, kept_ranks, matched, pool_fields
from symbiose.core.matching.namesakes import matching_knowledge
from symbiose.core.matching.pairs import Candidates
from symbiose.core.matching.pairvalues import PairValues, decimal, pair_values
from symbiose.core.matching.pooling import PoolGroup
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
                  language: str = "en", fork: bool = False) -> SynergyCells:
    """As `engine.propose_tables`, the proposals as their CSV cells.

    `fork`: the pooling groups and their cells worked out in a forked child while this
    process does the pairs (see `engine.matched`)."""
    check_parameters(radius_km=radius_km, top_k=top_k, min_score=min_score,
                     language=language)
    kb = matching_knowledge(knowledge)

    def pairs_of(chosen: Candidates) -> tuple[PairValues, dict[str, list[str]]]:
        values = pair_values(actors, table, kb, chosen, language=language, factors=factors)
        return values, pair_cells(table, actors, values)

    (pairs, pair_columns), (ranks, pools) = matched(
        actors, table, kb, radius_km=radius_km, top_k=top_k, min_score=min_score,
        pairs_of=pairs_of, pools_of=lambda groups: pool_cells(
            actors, table, groups, language=language, min_score=min_score), fork=fork)
    return synergy_cells(actors, pairs, pair_columns, ranks, pools)


def pool_cells(actors: ActorTable, table: ResourceTable, groups: list[PoolGroup], *,
               language: str, min_score: float
               ) -> tuple[list[tuple[float, tuple[str, ...]]], dict[str, list[str]]]:
    """The `rank`s and the cells of the groups `kept_pools` keeps, in its order."""
    is_out = table.is_out.tolist()
    fields = [pool_fields(actors, is_out, group, language) for group in groups]
    ids = actors.ids
    ranks = [(-round(score, 3) if score == score else 0.0,
              tuple([ids[a] for a in group.actors]))
             for group, (_, score) in zip(groups, fields, strict=True)]
    kept = kept_ranks(ranks, min_score=min_score)
    params = {name: [fields[i][0][name] for i in kept] for name in
              (fields[0][0] if fields else ())}
    empty = [""] * len(kept)
    return [ranks[i] for i in kept], {
        "type": ["pooling"] * len(kept),
        "supplier_id": empty,
        "receiver_id": empty,
        "actor_ids": text_cells([";".join(ranks[i][1]) for i in kept]),
        "resource": text_cells([class_label(groups[i].class_id, language) for i in kept]),
        "score": figure_cells([fields[i][1] for i in kept], 3),
        "distance_km": figure_cells([groups[i].spread_km for i in kept], 1),
        "quantity": empty,
        "unit": empty,
        "co2e_avoided_t": empty,
        "eur_saved": empty,
        "explanation": text_cells(explain.render_columns([explain.POOLING] * len(kept),
                                                         params, language)),
    }


def _combined_order(actors: ActorTable, pairs: PairValues,
                    pool_keys: list[tuple[float, tuple[str, ...]]]) -> NDArray[np.intp]:
    """The rows of the pairs then the pools in `engine.combine`'s order: `engine.rank`
    (-float(record.score or 0), then the actor ids), ties in list order. The pairs are
    sorted by NumPy on their rounded score and their actors' places in id order; each
    pool (already in rank order) goes after the pairs whose key is not above its own."""
    score = np.array([-round(s, 3) if s == s else 0.0 for s in pairs.score], dtype=float)
    place = np.empty(len(actors.ids), dtype=np.intp)
    place[sorted(range(len(actors.ids)), key=actors.ids.__getitem__)] = np.arange(
        len(actors.ids))
    supplier = np.asarray(pairs.supplier, dtype=np.intp)
    receiver = np.asarray(pairs.receiver, dtype=np.intp)
    pair_order = np.lexsort((place[receiver], place[supplier], score))
    ids = actors.ids
    keys = [(s, (ids[a], ids[b])) for s, a, b in zip(
        score[pair_order].tolist(), supplier[pair_order].tolist(),
        receiver[pair_order].tolist(), strict=True)]
    at = [bisect_right(keys, key) for key in pool_keys]
    pool_rows = np.arange(len(keys), len(keys) + len(pool_keys), dtype=np.intp)
    return np.insert(pair_order, np.asarray(at, dtype=np.intp), pool_rows)


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


# Where two floats are closer than 10^-N, "%.Nf" writes the correctly rounded N-place
# decimal, which is then the shortest text of round(value, N) once its trailing zeros go:
# any shorter decimal differs from it by 10^-N or more, so names another float. Elsewhere
# (3.5e13 at 3 places, NaN, inf) `figure_cell` writes the cell.
def figure_cells(values: Iterable[float], places: int) -> list[str]:
    """`figure_cell` of each value; with places, formatted a column at a time by
    `str.__mod__` in C (about twice as fast; whole numbers are quicker one by one)."""
    if not places:
        return [figure_cell(value, 0) for value in values]
    numbers = np.asarray(values if isinstance(values, np.ndarray) else list(values),
                         dtype=float)
    texts = list(map(str.rstrip, map(str.rstrip, map(f"%.{places}f".__mod__, numbers.tolist()),
                                     repeat("0")), repeat(".")))
    with np.errstate(invalid="ignore"):
        plain = np.spacing(np.abs(numbers)) < 0.5 * 10.0 ** -places
    for i in np.flatnonzero(~plain).tolist():
        texts[i] = figure_cell(float(numbers[i]), places)
    for i in np.flatnonzero((numbers <= 0) & (numbers > -1)).tolist():
        if texts[i] == "-0":  # -0.0, or a negative that rounds to zero
            texts[i] = "0"
    return texts


def pair_cells(table: ResourceTable, actors: ActorTable,
               pairs: PairValues) -> dict[str, list[str]]:
    """The pairs' cells, field by field, in `pairs`' order."""
    ids = actors.ids
    supplier = [ids[a] for a in pairs.supplier]
    receiver = [ids[a] for a in pairs.receiver]
    return {
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


def synergy_cells(actors: ActorTable, pairs: PairValues,
                  pair_columns: dict[str, list[str]],
                  pool_ranks: list[tuple[float, tuple[str, ...]]],
                  pool_columns: dict[str, list[str]]) -> SynergyCells:
    """The pairs' rows (their `pair_cells`) and the kept pooling groups' (their `rank`s
    and cells, best first as `kept_pools` gives them), merged in `engine.combine`'s
    order."""
    order = _combined_order(actors, pairs, pool_ranks)
    rows = order.tolist()
    take = itemgetter(*rows) if len(rows) > 1 else lambda cells: tuple(cells[i] for i in rows)
    return SynergyCells([list(take(pair_columns[name] + pool_columns[name]))
                         for name in SYNERGIES.fields])
