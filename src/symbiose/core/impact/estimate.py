"""Impact of one exchange: tonnes diverted, CO2e avoided, euros saved.

    CO2e avoided = avoided production + avoided disposal - transport        (kg -> t)
      avoided production = q * production factor of the input class (the substitute
                           replaces primary material; 0 when the class has none)
      avoided disposal   = q * landfill factor of the output class (conservative baseline:
                           the waste would otherwise be landfilled)
      transport          = q * distance * HGV factor (road, average laden)
    For recovered energy (MWh): q * factor of the fuel replaced / boiler efficiency, no
    transport (a pipe or a cable). Euros: what both parties stop paying, in proportion of
    the quantity exchanged (the supplier's disposal cost, the receiver's purchase cost),
    else the knowledge base's typical value times the quantity.
"""

from __future__ import annotations

from dataclasses import dataclass

from symbiose.core.impact.factors import FactorSet, desnz_factors

BOILER_EFFICIENCY = 0.9
_HEAT_CLASSES = frozenset({"heat", "steam"})


@dataclass(frozen=True, slots=True)
class Impact:
    tonnes_diverted: float | None
    co2e_avoided_t: float | None
    sources: tuple[str, ...]  # every factor used, as "set identifier: label"


def exchange_impact(out_class: str, in_class: str, quantity: float | None, unit: str,
                    distance_km: float | None, factors: FactorSet | None = None) -> Impact:
    """Impact of `quantity` `unit` of `out_class` replacing `in_class` over `distance_km`."""
    fs = desnz_factors() if factors is None else factors
    if quantity is None or quantity != quantity or quantity <= 0:
        return Impact(None, None, ())
    if unit == "MWh":
        fuel = fs.energy.get(in_class if in_class in fs.energy else out_class)
        if fuel is None:
            return Impact(None, None, ())
        efficiency = BOILER_EFFICIENCY if in_class in _HEAT_CLASSES else 1.0
        return Impact(None, quantity * fuel.kgco2e / efficiency / 1000.0, (fuel.source,))
    if unit != "t":
        return Impact(None, None, ())
    production = fs.production.get(in_class)
    disposal = fs.disposal.get(out_class)
    used = [f for f in (production, disposal) if f is not None]
    if not used:
        return Impact(quantity, None, ())
    kg = sum(f.kgco2e for f in used) * quantity
    if fs.transport is not None and distance_km is not None and distance_km == distance_km:
        kg -= quantity * distance_km * fs.transport.kgco2e
        used.append(fs.transport)
    return Impact(quantity, kg / 1000.0, tuple(f.source for f in used))


def euros_saved(exchanged: float | None, offered: float | None, needed: float | None,
                supplier_cost: float | None, receiver_cost: float | None,
                typical_value: float | None) -> float | None:
    """Yearly euros both parties stop paying, all together; None when nothing is known."""
    total = 0.0
    known = False
    for cost, whole in ((supplier_cost, offered), (receiver_cost, needed)):
        if cost is None or cost != cost:
            continue
        share = 1.0
        if exchanged is not None and whole is not None and whole == whole and whole > 0:
            share = min(1.0, exchanged / whole)
        total += cost * share
        known = True
    if known:
        return total
    if typical_value is not None and exchanged is not None and exchanged == exchanged:
        return typical_value * exchanged
    return None
