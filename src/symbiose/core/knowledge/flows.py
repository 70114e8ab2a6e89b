"""Likely flows by activity: what an actor probably produces and needs, from its NAF code.

So that a territory sees potential synergies before any company visit, and a visit starts
from a pre-filled flow balance. The table is data (`data/flows_by_activity.yaml`) keyed by
NACE division, plus flows common to every employer; quantities scale with headcount.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from symbiose.core.bundle.records import ActorRecord, ResourceRecord
from symbiose.core.classes.vocabulary import resource_classes
from symbiose.core.errors import UnknownCodeError
from symbiose.core.knowledge.base import DATA_PACKAGE, KnowledgeError
from symbiose.core.nomenclature.naf import naf_lookup
from symbiose.core.yamldata import yaml_parse


@dataclass(frozen=True, slots=True)
class LikelyFlow:
    direction: str  # "out" or "in"
    class_id: str
    likelihood: float  # share of establishments of the activity that have this flow
    label: str  # French, as a flow balance would say it
    ewc: str
    unit: str
    quantity: float | None  # per year, for the headcount given; None when unknown
    common: bool  # a flow of every employer rather than of this activity


def _flow(row: list[Any], common: bool) -> LikelyFlow:
    direction, class_id, likelihood, label, ewc, unit, per_employee = row
    if direction not in ("out", "in") or class_id not in resource_classes():
        raise KnowledgeError(f"flows_by_activity: bad flow {row!r}")
    return LikelyFlow(str(direction), str(class_id), float(likelihood), str(label), str(ewc),
                      str(unit), None if per_employee is None else float(per_employee), common)


@cache
def _table() -> tuple[tuple[LikelyFlow, ...], Mapping[str, tuple[LikelyFlow, ...]]]:
    text = files(DATA_PACKAGE).joinpath("flows_by_activity.yaml").read_text(encoding="utf-8")
    data = yaml_parse(text)
    common = tuple(_flow(row, True) for row in data["common"])
    divisions = {
        str(division).zfill(2): tuple(_flow(row, False) for row in rows)
        for division, rows in data["divisions"].items()
    }
    return common, MappingProxyType(divisions)


def flows_by_division() -> Mapping[str, tuple[LikelyFlow, ...]]:
    """The activity-specific flows, keyed by NACE division ("10", "25"...)."""
    return _table()[1]


def likely_flows(naf: str, *, employees: int | None = None,
                 include_common: bool = True) -> list[LikelyFlow]:
    """Flows an actor of activity `naf` probably has, most likely first.

    `naf` is a NAF sub-class, a NACE class or a bare division ("10"); an unknown code gives
    the common flows only. With `employees`, quantities are yearly estimates for that
    headcount; without, they are per employee.
    """
    division = naf.strip()[:2] if naf.strip()[:2].isdigit() and len(naf.strip()) == 2 else ""
    if not division:
        try:
            division = naf_lookup(naf).nace_division
        except UnknownCodeError:
            division = ""
    common, divisions = _table()
    flows = list(divisions.get(division, ()))
    if include_common:
        flows += [f for f in common if (f.direction, f.class_id) not in
                  {(g.direction, g.class_id) for g in flows}]
    if employees is not None:
        flows = [
            LikelyFlow(f.direction, f.class_id, f.likelihood, f.label, f.ewc, f.unit,
                       None if f.quantity is None else round(f.quantity * employees, 3),
                       f.common)
            for f in flows
        ]
    return sorted(flows, key=lambda f: (-f.likelihood, f.common))


def likely_resources(actors: Iterable[ActorRecord], *, year: int,
                     min_likelihood: float = 0.5) -> list[ResourceRecord]:
    """A pre-filled flow balance for actors known by their activity code only.

    Each actor with a NAF code gets the flows of its activity at least `min_likelihood`
    likely, as resource rows (quantities for its headcount when known), so that `match`
    can show the territory's potential synergies before any visit. `notes` says the row
    is a guess and how likely it is; ids are stable ("<actor>~likely~<n>").
    """
    rows: list[ResourceRecord] = []
    kinds = {cid: c.kind for cid, c in resource_classes().items()}
    for actor in actors:
        if not actor.naf:
            continue
        flows = [f for f in likely_flows(actor.naf, employees=actor.employees)
                 if f.likelihood >= min_likelihood]
        for n, flow in enumerate(flows):
            quantity = None
            if flow.quantity is not None and actor.employees is not None and flow.unit:
                quantity = Decimal(f"{flow.quantity:.4g}")
            rows.append(ResourceRecord(
                id=f"{actor.id}~likely~{n}", actor_id=actor.id, direction=flow.direction,
                label=flow.label, year=year, kind=kinds[flow.class_id], ewc=flow.ewc,
                quantity=quantity, unit=flow.unit if quantity is not None else "",
                resource_class=flow.class_id,
                notes=f"likely flow from activity {actor.naf} ({flow.likelihood:.0%})",
            ))
    return rows
