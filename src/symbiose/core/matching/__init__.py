"""The matching engine: substitution, sharing and pooling proposals, explained.

    match(actors, resources, *, radius_km=50.0, top_k=3, min_score=0.2, knowledge=None,
          language="en") -> list[SynergyRecord]        # best first
    propose(...) -> list[Proposal]   # same, with each explanation's template and params
"""

from symbiose.core.matching.engine import MatchingError, Proposal, match, propose

__all__ = ["MatchingError", "Proposal", "match", "propose"]
