"""The territory map as a reader may see it.

Actors' names and places are the directory, which members see; deposits (outputs in
tonnes) come only from lines the reader may read with their actor's identity: all of
them for a facilitator (private ones audited), a member's own and the others' public
lines. Anonymous lines are never placed exactly, private lines of others never. An
observer has no map: it sees aggregates only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from symbiose.core.classes import UNCLASSIFIED, families
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.audit.services import audit_private_reads
from symbiose.web.dashboard import selectors, tonnage
from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.visibility import VisibleProposal, proposal_list_visible
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.labels import family_label
from symbiose.web.territory.models import Actor, Resource
from symbiose.web.territory.visibility import identified_lines_filter

# Marker colours by kind of actor, shared by the legend and the map.
KIND_COLOURS = {
    Actor.Kind.COMPANY: "#3465a4",
    Actor.Kind.FARM: "#4e9a06",
    Actor.Kind.HEALTH: "#cc0000",
    Actor.Kind.PUBLIC: "#75507b",
    Actor.Kind.ASSOCIATION: "#f57900",
    Actor.Kind.INSERTION: "#c4a000",
    Actor.Kind.OTHER: "#555753",
}
# A read of the same private lines by the same reader within this time is not recorded
# again (see `_audit`).
AUDIT_REPEAT_WINDOW = timedelta(hours=1)
COORDINATE_DIGITS = 5  # about one metre: enough for a marker, and a compact answer


@dataclass(frozen=True)
class MapQuery:
    zone_id: int | None = None
    family: str | None = None
    proposal_id: int | None = None


def map_kinds() -> list[tuple[str, str, str]]:
    """(code, label, colour) of each kind, for the legend."""
    return [(kind.value, str(kind.label), KIND_COLOURS[kind]) for kind in Actor.Kind]


def map_families() -> list[tuple[str, str]]:
    """(id, label) of every family a deposit may belong to, "not yet classified" last."""
    return [(fid, family_label(fid)) for fid in (*families(), UNCLASSIFIED)]


def _readable_lines(viewer: Viewer, year: int | None) -> QuerySet[Resource]:
    """The year's lines the viewer may read with their actor's identity."""
    return Resource.objects.filter(actor__territory=viewer.territory, year=year or 0,
                                   ).filter(identified_lines_filter(viewer))


def _round(value: Decimal | float) -> float:
    return round(float(value), COORDINATE_DIGITS)


def map_data_visible(*, viewer: Viewer, query: MapQuery) -> dict[str, Any]:
    """The map's data, compact: arrays rather than objects (see `dashboard/map.js`)."""
    if viewer.is_observer:
        raise NoAccess
    territory = viewer.territory
    year = selectors.latest_year(territory=territory)
    lines = _readable_lines(viewer, year)
    if query.zone_id is not None:
        lines = lines.filter(actor__zone_id=query.zone_id)
    if query.family:
        lines = lines.filter(tonnage.family_filter(query.family))
    actors = selectors.map_actors(territory=territory, zone_id=query.zone_id,
                                  with_lines=lines if query.family else None)
    kinds = [code for code, _, _ in map_kinds()]
    family_ids = [fid for fid, _ in map_families()]
    placed: dict[int, int] = {}
    actor_rows: list[list[Any]] = []
    unplaced = 0
    for pk, external_id, name, kind, lat, lon in actors:
        if lat is None or lon is None:
            unplaced += 1
            continue
        placed[pk] = len(actor_rows)
        kind_index = kinds.index(kind) if kind in kinds else kinds.index(Actor.Kind.OTHER)
        actor_rows.append([external_id, name, kind_index, _round(lat), _round(lon)])
    deposits = selectors.map_deposits(lines=lines)
    _audit(viewer, {d.actor_id: d.private_lines for d in deposits
                    if d.private_lines and d.actor_id in placed})
    return {
        "year": year,
        "kinds": [[code, label, colour] for code, label, colour in map_kinds()],
        "families": [[fid, label] for fid, label in map_families()],
        "actors": actor_rows,
        "deposits": [
            [placed[d.actor_id], family_ids.index(d.family), round(d.tonnes, 1)]
            for d in deposits if d.actor_id in placed and d.family in family_ids
        ],
        "unplaced": unplaced,
        "proposal": _proposal(viewer, query.proposal_id),
    }


def _audit(viewer: Viewer, counts: dict[int, int]) -> None:
    """A deposit sums private lines: reading it from outside the actor is recorded.

    The map's data is fetched again on every reload and filter change, and each answer
    covers thousands of actors: the very same read (same reader, same actors with the same
    number of private lines) already recorded within AUDIT_REPEAT_WINDOW is not recorded
    again, so each actor's trail still shows who read its private lines on the map, without
    thousands of identical rows per page load. The memory of recorded reads is the cache,
    set only once the events are committed: when it forgets, the read is recorded again
    (more audit, never less).
    """

    outside = {pk: n for pk, n in counts.items() if not viewer.owns(pk)}
    if not outside:
        return
    where = gettext("map")
    digest = hashlib.sha256(repr(sorted(outside.items())).encode()).hexdigest()
    key = f"map-audit:{viewer.user.pk}:{viewer.territory.pk}:{where}:{digest}"
    if cache.get(key):
        return
    audit_private_reads(by=viewer.user, territory=viewer.territory, counts=outside,
                        where=where)
    timeout = int(AUDIT_REPEAT_WINDOW.total_seconds())
    transaction.on_commit(lambda: cache.set(key, True, timeout))


def _proposal(viewer: Viewer, proposal_id: int | None) -> dict[str, Any] | None:
    """The proposal as a line between its ends (pooling: each member to their centroid),
    with only the ends the viewer may see named and placed."""
    if proposal_id is None:
        return None
    found = proposal_list_visible(viewer=viewer, ids=[proposal_id])
    if not found:
        return None
    proposal: VisibleProposal = found[0]
    named = [side.external_id for side in proposal.sides if side.external_id is not None]
    points = selectors.actor_points(territory=viewer.territory, external_ids=named)
    places: list[tuple[float, float]] = []
    ends: list[list[Any]] = []
    for side in proposal.sides:
        if side.external_id is None or side.external_id not in points:
            continue
        lat, lon = points[side.external_id]
        places.append((_round(lat), _round(lon)))
        ends.append([_round(lat), _round(lon), side.name, side.external_id])
    lines: list[list[tuple[float, float]]] = []
    if proposal.type == Proposal.Type.POOLING and len(places) >= 2:
        centre = (round(sum(p[0] for p in places) / len(places), COORDINATE_DIGITS),
                  round(sum(p[1] for p in places) / len(places), COORDINATE_DIGITS))
        lines = [[place, centre] for place in places]
    elif len(places) >= 2:
        lines = [[places[0], places[1]]]
    return {
        "id": proposal.id,
        "type": str(Proposal.Type(proposal.type).label),
        "resource": proposal.resource,
        "explanation": proposal.explanation,
        "stage": str(Proposal.Stage(proposal.stage).label),
        "ends": ends,
        "hidden_ends": len(proposal.sides) - len(ends),
        "lines": lines,
    }
