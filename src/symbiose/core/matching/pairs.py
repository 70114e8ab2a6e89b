"""Candidate pairs (offer -> need) by blocking, then their scores. No all-pairs loop.

Blocking: for each knowledge-base rule (output class -> input class), only the offers of
the output class and the needs of the input class meet; among those, each located need
asks a k-d tree of the located offers for its nearest k within the radius. Offers or needs
without coordinates are matched on class alone, with a bounded number of partners (the
most confidently classified), and flagged so that the explanation says so. A word that
both an offer's and a need's heads name and no class knows (`namesakes`) is blocked the
same way, through the namesake rule.

Score of a candidate, each factor in [0, 1], multiplied:
    fit                           the rule's fit (1 = usable as is)
    0.5 + 0.5 * confidence        the lower of the two classification confidences
    0.4 + 0.6 / (1 + (d/dmax)^2)  distance d against the rule's typical maximum dmax
                                  (0.6 in place of the distance term when unknown)
    0.6 + 0.4 * min(1, qo/qn)^0.3 quantity offered against quantity needed, same unit
                                  (0.7 in place of the quantity term when not comparable)
    0.85 + 0.15 * stake           value and impact: the rule's typical euros per unit plus
                                  its CO2e avoided valued at CARBON_PRICE, times the
                                  quantity, as log10(1 + euros) / 6 (0.3 when unknown)
    1 - OTHER_TRADE_PENALTY       when the receiver's activity (NACE division) is known and
                                  is not among the trades the rule names as its usual
                                  takers (1 when it is, or when either is unknown): a
                                  cement kiln's "fuel" is read as a kiln's, not a boiler's
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

from symbiose.core.impact.estimate import BOILER_EFFICIENCY
from symbiose.core.impact.factors import desnz_factors
from symbiose.core.knowledge.base import KnowledgeBase
from symbiose.core.matching.namesakes import (
    NAMESAKE_CONFIDENCE,
    namesake_groups,
    namesake_rule_index,
)
from symbiose.core.matching.spatial import chord_of_km, km_of_chord, nearest
from symbiose.core.matching.tables import ActorTable, ResourceTable, class_ids

UNLOCATED_PARTNERS = 5
UNKNOWN_DISTANCE_TERM = 0.6
UNKNOWN_QUANTITY_TERM = 0.7
UNKNOWN_STAKE_TERM = 0.3
CARBON_PRICE = 100.0  # euros per tonne CO2e, to add avoided emissions to euros at stake
# The rule's usual takers are general knowledge, not a fence: a receiver of another trade
# keeps most of its score (tuned on the development cases: 0.2-0.4 all gain, 0.5 loses).
OTHER_TRADE_PENALTY = 0.3
FULL_FIT = 1.0  # a rule's fit when the offer is all the need asks for


@dataclass(frozen=True, slots=True)
class Candidates:
    """Parallel arrays, one entry per candidate pair."""

    offer: NDArray[np.intp]  # resource rows
    need: NDArray[np.intp]
    rule: NDArray[np.intp]  # index into KnowledgeBase.rules
    distance_km: NDArray[np.float64]  # NaN when either side has no coordinates
    confidence: NDArray[np.float64]
    score: NDArray[np.float64]

    def take(self, keep: NDArray[np.intp]) -> Candidates:
        return Candidates(self.offer[keep], self.need[keep], self.rule[keep],
                          self.distance_km[keep], self.confidence[keep], self.score[keep])


class _Members:
    """The memberships of each (class, direction), in table order: sorted once (stably)
    rather than the whole membership array scanned once per rule."""

    def __init__(self, table: ResourceTable) -> None:
        key = table.m_class.astype(np.int64) * 2 + table.is_out[table.m_resource]
        self.order = np.argsort(key, kind="stable")
        self.bounds = np.searchsorted(key[self.order], np.arange(2 * len(class_ids()) + 1))
        self.table = table

    def __call__(self, class_index: int, out: bool
                 ) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        slot = 2 * class_index + int(out)
        rows = self.order[self.bounds[slot]:self.bounds[slot + 1]]
        return self.table.m_resource[rows], self.table.m_confidence[rows]


def generate(actors: ActorTable, table: ResourceTable, kb: KnowledgeBase, *,
             radius_km: float, per_need: int,
             asking: NDArray[np.bool_] | None = None) -> Candidates:
    """Every (offer, need, rule) the blocking lets through, scored; only for the need
    rows `asking` marks, when given (a tile's own needs: the same candidates for them,
    in the same order, as if every need had asked)."""
    asking = np.ones(len(table.ids), dtype=bool) if asking is None else asking
    index = {cid: i for i, cid in enumerate(class_ids())}
    chord = chord_of_km(radius_km)
    parts: list[tuple[NDArray[np.intp], NDArray[np.intp], int, NDArray[np.float64],
                      NDArray[np.float64]]] = []
    trees: dict[int, tuple[cKDTree | None, NDArray[np.intp], NDArray[np.float64]]] = {}
    members_of = _Members(table)
    namesake = namesake_rule_index(kb)
    for r, rule in enumerate(kb.rules):
        if r == namesake:
            continue
        out_c, in_c = index[rule.out_class], index[rule.in_class]
        needs, need_conf = members_of(in_c, out=False)
        if needs.size == 0:
            continue
        if out_c not in trees:
            offers, offer_conf = members_of(out_c, out=True)
            trees[out_c] = (_offer_tree(actors, table, offers), offers, offer_conf)
        tree, offers, offer_conf = trees[out_c]
        if offers.size == 0:
            continue
        parts.extend(_block(actors, table, tree, offers, offer_conf, needs, need_conf, r,
                            chord, per_need, asking[needs]))
    if namesake is not None:
        # Each word both sides name is blocked as a rule's classes are, all equally sure.
        for offers, needs in namesake_groups(table):
            offer_conf = np.full(offers.size, NAMESAKE_CONFIDENCE)
            need_conf = np.full(needs.size, NAMESAKE_CONFIDENCE)
            parts.extend(_block(actors, table, _offer_tree(actors, table, offers), offers,
                                offer_conf, needs, need_conf, namesake, chord, per_need,
                                asking[needs]))
    if not parts:
        empty_i = np.empty(0, dtype=np.intp)
        empty_f = np.empty(0, dtype=float)
        return Candidates(empty_i, empty_i, empty_i, empty_f, empty_f, empty_f)
    offer = np.concatenate([p[0] for p in parts])
    need = np.concatenate([p[1] for p in parts])
    rule_idx = np.concatenate([np.full(p[0].size, p[2], dtype=np.intp) for p in parts])
    dist = np.concatenate([p[3] for p in parts])
    conf = np.concatenate([p[4] for p in parts])
    keep = table.actor[offer] != table.actor[need]
    offer, need, rule_idx, dist, conf = (a[keep] for a in (offer, need, rule_idx, dist, conf))
    score = _score(table, kb, offer, need, rule_idx, dist, conf)
    score *= _trade_term(actors, table, kb, need, rule_idx)
    return Candidates(offer, need, rule_idx, dist, conf, score)


def _offer_tree(actors: ActorTable, table: ResourceTable,
                offers: NDArray[np.intp]) -> cKDTree | None:
    """A k-d tree of the located offers' places (`_block` takes them in that order)."""
    located = actors.located[table.actor[offers]]
    return cKDTree(actors.xyz[table.actor[offers[located]]]) if located.any() else None


def _trade_term(actors: ActorTable, table: ResourceTable, kb: KnowledgeBase,
                need: NDArray[np.intp], rule: NDArray[np.intp]) -> NDArray[np.float64]:
    """1 when the receiver's trade is among the rule's usual takers or either is unknown
    (or the rule is a full substitute), 1 - OTHER_TRADE_PENALTY otherwise."""
    divisions = sorted({n for r in kb.rules for n in r.nace})
    column = {d: i for i, d in enumerate(divisions)}
    takes = np.zeros((len(kb.rules), len(divisions) + 1), dtype=bool)
    for i, r in enumerate(kb.rules):
        # A rule naming no usual taker fits every trade, and so does a full substitute
        # (fit 1: a class to itself, steam for heat, coal for a fuel): the receiver asked
        # for that very thing ("cold" for a gas plant), its trade need not be the one that
        # usually does.
        if r.nace and r.fit < FULL_FIT:
            takes[i, [column[n] for n in r.nace]] = True
        else:
            takes[i] = True
    # A trade no rule names reads the last column (True only for rules naming no taker).
    actor_column = np.array([column.get(n[:2], len(divisions)) for n in actors.naf],
                            dtype=np.intp)
    known_trade = np.array([len(n) >= 2 for n in actors.naf], dtype=bool)
    receiver = table.actor[need]
    fits = takes[rule, actor_column[receiver]] | ~known_trade[receiver]
    return np.where(fits, 1.0, 1.0 - OTHER_TRADE_PENALTY)


def _block(actors: ActorTable, table: ResourceTable, tree: cKDTree | None,
           offers: NDArray[np.intp], offer_conf: NDArray[np.float64],
           needs: NDArray[np.intp], need_conf: NDArray[np.float64], rule: int,
           chord: float, per_need: int, asking: NDArray[np.bool_],
           ) -> list[tuple[NDArray[np.intp], NDArray[np.intp], int, NDArray[np.float64],
                           NDArray[np.float64]]]:
    out = []
    offer_located = actors.located[table.actor[offers]]
    need_located = actors.located[table.actor[needs]]
    located_offers = offers[offer_located]
    located_conf = offer_conf[offer_located]
    querying = need_located & asking
    if tree is not None and querying.any():
        k = min(per_need, located_offers.size)
        dist, idx = nearest(tree, located_offers.size,
                            actors.xyz[table.actor[needs[querying]]], k, chord)
        found = np.isfinite(dist)
        rows = np.repeat(np.arange(idx.shape[0]), k).reshape(-1, k)[found]
        pos = idx[found]
        need_rows = needs[querying][rows]
        conf = np.minimum(located_conf[pos], need_conf[querying][rows])
        out.append((located_offers[pos], need_rows, rule, km_of_chord(dist[found]), conf))
    # Class alone: unlocated needs meet the surest offers; unlocated offers the surest needs.
    best_offers = np.argsort(-offer_conf, kind="stable")[:UNLOCATED_PARTNERS]
    lonely = np.flatnonzero(~need_located & asking)
    if lonely.size and best_offers.size:
        o = np.tile(best_offers, lonely.size)
        n = np.repeat(lonely, best_offers.size)
        out.append((offers[o], needs[n], rule, np.full(o.size, np.nan),
                    np.minimum(offer_conf[o], need_conf[n])))
    unlocated_offers = np.flatnonzero(~offer_located)
    located_needs = np.flatnonzero(need_located)
    if unlocated_offers.size and located_needs.size:
        best_needs = located_needs[np.argsort(-need_conf[located_needs], kind="stable")]
        best_needs = best_needs[:UNLOCATED_PARTNERS]
        best_needs = best_needs[asking[best_needs]]
        o = np.repeat(unlocated_offers, best_needs.size)
        n = np.tile(best_needs, unlocated_offers.size)
        out.append((offers[o], needs[n], rule, np.full(o.size, np.nan),
                    np.minimum(offer_conf[o], need_conf[n])))
    return out


def _score(table: ResourceTable, kb: KnowledgeBase, offer: NDArray[np.intp],
           need: NDArray[np.intp], rule: NDArray[np.intp], dist: NDArray[np.float64],
           conf: NDArray[np.float64]) -> NDArray[np.float64]:
    fit = np.array([r.fit for r in kb.rules])[rule]
    dmax = np.array([r.max_km for r in kb.rules])[rule]
    with np.errstate(invalid="ignore", divide="ignore"):
        d_term = np.where(np.isnan(dist), UNKNOWN_DISTANCE_TERM,
                          1.0 / (1.0 + (dist / np.maximum(dmax, 0.1)) ** 2))
        # Units as integer codes: comparing strings a million times costs more.
        codes, names = pd.factorize(np.array(table.unit, dtype=object))
        units = codes.astype(np.intp)
        empty = names.tolist().index("") if "" in names.tolist() else -2
        same = (units[offer] == units[need]) & (units[offer] != empty)
        qo, qn = table.quantity[offer], table.quantity[need]
        comparable = same & np.isfinite(qo) & np.isfinite(qn) & (qn > 0)
        ratio = np.where(comparable, np.minimum(1.0, qo / np.where(qn > 0, qn, 1.0)), 0.0)
        q_term = np.where(comparable, ratio**0.3, UNKNOWN_QUANTITY_TERM)
        v_term = _stake_term(table, kb, offer, need, rule, units, names.tolist(), comparable)
    return (fit * (0.5 + 0.5 * conf) * (0.4 + 0.6 * d_term) * (0.6 + 0.4 * q_term)
            * (0.85 + 0.15 * v_term))


def _rule_stakes(kb: KnowledgeBase) -> tuple[NDArray[np.float64], NDArray[np.float64],
                                             NDArray[np.object_]]:
    """Per rule: typical euros and kg CO2e avoided per unit of `per` (NaN when unknown)."""
    fs = desnz_factors()
    value = np.array([np.nan if r.value_eur is None else r.value_eur for r in kb.rules])
    co2 = np.full(len(kb.rules), np.nan)
    for i, r in enumerate(kb.rules):
        if r.per == "t":
            used = [f.kgco2e for f in (fs.production.get(r.in_class), fs.disposal.get(r.out_class))
                    if f is not None]
            co2[i] = sum(used) if used else np.nan
        elif r.per == "MWh" and r.in_class in fs.energy:
            co2[i] = fs.energy[r.in_class].kgco2e / BOILER_EFFICIENCY
    return value, co2, np.array([r.per for r in kb.rules], dtype=object)


def _stake_term(table: ResourceTable, kb: KnowledgeBase, offer: NDArray[np.intp],
                need: NDArray[np.intp], rule: NDArray[np.intp], units: NDArray[np.intp],
                unit_names: list[str], comparable: NDArray[np.bool_]) -> NDArray[np.float64]:
    """What is at stake, euros plus CO2e valued at CARBON_PRICE, on a log scale in [0, 1].
    `units`: each resource's unit as its position in `unit_names`."""
    value, co2, per = _rule_stakes(kb)
    code = {name: i for i, name in enumerate(unit_names)}
    per_code = np.array([code.get(p, -3) for p in per.tolist()], dtype=np.intp)[rule]
    qo, qn = table.quantity[offer], table.quantity[need]
    q = np.where(comparable, np.minimum(qo, qn), np.where(np.isfinite(qo), qo, qn))
    in_unit = (units[offer] == per_code) | (units[need] == per_code)
    eur = np.nan_to_num(value[rule]) + np.nan_to_num(co2[rule]) / 1000.0 * CARBON_PRICE
    stake = np.where(in_unit & np.isfinite(q), eur * np.nan_to_num(q), np.nan)
    return np.where(np.isfinite(stake), np.clip(np.log10(1.0 + stake) / 6.0, 0.0, 1.0),
                    UNKNOWN_STAKE_TERM)
