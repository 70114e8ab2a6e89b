"""How precisely an unnamed actor may be described to a company member.

"An actor of sector H within 1 km" names the actor when it is the only transport company
near the reader: the directory lists every actor with its activity and place. A
description is therefore only as precise as K_MIN actors could fit: the distance band
widens until K_MIN actors of the sector lie within it, and a sector with fewer than
K_MIN actors in the territory is not said at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext

from symbiose.core.errors import UnknownCodeError
from symbiose.core.nomenclature.naf import naf_lookup
from symbiose.web.accounts import anonymise
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.labels import section_label
from symbiose.web.territory.models import Actor, Territory


@dataclass(frozen=True)
class Description:
    section: str | None  # the NACE section ("" unknown), None when it may not be said
    within_km: int | None


def naf_section(naf_code: str) -> str:
    """The NACE section letter of an activity code, "" when there is none or it is unknown."""
    try:
        return naf_lookup(naf_code).nace_section if naf_code else ""
    except UnknownCodeError:
        return ""


class Crowd:
    """The territory's actors other than the reader's own, by sector, with their distance
    to the reader's nearest own actor; read once per page that describes actors."""

    def __init__(self, *, territory: Territory, own_ids: frozenset[int]) -> None:
        rows = list(Actor.objects.filter(territory=territory)
                    .values_list("pk", "naf_code", "latitude", "longitude"))
        own = [(float(lat), float(lon)) for pk, _, lat, lon in rows
               if pk in own_ids and lat is not None and lon is not None]
        sections: dict[str, str] = {}
        self._where: dict[int, tuple[str, float | None]] = {}
        self._alike: dict[str, list[float]] = defaultdict(list)
        self._count: dict[str, int] = defaultdict(int)
        for pk, naf, lat, lon in rows:
            if pk in own_ids:
                continue
            section = sections.get(naf)
            if section is None:
                section = sections[naf] = naf_section(naf)
            km = None
            if own and lat is not None and lon is not None:
                km = min(anonymise.haversine_km(a, b, float(lat), float(lon)) for a, b in own)
                self._alike[section].append(km)
            self._where[pk] = (section, km)
            self._count[section] += 1

    def describe(self, actor_id: int) -> Description:
        section, km = self._where.get(actor_id, ("", None))
        if self._count[section] < anonymise.K_MIN:
            return Description(None, None)
        return Description(section, anonymise.crowd_distance_band(km, self._alike[section]))


def crowd_of(viewer: Viewer) -> Crowd:
    return Crowd(territory=viewer.territory, own_ids=frozenset(viewer.actor_ids))


def describe_anonymously(crowd: Crowd, actor_id: int) -> tuple[str, int | None]:
    """(sector in the reader's language, "" when it may not be said; within N km)."""
    found = crowd.describe(actor_id)
    if found.section is None:
        return "", None
    return section_label(found.section) or gettext("unknown sector"), found.within_km


def anonymous_name(sector: str, km: int | None) -> str:
    """How an unnamed actor is called: "an actor of sector “…” within N km"."""
    if not sector:
        return gettext("an actor of the territory")
    if km is None:
        return gettext("an actor of sector “%(sector)s”") % {"sector": sector}
    return gettext("an actor of sector “%(sector)s” within %(km)d km") % {
        "sector": sector, "km": km}
