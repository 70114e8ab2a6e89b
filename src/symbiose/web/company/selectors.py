"""What a company member's home page shows, read through each app's visibility rules:
per territory where it is a member, per actor of its own, the state of this year's
balance, its proposals, the meeting requests waiting for its answer and its agendas, its
workshops to come, and what is new since its last visit."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Count, F
from django.utils import timezone

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.viewer import AnyUser, Viewer, memberships_active, viewer_get
from symbiose.web.campaigns.models import Campaign, Invitation
from symbiose.web.lending.models import Booking
from symbiose.web.lending.selectors import bookings_made, bookings_to_answer
from symbiose.web.meetings.models import MeetingEvent, MeetingRequest
from symbiose.web.synergies.models import IntroductionConsent, Proposal
from symbiose.web.synergies.visibility import VisibleProposal, proposal_list_visible
from symbiose.web.territory.models import Actor, Resource
from symbiose.web.workshops.models import Workshop

T = TypeVar("T")


@dataclass(frozen=True)
class BalanceState:
    """This year's balance of an actor: its lines, or the last year it could start from."""

    year: int
    lines: int
    last_year: int | None
    last_year_lines: int


@dataclass(frozen=True)
class ProposalItem:
    proposal: VisibleProposal
    new: bool
    # Whether this actor agreed to be named to the other side (False: it may still agree).
    introduced: bool
    others: str  # the other sides, as the reader may name them
    stage_label: str


@dataclass(frozen=True)
class ActorHome:
    actor: Actor
    balance: BalanceState
    proposals: list[ProposalItem]
    requests_to_answer: list[MeetingRequest]
    agendas: list[MeetingEvent]
    workshops: list[Workshop]
    loans_to_answer: list[Booking]  # requests for this actor's items
    borrowings: list[Booking]  # this actor's bookings not yet over
    # The open data campaign that waits for this actor's balance, if any.
    campaign: Invitation | None = None

    @property
    def new_count(self) -> int:
        return sum(item.new for item in self.proposals)


@dataclass
class TerritoryHome:
    viewer: Viewer
    actors: list[ActorHome] = field(default_factory=list)


def _balance(actor: Actor, year: int, by_year: dict[int, int]) -> BalanceState:
    earlier = [y for y in by_year if y < year]
    last = max(earlier) if earlier else None
    return BalanceState(year, by_year.get(year, 0), last, by_year.get(last, 0) if last else 0)


def _is_new(proposal: Proposal, since: datetime.datetime | None) -> bool:
    return since is not None and proposal.created_at > since


@dataclass
class _Agenda:
    """What waits for each actor of a territory, read once for all of them: a member
    of a group of fifty sites costs the same few queries as a member of one."""

    requests: dict[int, list[MeetingRequest]] = field(default_factory=dict)
    agendas: dict[int, list[MeetingEvent]] = field(default_factory=dict)
    workshops: dict[int, list[Workshop]] = field(default_factory=dict)
    loans: dict[int, list[Booking]] = field(default_factory=dict)
    borrowings: dict[int, list[Booking]] = field(default_factory=dict)
    campaigns: dict[int, Invitation] = field(default_factory=dict)


def _by_actor(rows: Iterable[T], actor_of: Callable[[T], int]) -> dict[int, list[T]]:
    grouped: dict[int, list[T]] = {}
    for row in rows:
        grouped.setdefault(actor_of(row), []).append(row)
    return grouped


def _agenda(viewer: Viewer, actor_ids: list[int], today: datetime.date) -> _Agenda:
    now = timezone.now()
    agenda = _Agenda()
    agenda.requests = _by_actor(MeetingRequest.objects.filter(
        requested_id__in=actor_ids, status=MeetingRequest.Status.PENDING,
        event__territory=viewer.territory, event__request_deadline__gt=now)
        .select_related("event", "requester").order_by("event__date", "created_at"),
        lambda r: r.requested_id)
    # One row per (event, actor of ours taking part): `for_actor` says which actor.
    agenda.agendas = _by_actor(MeetingEvent.objects.filter(
        territory=viewer.territory, date__gte=today, participants__in=actor_ids)
        .exclude(state=MeetingEvent.State.DRAFT).annotate(for_actor=F("participants"))
        .order_by("date"), lambda e: e.for_actor)  # type: ignore[attr-defined]
    agenda.workshops = _by_actor(Workshop.objects.filter(
        territory=viewer.territory, date__gte=today, participants__actor__in=actor_ids)
        .exclude(state=Workshop.State.CLOSED).annotate(for_actor=F("participants__actor"))
        .order_by("date"), lambda w: w.for_actor)  # type: ignore[attr-defined]
    agenda.loans = _by_actor(bookings_to_answer(viewer=viewer).filter(
        offer__actor__in=actor_ids).select_related("offer"), lambda b: b.offer.actor_id)
    agenda.borrowings = _by_actor(bookings_made(viewer=viewer).filter(
        borrower__in=actor_ids, end__gte=now,
        status__in=(Booking.Status.PENDING, Booking.Status.ACCEPTED,
                    Booking.Status.CHECKED_OUT)).order_by("start"), lambda b: b.borrower_id)
    # The latest open campaign waiting for each actor: the first row met per actor.
    for invitation in (Invitation.objects.filter(
            actor__in=actor_ids, campaign__state=Campaign.State.OPEN,
            submitted_at__isnull=True).select_related("campaign")
            .order_by("-campaign__year", "pk")):
        agenda.campaigns.setdefault(invitation.actor_id, invitation)
    return agenda


def _actor_home(actor: Actor, *, year: int, since: datetime.datetime | None,
                visible: list[VisibleProposal], stored: dict[int, Proposal],
                parties: dict[int, set[int]], consents: set[tuple[int, int]],
                by_year: dict[int, int], agenda: _Agenda) -> ActorHome:
    mine = [p for p in visible if actor.pk in parties.get(p.id, set())]
    proposals = [ProposalItem(p, _is_new(stored[p.id], since), (p.id, actor.pk) in consents,
                              ", ".join(side.name for side in p.sides
                                        if side.external_id != actor.external_id),
                              str(Proposal.Stage(p.stage).label))
                 for p in mine]
    proposals.sort(key=lambda item: (not item.new, -(item.proposal.score or 0)))
    return ActorHome(actor, _balance(actor, year, by_year), proposals,
                     agenda.requests.get(actor.pk, []), agenda.agendas.get(actor.pk, []),
                     agenda.workshops.get(actor.pk, []), agenda.loans.get(actor.pk, []),
                     agenda.borrowings.get(actor.pk, []), agenda.campaigns.get(actor.pk))


def _parties(proposal: Proposal) -> set[int]:
    """Every actor of the proposal: supplier, receiver, and the pooled ones."""
    parties = {member.actor_id for member in proposal.members.all()}
    parties.update(p for p in (proposal.supplier_id, proposal.receiver_id) if p is not None)
    return parties


def company_home(*, user: AnyUser, today: datetime.date,
                 since: datetime.datetime | None) -> list[TerritoryHome]:
    """Every territory where the user is a company member with actors, each actor's home."""
    homes = []
    memberships = memberships_active(user).filter(role=Role.MEMBER).select_related(
        "territory").order_by("territory__name")
    for membership in memberships:
        viewer = viewer_get(user=user, territory=membership.territory)
        if not viewer.actor_ids:
            continue
        actors = list(Actor.objects.filter(pk__in=viewer.actor_ids).order_by("name"))
        visible = proposal_list_visible(viewer=viewer)
        stored = {p.pk: p for p in Proposal.objects.filter(pk__in=[v.id for v in visible])
                  .prefetch_related("members")}
        parties = {pk: _parties(proposal) for pk, proposal in stored.items()}
        consents = set(IntroductionConsent.objects.filter(
            proposal_id__in=list(stored), actor_id__in=viewer.actor_ids)
            .values_list("proposal_id", "actor_id"))
        lines = (Resource.objects.filter(actor_id__in=viewer.actor_ids)
                 .values("actor_id", "year").annotate(n=Count("id")))
        per_actor: dict[int, dict[int, int]] = {}
        for row in lines:
            per_actor.setdefault(row["actor_id"], {})[row["year"]] = row["n"]
        home = TerritoryHome(viewer)
        agenda = _agenda(viewer, [actor.pk for actor in actors], today)
        for actor in actors:
            home.actors.append(_actor_home(
                actor, year=today.year, since=since, visible=visible, stored=stored,
                parties=parties, consents=consents, by_year=per_actor.get(actor.pk, {}),
                agenda=agenda))
        homes.append(home)
    return homes


def is_company_member_only(user: AnyUser) -> bool:
    """A user whose every active role is company member: its landing page is its home."""
    roles = set(memberships_active(user).values_list("role", flat=True))
    return roles == {Role.MEMBER} and not getattr(user, "is_superuser", False)



def has_company_home(user: AnyUser) -> bool:
    """Whether the user is a company member with at least one actor somewhere."""
    return memberships_active(user).filter(role=Role.MEMBER, actors__isnull=False).exists()
