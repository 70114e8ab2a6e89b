"""Substitution knowledge base and the receiving sectors it implies.

    knowledge_base() -> KnowledgeBase            # packaged rules, each with its source
    load_knowledge(extra=None) -> KnowledgeBase  # packaged + a territory's YAML file
    receivers(ewc="", label="", top=5, from_naf="") -> list[Receiver]  # likely receiving
        # NACE divisions, from the class's rules, the EWC code and the provider's activity
        # (receivers.yaml)
    receivers_csv(found) -> str    # "nace_division,score,explanation" lines, best first
    likely_flows(naf, employees=None) -> list[LikelyFlow]  # flows guessed from activity
    likely_resources(actors, year=..., min_likelihood=0.5) -> list[ResourceRecord]
    activity_classes(naf, direction) -> frozenset[str]  # what a trade typically handles
    classify_as_actor(label, ewc, kind, naf=, direction=) -> Classification
"""

from symbiose.core.knowledge.activity import activity_classes, classify_as_actor
from symbiose.core.knowledge.base import (
    KnowledgeBase,
    KnowledgeError,
    SubstitutionRule,
    build_knowledge,
    knowledge_base,
    load_knowledge,
)
from symbiose.core.knowledge.flows import (
    LikelyFlow,
    flows_by_division,
    likely_flows,
    likely_resources,
)
from symbiose.core.knowledge.receivers import Receiver, receivers, receivers_csv

__all__ = [
    "KnowledgeBase",
    "KnowledgeError",
    "LikelyFlow",
    "Receiver",
    "SubstitutionRule",
    "activity_classes",
    "build_knowledge",
    "classify_as_actor",
    "flows_by_division",
    "knowledge_base",
    "likely_flows",
    "likely_resources",
    "load_knowledge",
    "receivers",
    "receivers_csv",
]
