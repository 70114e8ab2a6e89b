"""The impact ledger's pure part: figures, their units, the current version of each, the
yearly totals with their confidence, the indicator set, and the engine's estimates.

    figure_normalise(metric, value, unit) -> float          # in the metric's own unit
    current_entries(entries) -> list[Entry]                  # the latest version of each
    yearly_totals(entries) -> dict[int, dict[str, Total]]
    total_of_parts(parts) -> Total | None                    # totals summed apart, added
    indicator_set(extra=None) -> tuple[Indicator, ...]       # the packaged YAML, plus extra
    estimate_figures(tonnes, class_id, distance_km) -> list[Estimate]
"""

from symbiose.core.ledger.estimate import Estimate, estimate_figures
from symbiose.core.ledger.indicators import Indicator, IndicatorError, indicator_set
from symbiose.core.ledger.metrics import METRICS, LedgerInputError, Metric, figure_normalise
from symbiose.core.ledger.totals import (
    Entry,
    Part,
    Total,
    current_entries,
    total_of_parts,
    yearly_totals,
)

__all__ = [
    "METRICS",
    "Entry",
    "Estimate",
    "Indicator",
    "IndicatorError",
    "LedgerInputError",
    "Metric",
    "Part",
    "Total",
    "current_entries",
    "estimate_figures",
    "figure_normalise",
    "indicator_set",
    "total_of_parts",
    "yearly_totals",
]
