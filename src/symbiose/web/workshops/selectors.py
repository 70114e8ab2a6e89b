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

    @staticmethod
    def key_of(have_interest: int | None, want_interest: int | None,
               score: Decimal | None) -> tuple[int, int, Decimal]:
        """Most mutual interest first, then most interest in all, then the engine's
        score."""
        have, want = have_interest or 0, want_interest or 0
        return (-min(have, want), -(have + want), -(score or Decimal(0)))


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
             .select_related("participant__actor").order_by("label", "id")
             .only("side", "label", "quantity", "unit", "note", "participant__table_id",
                   "participant__actor__name"))
    for card in cards:
        group = themes.get(card.participant.table_id or 0, loose)
        (group.haves if card.side == Card.Side.HAVE else group.wants).append(card)
    return [*themes.values(), *([loose] if loose.haves or loose.wants else [])]


# What a pair's row shows of its cards and their companies. Each card is loaded once for
# all its pairs (a card is in many), and with these fields only: a room of hundreds of
# pairs then builds hundreds of model instances, not thousands.
_PAIR_CARD_FIELDS = ("side", "label", "participant_id", "participant__actor_id",
                     "participant__actor__name")


def pairs_ranked(*, workshop: Workshop, participant_ids: set[int] | None = None
                 ) -> list[PairRow]:
    """The room's pairs, most mutually wanted first; only those concerning
    `participant_ids` when given."""
    return pairs_top(workshop=workshop, participant_ids=participant_ids)[0]


def pairs_top(*, workshop: Workshop, participant_ids: set[int] | None = None,
              limit: int | None = None, interested_only: bool = False
              ) -> tuple[list[PairRow], int]:
    """The `limit` best pairs (all when None) and how many there are in all.

    The ranking is computed on plain values (ids, score, interests); only the pairs
    shown are then loaded as objects, so the room's side panel and the projector cost
    the same whether the room has fifty pairs or five hundred."""
    pairs = Pair.objects.filter(workshop=workshop)
    if participant_ids is not None:
        pairs = pairs.filter(Q(have__participant_id__in=participant_ids)
                             | Q(want__participant_id__in=participant_ids))
    levels = {(i.participant_id, i.have_id, i.want_id): i.level
              for i in Interest.objects.filter(have__workshop=workshop).only(
                  "participant_id", "have_id", "want_id", "level")}
    kept = set(KeptPair.objects.filter(workshop=workshop).values_list("have_id", "want_id"))
    ranked = []
    for pk, have, want, have_by, want_by, score in pairs.values_list(
            "pk", "have_id", "want_id", "have__participant_id", "want__participant_id",
            "score"):
        mine, theirs = levels.get((have_by, have, want)), levels.get((want_by, have, want))
        if interested_only and not (mine or theirs):
            continue
        ranked.append((PairRow.key_of(mine, theirs, score), pk, mine, theirs,
                       (have, want) in kept))
    ranked.sort(key=lambda entry: (entry[0], entry[1]))
    shown = ranked if limit is None else ranked[:limit]
    by_id = Pair.objects.only("score", "explanation", "have_id", "want_id").in_bulk(
        [entry[1] for entry in shown])
    cards = Card.objects.select_related("participant__actor").only(
        *_PAIR_CARD_FIELDS).in_bulk({card for pair in by_id.values()
                                     for card in (pair.have_id, pair.want_id)})
    rows = [PairRow(pair=by_id[pk], have=cards[by_id[pk].have_id],
                    want=cards[by_id[pk].want_id], have_interest=mine, want_interest=theirs,
                    kept=is_kept)
            for _, pk, mine, theirs, is_kept in shown]
    return rows, len(ranked)


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
