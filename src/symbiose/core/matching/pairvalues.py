"""The substitution and sharing proposals of the chosen pairs, field by field.

What a proposal says (quantity exchanged, CO2e avoided, euros saved, the explanation's
parameters) is computed for all the pairs at once with NumPy, as `estimate.exchange_impact`
and `estimate.euros_saved` compute it for one exchange, with the same floating-point
operations in the same order: a region's 100,000 pairs cost what a hundred did pair by
pair. The engine builds its `Proposal` objects from these lists, and the command line
writes its CSV cells from them without any object per proposal (see `cells`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import numpy as np
from numpy.typing import NDArray

from symbiose.core.classes.vocabulary import resource_classes
from symbiose.core.impact.estimate import _HEAT_CLASSES as HEAT_CLASSES
from symbiose.core.impact.estimate import BOILER_EFFICIENCY
from symbiose.core.impact.factors import FactorSet, desnz_factors
from symbiose.core.knowledge.base import KnowledgeBase
from symbiose.core.matching import explain
from symbiose.core.matching.pairs import Candidates
from symbiose.core.matching.tables import ActorTable, ResourceTable

SHARING_KINDS = frozenset({"equipment", "space", "skill"})


def decimal(value: float, places: int = 3) -> Decimal | None:
    """A figure as the output gives it: rounded to `places`, None for NaN."""
    if value != value:  # NaN
        return None
    if places == 0:
        return Decimal(round(float(value)))
    return Decimal(str(round(float(value), places)))


@dataclass(frozen=True, slots=True)
class PairValues:
    """One entry per chosen pair, in `select`'s order. NaN where a figure is unknown."""

    sharing: list[bool]
    supplier: list[int]  # actor rows
    receiver: list[int]
    offer: list[int]  # resource rows
    score: list[float]
    distance_km: list[float]
    quantity: list[float]  # exchanged, rounded as the output gives it
    unit: list[str]  # "" where the quantity is unknown
    co2e_avoided_t: list[float]
    eur_saved: list[float]
    params: dict[str, list[str]]  # the explanation's, by name in template order
    explanation: list[str]


def pair_values(actors: ActorTable, table: ResourceTable, kb: KnowledgeBase,
                chosen: Candidates, *, language: str,
                factors: FactorSet | None) -> PairValues:
    offer, need, rule = chosen.offer, chosen.need, chosen.rule
    supplier, receiver = table.actor[offer], table.actor[need]
    classes = resource_classes()
    sharing = np.array([classes[r.in_class].kind in SHARING_KINDS for r in kb.rules],
                       dtype=bool)[rule]
    located = actors.located[supplier] & actors.located[receiver]
    units = np.array(table.unit, dtype=object)
    quantity, unit = _exchanged(table, units, offer, need)
    distance = chosen.distance_km
    co2e = _co2e(kb, rule, quantity, unit, distance, factors)
    eur = _euros(table, kb, units, offer, need, rule, quantity, unit)
    sides = _read_by_activity(table, kb, offer.tolist(), need.tolist(), rule.tolist())
    params = _params(actors, table, kb, offer, need, rule, sharing, located, quantity, unit,
                     distance, chosen.confidence, sides, language)
    templates = [explain.SHARING if s else explain.SUBSTITUTION for s in sharing.tolist()]
    return PairValues(
        sharing=sharing.tolist(), supplier=supplier.tolist(), receiver=receiver.tolist(),
        offer=offer.tolist(), score=chosen.score.tolist(), distance_km=distance.tolist(),
        quantity=quantity.tolist(), unit=np.where(np.isnan(quantity), "", unit).tolist(),
        co2e_avoided_t=co2e.tolist(), eur_saved=eur.tolist(), params=params,
        explanation=explain.render_columns(templates, params, language))


def _exchanged(table: ResourceTable, units: NDArray[np.object_], offer: NDArray[np.intp],
               need: NDArray[np.intp]) -> tuple[NDArray[np.float64], NDArray[np.object_]]:
    """The quantity exchanged (the smaller of both in the same unit, else the one known),
    rounded to the output's 3 places (NaN: unknown), and its unit."""
    qo, qn = table.quantity[offer], table.quantity[need]
    uo, un = units[offer], units[need]
    known_o, known_n = ~np.isnan(qo), ~np.isnan(qn)
    both = (uo == un) & known_o & known_n
    # min(qo, qn) as Python gives it: qo unless qn is smaller.
    q = np.where(both, np.where(qn < qo, qn, qo),
                 np.where(known_o, qo, np.where(known_n, qn, np.nan)))
    unit = np.where(both | known_o, uo, np.where(known_n, un, ""))
    rounded = np.array([round(x, 3) for x in q.tolist()], dtype=float)
    return rounded, unit


def _co2e(kb: KnowledgeBase, rule: NDArray[np.intp], quantity: NDArray[np.float64],
          unit: NDArray[np.object_], distance: NDArray[np.float64],
          factors: FactorSet | None) -> NDArray[np.float64]:
    """`estimate.exchange_impact(...).co2e_avoided_t` of every pair (NaN: None)."""
    fs = desnz_factors() if factors is None else factors
    fuel_kg = np.full(len(kb.rules), np.nan)
    efficiency = np.ones(len(kb.rules))
    material_kg = np.full(len(kb.rules), np.nan)
    for i, r in enumerate(kb.rules):
        fuel = fs.energy.get(r.in_class if r.in_class in fs.energy else r.out_class)
        if fuel is not None:
            fuel_kg[i] = fuel.kgco2e
            efficiency[i] = BOILER_EFFICIENCY if r.in_class in HEAT_CLASSES else 1.0
        used = [f for f in (fs.production.get(r.in_class), fs.disposal.get(r.out_class))
                if f is not None]
        if used:
            material_kg[i] = sum(f.kgco2e for f in used)
    with np.errstate(invalid="ignore"):
        positive = quantity > 0
        energy = quantity * fuel_kg[rule] / efficiency[rule] / 1000.0
        kg = material_kg[rule] * quantity
        if fs.transport is not None:
            kg = np.where(np.isnan(distance), kg,
                          kg - quantity * distance * fs.transport.kgco2e)
    return np.where(positive & (unit == "MWh"), energy,
                    np.where(positive & (unit == "t"), kg / 1000.0, np.nan))


def _euros(table: ResourceTable, kb: KnowledgeBase, units: NDArray[np.object_],
           offer: NDArray[np.intp], need: NDArray[np.intp], rule: NDArray[np.intp],
           quantity: NDArray[np.float64], unit: NDArray[np.object_]) -> NDArray[np.float64]:
    """`estimate.euros_saved` of every pair as the engine calls it (NaN: None)."""
    same_unit = (units[offer] == units[need]) & (units[offer] == unit)
    exchanged = np.where(same_unit, quantity, np.nan)
    total = np.zeros(offer.size)
    known = np.zeros(offer.size, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        for cost, whole in ((table.cost[offer], table.quantity[offer]),
                            (table.cost[need], table.quantity[need])):
            has_cost = ~np.isnan(cost)
            shared = ~np.isnan(exchanged) & (whole > 0)
            ratio = exchanged / whole
            share = np.where(shared, np.where(ratio < 1.0, ratio, 1.0), 1.0)
            total = total + np.where(has_cost, cost * share, 0.0)
            known |= has_cost
        per = np.array([r.per for r in kb.rules], dtype=object)[rule]
        value = np.array([np.nan if r.value_eur is None else r.value_eur
                          for r in kb.rules])[rule]
        typical = np.where(unit == per, value, np.nan) * exchanged
    return np.where(known, total, typical)


def _read_by_activity(table: ResourceTable, kb: KnowledgeBase, offer: list[int],
                      need: list[int], rule: list[int]) -> list[str]:
    """Which side, if any, the actor's activity decided the reading of ("need", "offer")."""
    found = table.classification
    sides = []
    for o, n, r in zip(offer, need, rule, strict=True):
        side = ""
        need_reading, offer_reading = found[n], found[o]
        if need_reading.by_activity and need_reading.class_id == kb.rules[r].in_class:
            side = "need"
        elif offer_reading.by_activity and offer_reading.class_id == kb.rules[r].out_class:
            side = "offer"
        sides.append(side)
    return sides


def _params(actors: ActorTable, table: ResourceTable, kb: KnowledgeBase,
            offer: NDArray[np.intp], need: NDArray[np.intp], rule: NDArray[np.intp],
            sharing: NDArray[np.bool_], located: NDArray[np.bool_],
            quantity: NDArray[np.float64], unit: NDArray[np.object_],
            distance: NDArray[np.float64], confidence: NDArray[np.float64],
            sides: list[str], language: str) -> dict[str, list[str]]:
    """The explanation's parameters of every pair, each part worked out once per
    distinct value (labels, caveats and processes repeat over thousands of pairs)."""
    process = [r.process_fr if language == "fr" else r.process_en for r in kb.rules]

    @cache
    def amount(quantity: float, unit: str) -> str:
        return explain.amount(quantity, unit, language)

    @cache
    def caveats(confidence: float, located: bool, side: str) -> str:
        return explain.caveats(confidence, located, language, side)

    amounts = [amount(q, u) for q, u in zip(quantity.tolist(), unit.tolist(), strict=True)]
    return {
        "supplier": _spread(actors.names, table.actor[offer]),
        "receiver": _spread(actors.names, table.actor[need]),
        "offer": _shorts(table.labels, offer, language),
        "need": _shorts(table.labels, need, language),
        "process": _spread(process, rule),
        "where": explain.where_all(distance.tolist(), explain.WHERE_KM, language),
        "amount": ["" if shares else text
                   for shares, text in zip(sharing.tolist(), amounts, strict=True)],
        "caveats": [caveats(c, both, side) for c, both, side in zip(
            confidence.tolist(), located.tolist(), sides, strict=True)],
    }


def _spread(values: Sequence[str], rows: NDArray[np.intp]) -> list[str]:
    """`values[row]` for each row."""
    return np.asarray(values, dtype=object)[rows].tolist()


def _shorts(labels: Sequence[str], rows: NDArray[np.intp], language: str) -> list[str]:
    """`explain.short` of each row's label, once per distinct row."""
    distinct, inverse = np.unique(rows, return_inverse=True)
    return _spread([explain.short(labels[r], language) for r in distinct.tolist()],
                   inverse.reshape(-1))
