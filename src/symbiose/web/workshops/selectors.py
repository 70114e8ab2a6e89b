"""Reads of a workshop: the room's cards by theme, its pairs ranked by mutual interest,
a participant's own page, and the summary the exports write. Each read is a fixed
number of queries whatever the room's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from symbiose.web.workshops.models import (
    Card,
    Interest,
    KeptPair,
    Pair,
    Participant,
    Workshop,
    WorkshopTable,
)


@dataclass
class ThemeCards:
    theme: str
    host: str
    haves: list[Card] = field(default_factory=list)
    wants: list[Card] = field(default_factory=list)


@dataclass(frozen=True)
class PairRow:
    pair: Pair
    have: Card
    want: Card
    have_interest: int | None
    want_interest: int | None
    kept: bool

    @property
    def mutual(self) -> int:
        """Both sides' interest: the lower of the two first, a pair one side does not
        want goes nowhere however much the other wants it."""
        return min(self.have_interest or 0, self.want_interest or 0)

    @property
    def total(self) -> int:
        return (self.have_interest or 0) + (self.want_interest or 0)

    def rank_key(self) -> tuple[int, int, Decimal]:
        return (-self.mutual, -self.total, -(self.pair.score or Decimal(0)))


def workshop_participants(*, workshop: Workshop) -> list[Participant]:
    return list(workshop.participants.select_related("actor", "table").annotate(
        card_count=Count("cards", filter=Q(cards__status=Card.Status.CONFIRMED)),
        draft_count=Count("cards", filter=Q(cards__status=Card.Status.DRAFT))))


def room_cards(*, workshop: Workshop) -> list[ThemeCards]:
    """The confirmed cards, by the theme of their company's table (cards of companies
    without a table come last, under no theme)."""
    themes = {t.pk: ThemeCards(t.theme, t.host)
              for t in WorkshopTable.objects.filter(workshop=workshop)}
    loose = ThemeCards("", "")
    cards = (Card.objects.filter(workshop=workshop, status=Card.Status.CONFIRMED)
             .select_related("participant__actor").order_by("label", "id"))
    for card in cards:
        group = themes.get(card.participant.table_id or 0, loose)
        (group.haves if card.side == Card.Side.HAVE else group.wants).append(card)
    return [*themes.values(), *([loose] if loose.haves or loose.wants else [])]


def pairs_ranked(*, workshop: Workshop, participant_ids: set[int] | None = None
                 ) -> list[PairRow]:
    """The room's pairs, most mutually wanted first; only those concerning
    `participant_ids` when given."""
    pairs = Pair.objects.filter(workshop=workshop).select_related(
        "have__participant__actor", "want__participant__actor")
    if participant_ids is not None:
        pairs = pairs.filter(Q(have__participant_id__in=participant_ids)
                             | Q(want__participant_id__in=participant_ids))
    levels = {(i.participant_id, i.have_id, i.want_id): i.level
              for i in Interest.objects.filter(have__workshop=workshop)}
    kept = set(KeptPair.objects.filter(workshop=workshop).values_list("have_id", "want_id"))
    rows = [PairRow(pair=p, have=p.have, want=p.want,
                    have_interest=levels.get((p.have.participant_id, p.have_id, p.want_id)),
                    want_interest=levels.get((p.want.participant_id, p.have_id, p.want_id)),
                    kept=(p.have_id, p.want_id) in kept)
            for p in pairs]
    return sorted(rows, key=PairRow.rank_key)


def participant_cards(*, participant: Participant) -> dict[str, list[Card]]:
    """A participant's cards that are not withdrawn, drafts first, by side."""
    found: dict[str, list[Card]] = defaultdict(list)
    cards = participant.cards.exclude(status=Card.Status.WITHDRAWN).order_by(
        "-status", "label", "id")  # "draft" sorts after "confirmed": reversed
    for card in cards:
        found[card.side].append(card)
    return {"haves": found[Card.Side.HAVE], "wants": found[Card.Side.WANT]}


def pair_get(*, workshop: Workshop, pair_id: int) -> Pair | None:
    return (Pair.objects.filter(workshop=workshop, pk=pair_id)
            .select_related("have__participant", "want__participant").first())


@dataclass(frozen=True)
class WorkshopSummary:
    workshop: Workshop
    participants: list[Participant]
    themes: list[ThemeCards]
    pairs: list[PairRow]
    kept: list[KeptPair]


def workshop_summary(*, workshop: Workshop) -> WorkshopSummary:
    kept = list(KeptPair.objects.filter(workshop=workshop).select_related(
        "proposal", "have__participant__actor", "want__participant__actor"))
    return WorkshopSummary(workshop, workshop_participants(workshop=workshop),
                           room_cards(workshop=workshop), pairs_ranked(workshop=workshop),
                           kept)
