"""The engine over a room's cards: which have of one participant may meet which want of
another. Each card is read as if it were a site of its own (its company's place and
activity), so that each proposal the engine makes names the two cards it joins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from symbiose.core.bundle.records import ActorRecord, ResourceRecord
from symbiose.core.matching.engine import match

# A room gathers neighbours: the distance should not hide a pair the companies may
# discuss; the engine still scores a far pair lower.
ROOM_RADIUS_KM = 150.0
SUPPLIERS_PER_WANT = 5
SUBSTITUTION = "substitution"


@dataclass(frozen=True)
class RoomCard:
    """A confirmed card of the room, with what the engine needs of its company."""

    card_id: int
    participant_id: int
    company: str
    side: str  # "out" (have) or "in" (want)
    label: str
    resource_class: str
    kind: str
    quantity: Decimal | None
    unit: str
    year: int
    naf: str
    lat: Decimal | None
    lon: Decimal | None


@dataclass(frozen=True)
class CardPair:
    have_id: int
    want_id: int
    score: Decimal | None
    explanation: str


def _site(card: RoomCard) -> ActorRecord:
    return ActorRecord(id=f"c{card.card_id}", name=card.company, naf=card.naf,
                       lat=card.lat, lon=card.lon)


def _line(card: RoomCard) -> ResourceRecord:
    return ResourceRecord(id=f"r{card.card_id}", actor_id=f"c{card.card_id}",
                          direction=card.side, label=card.label, year=card.year,
                          kind=card.kind, quantity=card.quantity, unit=card.unit,
                          resource_class=card.resource_class)


def room_pairs(cards: Iterable[RoomCard], *, language: str = "fr") -> list[CardPair]:
    """The substitution pairs among the cards, best first; never two cards of one
    participant (a company does not meet itself)."""
    room = list(cards)
    if not any(c.side == "out" for c in room) or not any(c.side == "in" for c in room):
        return []
    owner = {c.card_id: c.participant_id for c in room}
    found = match([_site(c) for c in room], [_line(c) for c in room],
                  radius_km=ROOM_RADIUS_KM, top_k=SUPPLIERS_PER_WANT, language=language)
    pairs: dict[tuple[int, int], CardPair] = {}
    for record in found:
        if record.type != SUBSTITUTION or not record.supplier_id or not record.receiver_id:
            continue
        have, want = int(record.supplier_id[1:]), int(record.receiver_id[1:])
        if owner.get(have) is None or owner.get(have) == owner.get(want):
            continue
        pairs.setdefault((have, want), CardPair(have, want, record.score,
                                                record.explanation))
    return list(pairs.values())
