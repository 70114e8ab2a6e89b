"""The classes an activity typically produces or needs: how an actor's NAF code informs
the reading of its labels.

A cement plant's "mineral additive", a paper mill's "fibre", a piggery's "feed": the same
words name different things in different trades. Two sources the engine already has say
what each trade handles: the likely flows by activity (`flows_by_activity.yaml`, both
directions) and the substitution rules' receiving divisions (what a division typically
takes in). Only the first two receiving divisions of a rule count: the rest are outlets
named for completeness, not what the trade is known for.
"""

from __future__ import annotations

from functools import cache

from symbiose.core.classify.classifier import Classification, classify
from symbiose.core.knowledge.base import knowledge_base
from symbiose.core.knowledge.flows import flows_by_division

DIRECTIONS = ("in", "out")
_RULE_DIVISIONS = 2


def division_of(naf: str) -> str:
    """The NACE division of a NAF sub-class, NACE class or division; "" when none."""
    digits = "".join(ch for ch in naf if ch.isdigit())
    return digits[:2] if len(digits) >= 2 else ""


@cache
def activity_classes(naf: str, direction: str) -> frozenset[str]:
    """Classes that actors of activity `naf` typically have in `direction` ("in"/"out")."""
    division = division_of(naf)
    if not division or direction not in DIRECTIONS:
        return frozenset()
    found = {flow.class_id for flow in flows_by_division().get(division, ())
             if flow.direction == direction}
    if direction == "in":
        found.update(rule.in_class for rule in knowledge_base().rules
                     if division in rule.nace[:_RULE_DIVISIONS])
    return frozenset(found)


def classify_as_actor(label: str, ewc: str = "", kind: str = "", *, naf: str = "",
                      direction: str = "") -> Classification:
    """A resource read with its actor's activity: the one reading the matcher, the command
    line and the pages share, so that a class stored by one is the class the others find."""
    return classify(label, ewc, kind, activity_classes(naf, direction), direction == "in")
