"""The matching engine: substitution, sharing and pooling proposals, explained.

    match(actors, resources, *, radius_km=50.0, top_k=3, min_score=0.2, knowledge=None,
          language="en") -> list[SynergyRecord]        # best first
    propose(...) -> list[Proposal]   # same, with each explanation's template and params
    propose_tables(actor_table, resource_table, ...) -> list[Proposal]   # tables built
    match_columns(bundle_columns, ...) -> list[SynergyRecord]   # a clean bundle's columns
    propose_tiled(actor_table, resource_table, runner=..., tiles=N, ...) -> list[Proposal]
        # the same, tile by tile through a runner (a Dask client: symbiose.cluster)
    cells.propose_cells(actor_table, resource_table, ...) -> SynergyCells
        # the same rows as CSV cells, column by column (what `symbiose match` writes)
"""

from symbiose.core.matching.columnar import match_columns
from symbiose.core.matching.engine import MatchingError, Proposal, match, propose, propose_tables
from symbiose.core.matching.tiled import propose_tiled

__all__ = ["MatchingError", "Proposal", "match", "match_columns", "propose", "propose_tables",
           "propose_tiled"]
