"""Impact estimates: tonnes diverted, CO2e avoided, euros saved, with every factor's source.

    desnz_factors() -> FactorSet                       # packaged, UK DESNZ 2025 (OGL v3)
    base_carbone_factors(path, mapping, base=None) -> FactorSet  # ADEME export overrides
    exchange_impact(out_class, in_class, quantity, unit, distance_km, factors=None) -> Impact
    euros_saved(exchanged, offered, needed, supplier_cost, receiver_cost, typical_value)
"""

from symbiose.core.impact.estimate import Impact, euros_saved, exchange_impact
from symbiose.core.impact.factors import (
    Factor,
    FactorError,
    FactorSet,
    base_carbone_factors,
    desnz_factors,
)

__all__ = [
    "Factor",
    "FactorError",
    "FactorSet",
    "Impact",
    "base_carbone_factors",
    "desnz_factors",
    "euros_saved",
    "exchange_impact",
]
