"""The engine's tables restricted to some rows, in the whole's order.

A tile is matched by the same engine as the whole, on these smaller tables; keeping the
rows' order (and the memberships' order) is what lets its sorts and tie-breaks agree with
the whole's.
"""

from __future__ import annotations

from operator import itemgetter
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from symbiose.core.matching.tables import ActorTable, ResourceTable

T = TypeVar("T")


def pick(values: tuple[T, ...], rows: NDArray[np.intp]) -> tuple[T, ...]:
    """values[rows], as a tuple (itemgetter walks the rows in C)."""
    if rows.size == 0:
        return ()
    if rows.size == 1:
        return (values[int(rows[0])],)
    return tuple(itemgetter(*rows.tolist())(values))


def slice_tables(actors: ActorTable, table: ResourceTable, actor_rows: NDArray[np.intp],
                 resource_rows: NDArray[np.intp]) -> tuple[ActorTable, ResourceTable]:
    """The tables of `actor_rows` and `resource_rows` (sorted; every resource's actor
    among the actors)."""
    actor_position = np.full(len(actors.ids), -1, dtype=np.intp)
    actor_position[actor_rows] = np.arange(actor_rows.size)
    ids = pick(actors.ids, actor_rows)
    sub_actors = ActorTable(
        ids=ids, names=pick(actors.names, actor_rows), xyz=actors.xyz[actor_rows],
        located=actors.located[actor_rows], index={a: i for i, a in enumerate(ids)},
        naf=pick(actors.naf, actor_rows))
    resource_position = np.full(len(table.ids), -1, dtype=np.intp)
    resource_position[resource_rows] = np.arange(resource_rows.size)
    memberships = np.flatnonzero(resource_position[table.m_resource] >= 0)
    sub_table = ResourceTable(
        ids=pick(table.ids, resource_rows),
        labels=pick(table.labels, resource_rows),
        actor=actor_position[table.actor[resource_rows]],
        is_out=table.is_out[resource_rows],
        quantity=table.quantity[resource_rows],
        unit=pick(table.unit, resource_rows),
        cost=table.cost[resource_rows],
        classification=pick(table.classification, resource_rows),
        m_resource=resource_position[table.m_resource[memberships]],
        m_class=table.m_class[memberships],
        m_confidence=table.m_confidence[memberships],
    )
    return sub_actors, sub_table
