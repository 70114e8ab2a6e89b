"""The engine's tables built from a bundle's columns, without a Python object per row.

`tables.py` builds the same tables from records, one record at a time; here every
per-row step becomes a step per distinct value: a unit conversion per (unit, period),
a classification per (label, code, kind, activity classes), then NumPy spreads the answers
back over the rows. A region repeats a thousand labels over half a million rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from symbiose.core.bundle.columnar import ActorColumns, BundleColumns, ResourceColumns
from symbiose.core.bundle.records import SynergyRecord
from symbiose.core.classes.vocabulary import resource_classes
from symbiose.core.classify.classifier import Classification, classify
from symbiose.core.knowledge.activity import activity_classes
from symbiose.core.matching.engine import propose_tables
from symbiose.core.matching.spatial import unit_xyz
from symbiose.core.matching.tables import (
    ALTERNATIVE_MIN_CONFIDENCE,
    ActorTable,
    ResourceTable,
    _unit_factor,
)


def match_columns(bundle: BundleColumns, *, radius_km: float = 50.0, top_k: int = 3,
                  min_score: float = 0.2, language: str = "en") -> list[SynergyRecord]:
    """`match` on a clean bundle's columns (see `bundle.columnar`): the same proposals."""
    actors = actor_table_of(bundle.actors)
    table = resource_table_of(bundle.resources, actors)
    return [p.record for p in propose_tables(actors, table, radius_km=radius_km, top_k=top_k,
                                             min_score=min_score, language=language)]


def actor_table_of(columns: ActorColumns) -> ActorTable:
    """As `tables.actor_table` on the same actors."""
    ids = columns.ids.tolist()
    names = [name or actor_id for name, actor_id in zip(columns.names.tolist(), ids,
                                                        strict=True)]
    xyz = unit_xyz(columns.lat, columns.lon) if ids else np.empty((0, 3))
    located: NDArray[np.bool_] = np.asarray(~np.isnan(xyz).any(axis=1), dtype=bool)
    return ActorTable(ids=tuple(ids), names=tuple(names), xyz=xyz, located=located,
                      index={a: i for i, a in enumerate(ids)}, naf=tuple(columns.naf.tolist()))


def _groups(*columns: NDArray[Any]) -> tuple[NDArray[np.intp], list[tuple[Any, ...]]]:
    """Codes of each row's distinct combination of `columns`, and the combinations."""
    frame = pd.DataFrame({str(i): column for i, column in enumerate(columns)})
    codes = frame.groupby(list(frame.columns), sort=False, dropna=False).ngroup().to_numpy()
    first = np.unique(codes, return_index=True)[1]
    return codes.astype(np.intp), list(zip(*(column[first].tolist() for column in columns),
                                            strict=True))


def resource_table_of(columns: ResourceColumns, actors: ActorTable) -> ResourceTable:
    """As `tables.resource_table` on the same resources (every actor is known: the
    columnar reader refuses a bundle where one is not)."""
    actor = np.array([actors.index[a] for a in columns.actor_id.tolist()], dtype=np.intp)
    quantity, unit = _annual(columns)
    codes, readings = _classifications(columns, actors, actor)
    m_resource, m_class, m_confidence = _memberships(codes, readings)
    found = tuple(readings[c] for c in codes.tolist())
    return ResourceTable(
        ids=tuple(columns.ids.tolist()),
        labels=tuple(columns.label.tolist()),
        actor=actor,
        is_out=np.asarray(columns.direction == "out", dtype=bool),
        quantity=quantity,
        unit=unit,
        cost=columns.cost,
        classification=found,
        m_resource=m_resource,
        m_class=m_class,
        m_confidence=m_confidence,
    )


def _annual(columns: ResourceColumns) -> tuple[NDArray[np.float64], tuple[str, ...]]:
    """Quantities per year in the dimension's base unit, one conversion per (unit, period);
    NaN, and the unit as written, where the quantity or the unit is missing."""
    codes, pairs = _groups(columns.unit, columns.period)
    factors = np.empty(len(pairs))
    units = np.empty(len(pairs), dtype=object)
    for k, (unit, period) in enumerate(pairs):
        factors[k], units[k] = _unit_factor(unit, period) if unit else (np.nan, unit)
    quantity = columns.quantity * factors[codes]
    unit_of_row = units[codes]
    missing = np.isnan(columns.quantity) | (columns.unit == "")
    quantity[missing] = np.nan
    unit_of_row[missing] = columns.unit[missing]
    return quantity, tuple(unit_of_row.tolist())


def _classifications(columns: ResourceColumns, actors: ActorTable, actor: NDArray[np.intp]
                     ) -> tuple[NDArray[np.intp], list[Classification]]:
    """One `tables._classification` per distinct (label, code, kind, activity classes,
    given class): the codes of each row's reading, and the readings. The actor's activity
    counts only through the classes it makes typical, so rows of many activities share
    a reading."""
    naf = np.asarray(actors.naf, dtype=object)[actor] if len(actors.naf) else \
        np.empty(0, dtype=object)
    activity_codes, activities = _groups(naf, columns.direction)
    typical = [(activity_classes(naf_k, direction), direction == "in")
               for naf_k, direction in activities]
    typical_id = {classes: i for i, classes in enumerate(dict.fromkeys(typical))}
    activity = np.array([typical_id[t] for t in typical], dtype=np.intp)[activity_codes]
    codes, keys = _groups(columns.label, columns.ewc, columns.kind, activity,
                          columns.resource_class)
    sets = list(typical_id)
    classes = resource_classes()
    found: list[Classification] = []
    for label, ewc, kind, activity_k, given in keys:
        reading = classify(label, ewc, kind, *sets[activity_k])
        if given and given in classes and given != reading.class_id:
            reading = Classification(given, 1.0, "given")
        found.append(reading)
    return codes, found


def _memberships(codes: NDArray[np.intp], found: list[Classification]
                 ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Each resource's class and plausible alternatives, in `tables.resource_table`'s
    order (by resource, the class first): listed once per distinct reading, then spread
    over the rows that have it."""
    class_index = {cid: i for i, cid in enumerate(resource_classes())}
    cls: list[int] = []
    conf: list[float] = []
    count = np.zeros(len(found), dtype=np.intp)
    for k, c in enumerate(found):
        if not c.classified:
            continue
        before = len(cls)
        cls.append(class_index[c.class_id])
        conf.append(c.confidence)
        for alt, alt_conf in c.alternatives:
            if alt_conf >= ALTERNATIVE_MIN_CONFIDENCE and alt != c.class_id:
                cls.append(class_index[alt])
                conf.append(alt_conf)
        count[k] = len(cls) - before
    start = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.intp)
    per_row = count[codes]
    m_resource = np.repeat(np.arange(codes.size, dtype=np.intp), per_row)
    row_start = np.concatenate(([0], np.cumsum(per_row)[:-1])).astype(np.intp)
    within = np.arange(m_resource.size, dtype=np.intp) - np.repeat(row_start, per_row)
    flat = start[codes][m_resource] + within if m_resource.size else within
    return (m_resource, np.asarray(cls, dtype=np.intp)[flat],
            np.asarray(conf, dtype=float)[flat])
