"""The typed rows of a territory bundle (spec/territory-bundle.md), after validation.

Values are already normalised: codes in their stored form, units canonical, numbers as
Decimal so that export -> import -> export writes the same digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ACTOR_KINDS = ("company", "farm", "public", "health", "association", "insertion", "other")
ENGAGEMENTS = ("contacted", "engaged", "core_group", "ambassador")
DIRECTIONS = ("out", "in")
RESOURCE_KINDS = (
    "material", "energy", "water", "equipment", "service", "skill", "logistics", "space",
)
PERIODS = ("year", "month", "week", "day")
CONFIDENTIALITIES = ("private", "anonymous", "public")
SYNERGY_TYPES = ("substitution", "pooling", "sharing")


@dataclass(frozen=True, slots=True)
class ActorRecord:
    id: str
    name: str
    naf: str = ""
    kind: str = ""
    lat: Decimal | None = None
    lon: Decimal | None = None
    commune: str = ""
    zone: str = ""
    employees: int | None = None
    siret: str = ""
    address: str = ""
    engagement: str = ""


@dataclass(frozen=True, slots=True)
class ResourceRecord:
    """One thing an actor offers (`out`) or needs (`in`) for one year.

    `id` is the bundle's resource id when it has one; otherwise the reader derives a stable
    one from the actor, the direction and the label, so that re-importing the same
    spreadsheet updates rows in place instead of duplicating them.
    """

    id: str
    actor_id: str
    direction: str
    label: str
    year: int
    kind: str = ""
    ewc: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    period: str = "year"
    cost_eur: Decimal | None = None
    confidentiality: str = "private"
    resource_class: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class SynergyRecord:
    type: str
    actor_ids: tuple[str, ...]
    resource: str
    supplier_id: str = ""
    receiver_id: str = ""
    score: Decimal | None = None
    distance_km: Decimal | None = None
    quantity: Decimal | None = None
    unit: str = ""
    co2e_avoided_t: Decimal | None = None
    eur_saved: Decimal | None = None
    explanation: str = ""
