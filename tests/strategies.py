"""Hypothesis strategies for the records a territory bundle holds.

Shared by the property tests that need territories: the bundle round trip (any valid
records written then read back are the same records) and the matching engine (any small
territory matches without error, best first). Values are valid as a bundle's cells are
after validation: codes in their stored form, units canonical, decimals as written.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from symbiose.core.bundle import ActorRecord, ResourceRecord
from symbiose.core.bundle.records import (
    ACTOR_KINDS,
    CONFIDENTIALITIES,
    DIRECTIONS,
    ENGAGEMENTS,
    PERIODS,
    RESOURCE_KINDS,
)

# Words a facilitator's spreadsheet holds, and any text besides (accents, punctuation,
# a leading "=" a spreadsheet would read as a formula).
WORDS = st.sampled_from([
    "Palettes bois", "Cartons", "Chaleur fatale", "Chaleur", "Formation SST", "DEEE",
    "Biodéchets", "Méthaniseur", "Nacelle", "Covoiturage", "Chutes d'acier", "Lactosérum",
    "Boues de STEP", "Eau de process", "=SOMME(A1)", "xqzt",
])
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl",
                                                                          "Zp")),
               min_size=1, max_size=40).map(str.strip).filter(bool)
LABELS = WORDS | TEXT
NAF_CODES = st.sampled_from(["", "10.51A", "16.10A", "20.14Z", "24.53Z", "38.11Z",
                             "01.50Z", "49.41A", "84.11Z"])
EWC_CODES = st.sampled_from(["", "150103", "150101", "200108", "101008", "160213"])
UNITS = st.sampled_from(["", "t", "kg", "MWh", "m3", "unit", "L"])
IDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)


def _decimal(low: int, high: int, places: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=low, max_value=high, places=places, allow_nan=False,
                       allow_infinity=False).map(lambda d: d.normalize() if d else Decimal(0))


def actor_records(ids: st.SearchStrategy[str] = IDS, *,
                  located: bool | None = None) -> st.SearchStrategy[ActorRecord]:
    """An actor; `located` True or False forces coordinates or none (None: either)."""
    coordinates = st.tuples(_decimal(-89, 89, 4), _decimal(-179, 179, 4))
    place = (coordinates if located else st.just((None, None)) if located is False
             else st.none() | coordinates)
    return st.builds(
        lambda id_, name, place_, **more: ActorRecord(
            id=id_, name=name, lat=place_[0] if place_ else None,
            lon=place_[1] if place_ else None, **more),
        ids, TEXT, place, naf=NAF_CODES, kind=st.sampled_from(("", *ACTOR_KINDS)),
        commune=st.just("") | TEXT, zone=st.just("") | TEXT,
        employees=st.none() | st.integers(min_value=0, max_value=100_000),
        engagement=st.sampled_from(("", *ENGAGEMENTS)),
    )


def resource_records(actor_ids: list[str], *, year: int = 2026
                     ) -> st.SearchStrategy[ResourceRecord]:
    """A line of one of these actors, with its own id."""
    return st.builds(
        ResourceRecord, id=IDS, actor_id=st.sampled_from(actor_ids),
        direction=st.sampled_from(DIRECTIONS), label=LABELS, year=st.just(year),
        kind=st.sampled_from(("", *RESOURCE_KINDS)), ewc=EWC_CODES,
        quantity=st.none() | _decimal(0, 10**9, 3), unit=UNITS,
        period=st.sampled_from(PERIODS), cost_eur=st.none() | _decimal(0, 10**7, 2),
        confidentiality=st.sampled_from(CONFIDENTIALITIES),
        notes=st.just("") | TEXT,
    )


@st.composite
def territories(draw: st.DrawFn, *, max_actors: int = 6, max_resources: int = 25,
                located: bool | None = None
                ) -> tuple[list[ActorRecord], list[ResourceRecord]]:
    """Actors with distinct ids, and lines of theirs with distinct (id, year)."""
    actors = draw(st.lists(actor_records(located=located), min_size=1, max_size=max_actors,
                           unique_by=lambda a: a.id))
    resources = draw(st.lists(resource_records([a.id for a in actors]),
                              max_size=max_resources, unique_by=lambda r: (r.id, r.year)))
    return actors, resources
