"""Writes of a workshop: its setting, its participants and their cards, interests and the
pairs kept. Every write is audited as the other apps' are."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import get_language, gettext

from symbiose.core.knowledge.flows import LikelyFlow
from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record
from symbiose.web.submissions.writes import model_update
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory import selectors as territory_selectors
from symbiose.web.territory.models import Actor, Resource
from symbiose.web.territory.suggestions import class_kind, label_of
from symbiose.web.workshops.models import (
    Card,
    Interest,
    KeptPair,
    Pair,
    Participant,
    Workshop,
    WorkshopTable,
)
from symbiose.web.workshops.pairing import RoomCard, room_pairs

WORKSHOP_FIELDS = ("title", "date", "place", "description", "state")
# A likely flow becomes a draft card when at least this share of the activity's sites has
# it: the company's phone page should offer what is probable, not every possibility.
LIKELY_ENOUGH = 0.3
CARD_FIELDS = ("side", "label", "resource_class", "kind", "quantity", "unit", "note")


class WorkshopRefused(ValueError):
    """A write the rules refuse, with the sentence to show beside the form."""


def _audit(*, by: AbstractBaseUser | None, workshop: Workshop, detail: str,
           actor: Actor | None = None) -> None:
    # Without an account, a company acts from its personal link: the trail says so.
    audit_record(by=by, territory=workshop.territory, action=AuditEvent.Action.CHANGE,
                 detail=f"workshop {workshop.pk}: {detail}", actor=actor,
                 via=gettext("personal link") if actor is not None else "")


def workshop_create(*, territory: Any, data: Mapping[str, Any],
                    by: AbstractBaseUser | None) -> Workshop:
    workshop = Workshop(territory=territory, created_by_id=by.pk if by else None,
                        **{k: data[k] for k in WORKSHOP_FIELDS if k in data})
    workshop.full_clean()
    workshop.save()
    for position, theme in enumerate(data.get("themes") or []):
        WorkshopTable.objects.create(workshop=workshop, theme=theme, position=position)
    _audit(by=by, workshop=workshop, detail="created")
    return workshop


def workshop_update(*, workshop: Workshop, data: Mapping[str, Any],
                    by: AbstractBaseUser | None) -> Workshop:
    workshop, changed = model_update(instance=workshop, fields=WORKSHOP_FIELDS, data=data)
    if changed:
        _audit(by=by, workshop=workshop, detail="changed " + ", ".join(changed))
    return workshop


def table_create(*, workshop: Workshop, theme: str, host: str,
                 by: AbstractBaseUser | None) -> WorkshopTable:
    theme = theme.strip()
    if workshop.tables.filter(theme__iexact=theme).exists():
        raise WorkshopRefused(gettext("This workshop already has a table “%(theme)s”.")
                              % {"theme": theme})
    position = (workshop.tables.aggregate(m=Max("position"))["m"] or 0) + 1
    table = WorkshopTable.objects.create(workshop=workshop, theme=theme, host=host.strip(),
                                         position=position)
    _audit(by=by, workshop=workshop, detail=f"table {theme!r} added")
    return table


def participants_invite(*, workshop: Workshop, actors: Iterable[Actor],
                        table: WorkshopTable | None, by: AbstractBaseUser | None
                        ) -> list[Participant]:
    """Invite actors (already invited ones are left as they are) and pre-fill the new
    participants' cards from their latest balance and their activity's likely flows."""
    invited = []
    known = set(workshop.participants.values_list("actor_id", flat=True))
    for actor in actors:
        if actor.territory_id != workshop.territory_id:
            raise WorkshopRefused(gettext("“%(name)s” is not an actor of this territory.")
                                  % {"name": actor.name})
        if actor.pk in known:
            continue
        with transaction.atomic():
            participant = Participant.objects.create(workshop=workshop, actor=actor,
                                                     table=table)
            cards_prefill(participant=participant)
        known.add(actor.pk)
        invited.append(participant)
        _audit(by=by, workshop=workshop, detail="invited", actor=actor)
    return invited


def _likely_card(participant: Participant, flow: LikelyFlow) -> Card:
    return Card(workshop=participant.workshop, participant=participant, side=flow.direction,
                label=flow.label or label_of(flow.class_id), resource_class=flow.class_id,
                kind=class_kind(flow.class_id), origin=Card.Origin.LIKELY,
                status=Card.Status.DRAFT)


def cards_prefill(*, participant: Participant) -> int:
    """Draft cards, one per line of the actor's latest balance and one per likely flow of
    its activity that the balance does not carry. Drafts wait for the company."""
    actor = participant.actor
    year = territory_selectors.actor_latest_year(actor=actor, before=9999)
    lines: list[Resource] = list(actor.resources.filter(year=year)) if year else []
    cards = [
        Card(workshop=participant.workshop, participant=participant, side=line.direction,
             label=line.label, resource_class=line.resource_class, kind=line.kind,
             quantity=line.quantity if line.quantity is None or line.quantity >= 0 else None,
             unit=line.unit, origin=Card.Origin.BALANCE, source=line,
             from_private_line=line.confidentiality != Resource.Confidentiality.PUBLIC,
             status=Card.Status.DRAFT)
        for line in lines
    ]
    likely = territory_selectors.balance_likely_flows(actor=actor, year=year or 0,
                                                      lines=lines)
    cards += [_likely_card(participant, flow) for flow in likely
              if flow.likelihood >= LIKELY_ENOUGH]
    Card.objects.bulk_create(cards)
    return len(cards)


def card_add(*, participant: Participant, data: Mapping[str, Any], client_key: str,
             by: AbstractBaseUser | None) -> Card:
    """A card put on the table in the room, confirmed at once. The same form posted twice
    (the same `client_key`) gives the first card back."""
    if client_key:
        first = Card.objects.filter(workshop_id=participant.workshop_id,
                                    client_key=client_key).first()
        if first is not None:
            return first
    card = Card(workshop_id=participant.workshop_id, participant=participant,
                origin=Card.Origin.ROOM, status=Card.Status.CONFIRMED,
                client_key=client_key, **{k: data[k] for k in CARD_FIELDS if k in data})
    card.full_clean()
    try:
        with transaction.atomic():
            card.save()
    except IntegrityError:
        # Two posts of one form raced; the other one saved the card.
        return Card.objects.get(workshop_id=participant.workshop_id, client_key=client_key)
    _audit(by=by, workshop=participant.workshop, detail=f"card {card.pk} added",
           actor=participant.actor)
    pairs_refresh(workshop=participant.workshop)
    return card


def card_update(*, card: Card, data: Mapping[str, Any], by: AbstractBaseUser | None) -> Card:
    card, changed = model_update(instance=card, fields=CARD_FIELDS, data=data)
    if changed:
        _audit(by=by, workshop=card.workshop, detail=f"card {card.pk} changed",
               actor=card.participant.actor)
        if card.status == Card.Status.CONFIRMED:
            pairs_refresh(workshop=card.workshop)
    return card


def cards_decide(*, participant: Participant, confirm: Iterable[int],
                 withdraw: Iterable[int], as_company: bool,
                 by: AbstractBaseUser | None) -> int:
    """Confirm or withdraw cards of one participant. A card made from a line the company
    did not publish is confirmed by the company only (`as_company`): its consent is what
    puts that line in front of the room."""
    cards = participant.cards.all()
    confirmable = cards if as_company else cards.filter(from_private_line=False)
    confirmed = confirmable.filter(pk__in=list(confirm)).exclude(
        status=Card.Status.CONFIRMED).update(status=Card.Status.CONFIRMED)
    withdrawn = cards.filter(pk__in=list(withdraw)).exclude(
        status=Card.Status.WITHDRAWN).update(status=Card.Status.WITHDRAWN)
    if as_company and participant.confirmed_at is None:
        participant.confirmed_at = timezone.now()
        participant.save(update_fields=["confirmed_at"])
    if confirmed or withdrawn:
        _audit(by=by, workshop=participant.workshop, actor=participant.actor,
               detail=f"{confirmed} card(s) confirmed, {withdrawn} withdrawn")
        pairs_refresh(workshop=participant.workshop)
    return confirmed + withdrawn


def _room_cards(workshop: Workshop) -> list[RoomCard]:
    cards = (Card.objects.filter(workshop=workshop, status=Card.Status.CONFIRMED)
             .select_related("participant__actor"))
    return [RoomCard(card_id=c.pk, participant_id=c.participant_id,
                     company=c.participant.actor.name, side=c.side, label=c.label,
                     resource_class=c.resource_class, kind=c.kind, quantity=c.quantity,
                     unit=c.unit, year=workshop.date.year, naf=c.participant.actor.naf_code,
                     lat=c.participant.actor.latitude, lon=c.participant.actor.longitude)
            for c in cards]


def pairs_refresh(*, workshop: Workshop) -> int:
    """Recompute the room's pairs from its confirmed cards; interests and kept pairs hang
    on the cards and stay."""
    language = "en" if (get_language() or "fr").startswith("en") else "fr"
    found = room_pairs(_room_cards(workshop), language=language)
    with transaction.atomic():
        Pair.objects.filter(workshop=workshop).delete()
        Pair.objects.bulk_create(
            Pair(workshop=workshop, have_id=p.have_id, want_id=p.want_id, score=p.score,
                 explanation=p.explanation) for p in found)
    return len(found)


def interest_set(*, participant: Participant, pair: Pair, level: int) -> Interest:
    """A participant's interest in a pair that concerns it (one of its two cards)."""
    if not 0 <= level <= 3:
        raise WorkshopRefused(gettext("An interest goes from 0 (none) to 3 (strong)."))
    sides = {pair.have.participant_id, pair.want.participant_id}
    if participant.pk not in sides:
        raise WorkshopRefused(gettext("This pair does not concern this participant."))
    interest, _ = Interest.objects.update_or_create(
        participant=participant, have_id=pair.have_id, want_id=pair.want_id,
        defaults={"level": level})
    return interest


def _existing_proposal(workshop: Workshop, have: Card, want: Card) -> Proposal | None:
    """A proposal of the territory that already joins these two actors over this
    resource: the workshop confirms it rather than writing it twice."""
    same_ends = Proposal.objects.filter(
        territory_id=workshop.territory_id, type=Proposal.Type.SUBSTITUTION,
        supplier_id=have.participant.actor_id, receiver_id=want.participant.actor_id)
    return same_ends.filter(Q(resource__iexact=have.label) | Q(resource__iexact=want.label)
                            ).first()


def pairs_keep(*, workshop: Workshop, pairs: Iterable[Pair],
               by: AbstractBaseUser | None) -> list[KeptPair]:
    """Keep pairs as proposals at stage "idea" with the workshop as origin, all in one
    action; a pair already kept, or already a proposal of the territory, is not written
    twice."""
    kept = []
    now = timezone.now()
    with transaction.atomic():
        for pair in pairs:
            if KeptPair.objects.filter(have_id=pair.have_id, want_id=pair.want_id).exists():
                continue
            have, want = pair.have, pair.want
            proposal = _existing_proposal(workshop, have, want)
            created = proposal is None
            if proposal is None:
                proposal = Proposal.objects.create(
                    territory_id=workshop.territory_id, type=Proposal.Type.SUBSTITUTION,
                    supplier_id=have.participant.actor_id,
                    receiver_id=want.participant.actor_id, resource=have.label,
                    score=pair.score, explanation=pair.explanation,
                    origin=Proposal.Origin.WORKSHOP, stage=Proposal.Stage.IDEA,
                    decision=Proposal.Decision.KEPT, decided_at=now,
                    decided_by_id=by.pk if by else None,
                    decision_note=gettext("Chosen at the workshop “%(title)s” of %(date)s.")
                    % {"title": workshop.title, "date": workshop.date.isoformat()})
                proposal.members.create(actor_id=have.participant.actor_id, position=0)
                proposal.members.create(actor_id=want.participant.actor_id, position=1)
            elif proposal.decision == Proposal.Decision.PENDING:
                proposal.decision = Proposal.Decision.KEPT
                proposal.decided_at, proposal.decided_by_id = now, by.pk if by else None
                proposal.save(update_fields=["decision", "decided_at", "decided_by"])
            kept.append(KeptPair.objects.create(workshop=workshop, have=have, want=want,
                                                proposal=proposal, created=created,
                                                kept_by_id=by.pk if by else None))
        if kept:
            _audit(by=by, workshop=workshop, detail=f"{len(kept)} pair(s) kept")
    return kept
