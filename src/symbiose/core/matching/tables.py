"""Actors and resources as arrays: what the matcher computes on.

Built once from the bundle's records; each resource is classified (cached per distinct
label, code and kind) and belongs to its class and to its plausible alternative classes,
each membership with its confidence, so that blocking can use all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from symbiose.core.bundle.records import ActorRecord, ResourceRecord
from symbiose.core.classes.vocabulary import resource_classes
from symbiose.core.classify.classifier import Classification
from symbiose.core.errors import SymbioseError
from symbiose.core.knowledge.activity import classify_as_actor
from symbiose.core.matching.spatial import unit_xyz
from symbiose.core.nomenclature.units import quantity_convert, unit_dimension

ALTERNATIVE_MIN_CONFIDENCE = 0.25
_PER_YEAR = {"year": 1.0, "month": 12.0, "week": 52.0, "day": 365.0}
# Quantities are compared in one unit per dimension; counts keep their own unit.
_BASE_UNIT = {"mass": "t", "volume": "m3", "energy": "MWh", "area": "m2", "time": "h",
              "length": "km"}


@dataclass(frozen=True, slots=True)
class ActorTable:
    ids: tuple[str, ...]
    names: tuple[str, ...]
    xyz: NDArray[np.float64]  # (n, 3), NaN rows where coordinates are missing
    located: NDArray[np.bool_]
    index: dict[str, int]
    naf: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ResourceTable:
    ids: tuple[str, ...]
    labels: tuple[str, ...]
    actor: NDArray[np.intp]
    is_out: NDArray[np.bool_]
    quantity: NDArray[np.float64]  # per year, in `unit`; NaN when unknown
    unit: tuple[str, ...]  # base unit of the dimension ("t", "MWh"...) or the count unit
    cost: NDArray[np.float64]  # euros per year paid today (disposal or purchase); NaN unknown
    classification: tuple[Classification, ...]
    # Memberships: resource row, class (index into CLASS_IDS), confidence; one for the
    # primary class and one per plausible alternative.
    m_resource: NDArray[np.intp]
    m_class: NDArray[np.intp]
    m_confidence: NDArray[np.float64]


def class_ids() -> tuple[str, ...]:
    """The order of classes that `ResourceTable.m_class` indexes."""
    return tuple(resource_classes())


def actor_table(actors: Iterable[ActorRecord]) -> ActorTable:
    rows = list(actors)
    lat = np.array([np.nan if a.lat is None else float(a.lat) for a in rows], dtype=float)
    lon = np.array([np.nan if a.lon is None else float(a.lon) for a in rows], dtype=float)
    xyz = unit_xyz(lat, lon) if rows else np.empty((0, 3))
    located: NDArray[np.bool_] = np.asarray(~np.isnan(xyz).any(axis=1), dtype=bool)
    return ActorTable(
        ids=tuple(a.id for a in rows),
        names=tuple(a.name or a.id for a in rows),
        xyz=xyz,
        located=located,
        index={a.id: i for i, a in enumerate(rows)},
        naf=tuple(a.naf or "" for a in rows),
    )


@lru_cache(maxsize=4096)
def _unit_factor(unit: str, period: str) -> tuple[float, str]:
    """Factor from (unit, period) to a yearly quantity in the dimension's base unit."""
    per_year = _PER_YEAR.get(period or "year", 1.0)
    try:
        base = _BASE_UNIT.get(unit_dimension(unit))
        if base is None:
            return per_year, unit
        return quantity_convert(per_year, unit, base), base
    except SymbioseError:
        return per_year, unit


def _annual_quantity(record: ResourceRecord) -> tuple[float, str]:
    if record.quantity is None or not record.unit:
        return float("nan"), record.unit
    factor, unit = _unit_factor(record.unit, record.period)
    return float(record.quantity) * factor, unit


def _classification(record: ResourceRecord, naf: str,
                    classes: Mapping[str, object]) -> Classification:
    """The engine's own reading, unless the record's class says otherwise: a class that
    differs from that reading was chosen by a person and is taken as certain, while one
    equal to it (written back by the engine) keeps the reading's confidence and
    alternatives."""
    found = classify_as_actor(record.label, record.ewc, record.kind, naf=naf,
                              direction=record.direction)
    given = record.resource_class
    if not given or given not in classes or given == found.class_id:
        return found
    return Classification(given, 1.0, "given")


def resource_table(resources: Iterable[ResourceRecord], actors: ActorTable) -> ResourceTable:
    """Resources whose actor is unknown are skipped (the bundle checker reports them)."""
    rows = [r for r in resources if r.actor_id in actors.index]
    classes = resource_classes()
    found = tuple(_classification(r, actors.naf[actors.index[r.actor_id]], classes)
                  for r in rows)
    quantities = [_annual_quantity(r) for r in rows]
    class_index = {cid: i for i, cid in enumerate(classes)}
    m_res: list[int] = []
    m_cls: list[int] = []
    m_conf: list[float] = []
    for i, c in enumerate(found):
        if not c.classified:
            continue
        m_res.append(i)
        m_cls.append(class_index[c.class_id])
        m_conf.append(c.confidence)
        for alt, conf in c.alternatives:
            if conf >= ALTERNATIVE_MIN_CONFIDENCE and alt != c.class_id:
                m_res.append(i)
                m_cls.append(class_index[alt])
                m_conf.append(conf)
    return ResourceTable(
        ids=tuple(r.id for r in rows),
        labels=tuple(r.label for r in rows),
        actor=np.array([actors.index[r.actor_id] for r in rows], dtype=np.intp),
        is_out=np.array([r.direction == "out" for r in rows], dtype=bool),
        quantity=np.array([q for q, _ in quantities], dtype=float),
        unit=tuple(u for _, u in quantities),
        cost=np.array([np.nan if r.cost_eur is None else float(r.cost_eur) for r in rows],
                      dtype=float),
        classification=found,
        m_resource=np.array(m_res, dtype=np.intp),
        m_class=np.array(m_cls, dtype=np.intp),
        m_confidence=np.array(m_conf, dtype=float),
    )
