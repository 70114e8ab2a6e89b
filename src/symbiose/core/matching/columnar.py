"""The engine's tables built from a bundle's columns, without a Python object per row.

`tables.py` builds the same tables from records, one record at a time; here every
per-row step becomes a step per distinct value: a unit conversion per (unit, period),
a classification per (label, code, kind, activity classes), then NumPy spreads the answers
back over the rows. A region repeats a thousand labels over half a million rows.
"""

from __future__ import annotations

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


def _groups(*columns: NDArray[np.object_]) -> tuple[NDArray[np.intp], pd.DataFrame]:
    """Codes of each row's distinct combination of `columns`, and the combinations."""
    frame = pd.DataFrame({str(i): column for i, column in enumerate(columns)})
    codes = frame.groupby(list(frame.columns), sort=False, dropna=False).ngroup().to_numpy()
    first = np.unique(codes, return_index=True)[1]
    return codes.astype(np.intp), frame.iloc[first].reset_index(drop=True)


def resource_table_of(columns: ResourceColumns, actors: ActorTable) -> ResourceTable:
    """As `tables.resource_table` on the same resources (every actor is known: the
    columnar reader refuses a bundle where one is not)."""
    actor = np.array([actors.index[a] for a in columns.actor_id.tolist()], dtype=np.intp)
    quantity, unit = _annual(columns)
    found = _classifications(columns, actors, actor)
    m_resource, m_class, m_confidence = _memberships(found)
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
    for k, (unit, period) in enumerate(pairs.itertuples(index=False)):
        factors[k], units[k] = _unit_factor(unit, period) if unit else (np.nan, unit)
    quantity = columns.quantity * factors[codes]
    unit_of_row = units[codes]
    missing = np.isnan(columns.quantity) | (columns.unit == "")
    quantity[missing] = np.nan
    unit_of_row[missing] = columns.unit[missing]
    return quantity, tuple(unit_of_row.tolist())


def _classifications(columns: ResourceColumns, actors: ActorTable,
                     actor: NDArray[np.intp]) -> tuple[Classification, ...]:
    """One `tables._classification` per distinct (label, code, kind, naf, direction,
    given class), shared by every row that has it."""
    naf = np.asarray(actors.naf, dtype=object)[actor] if len(actors.naf) else \
        np.empty(0, dtype=object)
    codes, keys = _groups(columns.label, columns.ewc, columns.kind, naf, columns.direction,
                          columns.resource_class)
    classes = resource_classes()
    found: list[Classification] = []
    for label, ewc, kind, naf_k, direction, given in keys.itertuples(index=False):
        reading = classify(label, ewc, kind, activity_classes(naf_k, direction))
        if given and given in classes and given != reading.class_id:
            reading = Classification(given, 1.0, "given")
        found.append(reading)
    return tuple(found[c] for c in codes.tolist())


def _memberships(found: tuple[Classification, ...]
                 ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Each resource's class and plausible alternatives, in `tables.resource_table`'s
    order; computed once per distinct Classification object."""
    class_index = {cid: i for i, cid in enumerate(resource_classes())}
    cache: dict[int, tuple[list[int], list[float]]] = {}
    m_res: list[int] = []
    m_cls: list[int] = []
    m_conf: list[float] = []
    for i, c in enumerate(found):
        entry = cache.get(id(c))
        if entry is None:
            cls: list[int] = []
            conf: list[float] = []
            if c.classified:
                cls.append(class_index[c.class_id])
                conf.append(c.confidence)
                for alt, alt_conf in c.alternatives:
                    if alt_conf >= ALTERNATIVE_MIN_CONFIDENCE and alt != c.class_id:
                        cls.append(class_index[alt])
                        conf.append(alt_conf)
            entry = cache[id(c)] = (cls, conf)
        m_res.extend([i] * len(entry[0]))
        m_cls.extend(entry[0])
        m_conf.extend(entry[1])
    return (np.array(m_res, dtype=np.intp), np.array(m_cls, dtype=np.intp),
            np.array(m_conf, dtype=float))
