"""The engine's estimate of a kept synergy's yearly figures, each with its factors.

A material exchange of `tonnes` of class `class_id` is read as replacing the same class
of primary material (`impact.exchange_impact`): CO2e avoided = avoided production +
avoided disposal − transport, every factor named by its set and identifier. Virgin
material saved is the tonnage when the class has a production factor (a primary material
is replaced), else unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from symbiose.core.impact import FactorSet, desnz_factors, exchange_impact


@dataclass(frozen=True, slots=True)
class Estimate:
    metric: str
    value: float
    sources: tuple[str, ...]


def estimate_figures(tonnes: float | None, class_id: str, distance_km: float | None,
                     eur: float | None = None, factors: FactorSet | None = None
                     ) -> list[Estimate]:
    fs = desnz_factors() if factors is None else factors
    found: list[Estimate] = []
    if tonnes is None or tonnes != tonnes or tonnes <= 0:
        return found
    impact = exchange_impact(class_id, class_id, tonnes, "t", distance_km, fs)
    found.append(Estimate("tonnes", tonnes, ()))
    if impact.co2e_avoided_t is not None:
        found.append(Estimate("co2e_t", max(0.0, impact.co2e_avoided_t), impact.sources))
    production = fs.production.get(class_id)
    if production is not None:
        found.append(Estimate("virgin_t", tonnes, (production.source,)))
    if eur is not None and eur == eur and eur >= 0:
        found.append(Estimate("eur", eur, ()))
    return found
