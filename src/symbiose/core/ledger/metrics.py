"""The figures a ledger keeps per synergy and year, and the units each may be given in.

Physical quantities (mass, volume, energy) convert through pint (`nomenclature.units`);
CO2e, euros and jobs are not pint dimensions, so each has its short list of spellings.
A figure is never negative: a synergy that costs CO2e is recorded as what it avoids, and a
net loss is a question for the facilitator, not a number to store silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from symbiose.core.errors import SymbioseError
from symbiose.core.nomenclature.units import quantity_convert, unit_dimension, unit_normalize


class LedgerInputError(SymbioseError, ValueError):
    """A figure the ledger refuses; `field` names the input at fault ("value", "unit")."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Metric:
    key: str
    unit: str  # the unit it is stored and reported in
    dimension: str  # a pint dimension, or "" when `aliases` alone say the units
    aliases: tuple[tuple[str, float], ...] = ()  # spelling (folded) -> factor to `unit`


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("tonnes", "t", "mass"),
    Metric("co2e_t", "tCO2e", "", (("tco2e", 1.0), ("t", 1.0), ("teqco2", 1.0),
                                   ("kgco2e", 0.001), ("kgeqco2", 0.001), ("ktco2e", 1000.0))),
    Metric("eur", "EUR", "", (("eur", 1.0), ("€", 1.0), ("euro", 1.0), ("euros", 1.0),
                              ("keur", 1000.0), ("k€", 1000.0))),
    Metric("jobs", "FTE", "", (("fte", 1.0), ("etp", 1.0), ("job", 1.0), ("jobs", 1.0),
                               ("emploi", 1.0), ("emplois", 1.0), ("poste", 1.0))),
    Metric("water_m3", "m3", "volume"),
    Metric("energy_mwh", "MWh", "energy"),
    Metric("virgin_t", "t", "mass"),
)}


def _fold(unit: str) -> str:
    return unit.strip().lower().replace(" ", "").replace("₂", "2").replace("-", "")


def figure_normalise(metric: str, value: float, unit: str) -> float:
    """`value` `unit` in the metric's own unit; LedgerInputError saying what is wrong."""
    spec = METRICS.get(metric)
    if spec is None:
        raise LedgerInputError(f"unknown figure {metric!r}", field="metric")
    if value is None or not math.isfinite(value):
        raise LedgerInputError("the value is not a number", field="value")
    if value < 0:
        raise LedgerInputError(f"a negative value ({value}) cannot be recorded",
                               field="value")
    if spec.aliases:
        factors = dict(spec.aliases)
        folded = _fold(unit) or _fold(spec.unit)
        if folded not in factors:
            raise LedgerInputError(
                f"unit {unit!r} is not a unit of {spec.key} (use {spec.unit})", field="unit")
        return value * factors[folded]
    try:
        canonical = unit_normalize(unit or spec.unit)
        if unit_dimension(canonical) != spec.dimension:
            raise LedgerInputError(
                f"unit {unit!r} is not a unit of {spec.key} (use {spec.unit})", field="unit")
        return quantity_convert(value, canonical, spec.unit)
    except LedgerInputError:
        raise
    except SymbioseError as error:
        raise LedgerInputError(f"unit {unit!r} is not understood (use {spec.unit})",
                               field="unit") from error
